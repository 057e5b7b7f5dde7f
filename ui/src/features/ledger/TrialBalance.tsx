import { useQuery } from '@tanstack/react-query';
import { commands, type AccountBalance } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { AlertCircleIcon, CheckCircleIcon } from '../../components/icons';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

export type CurrencyBalances = { currency: string; accounts: AccountBalance[]; total: bigint };

/**
 * Account balances grouped by currency (in the order the core sent them), each with its
 * total, added as BigInt so that no sum loses a minor unit. A whole ledger totals 0.
 */
export function byCurrency(balances: readonly AccountBalance[]): CurrencyBalances[] {
  const groups = new Map<string, CurrencyBalances>();
  for (const b of balances) {
    let group = groups.get(b.currency);
    if (!group) {
      group = { currency: b.currency, accounts: [], total: 0n };
      groups.set(b.currency, group);
    }
    group.accounts.push(b);
    group.total += BigInt(b.balance_minor);
  }
  return [...groups.values()];
}

function CurrencyTable({ group }: { group: CurrencyBalances }) {
  const balanced = group.total === 0n;
  return (
    <section
      aria-label={`Trial balance, ${group.currency}`}
      data-testid={`trial-balance-${group.currency}`}
      data-balanced={balanced}
      className="border-b border-line last:border-b-0"
    >
      <div className="flex items-center justify-between gap-2 px-4 pt-3 pb-1">
        <h3 className="text-sm font-medium tracking-wide text-fg-subtle uppercase">{group.currency}</h3>
        {balanced ? (
          <Badge tone="success" dot>
            Balanced
          </Badge>
        ) : (
          <Badge tone="danger" dot>
            Out of balance
          </Badge>
        )}
      </div>
      <SimpleTable
        columns={[
          { label: 'Account', className: 'px-4 py-1.5' },
          { label: 'Balance', className: 'px-4 py-1.5 text-right' },
        ]}
      >
        <tbody>
          {group.accounts.map((a) => (
            <tr key={`${a.code}|${a.name}`} data-account={a.code} className="border-b border-line">
              <td className="max-w-0 px-4 py-1.5">
                <div className="truncate" title={`${a.code} ${a.name}`}>
                  <span className="font-mono text-sm text-fg-subtle">{a.code}</span> {a.name}
                </div>
                <div className="text-sm text-fg-subtle">
                  {a.kind} · {formatNumber(a.entries)} {a.entries === 1 ? 'entry' : 'entries'}
                </div>
              </td>
              <td className="px-4 py-1.5 text-right align-top whitespace-nowrap tabular-nums">
                {formatMoney(a.balance_minor, a.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className={cn('font-semibold', balanced ? 'bg-canvas' : 'bg-danger-soft text-danger-text')}>
            <td className="px-4 py-2">Total</td>
            <td
              className="px-4 py-2 text-right whitespace-nowrap tabular-nums"
              data-testid={`trial-balance-total-${group.currency}`}
            >
              {formatMoney(group.total, group.currency)}
            </td>
          </tr>
        </tfoot>
      </SimpleTable>
      {!balanced && (
        <p
          role="alert"
          className="mx-4 my-3 flex items-start gap-2 rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text"
        >
          <AlertCircleIcon className="mt-0.5 shrink-0" />
          <span>
            The {group.currency} accounts add up to {formatMoney(group.total, group.currency)} instead of
            zero: the ledger is not whole. Do not pay out until this is corrected.
          </span>
        </p>
      )}
    </section>
  );
}

/** Every account's balance per currency (a trial balance); each currency must total zero. */
export function TrialBalance({ currency, className }: { currency: string | null; className?: string }) {
  const query = useQuery({
    queryKey: queryKeys.accountBalances(currency),
    queryFn: () => unwrap(commands.accountBalances(currency)),
  });

  let body;
  if (query.isPending) {
    body = (
      <div className="flex flex-col gap-3 p-4" aria-busy="true" aria-label="Loading the trial balance">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="flex gap-3">
            <Skeleton className="w-2/3" />
            <Skeleton className="ml-auto w-16" />
          </div>
        ))}
      </div>
    );
  } else if (query.isError) {
    body = <QueryErrorState query={query} title="Could not load the trial balance" />;
  } else if (query.data.length === 0) {
    body = (
      <EmptyState title="No accounts with entries" description="Balances appear with the first posting." />
    );
  } else {
    const groups = byCurrency(query.data);
    const whole = groups.every((g) => g.total === 0n);
    body = (
      <>
        <p
          role="status"
          className={cn(
            'flex items-center gap-2 border-b border-line px-4 py-2 text-base',
            whole ? 'text-success' : 'bg-danger-soft text-danger-text',
          )}
        >
          {whole ? <CheckCircleIcon className="shrink-0" /> : <AlertCircleIcon className="shrink-0" />}
          {whole ? 'Every currency adds up to zero.' : 'The ledger is out of balance.'}
        </p>
        <div className="min-h-0 flex-1 overflow-y-auto">
          {groups.map((g) => (
            <CurrencyTable key={g.currency} group={g} />
          ))}
        </div>
      </>
    );
  }

  return (
    <Card
      data-testid="trial-balance"
      className={cn('flex min-h-0 w-[clamp(300px,32%,400px)] shrink-0 flex-col overflow-hidden', className)}
    >
      <CardHeader title="Trial balance" description="Debits positive, credits negative." />
      {body}
    </Card>
  );
}
