import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * One version of one resident chat's conversation state. States are never
 * updated in place: moving a conversation on inserts version n+1, and the
 * unique `_id` ("<key>#<n+1>") lets exactly one writer win, on MongoDB and on
 * FerretDB alike (FerretDB's updates are read-modify-write, so a
 * version-filtered update is not a safe compare-and-set there).
 *
 * `key` is the pseudonym of "<channel>:<chatId>", so no raw chat id is
 * stored, and the draft (what the resident typed) is one encrypted blob.
 */
export interface ConversationStateDoc {
  _id: string;
  key: string;
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
  createdAt: Date;
}

const schema = new Schema<ConversationStateDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
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
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'conversation_states' },
);
// Serves loading the latest state of a chat (highest version) and pruning older ones.
schema.index({ key: 1, version: -1 });
// Serves the inactivity sweep: latest states with a flow, created before a cut-off.
schema.index({ flow: 1, createdAt: 1 });

export function conversationStateModel(connection: Connection): Model<ConversationStateDoc> {
  return registerModel<ConversationStateDoc>(connection, 'ConversationState', schema);
}
