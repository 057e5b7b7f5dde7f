import { useMemo, useState } from 'react';
import { commands, type PayoutBatch, type PayoutFilter, type PayoutStatus } from '../../bindings';
import { DataGrid } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { Screen, Toolbar } from '../../components/Layout';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../components/Tabs';
import { CURRENCIES, type PayoutCurrency } from '../../lib/currencies';
import { formatDateTime } from '../../lib/format';
import { queryKeys } from '../../lib/queryKeys';
import { usePagedList } from '../../lib/useListScreen';
import { VendorSetup } from '../payout_setup/VendorSetup';
import { useMe } from '../session/session';
import { StripeEvents } from '../stripe_events/StripeEvents';
import { VendorPlans } from '../subscriptions/VendorPlans';
import { BatchesList } from './BatchesList';
import {
  PAYOUT_SORTS,
  payoutAmountColumn,
  payoutCol as col,
  payoutReasonColumn,
  payoutStatusColumn,
  payoutVendorColumn,
} from './columns';
import { PayoutRun, stepFor, type RunPosition } from './PayoutRun';
import { PAYOUT_STATUS_LABELS, PAYOUT_STATUSES } from './status';

const rest = [
  payoutAmountColumn,
  payoutStatusColumn,
  payoutReasonColumn,
  col.accessor('created_at', {
    header: 'Created',
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('paid_at', {
    header: 'Paid',
    meta: { width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
];
const allColumns = col.columns([payoutVendorColumn, ...rest]);
const ownColumns = col.columns(rest);

/** Payouts with status and currency filters: every vendor's, or (for a vendor) their own. */
export function PayoutsList({ className }: { className?: string }) {
  const me = useMe();
  const [status, setStatus] = useState<PayoutStatus | ''>('');
  const [currency, setCurrency] = useState<PayoutCurrency | ''>('');

  const filter: PayoutFilter = useMemo(
    () => ({
      vendor_id: null,
      status: status === '' ? null : status,
      currency: currency === '' ? null : currency,
      batch_id: null,
    }),
    [status, currency],
  );
  const fetchPage = usePagedList(filter, commands.listPayouts, PAYOUT_SORTS, 'created_at');
  const filtered = status !== '' || currency !== '';

  return (
    <Screen className={className}>
      <Toolbar>
        <FilterSelect
          label="Status"
          data-testid="filter-status"
          placeholder="Any status"
          value={status}
          onValueChange={setStatus}
          values={PAYOUT_STATUSES}
          labels={PAYOUT_STATUS_LABELS}
          className="w-40"
        />
        <FilterSelect
          label="Currency"
          data-testid="filter-currency"
          placeholder="Any currency"
          value={currency}
          onValueChange={setCurrency}
          values={CURRENCIES}
          className="w-36"
        />
      </Toolbar>
      <DataGrid
        aria-label="Payouts"
        data-testid="grid-payouts"
        className="min-h-0 flex-1"
        columns={me.role === 'vendor' ? ownColumns : allColumns}
        queryKey={queryKeys.payoutList(me.role === 'vendor' ? 'own' : 'all', filter)}
        fetchPage={fetchPage}
        rowKey={(p) => p.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No payouts match these filters' : 'No payouts yet'}
            description={filtered ? 'Try another status or currency.' : undefined}
          />
        }
      />
    </Screen>
  );
}

type PayoutsTab = 'run' | 'batches' | 'all' | 'setup' | 'plans' | 'stripe';

/**
 * Finance and admins: the payout run, its batches, every payout, the vendors' Stripe set-up
 * and their plans (admins act on them, finance looks) and Stripe's events (finance reconciles,
 * admins look). The screen opens on the list of payouts, as it always has; the run is a click
 * (or arrow key) away.
 */
function FinancePayouts() {
  const me = useMe();
  const [tab, setTab] = useState<PayoutsTab>('all');
  // Once opened, the run stays mounted (hidden) on the other tabs: a running execution goes
  // on listening and showing its progress.
  const [runOpened, setRunOpened] = useState(false);
  // So does a sync with Stripe.
  const [stripeOpened, setStripeOpened] = useState(false);
  const [position, setPosition] = useState<RunPosition>({ step: 'balances', batch: null });
  const showSetup = me.role === 'admin' || me.role === 'finance';

  const select = (next: PayoutsTab) => {
    setTab(next);
    if (next === 'run') setRunOpened(true);
    if (next === 'stripe') setStripeOpened(true);
  };
  const open = (batch: PayoutBatch) => {
    setPosition({ step: stepFor(batch), batch });
    select('run');
  };

  return (
    <Tabs
      value={tab}
      onValueChange={(v) => select(v as PayoutsTab)}
      className="min-h-0 flex-1"
      data-testid="payouts"
    >
      <TabsList aria-label="Payouts">
        <TabsTrigger value="run" data-testid="tab-run">
          Run payouts
        </TabsTrigger>
        <TabsTrigger value="batches" data-testid="tab-batches">
          Batches
        </TabsTrigger>
        <TabsTrigger value="all" data-testid="tab-all">
          All payouts
        </TabsTrigger>
        {showSetup && (
          <TabsTrigger value="setup" data-testid="payouts-tab-setup">
            Vendor set-up
          </TabsTrigger>
        )}
        {showSetup && (
          <TabsTrigger value="plans" data-testid="payouts-tab-plans">
            Vendor plans
          </TabsTrigger>
        )}
        {showSetup && (
          <TabsTrigger value="stripe" data-testid="payouts-tab-stripe">
            Stripe events
          </TabsTrigger>
        )}
      </TabsList>
      <TabsContent
        value="run"
        forceMount={runOpened || undefined}
        hidden={tab !== 'run'}
        className="min-h-0 flex-1 overflow-y-auto focus-visible:outline-none"
      >
        <PayoutRun canAct={me.role === 'finance'} position={position} onPosition={setPosition} />
      </TabsContent>
      <TabsContent value="batches" className="flex min-h-0 flex-1 flex-col focus-visible:outline-none">
        <BatchesList onOpen={open} />
      </TabsContent>
      <TabsContent value="all" className="flex min-h-0 flex-1 flex-col focus-visible:outline-none">
        <PayoutsList />
      </TabsContent>
      {showSetup && (
        <TabsContent value="setup" className="flex min-h-0 flex-1 flex-col focus-visible:outline-none">
          <VendorSetup canAct={me.role === 'admin'} />
        </TabsContent>
      )}
      {showSetup && (
        <TabsContent value="plans" className="flex min-h-0 flex-1 flex-col focus-visible:outline-none">
          <VendorPlans canAct={me.role === 'admin'} />
        </TabsContent>
      )}
      {showSetup && (
        <TabsContent
          value="stripe"
          forceMount={stripeOpened || undefined}
          hidden={tab !== 'stripe'}
          className="flex min-h-0 flex-1 flex-col focus-visible:outline-none"
        >
          <StripeEvents canAct={me.role === 'finance'} />
        </TabsContent>
      )}
    </Tabs>
  );
}

/** Payouts: vendors see their own; finance and admins run payouts and see every batch and payout. */
export function PayoutsScreen() {
  const me = useMe();
  return me.role === 'vendor' ? <PayoutsList /> : <FinancePayouts />;
}
