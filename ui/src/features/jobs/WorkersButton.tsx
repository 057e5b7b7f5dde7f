import { useQuery } from '@tanstack/react-query';
import { commands, type WorkerBeat } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { InlineError } from '../../components/InlineError';
import { SimpleTable } from '../../components/SimpleTable';
import { formatDateTime, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

const COLUMNS = [
  { label: 'Worker', className: 'py-1.5 pr-3' },
  { label: 'State', className: 'pr-3' },
  { label: 'Rounds', className: 'pr-3' },
  { label: 'Done', className: 'pr-3 text-right' },
  { label: 'Failed', className: 'text-right' },
] as const;

function WorkerState({ worker }: { worker: WorkerBeat }) {
  if (worker.alive) {
    return (
      <Badge tone="success" dot>
        Alive
      </Badge>
    );
  }
  return worker.stopped_at ? (
    <span className="text-fg-muted">Stopped {formatDateTime(worker.stopped_at)}</span>
  ) : (
    <span className="text-danger-text">Silent since {formatDateTime(worker.seen_at)}</span>
  );
}

/**
 * Whether background work is being done: how many workers beat now, and a dialog listing the
 * workers of the week with their rounds and counts (the core decides who is alive).
 */
export function WorkersButton() {
  const workers = useQuery({
    queryKey: ['jobs', 'workers'],
    queryFn: () => unwrap(commands.jobWorkers()),
    refetchInterval: 30_000,
  });
  const list = workers.data ?? [];
  const alive = list.filter((w) => w.alive).length;
  const label = workers.isPending
    ? 'Workers…'
    : alive === 0
      ? 'No worker running'
      : `${formatNumber(alive)} worker${alive === 1 ? '' : 's'} running`;
  return (
    <Dialog
      title="Workers"
      description="The `marketdesk worker` processes that run mail, tracking, Stripe's events and the other rounds."
      size="lg"
      trigger={
        <Button size="sm" variant="ghost" data-testid="job-workers">
          <Badge tone={workers.isPending ? 'neutral' : alive === 0 ? 'danger' : 'success'} dot>
            {label}
          </Badge>
        </Button>
      }
    >
      {workers.isError ? (
        <InlineError error={workers.error} title="The workers could not be read" />
      ) : list.length === 0 ? (
        <EmptyState
          title="No worker ran this week"
          description="Mail, parcel tracking and Stripe's events wait until `marketdesk worker` runs on a server."
        />
      ) : (
        <SimpleTable columns={COLUMNS} data-testid="worker-list">
          <tbody>
            {list.map((w) => (
              <tr key={w.name} className="border-b border-line align-top last:border-0">
                <td className="py-1.5 pr-3">
                  <div className="font-medium">{w.name}</div>
                  <div className="text-sm text-fg-muted">
                    on {w.host} · started {formatDateTime(w.started_at)}
                  </div>
                </td>
                <td className="py-1.5 pr-3">
                  <WorkerState worker={w} />
                </td>
                <td className="py-1.5 pr-3 text-sm text-fg-muted">{w.rounds.join(', ') || 'webhook only'}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{formatNumber(w.jobs_done)}</td>
                <td className="py-1.5 text-right tabular-nums">{formatNumber(w.jobs_failed)}</td>
              </tr>
            ))}
          </tbody>
        </SimpleTable>
      )}
    </Dialog>
  );
}
