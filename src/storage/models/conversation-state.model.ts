import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * The latest state of one chat's conversation, under `_id` = the chat's key
 * (the pseudonym of "<channel>:<chatId>", so no raw chat id is stored), read
 * and written by `_id` only. Which turn may write version n is decided before
 * (a claim in `inbox`, see conversation-state-store), so the write itself is
 * a plain replace. The draft (what the resident typed) is one encrypted blob.
 *
 * Before this layout each version was its own document ("<key>#<n>", with a
 * `key` field); migrateVersionedStates turns those into heads once.
 */
export interface ConversationStateDoc {
  _id: string;
  /** Only on documents of the older layout, before migration. */
  key?: string;
  version: number;
  /** Version of the flow definitions that wrote this state; other versions are dropped politely. */
  flowVersion: number;
  flow: string | null;
  step: string | null;
  draftEnc: string | null;
  lang: string;
  /** A flow the resident asked for before consenting; started once they consent. */
  pendingFlow: string | null;
  /** Key of the inbound event that produced this version: a redelivered event is never applied twice. */
  eventKey: string | null;
  /** Set when a draft was dropped for inactivity; the next message says so. */
  expiredFlow: string | null;
  /** What the bot answered to `eventKey`, encrypted, resent verbatim if that event is redelivered. */
  repliesEnc: string | null;
  /** The case this chat filed last (flow and receipt code), encrypted. */
  filedEnc?: string | null;
  createdAt: Date;
}

const schema = new Schema<ConversationStateDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String },
    version: { type: Number, required: true },
    flowVersion: { type: Number, required: true },
    flow: { type: String, default: null },
    step: { type: String, default: null },
    draftEnc: { type: String, default: null },
    lang: { type: String, required: true },
    pendingFlow: { type: String, default: null },
    eventKey: { type: String, default: null },
    expiredFlow: { type: String, default: null },
    repliesEnc: { type: String, default: null },
    filedEnc: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'conversation_states' },
);
// Serves the inactivity sweep: latest states with a flow, created before a cut-off.
schema.index({ flow: 1, createdAt: 1 });

export function conversationStateModel(connection: Connection): Model<ConversationStateDoc> {
  return registerModel<ConversationStateDoc>(connection, 'ConversationState', schema);
}
