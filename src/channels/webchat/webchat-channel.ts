import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { insertOnce } from '../../storage/claims';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { WebchatFileDoc } from '../../storage/models/webchat-file.model';
import type { WebchatMessageDoc } from '../../storage/models/webchat-message.model';
import type { Channel } from '../channel';
import type { OutboundAttachment, OutboundMessage } from '../../core/chat';

/** A message as the web chat page renders it. */
export interface WebchatMessage {
  seq: number;
  text: string;
  buttons: { label: string; payload: string }[][];
  /** Buttons that send their label as typed text (the web form of Telegram's reply keyboard). */
  quickReplies: string[];
  location: { lat: number; lon: number } | null;
  /** A button that sends the browser's location (with the person's permission): its label. */
  askLocation?: string;
  /** A phone number field under the message (the web's form of Telegram's contact button). */
  phoneField?: boolean;
  attachments: { kind: string; mime: string; fileName: string | null; url: string }[];
  /** Set on what the resident sent (kept so a reload shows both sides): the page's id for it. */
  own?: string;
  /** Set on an edit: the number of the message it replaces in the page (a desk card whose status changed). */
  replaces?: number;
}

/**
 * The local web chat: the bot's messages are stored per chat (in MongoDB, so
 * a restart loses nothing) and the page fetches those after the last one it
 * has. Chats are keyed by a pseudonym of the browser's session id.
 */
export class WebchatChannel implements Channel {
  readonly name = 'webchat' as const;

  constructor(
    private readonly messages: Model<WebchatMessageDoc>,
    private readonly files: Model<WebchatFileDoc>,
    private readonly cipher: PiiCipher,
  ) {}

  chatKey(sessionId: string): string {
    return this.cipher.pseudonym(`webchat-transcript:${sessionId}`);
  }

  async send(chatId: string, message: OutboundMessage): Promise<string | null> {
    const chatKey = this.chatKey(chatId);
    const seq = await this.append(chatKey, randomUUID(), await this.render(chatKey, message));
    return seq === null ? null : String(seq);
  }

  /**
   * Replaces a message in place, as Telegram edits a desk card: the
   * transcript's copy changes (a reload shows the latest), and an entry
   * naming the replaced number tells an open page to swap it.
   */
  async edit(chatId: string, messageRef: string, message: OutboundMessage): Promise<void> {
    const chatKey = this.chatKey(chatId);
    const seq = Number(messageRef);
    if (!Number.isInteger(seq) || seq < 1) return;
    const body = await this.render(chatKey, message);
    await this.messages.updateOne({ chatKey, seq }, { $set: { body: this.cipher.encrypt(JSON.stringify(body)) } });
    await this.append(chatKey, randomUUID(), { ...body, replaces: seq });
  }

  private async render(chatKey: string, message: OutboundMessage): Promise<Omit<WebchatMessage, 'seq'>> {
    // A campaign's picture is this chat's own copy, like a generated file: the evidence route serves desks only.
    const files = [...(message.image ? [{ ...message.image, generated: true }] : []), ...(message.attachments ?? [])];
    const urls = await Promise.all(files.map((a) => (a.generated ? this.keepFile(chatKey, a) : `/api/webchat/evidence/${a.evidenceId}`)));
    return {
      text: message.text,
      buttons: message.buttons ?? [],
      quickReplies: message.requestContact?.alternative ? [message.requestContact.alternative] : [],
      location: message.location ?? null,
      ...(message.requestLocation ? { askLocation: message.requestLocation.label } : {}),
      ...(message.requestContact ? { phoneField: true } : {}),
      attachments: files.map((a, i) => ({ kind: a.kind, mime: a.mime, fileName: a.fileName, url: urls[i] })),
    };
  }

  /**
   * What the resident sent, kept in the transcript before it is handled, so
   * a reload shows both sides. Once per message id: the page sends a message
   * again with the same id when it got no answer.
   */
  async recordOwn(sessionId: string, id: string, text: string): Promise<void> {
    const chatKey = this.chatKey(sessionId);
    const body: Omit<WebchatMessage, 'seq'> = { text, buttons: [], quickReplies: [], location: null, attachments: [], own: id };
    await this.append(chatKey, `own:${this.cipher.pseudonym(`${sessionId}:${id}`)}`, body);
  }

  /** Appends a message with the chat's next number; a message whose `_id` is there already is not appended again. */
  private async append(chatKey: string, id: string, body: Omit<WebchatMessage, 'seq'>): Promise<number | null> {
    const bodyEnc = this.cipher.encrypt(JSON.stringify(body));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const last = await this.messages.findOne({ chatKey }, { seq: 1 }).sort({ seq: -1 }).lean();
      // Two sends to one chat may draw the same next number; the unique (chatKey, seq) index lets one through.
      const seq = (last?.seq ?? 0) + 1;
      if (await insertOnce(this.messages, { _id: id, chatKey, seq, body: bodyEnc, createdAt: new Date() })) return seq;
      // Taken: by this message's own earlier copy (nothing to append), or by another message's number (try the next one).
      if (await this.messages.exists({ _id: id })) return null;
    }
    throw new Error('Could not append to the web chat transcript');
  }

  async since(sessionId: string, after: number): Promise<WebchatMessage[]> {
    const docs = await this.messages.find({ chatKey: this.chatKey(sessionId), seq: { $gt: after } }).sort({ seq: 1 }).limit(100).lean();
    return docs.filter((doc) => doc.body !== '').map((doc) => ({ seq: doc.seq, ...(JSON.parse(this.cipher.decrypt(doc.body)) as Omit<WebchatMessage, 'seq'>) }));
  }

  /** A file made for this chat, for this chat's session only. */
  async file(sessionId: string, id: string): Promise<{ mime: string; fileName: string | null; data: Buffer } | null> {
    const doc = await this.files.findOne({ _id: id, chatKey: this.chatKey(sessionId) }).lean();
    return doc ? { mime: doc.mime, fileName: doc.fileName, data: Buffer.from(this.cipher.decrypt(doc.dataEnc), 'base64') } : null;
  }

  /**
   * /xoadulieu: the chat's messages and files go. A mark without content
   * keeps the last number, so what the bot says next comes after it and the
   * open page, which asks for messages after the last it has, still sees it.
   */
  async forgetChat(chatId: string): Promise<void> {
    const chatKey = this.chatKey(chatId);
    const last = await this.messages.findOne({ chatKey }, { seq: 1 }).sort({ seq: -1 }).lean();
    if (last) await insertOnce(this.messages, { _id: randomUUID(), chatKey, seq: last.seq + 1, body: '', createdAt: new Date() });
    await this.messages.deleteMany({ chatKey, body: { $ne: '' } });
    await this.files.deleteMany({ chatKey });
  }

  private async keepFile(chatKey: string, attachment: OutboundAttachment): Promise<string> {
    const id = randomUUID();
    const dataEnc = this.cipher.encrypt((await attachment.load()).toString('base64'));
    await this.files.create({ _id: id, chatKey, mime: attachment.mime, fileName: attachment.fileName, dataEnc, createdAt: new Date() });
    return `/api/webchat/files/${id}`;
  }
}
