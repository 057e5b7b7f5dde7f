import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { commands, type Grain, type RevenueQuery } from '../../bindings';
import { type DateRange, isIsoDay, monthsAgoStart, today } from '../../lib/dates';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

export const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter'];
export const GRAIN_LABELS: Record<Grain, string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
  quarter: 'Quarter',
};

export type RevenueParams = { from: string; to: string; currency: string; grain: Grain };

/** 'Last 12 months to today', monthly. */
export function defaultRevenueParams(currency = 'USD', now = new Date()): RevenueParams {
  return { from: monthsAgoStart(11, now), to: today(now), currency, grain: 'month' };
}

/** Why the range (two required days) cannot be asked for, or null. */
export function rangeProblem(p: DateRange): string | null {
  if (!isIsoDay(p.from) || !isIsoDay(p.to)) return 'Enter both dates.';
  if (p.from > p.to) return 'The range ends before it starts.';
  return null;
}

/** The report's parameters (kept while the screen is open) and the report itself, from the core. */
export function useRevenue(initial: RevenueParams) {
  const [params, setParams] = useState(initial);
  const problem = rangeProblem(params);
  const query: RevenueQuery = useMemo(() => ({ ...params, vendor_id: null, category_id: null }), [params]);
  const report = useQuery({
    queryKey: queryKeys.revenue(query),
    queryFn: () => unwrap(commands.revenueReport(query)),
    enabled: problem === null,
    placeholderData: keepPreviousData,
  });
  const update = (patch: Partial<RevenueParams>) => setParams((p) => ({ ...p, ...patch }));
  return { params, update, problem, report };
}
