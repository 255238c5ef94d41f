import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';
import { JOB_RUNS_KEPT_MS, ttlSeconds } from '../retention-periods';

/**
 * One fire time of one scheduled job, run by one instance of the cluster:
 * `_id` is "<job>:<fire time, ISO>". Inserting it is the election: the
 * instance whose insert succeeds runs the job for that fire time, the others
 * skip it (JobRunCoordinator). `finishedAt` is set when the run ended.
 */
export interface JobRunDoc {
  _id: string;
  job: string;
  instance: string;
  at: Date;
  finishedAt?: Date;
}

const schema = new Schema<JobRunDoc>(
  {
    _id: { type: String, required: true },
    job: { type: String, required: true },
    instance: { type: String, required: true },
    at: { type: Date, required: true },
    finishedAt: { type: Date },
  },
  { versionKey: false, autoIndex: false, collection: 'job_runs' },
);
// MongoDB removes a run's record a day on (TTL). FerretDB v1 has no TTL indexes: there the retention sweep deletes them (retention.ts).
schema.index({ at: 1 }, { expireAfterSeconds: ttlSeconds(JOB_RUNS_KEPT_MS) });

export function jobRunModel(connection: Connection): Model<JobRunDoc> {
  return registerModel<JobRunDoc>(connection, 'JobRun', schema);
}
