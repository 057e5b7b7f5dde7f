import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type MetricKey } from '../../bindings';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { DateRangeInputs } from '../../components/DateRangeInputs';
import { QueryErrorState } from '../../components/ErrorState';
import { MasterDetail, Screen, Toolbar } from '../../components/Layout';
import { ProgressBar } from '../../components/ProgressBar';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { formatDate } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useDelayedFlag } from '../../lib/timing';
import { CurrencySelect } from '../revenue/RevenueFilters';
import { useMe } from '../session/session';
import { AnalyticsSetup } from './AnalyticsSetup';
import { DayChart } from './DayChart';
import { DrillPanel } from './DrillPanel';
import { MetricCards } from './MetricCards';
import { PRESETS, type PresetId, useDashboard } from './useDashboard';

/** The whole marketplace, or one vendor's own figures (admins and finance). */
function VendorScope({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const vendors = useQuery({ queryKey: queryKeys.vendors, queryFn: () => unwrap(commands.listVendors()) });
  const options = [
    { value: '', label: 'Whole marketplace' },
    ...(vendors.data ?? []).map((v) => ({ value: v.id, label: `${v.name} · ${v.email}` })),
  ];
  return (
    <Select
      aria-label="Vendor"
      data-testid="dashboard-vendor"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      options={options}
      disabled={!vendors.isSuccess}
      className="w-64"
    />
  );
}

/**
 * The business dashboard: the marketplace's figures (a vendor: its own) over a period beside
 * the period before, revenue by day, and the rows behind any figure.
 */
export default function DashboardScreen() {
  const me = useMe();
  const { query, preset, choose, update, problem, figures } = useDashboard();
  const [open, setOpen] = useState<MetricKey | null>(null);
  const slow = useDelayedFlag(figures.isFetching, 300);
  const d = figures.data;
  const metric = d?.metrics.find((m) => m.key === open) ?? null;
  return (
    <Screen data-testid="dashboard" className="overflow-y-auto">
      <Toolbar
        end={
          d && (
            <span data-testid="dashboard-compared">
              beside {formatDate(d.previous_from)} – {formatDate(d.previous_to)}
            </span>
          )
        }
      >
        <Select
          aria-label="Period"
          data-testid="dashboard-period"
          value={preset}
          onChange={(e) => choose(e.target.value as PresetId)}
          options={[
            ...PRESETS.map((p) => ({ value: p.id, label: p.label })),
            { value: 'custom', label: 'Custom' },
          ]}
          className="w-40"
        />
        <DateRangeInputs
          from={query.from}
          to={query.to}
          onChange={update}
          problem={problem}
          testIdPrefix="dashboard"
        />
        <CurrencySelect
          data-testid="dashboard-currency"
          value={query.currency}
          onChange={(currency) => update({ currency })}
        />
        {me.role === 'vendor' ? (
          <span className="text-sm text-fg-subtle">Your own sales</span>
        ) : (
          <VendorScope value={query.vendor_id} onChange={(vendor_id) => update({ vendor_id })} />
        )}
      </Toolbar>
      {slow && <ProgressBar label="Reading the figures" />}
      <MasterDetail
        detail={
          metric && (
            <DrillPanel key={metric.key} query={query} metric={metric} onClose={() => setOpen(null)} />
          )
        }
      >
        <div className="flex flex-col gap-3">
          {figures.isError ? (
            <QueryErrorState query={figures} title="The dashboard could not be read" />
          ) : !d ? (
            <div className="grid grid-cols-2 gap-3 md:grid-cols-5" aria-label="Loading figures">
              {Array.from({ length: 10 }, (_, i) => (
                <Skeleton key={i} className="h-20 w-full" />
              ))}
            </div>
          ) : (
            <>
              <MetricCards
                metrics={d.metrics}
                currency={query.currency}
                selected={open}
                onOpen={(key) => setOpen(key === open ? null : key)}
              />
              <Card>
                <CardHeader
                  title="Revenue by day"
                  description={`${formatDate(d.query.from)} – ${formatDate(d.query.to)}, the dashed line the period before`}
                />
                <CardBody>
                  {d.days.every((x) => x.orders === 0) && d.previous_days.every((x) => x.orders === 0) ? (
                    <p
                      className="py-10 text-center text-base text-fg-subtle"
                      data-testid="dashboard-no-sales"
                    >
                      No paid orders in either period.
                    </p>
                  ) : (
                    <DayChart days={d.days} previous={d.previous_days} currency={query.currency} />
                  )}
                </CardBody>
              </Card>
            </>
          )}
          {me.role === 'admin' && <AnalyticsSetup />}
        </div>
      </MasterDetail>
    </Screen>
  );
}
