import { describe, expect, it } from 'vitest';
import {
  currencyDigits,
  formatBasisPoints,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatRelative,
  formatTime,
  parseIso,
  parseMoney,
} from './format';

const en = { locale: 'en-US' };
// Intl separates some parts with no-break spaces; compare with plain ones.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney(123456, 'USD', en)).toBe('$1,234.56');
    expect(formatMoney(5, 'USD', en)).toBe('$0.05');
    expect(formatMoney(0, 'USD', en)).toBe('$0.00');
    expect(formatMoney(100, 'usd', en)).toBe('$1.00');
  });

  it('knows each currency’s minor digits', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(formatMoney(500, 'JPY', en)).toBe('¥500');
    expect(plain(formatMoney(1234, 'KWD', en))).toBe('KWD 1.234');
    expect(formatMoney(123456, 'CAD', en)).toBe('CA$1,234.56');
  });

  it('formats negatives, including amounts under one unit', () => {
    expect(formatMoney(-123456, 'USD', en)).toBe('-$1,234.56');
    expect(formatMoney(-5, 'USD', en)).toBe('-$0.05');
    expect(formatMoney(-1234, 'USD', { ...en, accounting: true })).toBe('($12.34)');
  });

  it('shows signs for deltas', () => {
    expect(formatMoney(50, 'USD', { ...en, signDisplay: 'always' })).toBe('+$0.50');
    expect(formatMoney(-50, 'USD', { ...en, signDisplay: 'exceptZero' })).toBe('-$0.50');
    expect(formatMoney(50, 'USD', { ...en, signDisplay: 'exceptZero' })).toBe('+$0.50');
    expect(formatMoney(0, 'USD', { ...en, signDisplay: 'exceptZero' })).toBe('$0.00');
  });

  it('is exact up to 2^53 minor units, where floats are not', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', en)).toBe('$90,071,992,547,409.91');
    expect(plain(formatMoney(-Number.MAX_SAFE_INTEGER, 'KWD', en))).toBe('-KWD 9,007,199,254,740.991');
    expect(formatMoney(2n ** 63n - 1n, 'USD', en)).toBe('$92,233,720,368,547,758.07');
    // Dividing by 100 as a float gets this one wrong (…409.91).
    expect((9007199254740990 / 100).toFixed(2)).toBe('90071992547409.91');
    expect(formatMoney(9007199254740990, 'USD', en)).toBe('$90,071,992,547,409.90');
  });

  it('follows the locale', () => {
    expect(plain(formatMoney(123456, 'EUR', { locale: 'de-DE' }))).toBe('1.234,56 €');
    expect(plain(formatMoney(-5, 'EUR', { locale: 'de-DE' }))).toBe('-0,05 €');
    expect(plain(formatMoney(123456, 'EUR', { locale: 'fr-FR' }))).toBe('1 234,56 €');
    expect(formatMoney(123456, 'EGP', { locale: 'ar-EG' })).toContain('١٬٢٣٤٫٥٦');
  });

  it('rejects amounts that are not integer minor units', () => {
    expect(() => formatMoney(12.5, 'USD')).toThrow(RangeError);
    expect(() => formatMoney(Number.MAX_SAFE_INTEGER + 1, 'USD')).toThrow(RangeError);
  });

  it('has a compact form for chart axes', () => {
    expect(formatMoneyCompact(123_456_789, 'USD', en)).toBe('$1.2M');
  });
});

