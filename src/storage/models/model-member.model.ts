import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A resident who came to the bot through a model's link: counted under that
 * model, and their tips carry it. `_id` is the chat's pseudonym (as for
 * residents); the latest link they followed wins.
 */
export interface ModelMemberDoc {
  _id: string;
  modelId: string;
  joinedAt: Date;
}

const schema = new Schema<ModelMemberDoc>(
  {
    _id: { type: String, required: true },
    modelId: { type: String, required: true },
    joinedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'model_members' },
);
// Counting a model's residents (the review).
schema.index({ modelId: 1 });

export function modelMemberModel(connection: Connection): Model<ModelMemberDoc> {
  return registerModel<ModelMemberDoc>(connection, 'ModelMember', schema);
}
