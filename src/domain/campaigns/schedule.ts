import { vietnamFields } from '../../shared/vietnam-time';
import type { CampaignDoc } from '../../storage/models/campaign.model';

const MINUTE_MS = 60_000;
/** How far back a scheduler that was down looks for missed fire times. */
const MAX_CATCH_UP_MINUTES = 7 * 24 * 60;

export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Standard cron: when both day fields are restricted, either matching is enough. */
  dayOr: boolean;
}

/**
 * Parses a five-field cron expression ("0 8 * * 1" = 08:00 every Monday),
 * read in Vietnam time: lists, ranges, steps and "*"; weekday 0 or 7 is
 * Sunday. Null when it is not one.
 */
export function parseCron(expression: string): CronSpec | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const sets = fields.map((field, i) => parseField(field, ranges[i][0], ranges[i][1]));
  if (sets.some((s) => s === null)) return null;
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  if (weekdays.has(7)) weekdays.add(0);
  return { minutes, hours, days, months, weekdays, dayOr: fields[2] !== '*' && fields[4] !== '*' };
}

function parseField(field: string, min: number, max: number): Set<number> | null {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return null;
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : from;
    const step = match[4] ? Number(match[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function cronMatches(spec: CronSpec, date: Date): boolean {
  const f = vietnamFields(date);
  if (!spec.minutes.has(f.minute) || !spec.hours.has(f.hour) || !spec.months.has(f.month)) return false;
  const day = spec.days.has(f.day);
  const weekday = spec.weekdays.has(f.weekday);
  return spec.dayOr ? day || weekday : day && weekday;
}

/** Fire times of a campaign after `from` and up to `to` (whole minutes), oldest first. */
export function fireTimes(campaign: Pick<CampaignDoc, 'schedule'>, from: Date, to: Date): Date[] {
  const { schedule } = campaign;
  if (schedule.kind === 'once') {
    const at = new Date(schedule.at);
    return at > from && at <= to ? [at] : [];
  }
  const spec = parseCron(schedule.expression);
  if (!spec) return [];
  const end = Math.min(to.getTime(), new Date(schedule.until).getTime());
  let t = Math.floor(Math.max(from.getTime(), to.getTime() - MAX_CATCH_UP_MINUTES * MINUTE_MS) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const out: Date[] = [];
  for (; t <= end; t += MINUTE_MS) if (cronMatches(spec, new Date(t))) out.push(new Date(t));
  return out;
}

/** Minutes after midnight, Vietnam time. */
function minuteOfDay(date: Date): number {
  const f = vietnamFields(date);
  return f.hour * 60 + f.minute;
}

/** Zalo's rule for OA messages: none at night, 22:00–06:00 Vietnam time. */
export const ZALO_NIGHT = { startMin: 22 * 60, endMin: 6 * 60 };

/** True when `date` falls in the quiet hours (which may run past midnight, as 21:00–07:00 does). */
export function inQuietHours(quiet: CampaignDoc['quiet'], date: Date): boolean {
  if (!quiet) return false;
  const m = minuteOfDay(date);
  return quiet.startMin <= quiet.endMin ? m >= quiet.startMin && m < quiet.endMin : m >= quiet.startMin || m < quiet.endMin;
}

/** The first instant at or after `date` outside the quiet hours. */
export function afterQuietHours(quiet: CampaignDoc['quiet'], date: Date): Date {
  if (!quiet || !inQuietHours(quiet, date)) return date;
  const wait = (quiet.endMin - minuteOfDay(date) + 24 * 60) % (24 * 60);
  return new Date(Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS + wait * MINUTE_MS);
}

/** "21:00-07:00" → minutes; null when not a pair of times. */
export function parseQuietHours(text: string): { startMin: number; endMin: number } | null {
  const match = /^\s*(\d{1,2})[:h](\d{2})?\s*[-–đến]+\s*(\d{1,2})[:h](\d{2})?\s*$/i.exec(text);
  if (!match) return null;
  const start = Number(match[1]) * 60 + Number(match[2] ?? 0);
  const end = Number(match[3]) * 60 + Number(match[4] ?? 0);
  if (Number(match[1]) > 23 || Number(match[3]) > 23 || start === end) return null;
  return { startMin: start, endMin: end };
}
