import { TelegramError, type Telegram } from 'telegraf';
import type { InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { Channel } from '../channel';
import type { OutboundAttachment, OutboundMessage } from '../../core/chat';
import type { SendFailure } from '../../core/send-failure';

/** Telegram's limits for one message's text and for a picture's caption. */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** How many uploaded pictures' file_ids are remembered (the campaigns being sent). */
const FILE_IDS_KEPT = 256;
/** A file_id this bot cannot use (made by another bot token, or of another file type). */
const STALE_FILE_ID = /file identifier|file_id|type of file mismatch/i;

/** Renders channel-neutral messages with the Bot API: inline keyboards for choices, a reply keyboard for sharing a phone number. */
export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;

  /** file_ids Telegram gave our uploads, by evidence id; uploads under way; file_ids Telegram refused. */
  private readonly uploaded = new Map<string, string>();
  private readonly uploading = new Map<string, Promise<void>>();
  private readonly refused = new Set<string>();

  constructor(
    private readonly telegram: Telegram,
    /** The bot's username, once Telegram told it (getMe at start): the private chat's address. */
    private readonly username: () => string | null = () => null,
  ) {}

  /** t.me/<bot>?start=<payload>: opens the private chat with the bot and sends /start <payload>. */
  startLink(payload: string): string | null {
    const username = this.username();
    return username ? `https://t.me/${username}?start=${encodeURIComponent(payload)}` : null;
  }

  async send(chatId: string, message: OutboundMessage): Promise<string | null> {
    const topic = message.threadId ? { message_thread_id: Number(message.threadId) } : {};
    const reply = message.replyTo ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {};
    let ref: string | null = null;
    let text = message.text;
    if (message.image) {
      // One message where the text fits as the picture's caption; a longer text follows the picture.
      const captioned = text.length <= MAX_CAPTION;
      const sent = await this.sendPicture(chatId, message.image, captioned ? { ...topic, ...reply, caption: text, reply_markup: markup(message) } : { ...topic, ...reply });
      if (captioned) {
        ref = String(sent.message_id);
        text = '';
      }
    }
    const parts = text ? splitText(text, MAX_TEXT) : [];
    for (let i = 0; i < parts.length; i += 1) {
      const last = i === parts.length - 1;
      const first = i === 0 && !message.image ? reply : {};
      const sent = await this.telegram.sendMessage(chatId, parts[i], last ? { ...topic, ...first, reply_markup: markup(message) } : { ...topic, ...first });
      if (last) ref = String(sent.message_id);
    }
    if (message.location) await this.telegram.sendLocation(chatId, message.location.lat, message.location.lon, topic);
    for (const attachment of message.attachments ?? []) await this.sendAttachment(chatId, attachment, topic);
    return ref;
  }

  /**
   * Sends a picture by a file_id when one is known (the author's own photo,
   * or the id Telegram gave our first upload of it), so a campaign to
   * 100,000 people uploads its picture at most once, not 100,000 times:
   * sends that need it while it is being uploaded wait for that upload. A
   * file_id Telegram refuses (made under another bot token) is not used
   * again; our own copy is uploaded instead.
   */
  private async sendPicture(chatId: string, image: OutboundAttachment, extra: PhotoExtra): Promise<Message.PhotoMessage> {
    for (;;) {
      const known = this.fileIdOf(image);
      if (known) {
        try {
          return await this.telegram.sendPhoto(chatId, known, extra);
        } catch (error) {
          if (!(error instanceof TelegramError && error.code === 400 && STALE_FILE_ID.test(error.description))) throw error;
          this.refused.add(known);
          if (this.uploaded.get(image.evidenceId) === known) this.uploaded.delete(image.evidenceId);
          continue;
        }
      }
      const inFlight = this.uploading.get(image.evidenceId);
      if (!inFlight) return this.upload(chatId, image, extra);
      // Another send is uploading it: use the file_id it gets (or upload here if that send failed).
      await inFlight;
    }
  }

  private fileIdOf(image: OutboundAttachment): string | undefined {
    const own = image.platform?.channel === 'telegram' && image.kind === 'photo' ? image.platform.fileId : undefined;
    const id = this.uploaded.get(image.evidenceId) ?? own;
    return id && !this.refused.has(id) ? id : undefined;
  }

  private async upload(chatId: string, image: OutboundAttachment, extra: PhotoExtra): Promise<Message.PhotoMessage> {
    const sending = (async () => {
      const sent = await this.telegram.sendPhoto(chatId, { source: await image.load(), filename: image.fileName ?? `${image.evidenceId}${extension(image.mime)}` }, extra);
      const largest = sent.photo?.[sent.photo.length - 1]?.file_id;
      if (largest) {
        this.uploaded.set(image.evidenceId, largest);
        if (this.uploaded.size > FILE_IDS_KEPT) this.uploaded.delete(this.uploaded.keys().next().value as string);
      }
      return sent;
    })();
    this.uploading.set(image.evidenceId, sending.then(() => undefined, () => undefined));
    try {
      return await sending;
    } finally {
      this.uploading.delete(image.evidenceId);
    }
  }

  /** 429 carries retry_after; 403 means blocked, kicked or deactivated; other 4xx will not succeed on retry. */
  classifyError(error: unknown): SendFailure {
    if (!(error instanceof TelegramError)) return { kind: 'transient' };
    if (error.code === 429) return { kind: 'rate_limited', retryAfterMs: Math.max(1, error.response.parameters?.retry_after ?? 1) * 1000 };
    if (error.code === 403) return { kind: 'blocked' };
    if (error.code === 400 && /chat not found|user is deactivated|bot was kicked|not enough rights|need administrator/i.test(error.description)) return { kind: 'blocked' };
    return error.code >= 400 && error.code < 500 ? { kind: 'permanent' } : { kind: 'transient' };
  }

  async isChatAdmin(chatId: string, userId: string): Promise<boolean> {
    const member = await this.telegram.getChatMember(chatId, Number(userId));
    return member.status === 'creator' || member.status === 'administrator';
  }

  async edit(chatId: string, messageRef: string, message: OutboundMessage): Promise<void> {
    const text = splitText(message.text, MAX_TEXT)[0];
    const replyMarkup = message.buttons && message.buttons.length > 0 ? markup(message) : { inline_keyboard: [] };
    await this.telegram.editMessageText(chatId, Number(messageRef), undefined, text, { reply_markup: replyMarkup as InlineKeyboardMarkup });
  }

  private async sendAttachment(chatId: string, attachment: OutboundAttachment, topic: { message_thread_id?: number }): Promise<void> {
    const file =
      attachment.platform?.channel === 'telegram'
        ? attachment.platform.fileId
        : { source: await attachment.load(), filename: attachment.fileName ?? `${attachment.evidenceId}${extension(attachment.mime)}` };
    switch (attachment.kind) {
      case 'photo':
        await this.telegram.sendPhoto(chatId, file, topic);
        return;
      case 'video':
        await this.telegram.sendVideo(chatId, file, topic);
        return;
      case 'voice':
        await this.telegram.sendVoice(chatId, file, topic);
        return;
      case 'audio':
        await this.telegram.sendAudio(chatId, file, topic);
        return;
      case 'document':
        await this.telegram.sendDocument(chatId, file, topic);
        return;
    }
  }
}

type PhotoExtra = Parameters<Telegram['sendPhoto']>[2];

function markup(message: OutboundMessage): InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | undefined {
  const link = message.link ? [[{ text: message.link.label, url: message.link.url }]] : [];
  if ((message.buttons && message.buttons.length > 0) || link.length > 0) {
    return { inline_keyboard: [...(message.buttons ?? []).map((row) => row.map((b) => ({ text: b.label, callback_data: b.payload }))), ...link] };
  }
  if (message.requestContact) {
    return {
      keyboard: [[{ text: message.requestContact.label, request_contact: true }], ...(message.requestContact.alternative ? [[{ text: message.requestContact.alternative }]] : [])],
      one_time_keyboard: true,
      resize_keyboard: true,
    };
  }
  if (message.removeKeyboard) return { remove_keyboard: true };
  return undefined;
}

/** Splits on line breaks where possible so no part exceeds the platform limit. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}

function extension(mime: string): string {
  const known: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'video/mp4': '.mp4', 'audio/ogg': '.ogg', 'application/pdf': '.pdf' };
  return known[mime] ?? '';
}
