import type { MediationChange, MediationService } from '../../../domain/mediation/mediation-service';
import { cleanText, foldVietnamese } from '../../../shared/text';
import type { Flow, StepOutcome } from '../../flow';
import { presentMediation } from '../../presenters/desk-replies';
import { officerOf } from '../../actors';

/** The mediation buttons that need a typed answer, and the question each asks. */
export type MediationQuestion = 'm_assign' | 'm_schedule' | 'm_settled' | 'm_refer';

export interface MediationInputDraft {
  reportId: string;
  code: string;
  officerId: string;
  question: MediationQuestion;
  /** The team's mediators, offered in the assignment question. */
  roster: string[];
}

const MAX_ANSWER = 1000;
/** Typed instead of an agreement summary when there is none to record. */
const NO_AGREEMENT = ['bo qua', 'khong', 'khong co', 'skip', 'none', '-'];

const CHANGE: Record<MediationQuestion, (text: string | null) => MediationChange> = {
  m_assign: (text) => ({ kind: 'assign', names: text ?? '' }),
  m_schedule: (text) => ({ kind: 'schedule', text: text ?? '' }),
  m_settled: (text) => ({ kind: 'settle', agreement: text }),
  m_refer: (text) => ({ kind: 'refer', authority: text ?? '' }),
};

/**
 * In a mediation desk, after a button that needs words: the mediators'
 * names, the session's date, time and place, the agreement reached, or the
 * authority a case is referred to. A refused answer can be typed again; /huy
 * gives up.
 */
export function createMediationInputFlow(mediation: Pick<MediationService, 'apply'>): Flow<MediationInputDraft> {
  return {
    id: 'mediation_input',
    needsConsent: false,
    answeredInDeskChat: true,
    newDraft: () => ({ reportId: '', code: '', officerId: '', question: 'm_assign', roster: [] }),
    steps: [
      {
        id: 'answer',
        prompt: (ctx) => ({ text: ctx.t(`mediation.ask.${ctx.draft.question}`, { code: ctx.draft.code, roster: ctx.draft.roster.join(', ') || '—' }) }),
        handle: async (ctx, input): Promise<StepOutcome<MediationInputDraft>> => {
          if (input.kind !== 'text') return { kind: 'invalid', reason: 'errors.text_expected' };
          const text = cleanText(input.text);
          if (text.length === 0) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: 1 } };
          if (text.length > MAX_ANSWER) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: MAX_ANSWER, length: text.length } };
          const skipped = ctx.draft.question === 'm_settled' && NO_AGREEMENT.includes(foldVietnamese(text));
          const actor = officerOf(input);
          const result = await mediation.apply(actor, ctx.draft.reportId, CHANGE[ctx.draft.question](skipped ? null : text));
          if (result.kind !== 'done') return { kind: 'stay', draft: ctx.draft, say: presentMediation(ctx.t, result) };
          return { kind: 'done', say: [{ text: ctx.t(`mediation.done.${ctx.draft.question}`, { code: ctx.draft.code }) }] };
        },
      },
    ],
  };
}
