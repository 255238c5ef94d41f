import type { FollowupService } from '../../../domain/followup/followup-service';
import { cleanText } from '../../../shared/text';
import type { Flow, StepOutcome } from '../../flow';
import { officerOf } from '../../actors';

export interface DeskReplyDraft {
  reportId: string;
  code: string;
}

const MAX_REPLY = 2000;

/**
 * In a desk chat, after "Trả lời người báo": the next message is relayed to
 * the tip's reporter under the unit's name. /huy gives up.
 */
export function createDeskReplyFlow(followups: FollowupService): Flow<DeskReplyDraft> {
  return {
    id: 'desk_reply',
    needsConsent: false,
    answeredInDeskChat: true,
    newDraft: () => ({ reportId: '', code: '' }),
    steps: [
      {
        id: 'message',
        prompt: (ctx) => ({ text: ctx.t('desk.reply_prompt', { code: ctx.draft.code }) }),
        handle: async (ctx, input): Promise<StepOutcome<DeskReplyDraft>> => {
          if (input.kind !== 'text') return { kind: 'invalid', reason: 'errors.text_expected' };
          const text = cleanText(input.text);
          if (!text) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: 1 } };
          if (text.length > MAX_REPLY) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: MAX_REPLY, length: text.length } };
          const actor = officerOf(input);
          const result = await followups.relayToReporter(actor, ctx.draft.reportId, text);
          return { kind: 'done', say: [{ text: ctx.t(`desk.reply_${result}`, { code: ctx.draft.code }) }] };
        },
      },
    ],
  };
}
