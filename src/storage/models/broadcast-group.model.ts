import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/** A group chat registered by one of its admins to receive a ward's campaigns. `_id` is the chat's pseudonym. */
export interface BroadcastGroupDoc {
  _id: string;
  /** Encrypted ChatAddress of the group. */
  addressEnc: string;
  wardId: string;
  /** Platform user id of the admin who registered it; they may run campaigns for their own groups. */
  registeredBy: string;
  registeredAt: Date;
  /** Registered as a self-management model's group (/nhom <mã mô hình>): the model, and its kind for campaigns aimed at a kind. */
  modelId?: string | null;
  modelKind?: string | null;
}

const schema = new Schema<BroadcastGroupDoc>(
  {
    _id: { type: String, required: true },
    addressEnc: { type: String, required: true },
    wardId: { type: String, required: true },
    registeredBy: { type: String, required: true },
    registeredAt: { type: Date, required: true },
    modelId: { type: String, default: null },
    modelKind: { type: String, default: null },
  },
  { versionKey: false, autoIndex: false, collection: 'broadcast_groups' },
);
// Serves materializing a run's groups, and a group admin's own groups.
schema.index({ wardId: 1 });
schema.index({ registeredBy: 1 });

export function broadcastGroupModel(connection: Connection): Model<BroadcastGroupDoc> {
  return registerModel<BroadcastGroupDoc>(connection, 'BroadcastGroup', schema);
}
