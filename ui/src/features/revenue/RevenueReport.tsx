import type { UseQueryResult } from '@tanstack/react-query';
import type { RevenueReport as Report, RevenueShare } from '../../bindings';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { Kpi } from '../../components/Kpi';
import { ProgressBar } from '../../components/ProgressBar';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { errorMessage } from '../../lib/errors';
import { formatMoney, formatNumber } from '../../lib/format';
import { useDelayedFlag } from '../../lib/timing';
import { RevenueChart } from './RevenueChart';

/** Gross ÷ orders, in whole minor units (integer division, as the ledger would). */
export function averageOrderValue(grossMinor: number, orders: number): number | null {
  if (orders <= 0) return null;
  return Number(BigInt(grossMinor) / BigInt(orders));
}

function KpiSkeleton({ count }: { count: number }) {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-5" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="rounded-lg border border-line bg-surface px-4 py-3">
          <Skeleton className="w-20" />
          <Skeleton className="mt-2 h-6 w-28" />
        </div>
      ))}
    </div>
  );
}

function ShareTable({
  title,
  shares,
  totalGross,
  currency,
  testId,
}: {
  title: string;
  shares: readonly RevenueShare[];
  totalGross: number;
  currency: string;
  testId: string;
}) {
  return (
    <Card>
      <CardHeader title={title} description="By gross value" />
      <CardBody className="p-0">
        {shares.length === 0 ? (
          <p className="px-4 py-6 text-center text-base text-fg-subtle">No sales in this range.</p>
        ) : (
          <SimpleTable
            data-testid={testId}
            columns={[
              { label: 'Name', className: 'px-4 py-2' },
              { label: 'Gross', className: 'px-2 py-2 text-right' },
              { label: 'Commission', className: 'px-4 py-2 text-right' },
            ]}
          >
            <tbody>
              {shares.map((s) => {
                // Display only: the bar's width.
                const share = totalGross > 0 ? Math.max(0, Math.min(1, s.gross_minor / totalGross)) : 0;
                return (
                  <tr key={s.id} className="border-b border-line last:border-b-0">
                    <td className="px-4 py-2">
                      <div className="truncate">{s.name}</div>
                      <div className="mt-1 h-1 rounded-full bg-sunken">
                        <div className="h-full rounded-full bg-accent" style={{ width: `${share * 100}%` }} />
                      </div>
                    </td>
                    <td className="px-2 py-2 text-right align-top tabular-nums">
                      {formatMoney(s.gross_minor, currency)}
                    </td>
                    <td className="px-4 py-2 text-right align-top text-fg-muted tabular-nums">
                      {formatMoney(s.commission_minor, currency)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </SimpleTable>
        )}
      </CardBody>
    </Card>
  );
}

function PeriodTable({ report }: { report: Report }) {
  const money = (minor: number) => formatMoney(minor, report.currency);
  return (
    <div className="max-h-[28rem] overflow-auto">
      <SimpleTable
        data-testid="revenue-table"
        headClassName="sticky top-0 bg-canvas"
        columns={[
          { label: 'Period', className: 'px-4 py-2' },
          { label: 'Orders', className: 'px-2 py-2 text-right' },
          { label: 'Units', className: 'px-2 py-2 text-right' },
          { label: 'Gross', className: 'px-2 py-2 text-right' },
          { label: 'Commission', className: 'px-2 py-2 text-right' },
          { label: 'Refunded', className: 'px-4 py-2 text-right' },
        ]}
      >
        <tbody>
          {report.rows.map((r) => (
            <tr key={r.period} data-period={r.period} className="border-b border-line hover:bg-raised">
              <td className="px-4 py-1.5 font-medium tabular-nums">{r.period}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(r.orders)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(r.units)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{money(r.gross_minor)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{money(r.commission_minor)}</td>
              <td className="px-4 py-1.5 text-right tabular-nums">{money(r.refunded_minor)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="bg-canvas font-semibold">
            <td className="px-4 py-2">Total</td>
            <td className="px-2 py-2 text-right tabular-nums">{formatNumber(report.total.orders)}</td>
            <td className="px-2 py-2 text-right tabular-nums">{formatNumber(report.total.units)}</td>
            <td className="px-2 py-2 text-right tabular-nums">{money(report.total.gross_minor)}</td>
            <td className="px-2 py-2 text-right tabular-nums">{money(report.total.commission_minor)}</td>
            <td className="px-4 py-2 text-right tabular-nums">{money(report.total.refunded_minor)}</td>
          </tr>
        </tfoot>
      </SimpleTable>
    </div>
  );
}

/**
 * A revenue report: KPI cards, a chart and a table per period, and (unless `ownSales`) the
 * top vendors and categories. Skeleton on the first load, a progress bar when slow.
 */
export function RevenueReportView({
  report: query,
  ownSales = false,
}: {
  report: UseQueryResult<Report>;
  /** A vendor's own sales: no top-vendors table. */
  ownSales?: boolean;
}) {
  const slow = useDelayedFlag(query.isFetching, 1000);
  const report = query.data;

  const progress = slow && (
    <ProgressBar label={report ? 'Updating the report' : 'Adding up the sales'} className="max-w-md" />
  );

  if (query.isError && !report) {
    return (
      <Card>
        <QueryErrorState query={query} />
      </Card>
    );
  }

  if (!report) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true" aria-label="Loading the report">
        {progress}
        <KpiSkeleton count={5} />
        <Card>
          <CardBody>
            <Skeleton className="h-64 w-full" />
          </CardBody>
        </Card>
      </div>
    );
  }

  const { total, currency } = report;
  const aov = averageOrderValue(total.gross_minor, total.orders);
  const money = (minor: number) => formatMoney(minor, currency);

  return (
    <div className={cn('flex flex-col gap-4', query.isPlaceholderData && 'opacity-70 transition-opacity')}>
      {progress}
      {query.isError && (
        <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text">
          Could not update the report: {errorMessage(query.error)}
        </p>
      )}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Kpi label="Gross sales" value={money(total.gross_minor)} testId="revenue-total-gross" />
        <Kpi label="Commission" value={money(total.commission_minor)} testId="revenue-total-commission" />
        <Kpi label="Refunded" value={money(total.refunded_minor)} testId="revenue-total-refunded" />
        <Kpi
          label="Orders"
          value={formatNumber(total.orders)}
          detail={`${formatNumber(total.units)} units`}
          testId="revenue-total-orders"
        />
        <Kpi label="Average order" value={aov === null ? '—' : money(aov)} testId="revenue-aov" />
      </div>

      {report.rows.length === 0 ? (
        <Card>
          <EmptyState title="No sales in this range" description="Try a wider range or the other currency." />
        </Card>
      ) : (
        <>
          <Card>
            <CardHeader title="Gross and commission" description={currency} />
            <CardBody>
              <RevenueChart rows={report.rows} currency={currency} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="By period" description={`${formatNumber(report.rows.length)} periods`} />
            <PeriodTable report={report} />
          </Card>
        </>
      )}

      <div className={cn('grid gap-4', ownSales ? 'md:grid-cols-1' : 'md:grid-cols-2')}>
        {!ownSales && (
          <ShareTable
            title="Top vendors"
            shares={report.top_vendors}
            totalGross={total.gross_minor}
            currency={currency}
            testId="revenue-top-vendors"
          />
        )}
        <ShareTable
          title="Top categories"
          shares={report.top_categories}
          totalGross={total.gross_minor}
          currency={currency}
          testId="revenue-top-categories"
        />
      </div>
    </div>
  );
}
