import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import { VIETNAM_TZ } from './shared/vietnam-time';

/**
 * A scheduled job: a plain use case that records what it did in the
 * database and never throws out of a tick. node-cron runs it in Vietnam time,
 * never two of the same job at once in one instance, and, given a run
 * coordinator, on one instance of the cluster per fire time.
 */
export interface Job {
  name: string;
  /** A node-cron expression (five fields, or six with seconds first), in Vietnam time. */
  schedule: string;
  run(): Promise<unknown>;
}

/** Every job's schedule, in one place. */
export const SCHEDULES = {
  /** Turns the fire times of the past minute into campaign runs (CampaignScheduler.tick). */
  campaignScheduler: '* * * * *',
  /** Drops drafts idle longer than CONVERSATION_TTL_HOURS, with their files. */
  idleConversationSweep: '*/15 * * * *',
  /** Retries notices to reporters that could not be delivered. */
  reporterNoticeRetries: '*/30 * * * * *',
  /** Completes officers' changes whose writer stopped between the change and its audit entry, notice or cards (ReportChanges). */
  reportChangeSweep: '*/30 * * * * *',
  /** Reminds desks of deadlines near or past. */
  deadlineReminders: '*/10 * * * *',
  /** While DATA_ENCRYPTION_PREVIOUS_KEYS is set: re-encrypts what the previous keys made with the current one (key-rotation.ts). */
  keyRotation: '7 * * * *',
  /** Prunes the idempotency ledgers and detaches reporters past the retention period, at night. */
  housekeeping: '17 3 * * *',
  /** Flags self-management models without activity for MODEL_DORMANT_WEEKS as "hoạt động cầm chừng", for their unit to review. */
  modelDormancy: '47 2 * * *',
  /** Handles Zalo events recorded but not handled (a crash between the 200 and the handling). A scan of zalo_events on FerretDB v1 (named exception). */
  zaloEventRecovery: '*/30 * * * * *',
} as const;

/**
 * Starts the jobs; `stop` waits for none of them to be running. With a
 * `coordinator` (storage/job-run-coordinator.ts), each fire time of each job
 * runs on the one instance the coordinator elects.
 */
export function startJobs(jobs: Job[], coordinator?: RunCoordinator): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, () => job.run(), { timezone: VIETNAM_TZ, name: job.name, noOverlap: true, distributed: Boolean(coordinator), runCoordinator: coordinator }),
  );
  return {
    stop: async () => {
      for (const task of tasks) await task.stop();
    },
  };
}
