import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type QueuedChange, type QueueState } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { Checkbox } from '../../components/Checkbox';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { InlineError } from '../../components/InlineError';
import { RefreshIcon } from '../../components/icons';
import { Screen } from '../../components/Layout';
import { ProgressBar } from '../../components/ProgressBar';
import { QueryTable } from '../../components/QueryTable';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { ConflictCard } from './ConflictCard';
import { useSyncActivity, useSyncOverview } from './sync';

const STATE_TONES: Record<QueueState, BadgeTone> = {
  pending: 'warning',
  applied: 'success',
  conflict: 'danger',
  parked: 'danger',
};

const STATE_LABELS: Record<QueueState, string> = {
  pending: 'Waiting',
  applied: 'Applied',
  conflict: 'Conflict',
  parked: 'Refused',
};

function ChangeRow({ change }: { change: QueuedChange }) {
  return (
    <tr className="border-b border-line last:border-0" data-testid="pending-change" data-state={change.state}>
      <td className="py-1.5 pr-3 whitespace-nowrap" title={formatDateTime(change.created_at)}>
        {formatRelative(change.created_at)}
      </td>
      <td className="py-1.5 pr-3">{change.summary}</td>
      <td className="py-1.5 pr-3">
        <Badge tone={STATE_TONES[change.state]} dot>
          {STATE_LABELS[change.state]}
        </Badge>
      </td>
      <td className="py-1.5 pr-3 text-end tabular-nums">{change.attempts}</td>
      <td className="py-1.5 text-sm text-danger-text">{change.last_error ?? ''}</td>
    </tr>
  );
}

/**
 * Sync between this computer's copy and the central server: where it stands, the changes made
 * offline and what became of them, the conflicts to settle side by side, and a full resync.
 */
export function SyncScreen() {
  const client = useQueryClient();
  const overview = useSyncOverview();
  const { copy, error: roundError } = useSyncActivity();
  const [all, setAll] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const changes = useQuery({
    queryKey: queryKeys.pendingChanges(all),
    queryFn: () => unwrap(commands.pendingChanges(all)),
  });
  const conflicts = useQuery({
    queryKey: queryKeys.syncConflicts,
    queryFn: () => unwrap(commands.syncConflicts()),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['sync'] });
  const syncNow = (resync: boolean) =>
    unwrap(commands.syncNow(resync))
      .then(() => setActionError(null))
      .catch((e: unknown) => setActionError(e));

  const status = overview.data?.status;
  if (overview.data && !overview.data.syncs) {
    return (
      <Screen data-testid="sync">
        <p className="text-base text-fg-subtle">
          This computer works on its own database: there is no central server to sync with.
        </p>
      </Screen>
    );
  }
  return (
    <Screen data-testid="sync">
      <div className="flex flex-col gap-4">
        <Card>
          <CardHeader
            title={overview.data?.online ? 'Online' : 'Offline'}
            description={
              overview.data?.online
                ? 'You work on the central server; this computer’s copy is kept current in the background.'
                : 'You work on this computer’s copy. Your changes wait here and go to the server when it answers again.'
            }
            actions={
              <>
                <Button
                  size="sm"
                  icon={<RefreshIcon />}
                  data-testid="sync-now"
                  onClick={() => void syncNow(false)}
                >
                  Sync now
                </Button>
                <ConfirmDialog
                  title="Replace this computer’s copy?"
                  description="Marketdesk copies everything you may read from the server again. Changes not sent yet are kept and sent afterwards."
                  confirmLabel="Resync"
                  tone="primary"
                  onConfirm={() => syncNow(true)}
                  trigger={
                    <Button size="sm" variant="secondary" data-testid="resync">
                      Resync…
                    </Button>
                  }
                />
              </>
            }
          />
          <CardBody className="flex flex-col gap-3">
            <dl className="grid grid-cols-[max-content_1fr_max-content_1fr] gap-x-4 gap-y-1 text-base">
              <dt className="text-fg-subtle">Waiting</dt>
              <dd data-testid="sync-pending">{formatNumber(status?.pending ?? 0)}</dd>
              <dt className="text-fg-subtle">Last pull</dt>
              <dd>{status?.last_pull_at ? formatDateTime(status.last_pull_at) : 'Never'}</dd>
              <dt className="text-fg-subtle">Conflicts</dt>
              <dd data-testid="sync-conflicts">{formatNumber(status?.conflicts ?? 0)}</dd>
              <dt className="text-fg-subtle">Last push</dt>
              <dd>{status?.last_push_at ? formatDateTime(status.last_push_at) : 'Never'}</dd>
              <dt className="text-fg-subtle">Refused</dt>
              <dd>{formatNumber(status?.parked ?? 0)}</dd>
              <dt className="text-fg-subtle">Copy</dt>
              <dd>{status?.ready ? 'Ready' : status?.copying ? 'First copy under way' : 'None yet'}</dd>
            </dl>
            {copy && (
              <ProgressBar
                label={`Copying ${copy.table}`}
                value={copy.rows_done}
                max={Math.max(copy.rows_total, 1)}
                detail={`${formatNumber(copy.rows_done)} of ${formatNumber(copy.rows_total)} rows`}
              />
            )}
            {(roundError ?? status?.push_error) && (
              <p className="text-sm text-warning" data-testid="sync-error">
                {roundError ?? status?.push_error}
              </p>
            )}
            {actionError !== null && <InlineError error={actionError} title="Could not start a sync" />}
          </CardBody>
        </Card>

        {(conflicts.data?.length ?? 0) > 0 && (
          <section className="flex flex-col gap-3" aria-label="Conflicts">
            <h2 className="text-md font-semibold text-fg">Conflicts to settle</h2>
            {conflicts.data?.map((c) => (
              <ConflictCard key={c.id} conflict={c} onSettled={refresh} />
            ))}
          </section>
        )}

        <Card>
          <CardHeader
            title="Changes made offline"
            description="Each goes to the server once, in the order it was made."
            actions={
              <Checkbox data-testid="show-applied" checked={all} onChange={setAll}>
                Show applied
              </Checkbox>
            }
          />
          <CardBody>
            <QueryTable
              query={changes}
              rows={changes.data ?? []}
              loadingLabel="Loading changes"
              errorTitle="Could not read the changes"
              empty={{
                title: 'Nothing waiting',
                description: 'Every change made here has reached the server.',
              }}
              data-testid="pending-changes"
              columns={[
                { label: 'Made', className: 'py-1.5 pr-3' },
                { label: 'Change', className: 'py-1.5 pr-3' },
                { label: 'State', className: 'py-1.5 pr-3' },
                { label: 'Tries', className: 'py-1.5 pr-3 text-end' },
                { label: 'Why', className: 'py-1.5' },
              ]}
              renderRow={(c) => <ChangeRow key={c.mutation_id} change={c} />}
            />
          </CardBody>
        </Card>
      </div>
    </Screen>
  );
}
