import { useState } from 'react';
import { dayStart, isIsoDay, type DateRange } from './dates';

/**
 * An optional date-range filter ('' ends are open): the days as typed, their problem, and
 * the instants to send to the core (`to` is the start of the day after the last one, so the
 * whole last day is in). Neither end is sent while the range is inverted.
 */
export function useDateRange() {
  const [range, setRange] = useState<DateRange>({ from: '', to: '' });
  const fromOk = range.from !== '' && isIsoDay(range.from);
  const toOk = range.to !== '' && isIsoDay(range.to);
  const problem = fromOk && toOk && range.from > range.to ? 'The start date is after the end date.' : null;
  return {
    range,
    onChange: (patch: Partial<DateRange>) => setRange((r) => ({ ...r, ...patch })),
    problem,
    /** Some end narrows the list. */
    active: fromOk || toOk,
    fromInstant: fromOk && problem === null ? dayStart(range.from) : null,
    toInstant: toOk && problem === null ? dayStart(range.to, 1) : null,
  };
}
