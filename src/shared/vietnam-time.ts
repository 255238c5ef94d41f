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
