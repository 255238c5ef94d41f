import type { Model } from 'mongoose';
import { moduleLogger } from '../shared/logger';
import { insertOnce } from './claims';
import type { JobRunDoc } from './models/job-run.model';

const log = moduleLogger('jobs');

/**
 * Elects, for each fire time of each scheduled job, the one instance of the
 * cluster that runs it (node-cron's run coordinator). node-cron names the fire
 * time in its key ("<job>:<fire time, ISO>"); every instance fires at the
 * same time and tries to insert that key, and the unique `_id` lets one
 * insert succeed. An instance that cannot reach the database skips the fire
 * time (node-cron fails closed); the next fire time is elected again, so a
 * job whose elected instance died mid-run is run again by the next one.
 */
export class JobRunCoordinator {
  constructor(
    private readonly runs: Model<JobRunDoc>,
    readonly instance: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async shouldRun(key: string): Promise<boolean> {
    const job = key.slice(0, key.indexOf(':'));
    const elected = await insertOnce(this.runs, { _id: key, job, instance: this.instance, at: this.clock() });
    if (elected) log.debug({ key }, 'this instance runs the job');
    return elected;
  }

  async onComplete(key: string): Promise<void> {
    await this.runs.updateOne({ _id: key }, { $set: { finishedAt: this.clock() } });
  }
}
