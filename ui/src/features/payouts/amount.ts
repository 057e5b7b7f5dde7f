/** What the minimum-payout field holds, read into integer minor units. */
export type ParsedAmount =
  /** Empty: the platform's own minimum (`payouts.minimum_minor`) applies. */
  { ok: true; minor: null } | { ok: true; minor: number } | { ok: false; error: string };

/**
 * Reads a non-negative amount typed in major units ('25', '25.5', '1200.00') into integer
 * minor units of a currency with `digits` decimals, without ever going through a float:
 * the integer and fraction digits are put together as a BigInt. Refuses anything else
 * ('abc', '-5', '1.234' for a 2-decimal currency, amounts beyond 2^53 minor units).
 */
export function parseMajorAmount(text: string, digits = 2): ParsedAmount {
  const s = text.trim();
  if (s === '') return { ok: true, minor: null };
  if (s.startsWith('-')) return { ok: false, error: 'The minimum cannot be negative.' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(s);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    return { ok: false, error: 'Enter an amount such as 25 or 25.50.' };
  }
  if (fraction.length > digits) {
    return {
      ok: false,
      error: digits === 0 ? 'This currency has no decimals.' : `Use at most ${digits} decimals.`,
    };
  }
  const minor =
    BigInt(whole === '' ? '0' : whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'This amount is too large.' };
  return { ok: true, minor: Number(minor) };
}
