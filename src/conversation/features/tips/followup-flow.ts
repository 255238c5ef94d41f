import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import { MAX_FILES_PER_CASE, type FollowupService } from '../../../domain/followup/followup-service';
import { cleanText } from '../../../shared/text';
import type { Flow, StepOutcome } from '../../flow';
import { saveEvidence } from './evidence-step';
import type { EvidenceRecord } from '../../../core/report';
import type { ChatAddress } from '../../../core/chat';
import { followupKey } from '../../presenters/followup-words';

export interface FollowupDraft {
  code: string;
}

/**
 * A reporter adds to their tip (/bosung <mã>, or the answer button under an
 * officer's message): one message, text or a file, delivered to the desk.
 */
export function createFollowupFlow(deps: { followups: FollowupService; evidence: EvidenceStore; keyOf(address: ChatAddress): string }): Flow<FollowupDraft> {
  return {
    id: 'followup',
    needsConsent: true,
    newDraft: () => ({ code: '' }),
    steps: [
      {
        id: 'content',
        prompt: (ctx) => ({ text: ctx.t(followupKey('prompt', ctx.draft.code), { code: ctx.draft.code, max: ctx.limits.maxTextLength }) }),
        handle: async (ctx, input): Promise<StepOutcome<FollowupDraft>> => {
          let content: { text: string | null; evidence: EvidenceRecord | null };
          if (input.kind === 'text') {
            const text = cleanText(input.text);
            if (!text) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: 1 } };
            if (text.length > ctx.limits.maxTextLength) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: ctx.limits.maxTextLength, length: text.length } };
            content = { text, evidence: null };
          } else if (input.kind === 'media') {
            const saved = await saveEvidence(deps.evidence, ctx.limits, input, `bosung-${ctx.now.getTime().toString(36)}`);
            if ('reason' in saved) return { kind: 'invalid', ...saved };
            content = { text: null, evidence: saved.record };
          } else {
            return { kind: 'invalid', reason: 'followup.text_or_file' };
          }
          const result = await deps.followups.addFromReporter(deps.keyOf(input.address), ctx.draft.code, content);
          // A file the case has no room for is not kept.
          if (result !== 'sent' && content.evidence) await deps.evidence.remove([content.evidence.id, ...(content.evidence.original ? [content.evidence.original.id] : [])]);
          return { kind: 'done', say: [{ text: ctx.t(followupKey(result, ctx.draft.code), { code: ctx.draft.code, max: MAX_FILES_PER_CASE }) }] };
        },
      },
    ],
  };
}
