import type { ZaloMessage } from './zalo-client';
import type { OutboundMessage } from '../../core/chat';

/** Zalo's limit for one text message. */
export const ZALO_TEXT_LIMIT = 2000;
/** Zalo's limits for a promotion message's header and for one of its text elements. */
const PROMOTION_HEADER_LIMIT = 100;
const PROMOTION_TEXT_LIMIT = 1000;
/** Buttons one list template carries. */
const BUTTONS_PER_TEMPLATE = 5;
const TITLE_LIMIT = 100;
/** The title of a list template that only carries more buttons (its question is in the text or the list before it). */
export const CONTINUED = '…';

/**
 * Cuts a long text into pieces Zalo accepts, at a line break or a space
 * where there is one in the last fifth of the piece, never inside a word
 * otherwise; no character is lost or repeated.
 */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  let start = 0;
  while (chars.length - start > limit) {
    let end = start + limit;
    for (let i = end; i > start + limit * 0.8; i -= 1) {
      if (chars[i - 1] === '\n' || chars[i - 1] === ' ') {
        end = i;
        break;
      }
    }
    pieces.push(chars.slice(start, end).join(''));
    start = end;
  }
  pieces.push(chars.slice(start).join(''));
  return pieces.filter((p) => p.length > 0);
}

/**
 * A message as Zalo consultation messages, each said once. Without buttons:
 * the text (split when long). With buttons: a list template whose title is
 * the text's last line (the question) and whose `oa.query.hide` payloads come
 * back as text events the engine understands, after the rest of the text
 * (nothing before it when the whole text is that one short line); a further
 * template for buttons past five is titled "…". A contact request becomes a
 * button with its alternative (residents type their number on Zalo); a map
 * pin becomes a link. A picture (uploaded, `imageAttachmentId`) comes first,
 * carrying the text as its caption when the text fits one message.
 */
export function renderForZalo(message: OutboundMessage, imageAttachmentId: string | null = null): ZaloMessage[] {
  const buttons = (message.buttons ?? []).flat().map((b) => ({ title: b.label.slice(0, TITLE_LIMIT), type: 'oa.query.hide', payload: b.payload }));
  const alternative = message.requestContact?.alternative;
  if (alternative) buttons.push({ title: alternative.slice(0, TITLE_LIMIT), type: 'oa.query.hide', payload: alternative });
  const lines = message.text.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  // The question becomes the list's title when it fits one; the text before it is sent as text.
  const titled = buttons.length > 0 && !imageAttachmentId && Array.from(last).length <= TITLE_LIMIT && last.trim() !== '';
  const text = titled ? lines.slice(0, -1).join('\n').trim() : message.text;
  const pieces = text ? splitText(text) : [];
  const out: ZaloMessage[] = [];
  if (imageAttachmentId) {
    // The picture with the text as its caption, in one message where the text fits.
    const media = { type: 'template' as const, payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: imageAttachmentId }] } };
    out.push(pieces.length === 1 ? { text: pieces.shift(), attachment: media } : { attachment: media });
  }
  out.push(...pieces.map((piece) => ({ text: piece })));
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_TEMPLATE) {
    const title = i === 0 && titled ? last.trim() : CONTINUED;
    out.push({ attachment: { type: 'template', payload: { template_type: 'list', elements: [{ title }], buttons: buttons.slice(i, i + BUTTONS_PER_TEMPLATE) } } });
  }
  if (message.location) out.push({ text: `📍 https://www.google.com/maps?q=${message.location.lat},${message.location.lon}` });
  return out;
}

/**
 * A message as one Zalo promotion message: the picture as its banner, the
 * first line as its header (cut to 100 characters), and the text after
 * that line (all of it, if the line was cut) as text elements of at most
 * 1,000 characters each.
 */
export function renderZaloPromotion(message: OutboundMessage, imageAttachmentId: string | null): ZaloMessage {
  const lines = message.text.trim().split('\n');
  const first = Array.from(lines[0] ?? '');
  const fits = first.length <= PROMOTION_HEADER_LIMIT;
  const header = fits ? first.join('') : `${first.slice(0, PROMOTION_HEADER_LIMIT - 1).join('')}…`;
  const body = (fits ? lines.slice(1).join('\n') : message.text).trim();
  const elements: Record<string, unknown>[] = [
    ...(imageAttachmentId ? [{ type: 'banner', attachment_id: imageAttachmentId }] : []),
    { type: 'header', content: header, align: 'left' },
    ...(body ? splitText(body, PROMOTION_TEXT_LIMIT).map((content) => ({ type: 'text', content, align: 'left' })) : []),
  ];
  return { attachment: { type: 'template', payload: { template_type: 'promotion', language: 'VI', elements } } };
}

/**
 * A message for a Zalo group: Zalo's group messages carry no buttons, so the
 * text goes alone (split at the limit); a picture goes first with the text
 * as its caption when it fits.
 */
export function renderForZaloGroup(message: OutboundMessage, imageAttachmentId: string | null): ZaloMessage[] {
  const pieces = splitText(message.text).filter((piece) => piece.trim() !== '');
  if (!imageAttachmentId) return pieces.map((text) => ({ text }));
  const [caption, ...rest] = pieces;
  return [{ text: caption ?? '', attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: imageAttachmentId }] } } }, ...rest.map((text) => ({ text }))];
}
