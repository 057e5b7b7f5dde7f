import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type DashboardQuery } from '../../bindings';
import { isoDay } from '../../lib/dates';
import { unwrap } from '../../lib/ipc';

/** The periods offered, as days counted back from today (today included). */
export const PRESETS = [
  { id: '7', label: 'Last 7 days', days: 7 },
  { id: '30', label: 'Last 30 days', days: 30 },
  { id: '90', label: 'Last 90 days', days: 90 },
  { id: '365', label: 'Last 12 months', days: 365 },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'] | 'custom';

/** The `days` days up to and including `now`'s day. */
export function lastDays(days: number, now: Date = new Date()): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(to);
  from.setUTCDate(to.getUTCDate() - (days - 1));
  return { from: isoDay(from), to: isoDay(to) };
}

/** The dashboard's query (kept while the screen is open) and its figures from the core. */
export function useDashboard(now: Date = new Date()) {
  const [query, setQuery] = useState<DashboardQuery>(() => ({
    ...lastDays(30, now),
    currency: 'USD',
    vendor_id: null,
  }));
  const [preset, setPreset] = useState<PresetId>('30');
  const problem =
    !query.from || !query.to
      ? 'Enter both dates.'
      : query.from > query.to
        ? 'The period ends before it starts.'
        : null;
  const figures = useQuery({
    queryKey: ['dashboard', query],
    queryFn: () => unwrap(commands.businessDashboard(query)),
    enabled: problem === null,
    placeholderData: keepPreviousData,
  });
  const choose = (id: PresetId) => {
    setPreset(id);
    const p = PRESETS.find((x) => x.id === id);
    if (p) setQuery((q) => ({ ...q, ...lastDays(p.days, now) }));
  };
  const update = (patch: Partial<DashboardQuery>) => {
    if (patch.from !== undefined || patch.to !== undefined) setPreset('custom');
    setQuery((q) => ({ ...q, ...patch }));
  };
  return { query, preset, choose, update, problem, figures };
}
