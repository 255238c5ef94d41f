import type { TriageService } from '../../../domain/triage/triage-service';
import type { Flow, StepOutcome } from '../../flow';
import { presentTriage } from '../../presenters/desk-replies';
import { officerOf } from '../../actors';

export interface DuplicateDraft {
  reportId: string;
  code: string;
}

/** In a desk chat, after "Kết thúc → Trùng tin báo khác": the code of the earlier tip. /huy gives up. */
export function createDuplicateOfFlow(triage: Pick<TriageService, 'handle'>): Flow<DuplicateDraft> {
  return {
    id: 'duplicate_of',
    needsConsent: false,
    answeredInDeskChat: true,
    newDraft: () => ({ reportId: '', code: '' }),
    steps: [
      {
        id: 'code',
        prompt: (ctx) => ({ text: ctx.t('desk.duplicate_prompt', { code: ctx.draft.code }) }),
        handle: async (ctx, input): Promise<StepOutcome<DuplicateDraft>> => {
          if (input.kind !== 'text') return { kind: 'invalid', reason: 'errors.text_expected' };
          const actor = officerOf(input);
          const replies = presentTriage(ctx.t, await triage.handle(actor, ctx.draft.reportId, 'close:duplicate', input.text.trim().slice(0, 40)));
          return { kind: 'done', say: replies.length > 0 ? replies : [{ text: ctx.t('desk.duplicate_done', { code: ctx.draft.code }) }] };
        },
      },
    ],
  };
}
