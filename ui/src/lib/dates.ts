/** Calendar dates ('2026-05-01') as the core's reports take them. */

/** The two ends of a date range, as 'YYYY-MM-DD' (or '' while not chosen). */
export type DateRange = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** A local calendar day as 'YYYY-MM-DD'. */
export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today, in the person's time zone. */
export function today(now: Date = new Date()): string {
  return isoDay(now);
}

/** The first day of the month `months` before this one: the start of a '12 months to today' range. */
export function monthsAgoStart(months: number, now: Date = new Date()): string {
  return isoDay(new Date(now.getFullYear(), now.getMonth() - months, 1));
}

/** True for a real 'YYYY-MM-DD' date. */
export function isIsoDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The start of a local calendar day ('YYYY-MM-DD'), `days` later, as a UTC instant: the ends
 * of a date-range filter (`to` is the start of the day after the last one, exclusive).
 */
export function dayStart(day: string, days = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}
