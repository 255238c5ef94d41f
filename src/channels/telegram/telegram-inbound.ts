import { z } from 'zod';
import { moduleLogger } from '../../shared/logger';
import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { InboundEvent, InboundMedia } from '../../core/chat';

/**
 * Translates a Telegram update into a channel-neutral event, or null for
 * updates the bot does not act on (edits, membership changes, …).
 */
const log = moduleLogger('telegram');

const chatId = z.union([z.number().int(), z.string().regex(/^-?\d{1,20}$/)]);
const chat = z.object({ id: chatId, type: z.string() });
const user = z.object({ id: chatId });
/** The fields of an update this service reads, with the types it reads them as (other fields pass). */
const messageShape = z.object({
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  contact: z.object({ phone_number: z.string(), user_id: z.number().int().optional() }).optional(),
  message_thread_id: z.number().int().optional(),
});
const updateShape = z.object({
  update_id: z.number().int(),
  message: messageShape.optional(),
  callback_query: z.object({ from: user, data: z.string().optional(), message: z.object({ chat }).optional() }).optional(),
});

export function telegramUpdateToEvent(update: Update, telegram: Telegram): InboundEvent | null {
  const key = `telegram:${update.update_id}`;
  // The type above is what Telegram promises; what arrives is checked, so a forged or broken update is dropped once, never retried forever.
  const shape = updateShape.safeParse(update);
  if (!shape.success) {
    log.warn({ update: update.update_id, problem: shape.error.issues[0]?.path.join('.') }, 'malformed Telegram update ignored');
    return null;
  }

  if ('callback_query' in update) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (!chat || !('data' in query) || typeof query.data !== 'string') return null;
    return {
      key,
      address: { channel: 'telegram', chatId: String(chat.id) },
      isGroup: chat.type !== 'private',
      threadId: query.message && 'message_thread_id' in query.message && query.message.message_thread_id ? String(query.message.message_thread_id) : undefined,
      senderId: String(query.from.id),
      senderName: displayName(query.from),
      kind: 'button',
      payload: query.data,
    };
  }

  if (!('message' in update)) return null;
  const message = update.message;
  const base = {
    key,
    address: { channel: 'telegram' as const, chatId: String(message.chat.id) },
    isGroup: message.chat.type !== 'private',
    threadId: 'is_topic_message' in message && message.is_topic_message && message.message_thread_id ? String(message.message_thread_id) : undefined,
    senderId: 'from' in message && message.from ? String(message.from.id) : null,
    senderName: 'from' in message && message.from ? displayName(message.from) : null,
  };

  if ('text' in message) {
    const command = /^\/([\p{L}\p{N}_]{1,64})(?:@[\w]+)?(?:\s+([\s\S]*))?$/u.exec(message.text);
    if (command) return { ...base, kind: 'command', command: command[1], args: (command[2] ?? '').trim() };
    return { ...base, kind: 'text', text: message.text };
  }
  if ('location' in message) return { ...base, kind: 'location', lat: message.location.latitude, lon: message.location.longitude };
  if ('contact' in message) {
    const { contact } = message;
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ') || null;
    return { ...base, kind: 'contact', phone: contact.phone_number, name, isOwn: contact.user_id !== undefined && contact.user_id === message.from?.id };
  }
  if ('sticker' in message) return { ...base, kind: 'unsupported', what: 'sticker' };

  const media = mediaOf(message, telegram);
  const caption = 'caption' in message && message.caption ? { caption: message.caption } : {};
  if (media) return { ...base, kind: 'media', media, ...caption };
  return { ...base, kind: 'unsupported', what: 'other' };
}

type AnyMessage = Extract<Update, { message: unknown }>['message'];

function mediaOf(message: AnyMessage, telegram: Telegram): InboundMedia | null {
  const make = (kind: InboundMedia['kind'], fileId: string, mime: string, size: number | undefined, fileName: string | null): InboundMedia => ({
    kind,
    mime,
    size: size ?? null,
    fileName,
    platformFileId: fileId,
    fetch: () => download(telegram, fileId),
  });
  if ('photo' in message) {
    const largest = message.photo[message.photo.length - 1];
    return make('photo', largest.file_id, 'image/jpeg', largest.file_size, null);
  }
  if ('video' in message) return make('video', message.video.file_id, message.video.mime_type ?? 'video/mp4', message.video.file_size, message.video.file_name ?? null);
  if ('video_note' in message) return make('video', message.video_note.file_id, 'video/mp4', message.video_note.file_size, null);
  if ('voice' in message) return make('voice', message.voice.file_id, message.voice.mime_type ?? 'audio/ogg', message.voice.file_size, null);
  if ('audio' in message) return make('audio', message.audio.file_id, message.audio.mime_type ?? 'audio/mpeg', message.audio.file_size, message.audio.file_name ?? null);
  if ('document' in message) {
    const doc = message.document;
    return make('document', doc.file_id, doc.mime_type ?? 'application/octet-stream', doc.file_size, doc.file_name ?? null);
  }
  return null;
}

/** Downloads a file through the Bot API (file links expire; the evidence store keeps our own copy). */
async function download(telegram: Telegram, fileId: string): Promise<Buffer> {
  const link = await telegram.getFileLink(fileId);
  const response = await fetch(link, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`File download failed with HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

function displayName(user: { first_name: string; last_name?: string }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}
