import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import { foldVietnamese } from '../../../shared/text';
import { type Limits, type Step, type StepContext, type StepInput, type StepOutcome } from '../../flow';
import type { TipDraft } from './tip-draft';
import type { EvidenceRecord } from '../../../core/report';
import { evidenceTypeOf } from '../../../domain/evidence/evidence-type';
import { cleanPhoto } from '../../../domain/evidence/photo-cleaning';
import { stepPayload } from '../../../core/payloads';

/**
 * Files worth downloading, by the type the platform claims (a sticker or an
 * archive is refused at once); what is kept is then decided by the bytes.
 */
const CLAIMED_MIME = [/^image\//, /^video\//, /^audio\//, /^application\/(pdf|octet-stream|msword|rtf|x-cfb|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+|vnd\.ms-(excel|powerpoint))$/];

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

      if (ctx.draft.evidence.length >= ctx.limits.maxEvidenceFiles) {
        return { kind: 'invalid', reason: 'tip.evidence.too_many', vars: { max: ctx.limits.maxEvidenceFiles } };
      }
      const saved = await saveEvidence(store, ctx.limits, input, String(ctx.draft.evidence.length + 1));
      if ('reason' in saved) return { kind: 'invalid', ...saved };
      const record = saved.record;
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

/**
 * Checks a file a resident sent (type, size) and keeps the service's own
 * encrypted copy. Shared by every flow that accepts evidence.
 */
export async function saveEvidence(
  store: EvidenceStore,
  limits: Limits,
  input: Extract<StepInput, { kind: 'media' }>,
  /** What the desk's copy is called after: "evidence-<label>.<ext>" (the file's number in its tip). */
  label: string,
): Promise<{ record: EvidenceRecord } | { reason: string; vars?: Record<string, string | number> }> {
  const { media } = input;
  if (!CLAIMED_MIME.some((pattern) => pattern.test(media.mime))) return { reason: 'errors.unsupported_media' };
  const maxMb = Math.floor(limits.maxEvidenceBytes / (1024 * 1024));
  if (media.size !== null && media.size > limits.maxEvidenceBytes) return { reason: 'tip.evidence.too_large', vars: { max: maxMb } };
  let bytes: Buffer;
  try {
    bytes = await media.fetch();
  } catch {
    return { reason: 'tip.evidence.download_failed' };
  }
  if (bytes.length > limits.maxEvidenceBytes) return { reason: 'tip.evidence.too_large', vars: { max: maxMb } };
  // The bytes say what the file is: a program renamed .jpg, or an error page served instead of a photo, is refused.
  const type = await evidenceTypeOf(bytes, media.kind);
  if (!type) return { reason: 'errors.unsupported_media' };
  // Desks see "evidence-<n>.<ext>": the name a resident's phone gave a file can name them.
  const fileName = (ext: string) => `evidence-${label}.${ext}`;
  if (type.kind !== 'photo') {
    const platform = media.platformFileId ? { channel: input.address.channel, fileId: media.platformFileId } : null;
    return { record: await store.save(bytes, { kind: type.kind, mime: type.mime, fileName: fileName(type.ext), platform }) };
  }
  // A photo reaches desks re-encoded without its metadata, never as the platform's copy (which may keep it);
  // the untouched original is kept apart for the chain of custody.
  const cleaned = await cleanPhoto(bytes, type.mime);
  if (!cleaned) return { reason: 'tip.evidence.photo_unreadable' };
  const original = await store.save(bytes, { kind: 'photo', mime: type.mime, fileName: null, platform: null });
  const record = await store.save(cleaned.bytes, { kind: 'photo', mime: cleaned.mime, fileName: fileName(cleaned.ext), platform: null });
  return { record: { ...record, original: { id: original.id, sha256: original.sha256, size: original.size, mime: original.mime } } };
}
