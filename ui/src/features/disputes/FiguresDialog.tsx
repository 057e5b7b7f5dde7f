import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands } from '../../bindings';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { humanize, RESOLUTION_LABELS } from './labels';

const PERIODS = [30, 90, 365] as const;

function hours(h: number | null): string {
  if (h === null) return '—';
  return h < 48 ? `${formatNumber(h)} h` : `${formatNumber(Math.round(h / 24))} days`;
}

/** The platform's dispute figures: live ones by stage and age, time to resolution, outcomes. */
export function FiguresDialog({ onClose }: { onClose: () => void }) {
  const [days, setDays] = useState<number>(90);
  const query = useQuery({
    queryKey: ['disputes', 'figures', days],
    queryFn: () => unwrap(commands.disputeAnalytics(days)),
  });
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title="Dispute figures" size="lg">
      <div className="mb-3 flex items-center gap-2 text-sm">
        <span className="text-fg-subtle">Outcomes over</span>
        <Select
          aria-label="Period"
          value={String(days)}
          onChange={(e) => setDays(Number(e.target.value))}
          options={PERIODS.map((d) => ({ value: String(d), label: `the last ${d} days` }))}
        />
      </div>
      {query.isPending && <Skeleton className="h-40 w-full" />}
      {query.isError && <QueryErrorState query={query} />}
      {query.data && (
        <div className="flex flex-col gap-4" data-testid="dispute-figures">
          <p className="text-base">
            <strong>{formatNumber(query.data.ended)}</strong> ended · median{' '}
            <strong>{hours(query.data.median_hours)}</strong> · 90% within{' '}
            <strong>{hours(query.data.p90_hours)}</strong> ·{' '}
            <span className={query.data.overdue > 0 ? 'font-medium text-danger' : ''}>
              {formatNumber(query.data.overdue)} overdue now
            </span>
          </p>
          <section>
            <h3 className="mb-1 text-sm font-medium text-fg-subtle uppercase">Live, by whose turn and age</h3>
            {query.data.live.length === 0 ? (
              <EmptyState title="No live disputes" />
            ) : (
              <table className="w-full text-sm">
                <tbody>
                  {query.data.live.map((c) => (
                    <tr key={`${c.stage}-${c.band}`} className="border-b border-line">
                      <td className="py-1">{humanize(c.stage)}</td>
                      <td>{c.band}</td>
                      <td className="text-right tabular-nums">{formatNumber(c.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section>
            <h3 className="mb-1 text-sm font-medium text-fg-subtle uppercase">Outcomes by vendor and kind</h3>
            {query.data.outcomes.length === 0 ? (
              <EmptyState title="No outcomes in this period" />
            ) : (
              <table className="w-full text-sm">
                <tbody>
                  {query.data.outcomes.slice(0, 50).map((o) => (
                    <tr
                      key={`${o.vendor_id ?? ''}-${o.kind}-${o.resolution}`}
                      className="border-b border-line"
                    >
                      <td className="py-1">{o.vendor_name || 'Whole order'}</td>
                      <td>{humanize(o.kind)}</td>
                      <td>{RESOLUTION_LABELS[o.resolution]}</td>
                      <td className="text-right tabular-nums">{formatNumber(o.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      )}
    </Dialog>
  );
}
