import type { TriageService } from '../../../domain/triage/triage-service';
import type { TriageAction } from '../../../domain/triage/triage-actions';
import type { Flow, StepOutcome } from '../../flow';
import { presentTriage } from '../../presenters/desk-replies';
import { officerOf } from '../../actors';

export interface CloseSubjectsDraft {
  reportId: string;
  code: string;
  /** "close:handled" or "close:prosecuted". */
  action: TriageAction;
}

const MAX_SUBJECTS = 10_000;

/**
 * In a desk chat, after "Kết thúc → Đã xử lý / Đã khởi tố": how many
 * subjects (đối tượng) were dealt with, a number (0 allowed), as every
 * review states it ("xử lý 1.927 vụ việc với 2.222 đối tượng"). /huy gives up.
 */
export function createCloseSubjectsFlow(triage: Pick<TriageService, 'handle'>): Flow<CloseSubjectsDraft> {
  return {
    id: 'close_subjects',
    needsConsent: false,
    answeredInDeskChat: true,
    newDraft: () => ({ reportId: '', code: '', action: 'close:handled' }),
    steps: [
      {
        id: 'subjects',
        prompt: (ctx) => ({ text: ctx.t('desk.subjects_prompt', { code: ctx.draft.code, outcome: ctx.t(`outcome.${ctx.draft.action.slice('close:'.length)}`) }) }),
        handle: async (ctx, input): Promise<StepOutcome<CloseSubjectsDraft>> => {
          if (input.kind !== 'text') return { kind: 'invalid', reason: 'desk.subjects_invalid' };
          const typed = /^\s*(\d{1,5})\s*(?:đối tượng|doi tuong|người|nguoi|subjects?)?\s*$/i.exec(input.text)?.[1];
          const subjects = typed === undefined ? NaN : Number(typed);
          if (!Number.isInteger(subjects) || subjects > MAX_SUBJECTS) return { kind: 'invalid', reason: 'desk.subjects_invalid' };
          const replies = presentTriage(ctx.t, await triage.handle(officerOf(input), ctx.draft.reportId, ctx.draft.action, undefined, subjects));
          return { kind: 'done', say: replies.length > 0 ? replies : [{ text: ctx.t('desk.subjects_done', { code: ctx.draft.code, count: subjects }) }] };
        },
      },
    ],
  };
}
