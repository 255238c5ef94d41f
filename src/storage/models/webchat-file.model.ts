import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { WEBCHAT_FILES_KEPT_MS, ttlSeconds } from '../retention-periods';

/**
 * A file the bot made for one web chat message (a statistics export, the
 * mediation register, a chart), kept encrypted for that chat alone: the web
 * chat links to files instead of uploading them as Telegram and Zalo do.
 */
export interface WebchatFileDoc {
  _id: string;
  /** Pseudonym of the web chat session it was sent to; only that session may fetch it. */
  chatKey: string;
  mime: string;
  fileName: string | null;
  /** The bytes as base64, encrypted (exports can hold parties' names). */
  dataEnc: string;
  createdAt: Date;
}

const schema = new Schema<WebchatFileDoc>(
  {
    _id: { type: String, required: true },
    chatKey: { type: String, required: true },
    mime: { type: String, required: true },
    fileName: { type: String, default: null },
    dataEnc: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'webchat_files' },
);
// Serves /xoadulieu in the web chat: every file of one chat.
schema.index({ chatKey: 1 });

// MongoDB removes entries past their period itself (TTL); FerretDB v1 has no TTL indexes, and there the retention sweep does (retention.ts).
schema.index({ createdAt: 1 }, { expireAfterSeconds: ttlSeconds(WEBCHAT_FILES_KEPT_MS) });

export function webchatFileModel(connection: Connection): Model<WebchatFileDoc> {
  return registerModel<WebchatFileDoc>(connection, 'WebchatFile', schema);
}
