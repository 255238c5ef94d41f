import type { UnitDirectory } from '../../../config/units';
import { MAX_FORWARDS, type TriageService } from '../../../domain/triage/triage-service';
import { cleanText } from '../../../shared/text';
import type { Flow, StepOutcome } from '../../flow';
import { presentTriage } from '../../presenters/desk-replies';
import { officerOf } from '../../actors';

export interface ForwardDraft {
  reportId: string;
  code: string;
  toUnitId: string;
}

const MIN_REASON = 5;
const MAX_REASON = 300;

/** In a desk chat, after choosing a unit to forward to: the reason, which goes on record. /huy gives up. */
export function createForwardReasonFlow(triage: Pick<TriageService, 'forward'>, units: UnitDirectory): Flow<ForwardDraft> {
  return {
    id: 'forward_reason',
    needsConsent: false,
    answeredInDeskChat: true,
    newDraft: () => ({ reportId: '', code: '', toUnitId: '' }),
    steps: [
      {
        id: 'reason',
        prompt: (ctx) => ({ text: ctx.t('desk.forward_prompt', { code: ctx.draft.code, unit: units.byId(ctx.draft.toUnitId)?.name ?? ctx.draft.toUnitId }) }),
        handle: async (ctx, input): Promise<StepOutcome<ForwardDraft>> => {
          if (input.kind !== 'text') return { kind: 'invalid', reason: 'errors.text_expected' };
          const reason = cleanText(input.text);
          if (reason.length < MIN_REASON) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: MIN_REASON } };
          if (reason.length > MAX_REASON) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: MAX_REASON, length: reason.length } };
          const actor = officerOf(input);
          const result = await triage.forward(actor, ctx.draft.reportId, ctx.draft.toUnitId, reason);
          const say = typeof result === 'string' ? [{ text: ctx.t(`desk.forward_${result}`, { code: ctx.draft.code, unit: units.byId(ctx.draft.toUnitId)?.name ?? '', max: MAX_FORWARDS }) }] : presentTriage(ctx.t, result);
          return { kind: 'done', say };
        },
      },
    ],
  };
}
