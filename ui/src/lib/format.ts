/**
 * Display formatting. Money arrives from the core as integer minor units plus an ISO 4217
 * code; it is never turned into a float: the integer and fraction digits are split with
 * BigInt and only the display is localised. Timestamps arrive as ISO 8601 UTC strings
 * ('2026-05-01T10:00:00.000000Z') and are shown in the user's locale and time zone.
 *
 * `locale` defaults to the webview's (navigator.language); `timeZone` to the system's.
 */

export type LocaleOption = { locale?: string };

/** Shown for a missing value. */
export const EMPTY = '—';

// ---------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------

export type MoneyFormatOptions = LocaleOption & {
  /** 'always' for signed deltas (+€1.00 / −€1.00). Default 'auto' (negatives only). */
  signDisplay?: 'auto' | 'always' | 'exceptZero' | 'never';
  /** Default 'symbol' ($, CA$, €); 'code' (USD 1.00) is unambiguous in mixed-currency lists. */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  /** Negative amounts in parentheses, as in ledgers: ($1.00). */
  accounting?: boolean;
};

const formatters = new Map<string, Intl.NumberFormat>();

function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let nf = formatters.get(key);
  if (!nf) {
    nf = make();
    formatters.set(key, nf);
  }
  return nf;
}

/** Digits after the decimal point for a currency: USD 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  return (
    cached(
      `digits|${code}`,
      () => new Intl.NumberFormat('en', { style: 'currency', currency: code }),
    ).resolvedOptions().maximumFractionDigits ?? 2
  );
}

function moneyFormatter(currency: string, digits: number, options: MoneyFormatOptions): Intl.NumberFormat {
  const { locale, signDisplay = 'auto', currencyDisplay = 'symbol', accounting = false } = options;
  return cached(
    `money|${locale ?? ''}|${currency}|${signDisplay}|${currencyDisplay}|${accounting ? 1 : 0}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay,
        currencySign: accounting ? 'accounting' : 'standard',
        signDisplay,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  );
}

/** Maps ASCII digits to the locale's numbering system (e.g. Arabic-Indic digits). */
function localiseDigits(ascii: string, nf: Intl.NumberFormat): string {
  const { numberingSystem, locale } = nf.resolvedOptions();
  if (numberingSystem === 'latn') return ascii;
  const digitFormat = cached(
    `digits|${locale}|${numberingSystem}`,
    () => new Intl.NumberFormat(locale, { numberingSystem, useGrouping: false }),
  );
  return ascii.replace(/\d/g, (d) => digitFormat.format(Number(d)));
}

function toMinorBigInt(amountMinor: number | bigint): bigint {
  if (typeof amountMinor === 'bigint') return amountMinor;
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`money amounts are integer minor units, got ${amountMinor}`);
  }
  return BigInt(amountMinor);
}

/**
 * Formats an amount of integer minor units in a currency, exactly:
 * `formatMoney(123456, 'USD')` → '$1,234.56'; `formatMoney(-5, 'EUR', { locale: 'de-DE' })` →
 * '-0,05 €'; `formatMoney(500, 'JPY')` → '¥500'. Throws a RangeError for a non-integer.
 */
export function formatMoney(
  amountMinor: number | bigint,
  currency: string,
  options: MoneyFormatOptions = {},
): string {
  const code = currency.toUpperCase();
  const digits = currencyDigits(code);
  const nf = moneyFormatter(code, digits, options);
  const amount = toMinorBigInt(amountMinor);
  if (amount === 0n || digits === 0) {
    // No fraction to carry: the integer is exact as a Number for any amount up to 2^53.
    return nf.format(amount);
  }
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(digits);
  const major = abs / scale;
  const fraction = (abs % scale).toString().padStart(digits, '0');
  // Let Intl lay out sign, symbol, grouping and separators for a stand-in with the same sign
  // and integer part, then put the exact fraction digits in place of the stand-in's. The
  // integer part is formatted as a BigInt (exact at any size); below one unit the stand-in
  // is ±0.5, so that '-$0.05' keeps its sign.
  const standIn = major === 0n ? 0.5 : major;
  return nf
    .formatToParts(negative ? -standIn : standIn)
    .map((part) => (part.type === 'fraction' ? localiseDigits(fraction, nf) : part.value))
    .join('');
}

/**
 * A short, approximate money label for chart axes and sparklines ('$1.2M'). Display only:
 * never use it where the exact amount matters.
 */
export function formatMoneyCompact(
  amountMinor: number | bigint,
  currency: string,
  options: LocaleOption = {},
): string {
  const code = currency.toUpperCase();
  const digits = currencyDigits(code);
  const nf = cached(
    `compact|${options.locale ?? ''}|${code}`,
    () =>
      new Intl.NumberFormat(options.locale, {
        style: 'currency',
        currency: code,
        notation: 'compact',
        maximumFractionDigits: 1,
      }),
  );
  return nf.format(Number(toMinorBigInt(amountMinor)) / 10 ** digits);
}

/**
 * Reads an amount typed by a person ('1,234.5', '-12', '(3.00)') in the locale's notation
 * and returns integer minor units, or null when it is not a valid amount for the currency
 * (too many decimals, stray characters, beyond 2^53 minor units).
 */
