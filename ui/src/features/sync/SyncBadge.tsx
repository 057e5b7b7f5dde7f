import { Badge } from '../../components/Badge';
import { Spinner } from '../../components/Spinner';
import { formatRelative } from '../../lib/format';
import { navigate } from '../../app/router';
import { syncLabel, useSyncActivity, useSyncOverview } from './sync';

/**
 * The top bar's sync state (pending changes, conflicts, last sync, a copy under way); opens
 * the sync screen. Nothing when the session has no central server to sync with.
 */
export function SyncBadge() {
  const overview = useSyncOverview();
  const { copy, error } = useSyncActivity();
  if (!overview.data?.syncs) return null;
  const { text, tone } = syncLabel(overview.data);
  const last = overview.data.status.last_pull_at;
  const detail = copy
    ? `Copying ${copy.table}: ${copy.rows_done} of ${copy.rows_total} rows`
    : (error ?? (last ? `Last synced ${formatRelative(last)}` : 'Not synced yet'));
  return (
    <button
      type="button"
      data-testid="sync-badge"
      data-pending={overview.data.status.pending}
      data-conflicts={overview.data.status.conflicts}
      title={detail}
      onClick={() => navigate('/sync')}
      className="rounded-md focus-visible:outline-2 focus-visible:outline-accent"
    >
      <Badge tone={error ? 'warning' : tone} dot>
        {copy && <Spinner size={10} />}
        <span data-testid="sync-badge-text">{text}</span>
        <span className="sr-only">: {detail}</span>
      </Badge>
    </button>
  );
}
