import { useId, useState } from 'react';
import type { ReportRun } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { QueryErrorState } from '../../components/ErrorState';
import { ChevronDownIcon } from '../../components/icons';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { EMPTY, formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { humanize } from '../disputes/labels';
import { runKindLabel } from './kinds';
import { useReportRuns } from './useReports';

const STATUS_TONES: Record<string, BadgeTone> = {
  running: 'accent',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

function RunRow({ run }: { run: ReportRun }) {
  return (
    <tr data-testid={`report-run-${run.id}`} className="border-b border-line last:border-b-0">
      <td className="py-1.5 pr-2 pl-4 whitespace-nowrap">
        {runKindLabel(run.kind)}
        {run.export_format && (
          <span className="ml-1.5 text-sm text-fg-subtle uppercase">{run.export_format}</span>
        )}
      </td>
      <td className="px-2 py-1.5">
        <Badge tone={STATUS_TONES[run.status] ?? 'neutral'} dot>
          {humanize(run.status)}
        </Badge>
      </td>
      <td className="px-2 py-1.5 text-right tabular-nums">
        {run.row_count === null ? EMPTY : formatNumber(run.row_count)}
      </td>
      <td className="px-2 py-1.5 whitespace-nowrap text-fg-muted" title={formatDateTime(run.started_at)}>
        {formatRelative(run.started_at)}
        {run.run_by_name && <span className="text-fg-subtle"> · {run.run_by_name}</span>}
      </td>
      <td className="max-w-0 py-1.5 pr-4 pl-2">
        {run.error ? (
          <span className="block truncate text-danger-text" title={run.error}>
            {run.error}
          </span>
        ) : (
          <span
            className="block truncate font-mono text-sm text-fg-muted"
            title={run.export_url ?? undefined}
          >
            {run.export_url ?? EMPTY}
          </span>
        )}
      </td>
    </tr>
  );
}

/** The latest report exports (everyone's, for admins), folded away until asked for. */
export function RecentRuns() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const runs = useReportRuns(open);

  let body;
  if (runs.isPending) {
    body = (
      <div className="flex flex-col gap-2 p-4" aria-busy="true" aria-label="Loading the recent runs">
        <Skeleton className="w-full" />
        <Skeleton className="w-4/5" />
      </div>
    );
  } else if (runs.isError) {
    body = <QueryErrorState query={runs} title="Could not load the recent runs" className="py-6" />;
  } else if (runs.data.length === 0) {
    body = <p className="px-4 py-3 text-base text-fg-subtle">No exports yet.</p>;
  } else {
    body = (
      <div className="max-h-56 overflow-y-auto">
        <SimpleTable
          headClassName="sticky top-0 bg-surface"
          columns={[
            { label: 'Report', className: 'py-1.5 pr-2 pl-4' },
            { label: 'Status', className: 'px-2 py-1.5' },
            { label: 'Rows', className: 'px-2 py-1.5 text-right' },
            { label: 'When', className: 'px-2 py-1.5' },
            { label: 'File', className: 'w-1/2 py-1.5 pr-4 pl-2' },
          ]}
        >
          <tbody>
            {runs.data.map((run) => (
              <RunRow key={run.id} run={run} />
            ))}
          </tbody>
        </SimpleTable>
      </div>
    );
  }

  return (
    <section className="shrink-0 rounded-lg border border-line bg-surface shadow-xs">
      <button
        type="button"
        data-testid="report-runs-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 w-full items-center gap-2 rounded-lg px-4 text-left text-base font-medium hover:bg-raised"
      >
        <ChevronDownIcon className={cn('text-fg-subtle transition-transform', !open && '-rotate-90')} />
        Recent runs
      </button>
      {open && (
        <div id={panelId} data-testid="report-runs" className="border-t border-line">
          {body}
        </div>
      )}
    </section>
  );
}
