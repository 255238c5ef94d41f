import type { EvidenceKind } from './report';

/** The channels a conversation can run on. */
export type ChannelName = 'telegram' | 'webchat' | 'zalo';

export interface ChatAddress {
  channel: ChannelName;
  chatId: string;
}

export interface InboundMedia {
  kind: EvidenceKind;
  mime: string;
  /** Known before download on most platforms, so oversized files are refused without fetching them. */
  size: number | null;
  fileName: string | null;
  /** The platform's reusable handle (Telegram file_id), or null. */
  platformFileId: string | null;
  fetch(): Promise<Buffer>;
}

interface EventBase {
  /** Unique per platform event ("telegram:update:123"): the key of the processed-once ledger. */
  key: string;
  address: ChatAddress;
  /** True for group chats, where resident flows are refused to protect reporters. */
  isGroup: boolean;
  /** The forum topic it was written in (Telegram message_thread_id), if any: replies go back there. */
  threadId?: string;
  /** The platform id of the person who sent it (an officer acting in a desk group); never stored for residents. */
  senderId: string | null;
  senderName: string | null;
}

/** A message from a chat, stripped of everything channel-specific. */
export type InboundEvent = EventBase &
  (
    | { kind: 'text'; text: string }
    | { kind: 'command'; command: string; args: string }
    | { kind: 'button'; payload: string }
    | { kind: 'location'; lat: number; lon: number }
    | { kind: 'contact'; phone: string; name: string | null; isOwn: boolean }
    /** `caption`: the text sent with the file (a campaign message written as a photo's caption). */
    | { kind: 'media'; media: InboundMedia; caption?: string }
    | { kind: 'unsupported'; what: 'sticker' | 'other' }
  );

export interface Button {
  label: string;
  payload: string;
}

export interface OutboundAttachment {
  kind: EvidenceKind;
  mime: string;
  fileName: string | null;
  evidenceId: string;
  platform: { channel: string; fileId: string } | null;
  /** Made for this message (an export, a chart), not a stored evidence file: a channel that links to files keeps its own copy. */
  generated?: boolean;
  load(): Promise<Buffer>;
}

/** What the bot says, for a channel adapter to render in its own way. */
export interface OutboundMessage {
  text: string;
  /** Rows of choice buttons (Telegram inline keyboard, web chat buttons). */
  buttons?: Button[][];
  /**
   * Ask for the person's phone number: Telegram's contact button (with the
   * alternative as a second button), a phone field in the web chat; on Zalo
   * only the alternative, as a button.
   */
  requestContact?: { label: string; alternative?: string };
  /**
   * Offer to send where the person is, where the channel can ask for it
   * beside the step's buttons: the web chat's button that reads the
   * browser's location. Telegram's location button lives in a reply
   * keyboard, which cannot sit beside inline buttons, and Zalo has none:
   * there the prompt says where the platform's own button is.
   */
  requestLocation?: { label: string };
  /** A button that opens a web address (Telegram's URL button: a private chat with the bot that starts with a code); elsewhere the text alone says what to do. */
  link?: { label: string; url: string };
  /** Remove a reply keyboard shown earlier. */
  removeKeyboard?: boolean;
  /** A map pin shown after the text. */
  location?: { lat: number; lon: number };
  /** A picture the text is the caption of (a campaign message): one message where the platform allows it. */
  image?: OutboundAttachment;
  /** Files shown after the text (evidence copied into a desk chat). */
  attachments?: OutboundAttachment[];
  /** Platform id of an earlier message this one answers (keeps a tip's thread together in a desk chat). */
  replyTo?: string;
  /** The forum topic to post in (a desk group with one topic per category). */
  threadId?: string;
  /** A campaign broadcast: never held for later (Zalo's window); a send the rules forbid fails instead. */
  broadcast?: boolean;
  /** A broadcast sent as the platform's promotion message (Zalo's tin truyền thông, for followers outside the 7-day window). */
  promotion?: boolean;
}
