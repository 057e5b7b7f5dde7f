import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type Earnings } from '../../bindings';
import { Card, CardHeader } from '../../components/Card';
import { QueryErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { PayoutsList } from '../payouts/PayoutsScreen';
import { Kpi } from '../../components/Kpi';
import { RevenueFilters, REPORT_CURRENCIES } from '../revenue/RevenueFilters';
import { RevenueReportView } from '../revenue/RevenueReport';
import { defaultRevenueParams, useRevenue } from '../revenue/useRevenue';
import { useMe } from '../session/session';
import { StatementView } from '../statements/StatementView';

function Balances({ earnings }: { earnings: Earnings }) {
  const money = (minor: number) => formatMoney(minor, earnings.currency);
  return (
    <div data-testid={`earnings-${earnings.currency}`} className="grid grid-cols-2 gap-3 md:grid-cols-5">
      <Kpi label={`Sales · ${earnings.currency}`} value={money(earnings.sales_minor)} />
      <Kpi label="Commission" value={money(earnings.commission_minor)} />
      <Kpi label="Refunded" value={money(earnings.refunded_minor)} />
      <Kpi label="Paid out" value={money(earnings.paid_out_minor)} />
      <Kpi label="Owed to you" value={money(earnings.owed_minor)} testId={`owed-${earnings.currency}`} />
    </div>
  );
}

function Report({ currencies }: { currencies: readonly string[] }) {
  const [initial] = useState(() => defaultRevenueParams(currencies[0] ?? 'USD'));
  const { params, update, problem, report } = useRevenue(initial);
  return (
    <section aria-labelledby="earnings-sales" className="flex flex-col gap-3">
      <h2 id="earnings-sales" className="text-md font-semibold">
        Your sales
      </h2>
      <RevenueFilters params={params} onChange={update} problem={problem} currencies={currencies} />
      <RevenueReportView report={report} ownSales />
    </section>
  );
}

/**
 * A vendor's money: balances per currency, their sales over time, their payouts, and their
 * statement (from the first day of last month to today unless they choose other dates).
 */
export default function EarningsScreen() {
  const me = useMe();
  const earnings = useQuery({
    queryKey: queryKeys.earnings,
    queryFn: () => unwrap(commands.vendorEarnings()),
  });
  const currencies = [...new Set([...(earnings.data ?? []).map((e) => e.currency), ...REPORT_CURRENCIES])];

  return (
    <div data-testid="earnings" className="flex min-h-0 flex-1 flex-col gap-6 overflow-y-auto">
      <section aria-labelledby="earnings-balances" className="flex flex-col gap-3">
        <h2 id="earnings-balances" className="text-md font-semibold">
          Balances
        </h2>
        {earnings.isPending ? (
          <div
            className="grid grid-cols-2 gap-3 md:grid-cols-5"
            aria-busy="true"
            aria-label="Loading balances"
          >
            {Array.from({ length: 5 }, (_, i) => (
              <div key={i} className="rounded-lg border border-line bg-surface px-4 py-3">
                <Skeleton className="w-20" />
                <Skeleton className="mt-2 h-6 w-28" />
              </div>
            ))}
          </div>
        ) : earnings.isError ? (
          <Card>
            <QueryErrorState query={earnings} />
          </Card>
        ) : earnings.data.length === 0 ? (
          <p className="text-base text-fg-subtle">No sales yet: balances appear with your first order.</p>
        ) : (
          earnings.data.map((e) => <Balances key={e.currency} earnings={e} />)
        )}
      </section>

      {!earnings.isPending && <Report currencies={currencies} />}

      <Card className="flex h-[28rem] shrink-0 flex-col">
        <CardHeader title="Your payouts" />
        <div className="flex min-h-0 flex-1 flex-col p-3">
          <PayoutsList />
        </div>
      </Card>

      {!earnings.isPending && (
        <section aria-labelledby="earnings-statement" className="flex shrink-0 flex-col gap-3">
          <h2 id="earnings-statement" className="text-md font-semibold">
            Statement
          </h2>
          {/* The core answers with the signed-in vendor's own statement, whatever the id. */}
          <StatementView vendorId={me.id} currencies={currencies} />
        </section>
      )}
    </div>
  );
}
