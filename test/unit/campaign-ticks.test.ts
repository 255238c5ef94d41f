import { SCHEDULES, startJobs } from '../../src/jobs';
import { fireTimes } from '../../src/domain/campaigns/schedule';
import type { CampaignDoc } from '../../src/storage/models/campaign.model';
import { parseVietnamDateTime } from '../../src/shared/vietnam-time';

/**
 * The scheduler's real node-cron job on jest's fake clock: each minute's
 * round turns the fire times since the previous round into runs, the way
 * CampaignScheduler.tick does, so a schedule written in Vietnam time fires
 * at the right instant in UTC, once.
 */
describe('campaign ticks on a fake clock', () => {
  afterEach(() => jest.useRealTimers());

  it('fires a weekly 08:00 Vietnam-time campaign and a one-off typed in Vietnam time at 01:00 UTC, once each', async () => {
    // Monday 30 November 2026, 07:57:30 in Vietnam.
    jest.useFakeTimers({ now: new Date('2026-11-30T00:57:30Z') });
    const weekly: Pick<CampaignDoc, 'schedule'> = { schedule: { kind: 'cron', expression: '0 8 * * 1', until: new Date('2026-12-31T16:59:59Z') } };
    const typed = parseVietnamDateTime('30/11/2026 08:00', new Date());
    const once: Pick<CampaignDoc, 'schedule'> = { schedule: { kind: 'once', at: typed?.at ?? new Date(0) } };
    const fired: string[] = [];
    const rounds: string[] = [];
    let last = new Date();
    const task = startJobs([{ name: 'campaign-scheduler', schedule: SCHEDULES.campaignScheduler, run: async () => {
      const now = new Date();
      rounds.push(now.toISOString());
      for (const [name, campaign] of [['weekly', weekly], ['once', once]] as const) for (const at of fireTimes(campaign, last, now)) fired.push(`${name} ${at.toISOString()}`);
      last = now;
    } }]);
    try {
      await jest.advanceTimersByTimeAsync(2 * 60_000);
      expect(fired).toEqual([]);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(fired).toEqual(['weekly 2026-11-30T01:00:00.000Z', 'once 2026-11-30T01:00:00.000Z']);
      // The next three hours fire nothing more.
      await jest.advanceTimersByTimeAsync(3 * 3_600_000);
      expect(fired).toHaveLength(2);
      // Rounds ran at the start of each minute.
      expect(rounds.slice(0, 3)).toEqual(['2026-11-30T00:58:00.000Z', '2026-11-30T00:59:00.000Z', '2026-11-30T01:00:00.000Z']);
    } finally {
      await task.stop();
    }
  });
});
