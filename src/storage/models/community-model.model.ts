import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import type { CommunityModelDoc } from '../../core/community-model';

export type { CommunityModelDoc, CommunityModelStatus, ModelLeader } from '../../core/community-model';

const schema = new Schema<CommunityModelDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    unitId: { type: String, required: true },
    wardId: { type: String, required: true },
    area: { type: String, default: null },
    kind: { type: String, required: true },
    name: { type: String, required: true },
    households: { type: Number, default: null },
    members: { type: Number, default: null },
    leaders: { type: [new Schema({ key: String, addressEnc: String, name: { type: String, default: null }, since: Date }, { _id: false })], default: [] },
    invite: { type: new Schema({ hash: String, expiresAt: Date }, { _id: false }), default: null },
    status: { type: String, required: true },
    dissolved: { type: new Schema({ reason: String, at: Date, by: { type: String, default: null } }, { _id: false }), default: null },
    keptAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'community_models', minimize: false },
);
// A join link's code names one model.
schema.index({ code: 1 }, { unique: true });
// A unit's models (/mohinh, the review), and a leader's own.
schema.index({ unitId: 1 });
schema.index({ 'leaders.key': 1 });

export function communityModelModel(connection: Connection): Model<CommunityModelDoc> {
  return registerModel<CommunityModelDoc>(connection, 'CommunityModel', schema);
}
