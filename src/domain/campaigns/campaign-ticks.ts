import cron, { type ScheduledTask } from 'node-cron';
import { VIETNAM_TZ } from '../../shared/vietnam-time';

/**
 * The scheduler's clock: a node-cron job at the start of every minute,
 * Vietnam time, never two rounds at once. Each round turns the fire times
 * since the previous one into runs (CampaignScheduler.tick).
 */
export function scheduleCampaignTicks(tick: () => Promise<unknown>): ScheduledTask {
  return cron.schedule('* * * * *', () => tick(), { timezone: VIETNAM_TZ, name: 'campaign-scheduler', noOverlap: true });
}
