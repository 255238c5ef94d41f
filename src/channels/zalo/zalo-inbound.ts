import { z } from 'zod';
import type { EvidenceKind } from '../../core/report';
import type { InboundEvent } from '../../core/chat';

const id = z.union([z.string(), z.number()]).transform(String);

/** The parts of a Zalo webhook event the bot reads; everything else is ignored. */
export const zaloEventSchema = z.object({
  event_name: z.string().max(64),
  app_id: id.optional(),
  timestamp: id,
  sender: z.object({ id }).optional(),
  follower: z.object({ id }).optional(),
  /** In a group's events (Group Message Framework): the group the message was written in. */
  recipient: z.object({ id: id.optional(), group_id: id.optional() }).optional(),
  user_id_by_app: id.optional(),
  message: z
    .object({
      msg_id: id.optional(),
      text: z.string().max(20_000).optional(),
      attachments: z
        .array(
          z.object({
            type: z.string(),
            payload: z
              .object({
                url: z.string().url().optional(),
                name: z.string().optional(),
                size: z.union([z.string(), z.number()]).optional(),
                type: z.string().optional(),
                coordinates: z.object({ latitude: z.union([z.string(), z.number()]), longitude: z.union([z.string(), z.number()]) }).optional(),
              })
              .passthrough()
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type ZaloEvent = z.infer<typeof zaloEventSchema>;

/** A Zalo group as a chat: its id, marked apart from users' ids (both are digit strings). */
export function zaloGroupChatId(groupId: string): string {
  return `group:${groupId}`;
}

/** The group id of a chat that is a Zalo group, or null for a user's chat. */
export function zaloGroupIdOf(chatId: string): string | null {
  return chatId.startsWith('group:') ? chatId.slice('group:'.length) : null;
}

/** Events that carry nothing for the bot: its own messages echoed back, read and delivery receipts. */
const IGNORED = /^(oa_send_|user_seen_message|user_received_message|user_reacted_message|oa_reacted_message)/;

/** The ledger key of an event: a message by its id, a follow by who and when. Null when it needs no handling. */
export function zaloEventKey(event: ZaloEvent): string | null {
  if (IGNORED.test(event.event_name)) return null;
  if (event.message?.msg_id) return `zalo:${event.message.msg_id}`;
  const who = event.follower?.id ?? event.sender?.id ?? event.user_id_by_app;
  return who ? `zalo:${event.event_name}:${who}:${event.timestamp}` : null;
}

const MEDIA: Record<string, { kind: EvidenceKind; mime: string }> = {
  image: { kind: 'photo', mime: 'image/jpeg' },
  gif: { kind: 'photo', mime: 'image/gif' },
  audio: { kind: 'voice', mime: 'audio/aac' },
  video: { kind: 'video', mime: 'video/mp4' },
  file: { kind: 'document', mime: 'application/octet-stream' },
};

const FILE_TYPES: Record<string, string> = { pdf: 'application/pdf', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', jpg: 'image/jpeg', png: 'image/png', mp4: 'video/mp4' };

/**
 * A Zalo event as a channel-neutral event, or null for one the bot ignores.
 * A button's `oa.query.hide` payload comes back as text and becomes a button
 * press again; a follow greets the new follower like /start.
 */
export function toInboundEvent(event: ZaloEvent, download: (url: string) => Promise<Buffer>): InboundEvent | null {
  const key = zaloEventKey(event);
  if (!key) return null;
  const userId = event.event_name === 'follow' ? event.follower?.id : event.sender?.id;
  if (!userId) return null;
  const base = { key, address: { channel: 'zalo' as const, chatId: userId }, isGroup: false, senderId: userId, senderName: null };
  const message = event.message;

  // Written in a Zalo group the OA was added to: a group chat (commands such as /nhom; a tip is refused there, as in any group).
  if (event.event_name === 'user_send_group_text') {
    const groupId = event.recipient?.group_id;
    if (!groupId) return null;
    const group = { ...base, address: { channel: 'zalo' as const, chatId: zaloGroupChatId(groupId) }, isGroup: true };
    return typedBy(group, message?.text ?? '');
  }

  switch (event.event_name) {
    case 'follow':
      return { ...base, kind: 'command', command: 'start', args: '' };
    case 'user_send_text':
    case 'anonymous_send_text': {
      const text = message?.text ?? '';
      if (/^[sgd]:\S+$/.test(text)) return { ...base, kind: 'button', payload: text };
      return typedBy(base, text);
    }
    case 'user_send_location': {
      const coordinates = message?.attachments?.[0]?.payload?.coordinates;
      const lat = Number(coordinates?.latitude);
      const lon = Number(coordinates?.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return { ...base, kind: 'unsupported', what: 'other' };
      return { ...base, kind: 'location', lat, lon };
    }
    case 'user_send_sticker':
      return { ...base, kind: 'unsupported', what: 'sticker' };
    case 'user_send_image':
    case 'user_send_gif':
    case 'user_send_audio':
    case 'user_send_video':
    case 'user_send_file': {
      const attachment = message?.attachments?.[0];
      const url = attachment?.payload?.url;
      const media = MEDIA[attachment?.type ?? ''];
      if (!url || !media) return { ...base, kind: 'unsupported', what: 'other' };
      const fileType = attachment?.payload?.type?.toLowerCase() ?? '';
      const size = Number(attachment?.payload?.size);
      return {
        ...base,
        kind: 'media',
        media: {
          kind: media.kind,
          mime: FILE_TYPES[fileType] ?? media.mime,
          size: Number.isFinite(size) && size > 0 ? size : null,
          fileName: attachment?.payload?.name ?? null,
          platformFileId: null,
          // Zalo's file URLs expire: the evidence step downloads and keeps the bytes.
          fetch: () => download(url),
        },
        // Zalo carries the text typed with a photo in `message.text`.
        ...(message?.text ? { caption: message.text } : {}),
      };
    }
    default:
      return null;
  }
}

/** Typed text: a command ("/nhom MH-7K3M9Q") or plain text. */
function typedBy(base: Omit<InboundEvent, 'kind'>, text: string): InboundEvent {
  const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
  return command ? { ...base, kind: 'command', command: command[1], args: command[2] } : { ...base, kind: 'text', text };
}
