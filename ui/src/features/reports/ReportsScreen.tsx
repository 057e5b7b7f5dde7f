import { useId, useState } from 'react';
import type {
  ExportFormat,
  ExportSummary,
  ReportKind,
  ReportQuery,
  ReportSort,
  SavedReport,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ExportedFile } from '../../components/ExportedFile';
import { InlineError, QueryInlineError } from '../../components/InlineError';
import { CalendarIcon, ChartIcon } from '../../components/icons';
import { Screen } from '../../components/Layout';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { Tooltip } from '../../components/Tooltip';
import { cn } from '../../lib/cn';
import { errorMessage } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { useHotkey } from '../../lib/hotkeys';
import { useDelayedFlag } from '../../lib/timing';
import { RevenueFilters } from '../revenue/RevenueFilters';
import { rangeProblem } from '../revenue/useRevenue';
import { useMe } from '../session/session';
import { VendorStatementPanel } from '../statements/VendorStatementPanel';
import { issueCount } from './cells';
import { REPORT_KIND_INFO } from './kinds';
import { RecentRuns } from './RecentRuns';
import { ReportGrid } from './ReportGrid';
import { ReportsRail } from './ReportsRail';
import { SaveReportDialog } from './SaveReportDialog';
import {
  defaultReportQuery,
  sameQuery,
  useDeleteSavedReport,
  useExportReport,
  useReportTable,
  useSavedReports,
  useSaveReport,
} from './useReports';

const EXPORT_SHORTCUT = 'mod+e';
const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

function TableSkeleton() {
  return (
    <div className="flex flex-col gap-3 p-4" aria-busy="true">
      <p role="status" className="flex items-center gap-2 text-base text-fg-muted">
        <Spinner size={14} />
        Running report…
      </p>
      {Array.from({ length: 6 }, (_, i) => (
        <Skeleton key={i} className={i === 0 ? 'h-4 w-full' : 'w-full'} />
      ))}
    </div>
  );
}

/** Payout reconciliation: how many payouts need a look. */
function IssuesChip({ count }: { count: number }) {
  return (
    <Badge tone={count > 0 ? 'warning' : 'success'} dot>
      <span data-testid="report-issues">{count > 0 ? plural(count, 'issue', 'issues') : 'No issues'}</span>
    </Badge>
  );
}

/**
 * Finance reports (finance, admins): commissions by vendor, orders, top products, payout
 * reconciliation and new users, over a date range; saved with their filters (alone or
 * shared), exported to CSV or XLSX in the Downloads folder, with a history of the exports.
 * Beside them, any vendor's statement (not saved: chosen by vendor and dates each time).
 */
