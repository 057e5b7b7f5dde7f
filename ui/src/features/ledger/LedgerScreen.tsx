import { useMemo, useState } from 'react';
import { commands, type LedgerFilter, type LedgerLine, type LedgerSort } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { DateInput } from '../../components/DateInput';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { CloseIcon, LedgerIcon } from '../../components/icons';
import { ListScreen } from '../../components/Layout';
import { dayStart, isIsoDay } from '../../lib/dates';
import { EMPTY, formatDateTime, formatMoney } from '../../lib/format';
import { shortId } from '../../lib/ids';
import { queryKeys } from '../../lib/queryKeys';
import { usePagedList } from '../../lib/useListScreen';
import { CURRENCIES, type PayoutCurrency } from '../payouts/status';
import { CODE_LABELS, codeLabel, codeTone, LEDGER_CODES, type LedgerCode } from './codes';
import { TrialBalance } from './TrialBalance';

const LEDGER_SORTS: readonly LedgerSort[] = ['created_at', 'amount'];

const faint = <span className="text-fg-faint">{EMPTY}</span>;

const col = gridColumnHelper<LedgerLine>();
const columns = col.columns([
  col.accessor('occurred_at', {
    header: 'Occurred',
    // Entries sort in the order they were posted, which is the order they occurred in.
    meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('code', {
    header: 'Code',
    meta: { width: 160 },
    cell: (info) => <Badge tone={codeTone(info.getValue())}>{codeLabel(info.getValue())}</Badge>,
  }),
  col.accessor('description', {
    header: 'Description',
    meta: { width: 260 },
    cell: (info) => <span title={info.getValue()}>{info.getValue()}</span>,
  }),
  col.accessor('account_name', {
    header: 'Account',
    meta: { width: 210 },
    cell: (info) => (
      <span title={`${info.row.original.account_code} ${info.getValue()}`}>
        <span className="font-mono text-sm text-fg-subtle">{info.row.original.account_code}</span>{' '}
        {info.getValue()}
      </span>
    ),
  }),
  col.accessor('vendor_name', {
    header: 'Vendor',
    meta: { width: 160 },
    cell: (info) => info.getValue() ?? faint,
  }),
  col.display({
    id: 'debit',
    header: 'Debit',
    meta: { width: 120, align: 'end', numeric: true },
    cell: (info) => {
      const { amount_minor, currency } = info.row.original;
      return amount_minor > 0 ? formatMoney(amount_minor, currency) : faint;
    },
  }),
  col.display({
    id: 'credit',
    header: 'Credit',
    meta: { width: 120, align: 'end', numeric: true },
    cell: (info) => {
      const { amount_minor, currency } = info.row.original;
      return amount_minor < 0 ? formatMoney(-amount_minor, currency) : faint;
    },
  }),
  col.accessor('currency', { header: 'Currency', meta: { width: 80 } }),
]);

/**
 * The double-entry ledger (finance and admins): every entry, filtered by transaction code,
 * currency and date range in the core, beside the trial balance. Enter or a double click on
 * an entry shows its whole transaction.
 */
export function LedgerScreen() {
  const [code, setCode] = useState<LedgerCode | ''>('');
  const [currency, setCurrency] = useState<PayoutCurrency | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [transaction, setTransaction] = useState<string | null>(null);

  const fromOk = from !== '' && isIsoDay(from);
  const toOk = to !== '' && isIsoDay(to);
  const problem = fromOk && toOk && from > to ? 'The start date is after the end date.' : null;

  const filter: LedgerFilter = useMemo(
    () => ({
      code: code === '' ? null : code,
      vendor_id: null,
      currency: currency === '' ? null : currency,
      from: fromOk && problem === null ? dayStart(from) : null,
      // The whole last day: before the start of the next one.
      to: toOk && problem === null ? dayStart(to, 1) : null,
      transaction_id: transaction,
    }),
    [code, currency, from, to, fromOk, toOk, problem, transaction],
  );
  const fetchPage = usePagedList(filter, commands.listLedger, LEDGER_SORTS, 'created_at');
  const filtered = code !== '' || currency !== '' || fromOk || toOk || transaction !== null;

  return (
    <ListScreen
      filters={
        <>
          <FilterSelect
            label="Transaction code"
            data-testid="filter-code"
            placeholder="Any transaction"
            value={code}
            onValueChange={setCode}
            values={LEDGER_CODES}
            labels={CODE_LABELS}
            className="w-48"
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
          <DateInput
            label="From"
            data-testid="ledger-from"
            value={from}
            max={to || undefined}
            invalid={problem !== null}
            onChange={setFrom}
          />
          <DateInput
            label="to"
            data-testid="ledger-to"
            value={to}
            min={from || undefined}
            invalid={problem !== null}
            onChange={setTo}
          />
          {transaction && (
            <Button
              size="sm"
              variant="secondary"
              data-testid="clear-transaction"
              icon={<CloseIcon size={12} />}
              onClick={() => setTransaction(null)}
              aria-label={`Show all transactions, not only ${shortId(transaction)}`}
            >
              Transaction <span className="font-mono">{shortId(transaction)}</span>
            </Button>
          )}
          {problem && (
            <p role="alert" className="text-sm text-danger-text">
              {problem}
            </p>
          )}
        </>
      }
      toolbarEnd="Read-only: corrections are new entries"
      detail={<TrialBalance currency={currency === '' ? null : currency} />}
    >
      <DataGrid
        aria-label="Ledger entries"
        data-testid="grid-ledger"
        className="min-h-0 flex-1"
        columns={columns}
        queryKey={queryKeys.ledgerList(filter)}
        fetchPage={fetchPage}
        rowKey={(l) => l.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        onRowOpen={(line) => setTransaction(line.transaction_id)}
        emptyState={
          <EmptyState
            icon={<LedgerIcon size={20} />}
            title={filtered ? 'No entries match these filters' : 'No entries yet'}
            description={
              filtered
                ? 'Try another code, currency or date range.'
                : 'Postings appear with the first payment.'
            }
          />
        }
      />
    </ListScreen>
  );
}
