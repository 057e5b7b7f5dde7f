import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { commands, type JobFilter, type JobRow, type JobSort, type JobStatus } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { ReasonCell } from '../../components/ReasonCell';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { usePagedList } from '../../lib/useListScreen';
import { WorkersButton } from './WorkersButton';

const STATUSES: readonly JobStatus[] = ['queued', 'running', 'dead', 'done'];
const LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  dead: 'Dead',
};
const TONES: Record<JobStatus, BadgeTone> = {
  queued: 'info',
  running: 'accent',
  done: 'success',
  dead: 'danger',
};
const SORTS: readonly JobSort[] = ['updated_at', 'run_at'];

function RetryButton({ job }: { job: JobRow }) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => unwrap(commands.retryJob(job.id)),
    onSuccess: () => {
      void invalidateEntity(client, 'jobs');
      toast.success('Job queued again', { description: job.kind });
    },
    onError: (e) => toast.error(errorMessage(e), { description: 'The job was not put back.' }),
  });
  return (
    <Button size="sm" data-testid="job-retry" loading={retry.isPending} onClick={() => retry.mutate()}>
      Retry
    </Button>
  );
}

const col = gridColumnHelper<JobRow>();
const COLUMNS = col.columns([
  col.accessor('kind', { header: 'Job', meta: { width: 200 } }),
  col.accessor('status', {
    header: 'State',
    meta: { width: 110 },
    cell: (info) => <StatusBadge status={info.getValue()} labels={LABELS} tones={TONES} />,
  }),
  col.accessor('attempts', {
    header: 'Tries',
    meta: { width: 80, align: 'end' },
    cell: (info) => `${info.getValue()}/${info.row.original.max_attempts}`,
  }),
  col.accessor('run_at', {
    header: 'Due',
    meta: { sortKey: 'run_at', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.accessor('locked_by', {
    header: 'Worker',
    meta: { width: 170 },
    cell: (info) => info.getValue() ?? '—',
  }),
  col.accessor('last_error', {
    header: 'Last error',
    meta: { width: 300 },
    cell: (info) => <ReasonCell reason={info.getValue()} />,
  }),
  col.accessor('updated_at', {
    header: 'Changed',
    meta: { sortKey: 'updated_at', firstSortDir: 'desc', width: 170 },
    cell: (info) => formatDateTime(info.getValue()),
  }),
  col.display({
    id: 'retry',
    header: '',
    meta: { width: 90 },
    cell: (info) => (info.row.original.status === 'dead' ? <RetryButton job={info.row.original} /> : null),
  }),
]);

/**
 * The background job queue for admins: jobs by state (dead ones with their last error and a
 * retry), the queue's depth and the workers doing it — what `marketdesk doctor` reports too.
 */
export function JobsScreen() {
  const [status, setStatus] = useState<JobStatus | ''>('dead');
  const depth = useQuery({ queryKey: ['jobs', 'depth'], queryFn: () => unwrap(commands.jobQueueDepth()) });
  const filter: JobFilter = useMemo(() => ({ status: status === '' ? null : status, kind: null }), [status]);
  const fetchPage = usePagedList(filter, commands.listJobs, SORTS, 'updated_at');
  const d = depth.data;
  return (
    <ListScreen
      toolbarEnd={<WorkersButton />}
      filters={
        <>
          <FilterSelect
            label="State"
            data-testid="filter-job-status"
            placeholder="Any state"
            value={status}
            onValueChange={setStatus}
            values={STATUSES}
            labels={LABELS}
            className="w-36"
          />
          {d && (
            <span className="ml-auto text-sm text-fg-muted" data-testid="job-depth">
              {formatNumber(d.due)} due · {formatNumber(d.running)} running · {formatNumber(d.dead)} dead
              {d.oldest_due_seconds > 0 && ` · oldest due waited ${formatNumber(d.oldest_due_seconds)} s`}
            </span>
          )}
        </>
      }
    >
      <DataGrid
        aria-label="Jobs"
        data-testid="grid-jobs"
        className="min-h-0 flex-1"
        columns={COLUMNS}
        queryKey={['jobs', 'list', filter]}
        fetchPage={fetchPage}
        rowKey={(r) => r.id}
        defaultSort={{ key: 'updated_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={status === 'dead' ? 'No dead jobs' : 'No jobs here'}
            description={
              status === 'dead' ? 'Jobs that run out of tries wait here with their error.' : undefined
            }
          />
        }
      />
    </ListScreen>
  );
}
