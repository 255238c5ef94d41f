import { holdersAt, median } from '../../src/domain/stats/report-tally';
import { parseStatsPeriod, startOfVietnamWeek } from '../../src/shared/vietnam-period';

/** Midnight in Vietnam on a day, as the UTC instant it is (17:00 the day before). */
const vnMidnight = (day: string) => new Date(new Date(`${day}T00:00:00Z`).getTime() - 7 * 3_600_000);

describe('statistics periods, as officers name them, in Vietnam days', () => {
  // 05:00 on 1 January 2027 in Vietnam is still 31 December 2026 in UTC.
  const newYear = new Date('2026-12-31T22:00:00Z');

  it('reads this month, last month, six months and this year across a year boundary, with or without diacritics', () => {
    expect(parseStatsPeriod('', newYear)).toEqual({ kind: 'this_month', period: { from: vnMidnight('2027-01-01'), to: vnMidnight('2027-02-01') } });
    expect(parseStatsPeriod('tháng trước', newYear)).toEqual({ kind: 'last_month', period: { from: vnMidnight('2026-12-01'), to: vnMidnight('2027-01-01') } });
    expect(parseStatsPeriod('THANGTRUOC', newYear)?.period.from).toEqual(vnMidnight('2026-12-01'));
    expect(parseStatsPeriod('last month', newYear)?.kind).toBe('last_month');
    expect(parseStatsPeriod('sơ kết', newYear)).toEqual({ kind: 'six_months', period: { from: vnMidnight('2026-08-01'), to: vnMidnight('2027-02-01') } });
    expect(parseStatsPeriod('6 tháng', new Date('2026-06-20T03:00:00Z'))?.period).toEqual({ from: vnMidnight('2026-01-01'), to: vnMidnight('2026-07-01') });
    expect(parseStatsPeriod('năm nay', newYear)?.period).toEqual({ from: vnMidnight('2027-01-01'), to: vnMidnight('2028-01-01') });
  });

  it('reads a from–to range in any of the ways people write it, the end day included', () => {
    const now = new Date('2026-12-02T03:00:00Z');
    const firstHalf = { kind: 'custom', period: { from: vnMidnight('2026-01-01'), to: vnMidnight('2026-07-01') } };
    expect(parseStatsPeriod('01/01/2026 30/06/2026', now)).toEqual(firstHalf);
    expect(parseStatsPeriod('01/01/2026-30/06/2026', now)).toEqual(firstHalf);
    expect(parseStatsPeriod('từ 01/01/2026 đến 30/06/2026', now)).toEqual(firstHalf);
    expect(parseStatsPeriod('from 1/1/2026 to 30/6/2026', now)).toEqual(firstHalf);
  });

  it('refuses what is not a period rather than guessing', () => {
    const now = new Date('2026-12-02T03:00:00Z');
    for (const text of ['30/06/2026', '30/06/2026 01/01/2026', '31/02/2026 01/03/2026', 'hôm qua', '{"$gt": ""}', '01/01/2026 02/01/2026 03/01/2026']) {
      expect(parseStatsPeriod(text, now)).toBeNull();
    }
  });

  it('starts weeks on Monday, Vietnam time', () => {
    // Sunday 1 November 2026, 00:30 in Vietnam (31 October in UTC) belongs to the week of Monday 26 October.
    expect(startOfVietnamWeek(new Date('2026-10-31T17:30:00Z'))).toEqual(vnMidnight('2026-10-26'));
    expect(startOfVietnamWeek(vnMidnight('2026-11-02'))).toEqual(vnMidnight('2026-11-02'));
  });
});

describe('figures taken from a report’s history', () => {
  it('finds who held a report at an instant by undoing later forwards', () => {
    const forwards = [
      { fromUnitId: 'cap-p4', toUnitId: 'cap-p9', at: new Date('2026-11-10T00:00:00Z') },
      { fromUnitId: 'cap-p9', toUnitId: 'q3-drugs', at: new Date('2026-11-20T00:00:00Z') },
    ].map((f) => ({ ...f, reason: '', by: '' }));
    const report = { unitIds: ['q3-duty', 'q3-drugs'], forwards };
    expect(holdersAt(report, new Date('2026-11-25T00:00:00Z')).sort()).toEqual(['q3-drugs', 'q3-duty']);
    expect(holdersAt(report, new Date('2026-11-15T00:00:00Z')).sort()).toEqual(['cap-p9', 'q3-duty']);
    expect(holdersAt(report, new Date('2026-11-01T00:00:00Z')).sort()).toEqual(['cap-p4', 'q3-duty']);
  });

  it('takes the median of odd and even counts, to a tenth, and none of nothing', () => {
    expect(median([6, 1, 2, 4, 2])).toBe(2);
    expect(median([48, 100])).toBe(74);
    expect(median([1, 2.25])).toBe(1.63);
    // Minutes stay minutes: 5 and 7 minutes.
    expect(median([5 / 60, 7 / 60])).toBe(0.1);
    expect(median([2 / 60])).toBe(0.03);
    expect(median([])).toBeNull();
  });
});
