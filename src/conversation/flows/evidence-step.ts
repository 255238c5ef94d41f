import type { EvidenceStore } from '../../domain/evidence/evidence-store';
import { foldVietnamese } from '../../shared/text';
import type { EvidenceKind } from '../../storage/models/report.model';
import { stepPayload, type Step, type StepContext, type StepOutcome } from '../flow';
import type { TipDraft } from './tip-draft';

/** Kinds of file a resident may send as evidence, by MIME type. Anything else is refused with a clear message. */
const ALLOWED_MIME = [/^image\/(jpeg|png|webp|gif|heic|heif)$/, /^video\/(mp4|quicktime|webm|3gpp)$/, /^audio\//, /^application\/pdf$/];

const DONE_WORDS = ['xong', 'done', 'bo qua', 'skip', 'khong co', 'none', 'het', 'finish'];

/**
 * Collects any number of photos, videos, voice notes or files (up to
 * MAX_EVIDENCE_FILES), keeping the service's own encrypted copy of each.
 */
export function evidenceStep(store: EvidenceStore): Step<TipDraft> {
  const id = 'evidence';
  return {
    id,
    prompt: (ctx) => ({
      text: ctx.t('tip.evidence.prompt', { max: ctx.limits.maxEvidenceFiles }),
      buttons: [
        [{ label: ctx.t(ctx.draft.evidence.length > 0 ? 'tip.evidence.done' : 'tip.evidence.skip'), payload: stepPayload(id, 'done') }],
      ],
    }),
    handle: async (ctx, input): Promise<StepOutcome<TipDraft>> => {
      if (input.kind === 'choice' && input.value === 'done') return finish(ctx);
      if (input.kind === 'text') {
        return DONE_WORDS.includes(foldVietnamese(input.text)) ? finish(ctx) : { kind: 'invalid', reason: 'tip.evidence.text_instead' };
      }
      if (input.kind === 'unsupported') return { kind: 'invalid', reason: 'errors.unsupported_media' };
      if (input.kind !== 'media') return { kind: 'invalid', reason: 'tip.evidence.text_instead' };

      const { media } = input;
      if (ctx.draft.evidence.length >= ctx.limits.maxEvidenceFiles) {
        return { kind: 'invalid', reason: 'tip.evidence.too_many', vars: { max: ctx.limits.maxEvidenceFiles } };
      }
      if (!ALLOWED_MIME.some((pattern) => pattern.test(media.mime))) return { kind: 'invalid', reason: 'errors.unsupported_media' };
      const maxMb = Math.floor(ctx.limits.maxEvidenceBytes / (1024 * 1024));
      if (media.size !== null && media.size > ctx.limits.maxEvidenceBytes) return { kind: 'invalid', reason: 'tip.evidence.too_large', vars: { max: maxMb } };

      let bytes: Buffer;
      try {
        bytes = await media.fetch();
      } catch {
        return { kind: 'invalid', reason: 'tip.evidence.download_failed' };
      }
      if (bytes.length > ctx.limits.maxEvidenceBytes) return { kind: 'invalid', reason: 'tip.evidence.too_large', vars: { max: maxMb } };

      const record = await store.save(bytes, {
        kind: media.kind as EvidenceKind,
        mime: media.mime,
        fileName: media.fileName,
        platform: media.platformFileId ? { channel: input.address.channel, fileId: media.platformFileId } : null,
      });
      const draft = { ...ctx.draft, evidence: [...ctx.draft.evidence, record] };
      return {
        kind: 'stay',
        draft,
        say: [
          {
            text: ctx.t('tip.evidence.received', { count: draft.evidence.length, max: ctx.limits.maxEvidenceFiles }),
            buttons: [[{ label: ctx.t('tip.evidence.done'), payload: stepPayload(id, 'done') }]],
          },
        ],
      };
    },
  };
}

function finish(ctx: StepContext<TipDraft>): StepOutcome<TipDraft> {
  return { kind: 'advance', draft: { ...ctx.draft, evidenceDone: true } };
}
