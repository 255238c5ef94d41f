/** Vietnam has one time zone and no daylight saving; every date a person reads is shown in it. */
export const VIETNAM_TZ = 'Asia/Ho_Chi_Minh';

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatVietnamTime(date: Date, lang: string): string {
  const locale = lang === 'en' ? 'en-GB' : 'vi-VN';
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone: VIETNAM_TZ,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formatters.set(locale, formatter);
  }
  return formatter.format(date);
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** Midnight (Vietnam time) that starts the Vietnam day of `date`, as an instant. */
export function startOfVietnamDay(date: Date): Date {
  const local = date.getTime() + VIETNAM_OFFSET_MS;
  return new Date(local - (local % 86_400_000) - VIETNAM_OFFSET_MS);
}

/** The instant of a wall-clock time in Vietnam. Month is 1–12. */
export function vietnamInstant(year: number, month: number, day: number, hour = 0, minute = 0): Date | null {
  const utc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  return new Date(utc - VIETNAM_OFFSET_MS);
}

/** Wall-clock fields of an instant in Vietnam (month 1–12, weekday 0 = Sunday). */
export function vietnamFields(date: Date): { minute: number; hour: number; day: number; month: number; weekday: number } {
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return { minute: local.getUTCMinutes(), hour: local.getUTCHours(), day: local.getUTCDate(), month: local.getUTCMonth() + 1, weekday: local.getUTCDay() };
}

/** The Vietnam calendar date of an instant: year, month (1–12), day. */
export function vietnamDate(date: Date): { year: number; month: number; day: number } {
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/**
 * Reads a date as people in Vietnam write it: "25/11/2026", "25-11", "25/11"
 * (this year), optionally followed by a time "19:00", "19h", "19h30". Returns
 * the instant and what follows it (a place, say); null when there is no date.
 */
export function parseVietnamDateTime(text: string, now: Date): { at: Date; hasTime: boolean; rest: string } | null {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?(?:\s*(?:,|lúc|luc|at)?\s*(\d{1,2})(?:[:h](\d{2})?)?(?!\d))?/i.exec(text);
  if (!match) return null;
  const year = match[3] ? Number(match[3]) : vietnamDate(now).year;
  const hasTime = match[4] !== undefined;
  const at = vietnamInstant(year, Number(match[2]), Number(match[1]), hasTime ? Number(match[4]) : 0, match[5] ? Number(match[5]) : 0);
  if (!at) return null;
  return { at, hasTime, rest: text.slice(match[0].length).replace(/^[\s,;:-]+/, '').trim() };
}