describe('parseMoney', () => {
  it('reads typed amounts into minor units', () => {
    expect(parseMoney('1,234.5', 'USD', en)).toBe(123450);
    expect(parseMoney(' 12 ', 'USD', en)).toBe(1200);
    expect(parseMoney('.99', 'USD', en)).toBe(99);
    expect(parseMoney('-0.05', 'USD', en)).toBe(-5);
    expect(parseMoney('(3.00)', 'USD', en)).toBe(-300);
    expect(parseMoney('1.234,56', 'EUR', { locale: 'de-DE' })).toBe(123456);
    expect(parseMoney('1 234,56', 'EUR', { locale: 'fr-FR' })).toBe(123456);
    expect(parseMoney('500', 'JPY', en)).toBe(500);
  });

  it('refuses what is not an amount of that currency', () => {
    expect(parseMoney('1.234', 'USD', en)).toBeNull();
    expect(parseMoney('1.5', 'JPY', en)).toBeNull();
    expect(parseMoney('12abc', 'USD', en)).toBeNull();
    expect(parseMoney('', 'USD', en)).toBeNull();
    expect(parseMoney('99999999999999999', 'USD', en)).toBeNull();
  });
});

describe('dates', () => {
  const utc = { locale: 'en-US', timeZone: 'UTC' };

  it('parses the core’s microsecond UTC timestamps', () => {
    expect(parseIso('2026-05-01T10:00:00.123456Z')?.toISOString()).toBe('2026-05-01T10:00:00.123Z');
    expect(parseIso('2026-05-01T10:00:00+02:00')?.toISOString()).toBe('2026-05-01T08:00:00.000Z');
    expect(parseIso('2026-05-01T10:00:00')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(parseIso('yesterday')).toBeNull();
    expect(parseIso('2026-13-01T00:00:00Z')).toBeNull();
  });

  it('formats in the locale and time zone', () => {
    expect(formatDate('2026-05-01T10:00:00.000000Z', utc)).toBe('May 1, 2026');
    expect(plain(formatDateTime('2026-05-01T10:00:00.000000Z', utc))).toBe('May 1, 2026, 10:00 AM');
    expect(plain(formatTime('2026-05-01T10:00:00.000000Z', utc))).toBe('10:00 AM');
    expect(formatDateTime('2026-05-01T10:00:00.000000Z', { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe(
      '1 May 2026, 19:00',
    );
    // Late evening UTC is already the next day in Tokyo.
    expect(formatDate('2026-05-01T22:00:00Z', { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe(
      'May 2, 2026',
    );
  });

  it('never shifts a calendar date by the time zone', () => {
    expect(formatDate('2026-05-01', { locale: 'en-US', timeZone: 'America/Los_Angeles' })).toBe(
      'May 1, 2026',
    );
  });

  it('shows a dash for no value and the raw text for an unreadable one', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDate('soon')).toBe('soon');
  });

  it('formats relative time', () => {
    const now = Date.parse('2026-05-01T10:00:00Z');
    const rel = (iso: string) => formatRelative(iso, { locale: 'en-US', now });
    expect(rel('2026-05-01T09:59:58Z')).toBe('now');
    expect(rel('2026-05-01T09:59:30Z')).toBe('30 seconds ago');
    expect(rel('2026-05-01T09:55:00.000000Z')).toBe('5 minutes ago');
    expect(rel('2026-05-01T07:00:00Z')).toBe('3 hours ago');
    expect(rel('2026-04-30T10:00:00Z')).toBe('yesterday');
    expect(rel('2026-05-04T10:00:00Z')).toBe('in 3 days');
    expect(rel('2026-02-01T10:00:00Z')).toBe('3 months ago');
    expect(rel('2024-05-01T10:00:00Z')).toBe('2 years ago');
  });
});

describe('formatNumber', () => {
  it('groups digits', () => {
    expect(formatNumber(100000, en)).toBe('100,000');
  });
});

describe('formatBasisPoints', () => {
  it('shows basis points as a percentage with two decimals', () => {
    expect(formatBasisPoints(1234, en)).toBe('12.34%');
    expect(formatBasisPoints(1000, en)).toBe('10.00%');
    expect(formatBasisPoints(-50, en)).toBe('-0.50%');
    expect(formatBasisPoints(1, en)).toBe('0.01%');
    expect(plain(formatBasisPoints(1234, { locale: 'de-DE' }))).toBe('12,34 %');
  });
});
