import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { ChannelName } from '../../core/chat';
import type { Language } from '../../core/language';

/** An officer desk: a chat (Telegram group or private chat, or a web chat) that receives tips. */
export interface DeskDoc {
  _id: string;
  channel: ChannelName;
  chatId: string;
  /** The unit whose tips this desk receives and may act on. */
  unitId: string;
  /** In a forum group: the topic (message_thread_id) each category's cards go to. */
  topics: Record<string, string>;
  title: string | null;
  /** The language its cards, reminders and notices are written in (/ngonngu in the desk chat); Vietnamese when unset. */
  lang?: Language;
  registeredAt: Date;
  /** A web chat desk: when its officer last wrote or pressed a button (its session locks after WEBCHAT_DESK_IDLE_MINUTES without). */
  webSeenAt?: Date | null;
}

const schema = new Schema<DeskDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    unitId: { type: String, required: true },
    topics: { type: Schema.Types.Mixed, default: {} },
    title: { type: String, default: null },
    lang: { type: String, default: null },
    registeredAt: { type: Date, required: true },
    webSeenAt: { type: Date, default: null },
  },
  { versionKey: false, autoIndex: false, collection: 'desks', minimize: false },
);
// Keeps one desk per chat. (Every instance keeps all desks in memory, DeskService: no query reads this collection but by a full load.)
schema.index({ channel: 1, chatId: 1 }, { unique: true });

export function deskModel(connection: Connection): Model<DeskDoc> {
  return registerModel<DeskDoc>(connection, 'Desk', schema);
}
