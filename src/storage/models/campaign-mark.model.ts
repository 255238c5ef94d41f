import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * The scheduler's progress through a campaign's fire times: those up to
 * `through` have been turned into runs, counting from the campaign's
 * `scheduledThrough` equal to `from` (an edit moves that, and the mark no
 * longer applies). `_id` is the campaign id.
 */
export interface CampaignMarkDoc {
  _id: string;
  from: Date;
  through: Date;
}

const schema = new Schema<CampaignMarkDoc>(
  { _id: { type: String, required: true }, from: { type: Date, required: true }, through: { type: Date, required: true } },
  { versionKey: false, autoIndex: false, collection: 'campaign_marks' },
);

export function campaignMarkModel(connection: Connection): Model<CampaignMarkDoc> {
  return registerModel<CampaignMarkDoc>(connection, 'CampaignMark', schema);
}
