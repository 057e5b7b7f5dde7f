import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { navigate } from '../../app/router';
import { commands, type DashboardQuery, type DrillKind, type DrillRow, type Metric } from '../../bindings';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { SidePanel } from '../../components/SidePanel';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

export const DRILL_PAGE = 50;

/** Where a row opens: orders and disputes have screens that open one by id. */
const OPENS: Partial<Record<DrillKind, string>> = { order: 'orders', dispute: 'disputes' };

function RowLabel({ row }: { row: DrillRow }) {
  const place = OPENS[row.kind];
  if (!place) return <span className="truncate">{row.label}</span>;
  return (
    <button
      type="button"
      className="truncate text-left text-accent-text hover:underline"
      onClick={() => navigate(`/${place}?open=${row.id}`)}
    >
      {row.label}
    </button>
  );
}

/** The rows behind one figure, paged in the core. */
export function DrillPanel({
  query,
  metric,
  onClose,
}: {
  query: DashboardQuery;
  metric: Metric;
  onClose: () => void;
}) {
  const [offset, setOffset] = useState(0);
  const rows = useQuery({
    queryKey: ['dashboard-rows', query, metric.key, offset],
    queryFn: () => unwrap(commands.dashboardRows(query, metric.key, offset, DRILL_PAGE)),
    placeholderData: keepPreviousData,
  });
  const page = rows.data;
  const last = page ? Math.min(page.total, offset + page.rows.length) : 0;
  return (
    <SidePanel
      data-testid="dashboard-drill"
      focusKey={metric.key}
      title={metric.label}
      description={page ? `${formatNumber(page.total)} rows · ${metric.basis}` : metric.basis}
      onClose={onClose}
      className="w-[34rem]"
      footer={
        page &&
        page.total > DRILL_PAGE && (
          <div className="flex w-full items-center justify-between text-sm text-fg-subtle">
            <span data-testid="drill-range">
              {formatNumber(offset + 1)}–{formatNumber(last)} of {formatNumber(page.total)}
            </span>
            <span className="flex gap-2">
              <Button
                size="sm"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - DRILL_PAGE))}
              >
                Previous
              </Button>
              <Button
                size="sm"
                data-testid="drill-next"
                disabled={last >= page.total}
                onClick={() => setOffset(offset + DRILL_PAGE)}
              >
                Next
              </Button>
            </span>
          </div>
        )
      }
    >
      {rows.isError ? (
        <QueryErrorState query={rows} title="The rows could not be read" />
      ) : !page ? (
        <div className="space-y-2" aria-label="Loading rows">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-6 w-full" />
          ))}
        </div>
      ) : page.rows.length === 0 ? (
        <EmptyState title="Nothing behind this figure" description="No rows count in this period." />
      ) : (
        <SimpleTable
          data-testid="drill-rows"
          columns={[
            { label: 'Row', className: 'py-2 pr-2' },
            { label: 'State', className: 'px-2 py-2' },
            { label: 'Amount', className: 'px-2 py-2 text-right' },
            { label: 'When', className: 'py-2 pl-2' },
          ]}
        >
          <tbody>
            {page.rows.map((r) => (
              <tr key={`${r.kind}-${r.id}`} className="border-b border-line last:border-b-0">
                <td className="max-w-48 py-1.5 pr-2">
                  <RowLabel row={r} />
                </td>
                <td className="px-2 py-1.5 text-fg-muted">{r.detail}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">
                  {r.amount_minor === null ? '' : formatMoney(r.amount_minor, query.currency)}
                </td>
                <td className="py-1.5 pl-2 text-sm whitespace-nowrap text-fg-subtle">
                  {formatDateTime(r.at)}
                </td>
              </tr>
            ))}
          </tbody>
        </SimpleTable>
      )}
    </SidePanel>
  );
}
