import { foldVietnamese } from './text';
import { parseVietnamDateTime, startOfVietnamDay, vietnamDate, vietnamFields, vietnamInstant } from './vietnam-time';

const DAY_MS = 86_400_000;

/** A span of Vietnam days: from midnight of the first to midnight after the last. */
export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** The reporting periods officers ask for by name (kỳ báo cáo). */
export type NamedPeriod = 'this_month' | 'last_month' | 'six_months' | 'this_year' | 'custom';

/** Words for each named period, compared without diacritics or spaces ("tháng trước", "thangtruoc", "last month"). */
const PERIOD_WORDS: Partial<Record<string, Exclude<NamedPeriod, 'custom'>>> = {
  thangnay: 'this_month',
  thismonth: 'this_month',
  month: 'this_month',
  thangtruoc: 'last_month',
  lastmonth: 'last_month',
  '6thang': 'six_months',
  sauthang: 'six_months',
  soket: 'six_months',
  '6months': 'six_months',
  halfyear: 'six_months',
  namnay: 'this_year',
  thisyear: 'this_year',
  year: 'this_year',
  nam: 'this_year',
};

/**
 * "[từ] [đến]" as dd/mm/yyyy; by default from the first of the current month
 * (Vietnam time) to the end of today. The end day is included.
 */
export function parsePeriod(args: string, now: Date): Period | null {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length > 2) return null;
  const days = words.map((w) => parseVietnamDateTime(w, now));
  if (days.some((d) => d === null || d.hasTime || d.rest !== '')) return null;
  const { year, month } = vietnamDate(now);
  const from = days[0] ? startOfVietnamDay(days[0].at) : vietnamInstant(year, month, 1);
  if (!from) return null;
  const to = days[1] ? new Date(startOfVietnamDay(days[1].at).getTime() + DAY_MS) : new Date(startOfVietnamDay(now).getTime() + DAY_MS);
  return from < to ? { from, to } : null;
}

/**
 * A statistics period as officers say it: "tháng này" (the default), "tháng
 * trước", "6 tháng" / "sơ kết" (the six calendar months ending with this one,
 * so asked in June it is the first half of the year), "năm nay", or two dates
 * "01/01/2026 30/06/2026" (also written "01/01/2026-30/06/2026" or with
 * "từ … đến …"). Whole Vietnam days; named periods run to their natural end,
 * so a period still under way keeps its label and its figures stop at "now".
 */
export function parseStatsPeriod(text: string, now: Date): { kind: NamedPeriod; period: Period } | null {
  const folded = foldVietnamese(text).replace(/\b(tu|den|from|to)\b/g, ' ').replace(/(\d)\s*[-–]\s*(\d)/g, '$1 $2').trim();
  const { year, month } = vietnamDate(now);
  const monthStart = (y: number, m: number): Date => {
    const normalized = new Date(Date.UTC(y, m - 1, 1));
    return vietnamInstant(normalized.getUTCFullYear(), normalized.getUTCMonth() + 1, 1) as Date;
  };
  const named = folded === '' ? 'this_month' : PERIOD_WORDS[folded.replace(/\s+/g, '')];
  switch (named) {
    case 'this_month':
      return { kind: named, period: { from: monthStart(year, month), to: monthStart(year, month + 1) } };
    case 'last_month':
      return { kind: named, period: { from: monthStart(year, month - 1), to: monthStart(year, month) } };
    case 'six_months':
      return { kind: named, period: { from: monthStart(year, month - 5), to: monthStart(year, month + 1) } };
    case 'this_year':
      return { kind: named, period: { from: monthStart(year, 1), to: monthStart(year + 1, 1) } };
  }
  const words = folded.split(/\s+/);
  if (words.length !== 2) return null;
  const period = parsePeriod(words.join(' '), now);
  return period ? { kind: 'custom', period } : null;
}

/** The Vietnam calendar day as people read it ("05/11/2026"), or as a compact stamp ("20261105") with no separator. */
export function dayLabel(date: Date, separator = '/'): string {
  const { year, month, day } = vietnamDate(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return separator ? `${pad(day)}${separator}${pad(month)}${separator}${year}` : `${year}${pad(month)}${pad(day)}`;
}

/** The last day a period covers (its end is exclusive). */
export function lastDayOf(period: Period): Date {
  return new Date(period.to.getTime() - 1);
}

/** Midnight (Vietnam time) of the Monday that starts the week of `date`. */
export function startOfVietnamWeek(date: Date): Date {
  const day = startOfVietnamDay(date);
  const sinceMonday = (vietnamFields(day).weekday + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}
