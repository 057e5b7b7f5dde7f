import { useId, useState, type ReactNode } from 'react';
import type { ExportSummary, StatementLine, StatementQuery, VendorStatement } from '../../bindings';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { DateRangeInputs } from '../../components/DateRangeInputs';
import { EmptyState } from '../../components/EmptyState';
import { ExportedFile } from '../../components/ExportedFile';
import { CalendarIcon, LedgerIcon, UsersIcon } from '../../components/icons';
import { InlineError, QueryInlineError } from '../../components/InlineError';
import { SimpleTable } from '../../components/SimpleTable';
import { TableSkeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import type { DateRange } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { EMPTY, formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { statementLabel } from '../ledger/codes';
import { CurrencySelect, REPORT_CURRENCIES } from '../revenue/RevenueFilters';
import { rangeProblem } from '../revenue/useRevenue';
import { defaultStatementRange, useExportStatement, useVendorStatement } from './useStatement';

/** The statement's days are UTC days (as the core and the PDF count them): dates are shown in UTC. */
const UTC = { timeZone: 'UTC' } as const;

/** A movement's amount: signed, green when it adds to what the vendor is owed, red when it takes away. */
function SignedMoney({ minor, currency }: { minor: number; currency: string }) {
  return (
    <span className={cn(minor > 0 && 'text-success', minor < 0 && 'text-danger-text')}>
      {formatMoney(minor, currency, { signDisplay: 'exceptZero' })}
    </span>
  );
}

function SummaryRow({
  label,
  children,
  strong = false,
  testId,
}: {
  label: ReactNode;
  children: ReactNode;
  strong?: boolean;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId}
      className={cn(
        'flex items-baseline justify-between gap-6 py-1',
        strong && 'mt-1 border-t border-line-strong pt-2 font-semibold text-fg',
      )}
    >
      <dt className={cn(!strong && 'text-fg-muted')}>{label}</dt>
      <dd className="text-right tabular-nums">{children}</dd>
    </div>
  );
}

/** Owed at the start, the movements' sum per kind, and owed at the end (in bold). */
function Summary({ statement }: { statement: VendorStatement }) {
  const { query } = statement;
  return (
    <dl data-testid="statement-summary" className="max-w-md px-4 py-3 text-base">
      <SummaryRow label={`Owed on ${formatDate(query.from)}`} testId="statement-opening">
        {formatMoney(statement.opening_minor, query.currency)}
      </SummaryRow>
      {statement.totals.map(([code, minor]) => (
        <SummaryRow key={code} label={statementLabel(code)} testId={`statement-total-${code}`}>
          <SignedMoney minor={minor} currency={query.currency} />
        </SummaryRow>
      ))}
      <SummaryRow label={`Owed at end of ${formatDate(query.to)}`} strong testId="statement-closing">
        {formatMoney(statement.closing_minor, query.currency)}
      </SummaryRow>
    </dl>
  );
}

const COLUMNS = [
  { label: 'Date', className: 'py-1.5 pr-2 pl-4' },
  { label: 'Description', className: 'px-2 py-1.5' },
  { label: 'Order', className: 'px-2 py-1.5' },
  { label: 'Amount', className: 'px-2 py-1.5 text-right' },
  { label: 'Balance', className: 'py-1.5 pr-4 pl-2 text-right' },
];

function LineRow({ line, currency }: { line: StatementLine; currency: string }) {
  const label = statementLabel(line.code);
  return (
    <tr data-testid="statement-line" className="border-b border-line last:border-b-0 hover:bg-raised">
      <td
        className="py-1.5 pr-2 pl-4 align-top whitespace-nowrap tabular-nums"
        title={formatDateTime(line.occurred_at)}
      >
        {formatDate(line.occurred_at, UTC)}
      </td>
      <td className="px-2 py-1.5 align-top">
        {label}
        {line.description !== '' && line.description !== label && (
          <span className="block text-sm text-fg-subtle">{line.description}</span>
        )}
      </td>
      <td className="px-2 py-1.5 align-top whitespace-nowrap">
        {line.order_number ?? <span className="text-fg-faint">{EMPTY}</span>}
      </td>
      <td className="px-2 py-1.5 text-right align-top whitespace-nowrap tabular-nums">
        <SignedMoney minor={line.amount_minor} currency={currency} />
      </td>
      <td className="py-1.5 pr-4 pl-2 text-right align-top whitespace-nowrap tabular-nums">
        {formatMoney(line.balance_minor, currency)}
      </td>
    </tr>
  );
}

function Movements({ statement }: { statement: VendorStatement }) {
  if (statement.lines.length === 0) {
    return (
      <EmptyState
        icon={<LedgerIcon size={20} />}
        title="No movements in this period"
        description="Widen the dates, or try the other currency."
        className="border-t border-line py-8"
      />
    );
  }
  return (
    <div className="overflow-x-auto border-t border-line">
      <SimpleTable data-testid="statement-lines" columns={COLUMNS}>
        <tbody>
          {statement.lines.map((line, i) => (
            <LineRow key={i} line={line} currency={statement.query.currency} />
          ))}
        </tbody>
      </SimpleTable>
    </div>
  );
}

/**
 * A vendor's statement over a period: what they were owed at the start, the movements' sum
 * per kind, what they were owed at the end, then every movement with the running balance;
 * downloadable as the PDF the core writes into the Downloads folder. `vendorId` null: no
 * vendor chosen yet (the `picker`, shown first among the filters, chooses one). For a vendor
 * signed in, the core answers with their own statement whatever the id.
 */
export function StatementView({
  vendorId,
  picker,
  currencies = REPORT_CURRENCIES,
  className,
}: {
  vendorId: string | null;
  picker?: ReactNode;
  /** The currencies to choose from; the first is the default. */
  currencies?: readonly string[];
  className?: string;
}) {
  const titleId = useId();
  const [range, setRange] = useState<DateRange>(() => defaultStatementRange());
  const [currency, setCurrency] = useState(() => currencies[0] ?? 'USD');
  const [saved, setSaved] = useState<ExportSummary | null>(null);

  const problem = rangeProblem(range);
  const query: StatementQuery = { vendor_id: vendorId ?? '', currency, ...range };
  const ready = vendorId !== null && problem === null;
  const statement = useVendorStatement(query, ready);
  const exportStatement = useExportStatement();
  const data = statement.data;

  const download = () =>
    exportStatement.mutate(query, {
      onSuccess: (summary) => {
        setSaved(summary);
        if (summary.cancelled) toast.info('The download was cancelled: no file was written.');
        else toast.success(`Saved the statement to ${summary.path}`);
      },
      onError: (e) => toast.error(errorMessage(e)),
    });

  let body;
  if (vendorId === null) {
    body = (
      <EmptyState
        icon={<UsersIcon size={20} />}
        title="Choose a vendor"
        description="Their statement shows what they were owed and every movement in the period."
      />
    );
  } else if (problem !== null) {
    body = (
      <EmptyState
        icon={<CalendarIcon size={20} />}
        title="Choose the statement’s dates"
        description={problem}
      />
    );
  } else if (!data) {
    body = statement.isError ? (
      <QueryInlineError
        query={statement}
        title="Could not load the statement"
        retryTestId="statement-retry"
      />
    ) : (
      <TableSkeleton label="Loading the statement" rows={4} />
    );
  } else {
    body = (
      <div
        className={cn(statement.isPlaceholderData && 'opacity-60 transition-opacity')}
        aria-busy={statement.isFetching || undefined}
      >
        {statement.isError && (
          <div className="px-4 pt-3">
            <InlineError error={statement.error} title="Could not update the statement" />
          </div>
        )}
        <Summary statement={data} />
        <Movements statement={data} />
      </div>
    );
  }

  return (
    <div data-testid="statement" className={cn('flex flex-col gap-3', className)}>
      <div className="flex flex-wrap items-center gap-2">
        {picker}
        <DateRangeInputs
          {...range}
          onChange={(patch) => setRange((r) => ({ ...r, ...patch }))}
          problem={problem}
          testIdPrefix="statement"
        />
        <CurrencySelect
          value={currency}
          onChange={setCurrency}
          currencies={currencies}
          data-testid="statement-currency"
        />
        <Button
          className="ml-auto"
          data-testid="statement-download"
          loading={exportStatement.isPending}
          disabled={!ready}
          onClick={download}
        >
          Download PDF
        </Button>
        {saved && !saved.cancelled && (
          <ExportedFile data-testid="statement-path" path={saved.path}>
            Saved to
          </ExportedFile>
        )}
      </div>

      <Card className="min-h-0 overflow-y-auto" aria-labelledby={titleId}>
        <header className="border-b border-line px-4 py-3">
          <h3 id={titleId} data-testid="statement-title" className="truncate text-md font-semibold text-fg">
            {data ? `Statement · ${data.vendor_name}` : 'Statement'}
          </h3>
          {data && (
            <p className="mt-0.5 text-sm text-fg-subtle">
              {data.vendor_email} · {formatDate(data.query.from)} to {formatDate(data.query.to)} ·{' '}
              {data.query.currency}
            </p>
          )}
        </header>
        {body}
      </Card>
    </div>
  );
}
