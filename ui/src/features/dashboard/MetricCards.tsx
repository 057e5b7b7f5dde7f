import type { Metric, MetricKey } from '../../bindings';
import { cn } from '../../lib/cn';
import { formatBasisPoints, formatMoney, formatNumber } from '../../lib/format';

/** A figure as people read it. */
export function written(metric: Metric, value: number | null, currency: string): string {
  if (value === null) return '—';
  switch (metric.unit) {
    case 'money':
      return formatMoney(value, currency);
    case 'ratio':
      return formatBasisPoints(value);
    case 'hours':
      return value >= 48 ? `${formatNumber(Math.floor(value / 24))} d ${value % 24} h` : `${value} h`;
    case 'count':
      return formatNumber(value);
  }
}

function Change({ metric }: { metric: Metric }) {
  if (metric.change_bps === null) return <span className="text-fg-subtle">no comparison</span>;
  const up = metric.change_bps > 0;
  const good = metric.change_bps === 0 ? null : up === metric.higher_is_better;
  return (
    <span
      className={cn(
        'tabular-nums',
        good === true && 'text-success-text',
        good === false && 'text-danger-text',
        good === null && 'text-fg-subtle',
      )}
    >
      {up ? '▲' : metric.change_bps < 0 ? '▼' : '■'} {formatBasisPoints(Math.abs(metric.change_bps))}
    </span>
  );
}

/** The figures as cards; each opens the rows behind it. */
export function MetricCards({
  metrics,
  currency,
  onOpen,
  selected,
}: {
  metrics: readonly Metric[];
  currency: string;
  onOpen: (key: MetricKey) => void;
  selected: MetricKey | null;
}) {
  return (
    <div
      className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3"
      data-testid="dashboard-metrics"
    >
      {metrics.map((m) => (
        <button
          key={m.key}
          type="button"
          data-testid={`metric-${m.key}`}
          aria-pressed={selected === m.key}
          onClick={() => onOpen(m.key)}
          title={`${m.basis} — open the rows behind it`}
          className={cn(
            'min-w-0 rounded-lg border border-line bg-surface px-4 py-3 text-left shadow-xs transition-colors',
            'hover:border-accent focus-visible:outline-2 focus-visible:outline-accent',
            selected === m.key && 'border-accent ring-1 ring-accent',
          )}
        >
          <div className="text-sm text-fg-subtle">{m.label}</div>
          <div className="mt-1 truncate text-2xl font-semibold tracking-tight tabular-nums">
            {written(m, m.value, currency)}
          </div>
          <div className="mt-0.5 text-sm">
            <Change metric={m} />
          </div>
          <div className="truncate text-sm text-fg-subtle">was {written(m, m.previous, currency)}</div>
        </button>
      ))}
    </div>
  );
}
