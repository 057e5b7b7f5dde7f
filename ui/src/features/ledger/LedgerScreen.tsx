import { useMemo, useState } from 'react';
import {
  commands,
  type ExportFormat,
  type LedgerFilter,
  type LedgerLine,
  type LedgerSort,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { DateRangeInputs } from '../../components/DateRangeInputs';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { CloseIcon, LedgerIcon } from '../../components/icons';
import { ListScreen } from '../../components/Layout';
import { ProgressBar } from '../../components/ProgressBar';
import { CURRENCIES, type PayoutCurrency } from '../../lib/currencies';
import { EMPTY, formatDateTime, formatMoney } from '../../lib/format';
import { shortId } from '../../lib/ids';
import { queryKeys } from '../../lib/queryKeys';
import { useDateRange } from '../../lib/useDateRange';
import { usePagedList } from '../../lib/useListScreen';
import { CODE_LABELS, codeLabel, codeTone, LEDGER_CODES, type LedgerCode } from './codes';
import { TrialBalance } from './TrialBalance';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useLedgerExport } from './useLedgerExport';

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
  const dates = useDateRange();
  const { fromInstant, toInstant } = dates;
  const [transaction, setTransaction] = useState<string | null>(null);

  const filter: LedgerFilter = useMemo(
    () => ({
      code: code === '' ? null : code,
      vendor_id: null,
      currency: currency === '' ? null : currency,
      from: fromInstant,
      to: toInstant,
      transaction_id: transaction,
    }),
    [code, currency, fromInstant, toInstant, transaction],
  );
  const fetchPage = usePagedList(filter, commands.listLedger, LEDGER_SORTS, 'created_at');
  const filtered = code !== '' || currency !== '' || dates.active || transaction !== null;
  const { job, start, cancel } = useLedgerExport();
  const exportAs = (format: ExportFormat) => {
    start(filter, format).then(
      (summary) => {
        if (summary === null) return;
        if (summary.cancelled) toast.info('The export was cancelled: no file was written.');
        else toast.success(`Exported ${formatNumber(summary.rows)} entries to ${summary.path}`);
      },
      (e: unknown) => toast.error(errorMessage(e)),
    );
  };

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
          <DateRangeInputs
            {...dates.range}
            onChange={dates.onChange}
            problem={dates.problem}
            testIdPrefix="ledger"
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
        </>
      }
      toolbarEnd={
        <span className="flex items-center gap-2">
          {job.state === 'running' ? (
            <ProgressBar
              label={`Exporting ${job.format.toUpperCase()}`}
              detail={`${formatNumber(job.rows)} entries written`}
              onCancel={cancel}
              cancelling={job.cancelling}
              className="w-72"
            />
          ) : (
            <>
              <span className="text-fg-muted">Read-only: corrections are new entries</span>
              {(['csv', 'xlsx'] as const).map((format) => (
                <Button
                  key={format}
                  size="sm"
                  variant="secondary"
                  data-testid={`export-${format}`}
                  onClick={() => exportAs(format)}
                >
                  Export {format.toUpperCase()}
                </Button>
              ))}
            </>
          )}
        </span>
      }
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
