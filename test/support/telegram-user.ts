import type { FakeTelegramServer } from './fake-telegram-server';

/**
 * A Telegram user in a private chat with the bot: produces the updates a real
 * client would send (text, button presses, photos, contacts, stickers).
 */
export class TelegramUser {
  private messageId = 500;

  /**
   * @param id the user's id (also the private chat's id)
   * @param group set for a member writing in a group chat (an officer in a desk group)
   */
  constructor(
    private readonly server: FakeTelegramServer,
    readonly id: number,
    readonly firstName = 'Lan',
    private readonly group: number | null = null,
  ) {}

  /** The chat the user writes in: their private chat, or the group. */
  get chatId(): number {
    return this.group ?? this.id;
  }

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.firstName, language_code: 'vi' };
  }

  private get chat() {
    return this.group === null ? { id: this.id, type: 'private', first_name: this.firstName } : { id: this.group, type: 'supergroup', title: 'Trực ban' };
  }

  private message(extra: Record<string, unknown>) {
    return { message: { message_id: this.messageId++, date: Math.floor(Date.now() / 1000), chat: this.chat, from: this.from, ...extra } };
  }

  /** A text message; a leading slash makes it a bot command, as Telegram marks it. `topic`: a forum topic's thread id. */
  text(text: string, topic?: number): number {
    const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }] : undefined;
    const thread = topic === undefined ? {} : { message_thread_id: topic, is_topic_message: true };
    return this.server.pushUpdate(this.message({ text, entities, ...thread }));
  }

  /** Presses the button with this label on the bot's latest message that has buttons. */
  press(label: string): number {
    const button = this.server.lastButtons(this.chatId).find((b) => b.text === label);
    if (!button) {
      throw new Error(`No button "${label}". Buttons now: ${this.server.lastButtons(this.chatId).map((b) => b.text).join(' | ')}`);
    }
    return this.pressData(button.callback_data);
  }

  /** Presses a button whose data is known; `topic`: the forum topic the message with the button is in. */
  pressData(data: string, topic?: number): number {
    const thread = topic === undefined ? {} : { message_thread_id: topic, is_topic_message: true };
    return this.server.pushUpdate({
      callback_query: {
        id: `cb${this.messageId++}`,
        from: this.from,
        chat_instance: 'ci',
        data,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: this.chat, from: { id: 123456, is_bot: true, first_name: 'bot' }, text: '…', ...thread },
      },
    });
  }

  /** A photo (Telegram sends several sizes; the largest is last), with the text typed under it if any. */
  photo(fileId: string, size: number, caption?: string): number {
    const photo = [{ file_id: `${fileId}-small`, file_unique_id: 's', width: 90, height: 90, file_size: 100 }, { file_id: fileId, file_unique_id: 'u', width: 800, height: 600, file_size: size }];
    return this.server.pushUpdate(this.message({ photo, ...(caption === undefined ? {} : { caption }) }));
  }

  document(fileId: string, mime: string, name: string, size: number, caption?: string): number {
    return this.server.pushUpdate(this.message({ document: { file_id: fileId, file_unique_id: fileId, file_name: name, mime_type: mime, file_size: size }, ...(caption === undefined ? {} : { caption }) }));
  }

  sticker(): number {
    return this.server.pushUpdate(this.message({ sticker: { file_id: 'st', file_unique_id: 'st', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }));
  }

  location(lat: number, lon: number): number {
    return this.server.pushUpdate(this.message({ location: { latitude: lat, longitude: lon } }));
  }

  contact(phone: string, ownContact = true): number {
    return this.server.pushUpdate(this.message({ contact: { phone_number: phone, first_name: this.firstName, user_id: ownContact ? this.id : this.id + 1 } }));
  }
}
