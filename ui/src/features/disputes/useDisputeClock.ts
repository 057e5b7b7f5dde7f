import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { commands, type Role } from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

/** How often an admin's desktop runs the disputes' clock. */
export const CLOCK_EVERY_MS = 5 * 60 * 1000;

/**
 * While an admin is signed in, their desktop runs the disputes' clock (as the worker does on a
 * server): disputes whose stage ran out are escalated, escalated ones past their time marked
 * overdue. The core decides; offline it does nothing.
 */
export function useDisputeClock(role: Role) {
  const client = useQueryClient();
  useEffect(() => {
    if (role !== 'admin') return;
    const run = () => {
      unwrap(commands.runDisputeClock())
        .then((round) => {
          if (round.escalated + round.overdue > 0) void invalidateEntity(client, 'disputes');
        })
        .catch((e: unknown) => console.warn("the disputes' clock did not run", e));
    };
    run();
    const timer = window.setInterval(run, CLOCK_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [role, client]);
}