export function ReportsScreen() {
  const me = useMe();
  const titleId = useId();
  const [query, setQuery] = useState<ReportQuery>(() => defaultReportQuery());
  const [open, setOpen] = useState<SavedReport | null>(null);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [lastExport, setLastExport] = useState<ExportSummary | null>(null);
  // A vendor statement on screen instead of a report.
  const [statement, setStatement] = useState(false);

  const problem = rangeProblem(query);
  const info = REPORT_KIND_INFO[query.kind];
  // A header click asks the core for another order; a new kind or grain (new columns) starts
  // in the report's own order.
  const [sorting, setSorting] = useState<{ columnsOf: string; sort: ReportSort } | null>(null);
  const columnsOf = `${query.kind}|${query.grain}`;
  const sort = sorting?.columnsOf === columnsOf ? sorting.sort : null;
  const report = useReportTable(query, sort, problem === null && !statement);
  const slow = useDelayedFlag(report.isFetching, 300);
  const saved = useSavedReports();
  const exportReport = useExportReport();
  const saveChanges = useSaveReport((s) => {
    setOpen(s);
    toast.success(`Saved “${s.name}”`);
  });
  const deleteReport = useDeleteSavedReport();

  // The open report as last read: our own save's answer, or the list when it is newer.
  const listed = open ? saved.data?.find((s) => s.id === open.id) : undefined;
  const current = listed && open && listed.version > open.version ? listed : open;
  const mine = current !== null && current.owner_id === me.id;
  const edited = current !== null && !sameQuery(current.query, query);

  const update = (patch: Partial<ReportQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const chooseKind = (kind: ReportKind) => {
    setOpen(null);
    setStatement(false);
    setQuery((q) => ({ ...q, kind, vendor_id: null, category_id: null }));
  };
  const chooseStatement = () => {
    setOpen(null);
    setStatement(true);
  };
  const openSaved = (s: SavedReport) => {
    setOpen(s);
    setStatement(false);
    setQuery(s.query);
  };

  const canExport = problem === null && !statement && !exportReport.isPending;
  const exportAs = (format: ExportFormat) => {
    if (!canExport) return;
    exportReport.mutate(
      { query, format },
      {
        onSuccess: (summary) => {
          setLastExport(summary);
          if (summary.cancelled) toast.info('The export was cancelled: no file was written.');
          else toast.success(`Exported ${plural(summary.rows, 'row', 'rows')} to ${summary.path}`);
        },
        onError: (e) => toast.error(errorMessage(e)),
      },
    );
  };
  useHotkey(EXPORT_SHORTCUT, () => exportAs('csv'), { enabled: canExport });

  const saveOpen = () => {
    if (!current || saveChanges.isPending) return;
    saveChanges.mutate(
      { existing: [current.id, current.version], name: current.name, query, is_shared: current.is_shared },
      { onError: (e) => toast.error(errorMessage(e)) },
    );
  };

  const table = report.data;
  const issues = table ? issueCount(table.columns, table.rows) : null;

  let body;
  if (problem !== null) {
    body = (
      <EmptyState
        icon={<CalendarIcon size={20} />}
        title="Choose the dates to report on"
        description={problem}
      />
    );
  } else if (!table) {
    body = report.isError ? (
      <QueryInlineError query={report} title="Could not run the report" retryTestId="report-retry" />
    ) : (
      <TableSkeleton />
    );
  } else if (table.rows.length === 0) {
    body = (
      <EmptyState
        icon={<ChartIcon size={20} />}
        title="Nothing in this range"
        description={
          info.currency ? 'Widen the dates, or try the other currency.' : 'Widen the dates to see more.'
        }
        className="py-10"
      />
    );
  } else {
    body = (
      <ReportGrid
        table={table}
        sort={sort}
        onSort={(next) => setSorting({ columnsOf, sort: next })}
        labelledBy={titleId}
      />
    );
  }

  const reportView = (
    <>
      <RevenueFilters
        params={query}
        onChange={update}
        problem={problem}
        testIdPrefix="report"
        showCurrency={info.currency}
        showGrain={info.grain}
      />

      <Card className="flex min-h-0 flex-1 flex-col" aria-labelledby={titleId}>
        <header className="flex flex-wrap items-start gap-x-4 gap-y-2 border-b border-line px-4 py-3">
          <div className="min-w-0 flex-1">
            <div className="flex min-w-0 flex-wrap items-center gap-2">
              <h2 id={titleId} data-testid="report-title" className="truncate text-md font-semibold text-fg">
                {current?.name ?? (report.isPlaceholderData ? undefined : table?.title) ?? info.label}
              </h2>
              {current && <span className="text-sm text-fg-subtle">{info.label}</span>}
              {edited && <Badge tone="neutral">Edited</Badge>}
              {table && issues !== null && <IssuesChip count={issues} />}
              {table && table.rows.length > 0 && (
                <span data-testid="report-row-count" className="text-sm text-fg-subtle tabular-nums">
                  {plural(table.rows.length, 'row', 'rows')}
                </span>
              )}
              {table && slow && (
                <span role="status" className="flex items-center gap-1.5 text-sm text-fg-subtle">
                  <Spinner size={12} />
                  Running report…
                </span>
              )}
            </div>
            {table?.note && (
              <p data-testid="report-note" className="mt-0.5 text-sm text-fg-subtle">
                {table.note}
              </p>
            )}
          </div>

          <div className="flex flex-wrap items-center gap-2">
            {FORMATS.map((format) => {
              const button = (
                <Button
                  key={format}
                  size="sm"
                  data-testid={`report-export-${format}`}
                  loading={exportReport.isPending && exportReport.variables.format === format}
                  disabled={!canExport}
                  onClick={() => exportAs(format)}
                >
                  Export {format.toUpperCase()}
                </Button>
              );
              return format === 'csv' ? (
                <Tooltip key={format} content="Export to Downloads" shortcut={EXPORT_SHORTCUT}>
                  {button}
                </Tooltip>
              ) : (
                button
              );
            })}
            {current && mine && (
              <Button
                size="sm"
                variant="primary"
                data-testid="report-update"
                loading={saveChanges.isPending}
                disabled={!edited}
                title={edited ? undefined : 'No changes to save'}
                onClick={saveOpen}
              >
                Save
              </Button>
            )}
            <Button
              size="sm"
              data-testid="report-save"
              disabled={problem !== null}
              onClick={() => setSaving(true)}
            >
              {current ? 'Save as…' : 'Save…'}
            </Button>
            {current && mine && (
              <Button size="sm" variant="ghost" data-testid="report-delete" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </div>

          {lastExport && !lastExport.cancelled && (
            <ExportedFile data-testid="report-export-path" path={lastExport.path}>
              Last export: {plural(lastExport.rows, 'row', 'rows')} in
            </ExportedFile>
          )}
        </header>

        {report.isError && table && (
          <div className="border-b border-line px-4 py-2">
            <InlineError error={report.error} title="Could not update the report" />
          </div>
        )}

        <div
          className={cn(
            'min-h-0 flex-1 overflow-auto',
            report.isPlaceholderData && 'opacity-60 transition-opacity',
          )}
          aria-busy={report.isFetching || undefined}
        >
          {body}
        </div>
      </Card>
    </>
  );

  return (
    <Screen data-testid="reports" className="flex-row gap-3">
      <ReportsRail
        kind={query.kind}
        openId={current?.id ?? null}
        statement={statement}
        meId={me.id}
        saved={saved}
        onKind={chooseKind}
        onStatement={chooseStatement}
        onOpen={openSaved}
      />

      <div className="flex min-h-0 min-w-0 flex-1 flex-col gap-3">
        {statement ? <VendorStatementPanel /> : reportView}

        <RecentRuns />
      </div>

      {saving && (
        <SaveReportDialog
          query={query}
          onClose={() => setSaving(false)}
          onSaved={(s) => {
            setSaving(false);
            setOpen(s);
            toast.success(`Saved “${s.name}”`);
          }}
        />
      )}

      {current && (
        <ConfirmDialog
          open={deleting}
          onOpenChange={setDeleting}
          title={`Delete “${current.name}”?`}
          description={
            current.is_shared
              ? 'It is shared: finance and admins will no longer see it. Its exports stay in the history.'
              : 'Its exports stay in the history.'
          }
          confirmLabel="Delete report"
          onConfirm={() =>
            deleteReport.mutateAsync(current).then(() => {
              setOpen(null);
              setDeleting(false);
              toast.success(`Deleted “${current.name}”`);
            })
          }
        />
      )}
    </Screen>
  );
}
