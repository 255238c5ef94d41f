import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import { cleanText } from '../../../shared/text';
import { type Step, type StepContext, type StepInput, type StepOutcome } from '../../flow';
import { matchOption, type ChoiceOption } from '../../steps/choice-step';
import type { CampaignFlowDraft, CampaignMessageDraft } from './campaign-draft';
import type { EvidenceRecord } from '../../../core/report';
import { stepPayload } from '../../../core/payloads';

const ID = 'message';
export const CAMPAIGN_TEXT = { min: 10, max: 1000 };
/** Zalo takes pictures of at most 1 MB (JPG or PNG); Telegram's photos are well under that. */
export const CAMPAIGN_IMAGE_MAX_BYTES = 1024 * 1024;
const PICTURE_TYPES: { mime: string; magic: number[] }[] = [
  { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47] },
];

type Ctx = StepContext<CampaignFlowDraft>;

/**
 * One campaign message: a text, or a picture with the text as its caption
 * (sent as a Telegram photo with that caption, typed under the photo, or
 * the photo first and its text next). Editing offers to keep the message
 * the campaign has at this place, picture included.
 */
export function campaignMessageStep(store: Pick<EvidenceStore, 'save'>): Step<CampaignFlowDraft> {
  const kept = (ctx: Ctx): CampaignMessageDraft | undefined => ctx.draft.editing?.messages[ctx.draft.messages.length];
  const options = (ctx: Ctx): ChoiceOption[] => (kept(ctx) ? [{ value: 'keep', label: ctx.t('campaign.keep'), aliases: ['giu nguyen', 'keep'] }] : []);
  return {
    id: ID,
    prompt: (ctx) => {
      const current = kept(ctx);
      const now = current ? `\n\n${ctx.t('campaign.current_message', { text: current.text })}${current.image ? `\n${ctx.t('campaign.current_has_image')}` : ''}` : '';
      const waiting = ctx.draft.pendingImage ? `\n\n${ctx.t('campaign.image_waiting')}` : '';
      const buttons = options(ctx).map((o) => [{ label: o.label, payload: stepPayload(ID, o.value) }]);
      return { text: ctx.t('campaign.ask.message', { n: ctx.draft.messages.length + 1 }) + now + waiting, buttons: buttons.length > 0 ? buttons : undefined };
    },
    handle: async (ctx, input) => {
      const current = kept(ctx);
      if (input.kind === 'choice' && input.value === 'keep' && current) return add(ctx, current);
      if (input.kind === 'text') {
        if (current && matchOption(options(ctx), input.text)) return add(ctx, current);
        const text = messageText(input.text);
        return 'reason' in text ? { kind: 'invalid', ...text } : add(ctx, { text: text.ok, image: ctx.draft.pendingImage ?? null });
      }
      if (input.kind === 'unsupported') return { kind: 'invalid', reason: 'campaign.image_kind' };
      if (input.kind !== 'media') return { kind: 'invalid', reason: 'campaign.text_or_image' };

      const saved = await saveCampaignImage(store, input);
      if ('reason' in saved) return { kind: 'invalid', ...saved };
      // A picture sent again replaces the one waiting for its text; the older file goes when the flow ends.
      const discarded = ctx.draft.pendingImage ? [...(ctx.draft.discardedImages ?? []), ctx.draft.pendingImage.id] : ctx.draft.discardedImages;
      const draft = { ...ctx.draft, pendingImage: null, discardedImages: discarded };
      if (input.caption) {
        const text = messageText(input.caption);
        if ('ok' in text) return add({ ...ctx, draft }, { text: text.ok, image: saved.record });
        return { kind: 'stay', draft: { ...draft, pendingImage: saved.record }, say: [{ text: `${ctx.t(text.reason, text.vars)}\n${ctx.t('campaign.image_needs_text')}` }] };
      }
      return { kind: 'stay', draft: { ...draft, pendingImage: saved.record }, say: [{ text: ctx.t('campaign.image_received') }] };
    },
  };
}

/** The message is taken; a picture still waiting for a text it does not carry is dropped with the flow. */
function add(ctx: Ctx, message: CampaignMessageDraft): StepOutcome<CampaignFlowDraft> {
  const pending = ctx.draft.pendingImage;
  const discardedImages = pending && message.image?.id !== pending.id ? [...(ctx.draft.discardedImages ?? []), pending.id] : ctx.draft.discardedImages;
  return { kind: 'advance', draft: { ...ctx.draft, messages: [...ctx.draft.messages, message], pendingImage: null, discardedImages } };
}

function messageText(typed: string): { ok: string } | { reason: string; vars: Record<string, number> } {
  const text = cleanText(typed);
  if (text.length < CAMPAIGN_TEXT.min) return { reason: 'errors.text_too_short', vars: { min: CAMPAIGN_TEXT.min } };
  if (text.length > CAMPAIGN_TEXT.max) return { reason: 'errors.text_too_long', vars: { max: CAMPAIGN_TEXT.max, length: text.length } };
  return { ok: text };
}

/**
 * A campaign picture: a photo, or a JPG or PNG sent as a file, of at most
 * 1 MB, whose bytes are what it claims to be. Kept in the evidence store
 * (encrypted, like every file); a Telegram photo keeps its file_id so the
 * broadcast sends it without uploading it again.
 */
async function saveCampaignImage(
  store: Pick<EvidenceStore, 'save'>,
  input: Extract<StepInput, { kind: 'media' }>,
): Promise<{ record: EvidenceRecord } | { reason: string; vars?: Record<string, number> }> {
  const { media } = input;
  const tooLarge = { reason: 'campaign.image_too_large', vars: { max: CAMPAIGN_IMAGE_MAX_BYTES / (1024 * 1024) } };
  if (media.kind !== 'photo' && !(media.kind === 'document' && PICTURE_TYPES.some((p) => p.mime === media.mime))) return { reason: 'campaign.image_kind' };
  if (media.size !== null && media.size > CAMPAIGN_IMAGE_MAX_BYTES) return tooLarge;
  let bytes: Buffer;
  try {
    bytes = await media.fetch();
  } catch {
    return { reason: 'tip.evidence.download_failed' };
  }
  if (bytes.length > CAMPAIGN_IMAGE_MAX_BYTES) return tooLarge;
  const type = PICTURE_TYPES.find((p) => p.magic.every((byte, i) => bytes[i] === byte));
  if (!type) return { reason: 'campaign.image_kind' };
  const platform = media.kind === 'photo' && media.platformFileId ? { channel: input.address.channel, fileId: media.platformFileId } : null;
  return { record: await store.save(bytes, { kind: 'photo', mime: type.mime, fileName: media.fileName, platform }) };
}
