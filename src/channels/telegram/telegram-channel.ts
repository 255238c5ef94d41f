import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { OutboundAttachment, OutboundMessage } from '../../conversation/events';
import { TelegramError } from 'telegraf';
import type { Channel, SendFailure } from '../channel';

/** Telegram's limit for one message's text. */
const MAX_TEXT = 4096;

/** Renders channel-neutral messages with the Bot API: inline keyboards for choices, a reply keyboard for sharing a phone number. */
export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;

  constructor(private readonly telegram: Telegram) {}

  async send(chatId: string, message: OutboundMessage): Promise<string | null> {
    const parts = splitText(message.text, MAX_TEXT);
    const topic = message.threadId ? { message_thread_id: Number(message.threadId) } : {};
    let ref: string | null = null;
    for (let i = 0; i < parts.length; i += 1) {
      const last = i === parts.length - 1;
      const reply = i === 0 && message.replyTo ? { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } } : {};
      const sent = await this.telegram.sendMessage(chatId, parts[i], last ? { ...topic, ...reply, reply_markup: markup(message) } : { ...topic, ...reply });
      if (last) ref = String(sent.message_id);
    }
    if (message.location) await this.telegram.sendLocation(chatId, message.location.lat, message.location.lon, topic);
    for (const attachment of message.attachments ?? []) await this.sendAttachment(chatId, attachment, topic);
    return ref;
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

function markup(message: OutboundMessage): InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | undefined {
  if (message.buttons && message.buttons.length > 0) {
    return { inline_keyboard: message.buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: b.payload }))) };
  }
  if (message.requestContact) {
    return {
      keyboard: [[{ text: message.requestContact.label, request_contact: true }], [{ text: message.requestContact.alternative }]],
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