export function parseMoney(text: string, currency: string, options: LocaleOption = {}): number | null {
  const digits = currencyDigits(currency);
  const parts = cached(
    `parse|${options.locale ?? ''}`,
    () => new Intl.NumberFormat(options.locale),
  ).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';

  let s = text.trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (/^[-−]/.test(s)) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  const groupIsSpace = /^\s$/.test(group);
  s = s.split(group).join('');
  if (groupIsSpace) s = s.replace(/\s/g, '');
  s = s.split(decimal).join('.');

  const match = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!match || s === '' || s === '.') return null;
  const whole = match[1] ?? '';
  const frac = match[2] ?? '';
  if (frac.length > digits) return null;
  const minor = BigInt(whole || '0') * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const value = Number(minor);
  return negative && value !== 0 ? -value : value;
}

/** A count or plain number with the locale's grouping: 100000 → '100,000'. */
export function formatNumber(value: number, options: LocaleOption = {}): string {
  return cached(`number|${options.locale ?? ''}`, () => new Intl.NumberFormat(options.locale)).format(value);
}

/**
 * A rate in basis points as a percentage with two decimals in the locale's notation:
 * 1234 → '12.34%', -50 → '-0.50%' (display only; the core computes the rates).
 */
export function formatBasisPoints(bps: number, options: LocaleOption = {}): string {
  return cached(
    `bps|${options.locale ?? ''}`,
    () =>
      new Intl.NumberFormat(options.locale, {
        style: 'percent',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }),
  ).format(bps / 10_000);
}

// ---------------------------------------------------------------------------------------
// Dates and times
// ---------------------------------------------------------------------------------------

export type DateFormatOptions = LocaleOption & {
  /** IANA zone; default the system's. Tests pin 'UTC'. */
  timeZone?: string;
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses an ISO 8601 date or date-time. Date-times without a zone are UTC (the core only
 * writes UTC). Fractions beyond milliseconds (the core writes microseconds) are dropped,
 * which WebKit's Date.parse does not do reliably on its own. Returns null when invalid.
 */
export function parseIso(iso: string): Date | null {
  const m = ISO.exec(iso.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac.slice(0, 3).padEnd(3, '0');
  let offset = zone.toUpperCase() === 'Z' ? 'Z' : zone;
  if (/^[+-]\d{2}$/.test(offset)) offset += ':00';
  else if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const isDateOnly = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso.trim());

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function formatWith(
  iso: string | null | undefined,
  style: Intl.DateTimeFormatOptions,
  options: DateFormatOptions,
): string {
  if (iso == null || iso === '') return EMPTY;
  const date = parseIso(iso);
  if (!date) return iso;
  // A calendar date ('2026-05-01') is the same day everywhere: never shift it by a zone.
  const timeZone = isDateOnly(iso) ? 'UTC' : options.timeZone;
  const key = `${options.locale ?? ''}|${timeZone ?? ''}|${JSON.stringify(style)}`;
  let df = dateFormatters.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(options.locale, { ...style, timeZone });
    dateFormatters.set(key, df);
  }
  return df.format(date);
}

/** 'May 1, 2026' */
export function formatDate(iso: string | null | undefined, options: DateFormatOptions = {}): string {
  return formatWith(iso, { dateStyle: 'medium' }, options);
}

/** 'May 1, 2026, 10:00 AM' */
export function formatDateTime(iso: string | null | undefined, options: DateFormatOptions = {}): string {
  return formatWith(iso, { dateStyle: 'medium', timeStyle: 'short' }, options);
}

/** '10:00 AM' */
export function formatTime(iso: string | null | undefined, options: DateFormatOptions = {}): string {
  return formatWith(iso, { timeStyle: 'short' }, options);
}

const RELATIVE_STEPS: [limitSeconds: number, unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
  [45, 'second', 1],
  [45 * 60, 'minute', 60],
  [22 * 3600, 'hour', 3600],
  [26 * 86400, 'day', 86400],
  [320 * 86400, 'month', 30.44 * 86400],
  [Infinity, 'year', 365.25 * 86400],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  let rtf = relativeFormats.get(locale ?? '');
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale ?? '', rtf);
  }
  return rtf;
}

/**
 * 'now', '5 minutes ago', 'yesterday', 'in 3 days', relative to `now` (default: the clock).
 */
export function formatRelative(
  iso: string | null | undefined,
  options: LocaleOption & { now?: Date | number } = {},
): string {
  if (iso == null || iso === '') return EMPTY;
  const date = parseIso(iso);
  if (!date) return iso;
  const now = options.now instanceof Date ? options.now.getTime() : (options.now ?? Date.now());
  const diffSeconds = (date.getTime() - now) / 1000;
  const abs = Math.abs(diffSeconds);
  const rtf = relativeFormat(options.locale);
  if (abs < 10) return rtf.format(0, 'second');
  for (const [limit, unit, seconds] of RELATIVE_STEPS) {
    if (abs < limit) return rtf.format(Math.round(diffSeconds / seconds), unit);
  }
  return rtf.format(0, 'second');
}
