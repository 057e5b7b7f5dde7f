import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isTauri } from '@tauri-apps/api/core';
import { useEffect, useState } from 'react';
import { commands, events, type CopyProgress, type SyncOverview } from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** Where the session's sync stands; refreshed by every background round. */
export function useSyncOverview() {
  return useQuery({
    queryKey: queryKeys.syncOverview,
    queryFn: () => unwrap(commands.syncOverview()),
    refetchInterval: 60_000,
  });
}

/** What the background sync says as it works: a first copy's progress and the last round's error. */
export type SyncActivity = { copy: CopyProgress | null; error: string | null };

/**
 * Follows the background sync's events: each finished round refreshes the sync views, a copy
 * under way reports its progress, and a round that could not finish says why.
 */
export function useSyncActivity(): SyncActivity {
  const client = useQueryClient();
  const [activity, setActivity] = useState<SyncActivity>({ copy: null, error: null });
  useEffect(() => {
    if (!isTauri()) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    events.syncProgressed
      .listen((event) => {
        const { copy, error, status } = event.payload;
        if (copy) {
          setActivity({ copy, error: null });
          return;
        }
        setActivity({ copy: null, error });
        if (status) void client.invalidateQueries({ queryKey: ['sync'] });
      })
      .then((unlisten) => {
        if (cancelled) unlisten();
        else stop = unlisten;
      })
      .catch((e: unknown) => console.warn('cannot listen for sync progress', e));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [client]);
  return activity;
}

/** The badge's words and tone for where the sync stands. */
export function syncLabel(overview: SyncOverview): {
  text: string;
  tone: 'success' | 'warning' | 'danger' | 'neutral';
} {
  const { status } = overview;
  if (status.conflicts > 0) {
    return { text: `${status.conflicts} conflict${status.conflicts === 1 ? '' : 's'}`, tone: 'danger' };
  }
  if (status.pending > 0) return { text: `${status.pending} pending`, tone: 'warning' };
  if (status.parked > 0) return { text: `${status.parked} refused`, tone: 'danger' };
  if (!status.ready) return { text: status.copying ? 'Copying' : 'No copy yet', tone: 'neutral' };
  return { text: 'Synced', tone: 'success' };
}
