import { startJobs } from '../../src/jobs';
import { openDatabase, type Database } from '../../src/storage/database';
import { JobRunCoordinator } from '../../src/storage/job-run-coordinator';
import { eventually, testDatabaseUri } from '../support/test-env';

/**
 * Three instances of the service run the same scheduled jobs on one
 * database. Each fire time of a job must run on one of them only.
 */
describe('scheduled jobs across instances', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('jobs_cluster'));
  });

  afterAll(() => db.close());

  it('runs each fire time of a job once across three instances, and records which instance ran it', async () => {
    const ranBy: { instance: string; at: number }[] = [];
    const instances = ['a', 'b', 'c'].map((name) => {
      const coordinator = new JobRunCoordinator(db.models.jobRuns, name);
      // Every second, so that a few fire times pass in the spec.
      return startJobs([{ name: 'sweep', schedule: '* * * * * *', run: async () => void ranBy.push({ instance: name, at: Date.now() }) }], coordinator);
    });

    await eventually('five fire times finished', async () => (await db.models.jobRuns.countDocuments({ job: 'sweep', finishedAt: { $exists: true } })) >= 5, 20_000);
    for (const instance of instances) await instance.stop();
    // Stopped: a fire time elected just before the stop may still be running; wait until every elected run has finished.
    await eventually('every elected run finished', async () => (await db.models.jobRuns.countDocuments({ job: 'sweep', finishedAt: { $exists: false } })) === 0);

    const runs = await db.models.jobRuns.find({ job: 'sweep' }).lean();
    expect(ranBy).toHaveLength(runs.length);
    expect(new Set(runs.map((run) => run._id)).size).toBe(runs.length);
    for (const run of runs) expect(['a', 'b', 'c']).toContain(run.instance);
    expect(runs.every((run) => /^sweep:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(run._id))).toBe(true);
  });

  it('elects nobody while the database is unreachable (node-cron then skips that fire time), and one instance per key otherwise', async () => {
    const coordinator = new JobRunCoordinator(db.models.jobRuns, 'x');
    const closed = await openDatabase(testDatabaseUri('jobs_closed'));
    const closedCoordinator = new JobRunCoordinator(closed.models.jobRuns, 'y');
    await closed.close();
    await expect(closedCoordinator.shouldRun('sweep:2026-12-03T03:00:00.000Z')).rejects.toThrow();
    expect(await coordinator.shouldRun('other:2026-12-03T03:00:00.000Z')).toBe(true);
    expect(await coordinator.shouldRun('other:2026-12-03T03:00:00.000Z')).toBe(false);
  });
});
