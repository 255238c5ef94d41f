import { afterQuietHours, cronMatches, fireTimes, inQuietHours, parseCron, parseQuietHours } from '../../src/domain/campaigns/schedule';

describe('campaign schedules, in Vietnam time', () => {
  const quiet = { startMin: 21 * 60, endMin: 7 * 60 };

  it('reads cron expressions and matches them on Vietnam wall-clock time, not UTC', () => {
    const monday8 = parseCron('0 8 * * 1');
    expect(monday8).not.toBeNull();
    // Monday 30 November 2026, 08:00 in Vietnam = 01:00 UTC.
    expect(cronMatches(monday8!, new Date('2026-11-30T01:00:00Z'))).toBe(true);
    expect(cronMatches(monday8!, new Date('2026-11-30T08:00:00Z'))).toBe(false);
    // 08:00 UTC on Sunday 29 November is 15:00 in Vietnam; 01:00 UTC on Sunday is a Sunday in Vietnam too.
    expect(cronMatches(monday8!, new Date('2026-11-29T01:00:00Z'))).toBe(false);
    expect(parseCron('*/15 6-20 1,15 * *')).not.toBeNull();
    for (const bad of ['0 8 * *', '61 8 * * 1', '0 8 * * mon', '{"$gt": ""}']) expect(parseCron(bad)).toBeNull();
  });

  it('lists the fire times between two instants, and a one-off once', () => {
    const weekly = { schedule: { kind: 'cron' as const, expression: '0 8 * * 1', until: new Date('2026-12-31T00:00:00Z') } };
    const daily = { schedule: { kind: 'cron' as const, expression: '0 8 * * *', until: new Date('2026-12-31T00:00:00Z') } };
    expect(fireTimes(daily, new Date('2026-11-30T00:30:00Z'), new Date('2026-12-02T02:00:00Z'))).toEqual([new Date('2026-11-30T01:00:00Z'), new Date('2026-12-01T01:00:00Z'), new Date('2026-12-02T01:00:00Z')]);
    expect(fireTimes(daily, new Date('2026-11-30T00:30:00Z'), new Date('2026-12-31T02:00:00Z')).pop()).toEqual(new Date('2026-12-30T01:00:00Z'));
    // A scheduler that was down catches up at most a week: an old backlog is not sent all at once.
    expect(fireTimes(weekly, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-08T00:00:00Z'))).toEqual([new Date('2026-12-07T01:00:00Z')]);
    const once = { schedule: { kind: 'once' as const, at: new Date('2026-11-25T01:00:00Z') } };
    expect(fireTimes(once, new Date('2026-11-24T00:00:00Z'), new Date('2026-11-26T00:00:00Z'))).toHaveLength(1);
    expect(fireTimes(once, new Date('2026-11-25T01:00:00Z'), new Date('2026-11-26T00:00:00Z'))).toHaveLength(0);
  });

  it('keeps quiet hours across midnight and says when they end', () => {
    expect(inQuietHours(quiet, new Date('2026-11-30T14:30:00Z'))).toBe(true); // 21:30 in Vietnam
    expect(inQuietHours(quiet, new Date('2026-11-30T23:30:00Z'))).toBe(true); // 06:30
    expect(inQuietHours(quiet, new Date('2026-12-01T00:00:00Z'))).toBe(false); // 07:00
    expect(afterQuietHours(quiet, new Date('2026-11-30T15:30:00Z'))).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(afterQuietHours(null, new Date('2026-11-30T15:30:00Z'))).toEqual(new Date('2026-11-30T15:30:00Z'));
    expect(parseQuietHours('22:00-06:00')).toEqual({ startMin: 1320, endMin: 360 });
    expect(parseQuietHours('22h-6h')).toEqual({ startMin: 1320, endMin: 360 });
    expect(parseQuietHours('25:00-06:00')).toBeNull();
  });
});
