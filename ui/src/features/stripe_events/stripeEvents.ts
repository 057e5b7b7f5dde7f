import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { commands, events, type ReconcileReport } from '../../bindings';
import type { BadgeTone } from '../../components/Badge';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { once } from '../../lib/unlisten';
import { humanize } from '../disputes/labels';

/** How many of the latest events the tab asks for. */
export const STRIPE_EVENTS_LIMIT = 200;

/** What a recorded Stripe event did, as the core stores it. */
export type StripeOutcome = 'applied' | 'ignored' | 'attention' | 'resolved';

export const OUTCOME_LABELS: Record<StripeOutcome, string> = {
  applied: 'Applied',
  ignored: 'Ignored',
  attention: 'Needs attention',
  resolved: 'Resolved',
};
export const OUTCOME_TONES: Record<StripeOutcome, BadgeTone> = {
  applied: 'success',
  ignored: 'neutral',
  attention: 'warning',
  resolved: 'info',
};

export function isStripeOutcome(outcome: string): outcome is StripeOutcome {
  return Object.hasOwn(OUTCOME_LABELS, outcome);
}

const SOURCE_LABELS: Readonly<Record<string, string>> = { poll: 'Poll', webhook: 'Webhook' };

/** How the event reached Marketdesk: `poll` → 'Poll', `webhook` → 'Webhook'. */
export function sourceInWords(source: string): string {
  return Object.hasOwn(SOURCE_LABELS, source) ? (SOURCE_LABELS[source] ?? source) : humanize(source);
}

/** The longest resolution the core takes, in characters of the trimmed text. */
export const RESOLUTION_MAX = 500;

/** The trimmed resolution's length as the core counts it (characters, not UTF-16 units). */
export function resolutionLength(text: string): number {
  return [...text.trim()].length;
}

/** Why a resolution cannot be sent as typed, or null when it can. */
export function resolutionProblem(text: string): string | null {
  const length = resolutionLength(text);
  if (length === 0) return 'Say how it was resolved.';
  if (length > RESOLUTION_MAX) {
    const over = length - RESOLUTION_MAX;
    return `Keep it to ${formatNumber(RESOLUTION_MAX)} characters: ${formatNumber(over)} too many.`;
  }
  return null;
}

const count = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * What a run did, in one line: '12 events: 8 applied, 1 ignored, 1 needs attention, 2 seen
 * before' (the outcomes that did not happen are left out); 'Already up to date' for none.
 */
export function syncSummary(report: ReconcileReport): string {
  if (report.seen === 0) return 'Already up to date';
  const parts = [
    report.applied > 0 ? `${formatNumber(report.applied)} applied` : null,
    report.ignored > 0 ? `${formatNumber(report.ignored)} ignored` : null,
    report.attention > 0 ? count(report.attention, 'needs attention', 'need attention') : null,
    report.duplicates > 0 ? `${formatNumber(report.duplicates)} seen before` : null,
  ].filter((part) => part !== null);
  return `${count(report.seen, 'event', 'events')}: ${parts.join(', ')}`;
}

/** Where a running sync is, from its last running totals (none yet while Stripe lists events). */
export function syncProgress(progress: ReconcileReport | null): string {
  if (progress === null) return 'Asking Stripe for its events…';
  return (
    `Applying event ${formatNumber(progress.seen)}… ${formatNumber(progress.applied)} applied, ` +
    count(progress.attention, 'needs attention', 'need attention')
  );
}

/** The last sync started from this screen. */
export type StripeSync =
  | { state: 'idle' }
  | { state: 'running'; progress: ReconcileReport | null }
  | { state: 'finished'; report: ReconcileReport }
  /** `progress`: what the run applied before it stopped (each event is kept once applied). */
  | { state: 'failed'; error: unknown; progress: ReconcileReport | null };

/**
 * Reconciles with Stripe and follows the run: listens for `stripe-sync-progressed` before
 * invoking `reconcile_stripe_events`, keeps the running totals, and stops listening when the
 * run ends or the screen goes away. The list of events is reloaded however the run ended.
 */
export function useStripeSync() {
  const client = useQueryClient();
  const [sync, setSync] = useState<StripeSync>({ state: 'idle' });
  const running = useRef(false);
  const mounted = useRef(true);
  const listener = useRef<(() => void) | null>(null);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      listener.current?.();
      listener.current = null;
    };
  }, []);

  const start = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setSync({ state: 'running', progress: null });

    let unlisten: (() => void) | null = null;
    try {
      const raw = await events.stripeSyncProgressed.listen(({ payload: { report } }) => {
        if (!mounted.current) return;
        // Totals only grow: an event overtaken by a later one changes nothing.
        setSync((prev) =>
          prev.state === 'running' && report.seen >= (prev.progress?.seen ?? 0)
            ? { state: 'running', progress: report }
            : prev,
        );
      });
      unlisten = once(raw);
      if (mounted.current) listener.current = unlisten;
      else unlisten();
    } catch (e) {
      // The run does not depend on its progress: its report still says what it did.
      console.warn('cannot follow the Stripe sync', e);
    }

    try {
      const report = await unwrap(commands.reconcileStripeEvents());
      if (mounted.current) setSync({ state: 'finished', report });
    } catch (error) {
      if (mounted.current) {
        setSync((prev) => ({
          state: 'failed',
          error,
          progress: prev.state === 'running' ? prev.progress : null,
        }));
      }
    } finally {
      running.current = false;
      // The final report is the truth: later progress events have nothing to add.
      if (unlisten) {
        unlisten();
        if (listener.current === unlisten) listener.current = null;
      }
      void client.invalidateQueries({ queryKey: queryKeys.allStripeEvents });
    }
  }, [client]);

  return { sync, start };
}
