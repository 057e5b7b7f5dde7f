import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { commands, type StripeEventRow } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { FormDialog } from '../../components/FormDialog';
import { AlertCircleIcon, CheckCircleIcon, RefreshIcon } from '../../components/icons';
import { InlineError } from '../../components/InlineError';
import { controlClasses } from '../../components/Input';
import { Shortcut } from '../../components/Kbd';
import { Screen, Toolbar } from '../../components/Layout';
import { QueryList } from '../../components/QueryList';
import { SimpleTable } from '../../components/SimpleTable';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { EMPTY, formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { humanize } from '../disputes/labels';
import {
  isStripeOutcome,
  OUTCOME_LABELS,
  OUTCOME_TONES,
  RESOLUTION_MAX,
  resolutionLength,
  resolutionProblem,
  sourceInWords,
  STRIPE_EVENTS_LIMIT,
  syncProgress,
  syncSummary,
  useStripeSync,
  type StripeSync,
} from './stripeEvents';

/** What to do next, for the kinds of failure a sync meets (the core says why). */
const SYNC_HINTS: Record<string, string> = {
  offline: 'Stripe is reached online only: connect to the marketplace server and try again.',
  conflict: 'The events applied before Stripe stopped answering are kept: sync again to go on from there.',
  forbidden: 'Only finance syncs with Stripe.',
};

/** What to do next, for the kinds of failure resolving meets. */
const RESOLVE_HINTS: Record<string, string> = {
  offline: 'Stripe’s events are kept online only: connect to the marketplace server and try again.',
  not_found: 'The event is gone: the list has been reloaded.',
  forbidden: 'Only finance resolves Stripe’s events.',
};

type Filter = 'attention' | 'all';

function OutcomeBadge({ outcome }: { outcome: string }) {
  if (isStripeOutcome(outcome)) {
    return <StatusBadge status={outcome} labels={OUTCOME_LABELS} tones={OUTCOME_TONES} />;
  }
  return <Badge dot>{humanize(outcome)}</Badge>;
}

/** "Needs attention (N)" | "All": a radio group, arrow keys move the choice. */
function FilterChoice({
  value,
  attentionCount,
  onChange,
}: {
  value: Filter | null;
  /** Null while unknown. */
  attentionCount: number | null;
  onChange: (next: Filter) => void;
}) {
  const refs = useRef<Record<Filter, HTMLButtonElement | null>>({ attention: null, all: null });
  const count =
    attentionCount === null
      ? ''
      : ` (${attentionCount >= STRIPE_EVENTS_LIMIT ? `${formatNumber(STRIPE_EVENTS_LIMIT)}+` : formatNumber(attentionCount)})`;
  const choices: { value: Filter; label: string; testId: string }[] = [
    { value: 'attention', label: `Needs attention${count}`, testId: 'stripe-filter-attention' },
    { value: 'all', label: 'All', testId: 'stripe-filter-all' },
  ];
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const at = choices.findIndex((c) => c.value === value);
    const next = choices[(at + step + choices.length) % choices.length];
    if (!next) return;
    onChange(next.value);
    refs.current[next.value]?.focus();
  };
  return (
    <div
      role="radiogroup"
      aria-label="Show"
      onKeyDown={onKeyDown}
      className="inline-flex items-center gap-0.5 rounded-md border border-line bg-canvas p-0.5"
    >
      {choices.map((c, i) => {
        const checked = value === c.value;
        return (
          <button
            key={c.value}
            ref={(el) => {
              refs.current[c.value] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            // One stop in the tab order: the choice made (the first before there is one).
            tabIndex={checked || (value === null && i === 0) ? 0 : -1}
            data-testid={c.testId}
            onClick={() => onChange(c.value)}
            className={cn(
              'h-6 rounded-sm px-2.5 text-sm font-medium whitespace-nowrap transition-colors',
              checked ? 'bg-surface text-fg shadow-xs' : 'text-fg-subtle hover:text-fg',
            )}
          >
            {c.label}
          </button>
        );
      })}
    </div>
  );
}

/** The sync's running totals, or what the last one did. */
function SyncStatus({ sync }: { sync: StripeSync }) {
  let content = null;
  let testId: string | undefined;
  if (sync.state === 'running') {
    testId = 'stripe-sync-progress';
    content = <span className="text-fg-muted">{syncProgress(sync.progress)}</span>;
  } else if (sync.state === 'finished') {
    testId = 'stripe-sync-summary';
    const { report } = sync;
    content = (
      <>
        {report.attention > 0 ? (
          <AlertCircleIcon className="shrink-0 text-warning" />
        ) : (
          <CheckCircleIcon className="shrink-0 text-success" />
        )}
        {syncSummary(report)}
      </>
    );
  }
  return (
    <p
      role="status"
      data-testid={testId}
      className="flex items-center gap-2 text-base"
      title={sync.state === 'finished' && sync.report.cursor ? `Up to ${sync.report.cursor}` : undefined}
    >
      {content}
    </p>
  );
}

const COLUMNS = [
  { label: 'When', className: 'px-4 py-2' },
  { label: 'Event', className: 'px-2 py-2' },
  { label: 'Object', className: 'px-2 py-2' },
  { label: 'Via', className: 'px-2 py-2' },
  { label: 'Outcome', className: 'px-2 py-2' },
  { label: 'Detail', className: 'px-2 py-2' },
];
const ACTIONS_COLUMN = { label: <span className="sr-only">Actions</span>, className: 'px-4 py-2' };

function EventRow({
  event,
  canAct,
  onResolve,
}: {
  event: StripeEventRow;
  canAct: boolean;
  onResolve: (event: StripeEventRow) => void;
}) {
  const attention = event.outcome === 'attention';
  return (
    <tr
      data-testid="stripe-event-row"
      data-outcome={event.outcome}
      data-event-id={event.stripe_event_id}
      className="border-b border-line align-top last:border-b-0"
    >
      <td className="px-4 py-2 whitespace-nowrap">
        <time dateTime={event.occurred_at} title={formatRelative(event.occurred_at)}>
          {formatDateTime(event.occurred_at)}
        </time>
      </td>
      <td className="px-2 py-2">
        <div className="font-mono text-sm">{event.kind}</div>
        <div className="font-mono text-xs text-fg-subtle">{event.stripe_event_id}</div>
      </td>
      <td className="px-2 py-2">
        {event.object_id === null ? (
          <span className="text-fg-faint">{EMPTY}</span>
        ) : (
          <div className="flex items-center gap-1">
            <span className="font-mono text-sm text-fg-muted">{event.object_id}</span>
            <CopyButton
              text={event.object_id}
              size="sm"
              variant="ghost"
              title={`Copy ${event.object_id}`}
              data-testid="stripe-object-copy"
            />
          </div>
        )}
      </td>
      <td className="px-2 py-2">{sourceInWords(event.source)}</td>
      <td
        className="px-2 py-2"
        title={event.resolved_at ? `Resolved ${formatDateTime(event.resolved_at)}` : undefined}
      >
        <OutcomeBadge outcome={event.outcome} />
      </td>
      <td
        className={cn(
          'min-w-64 px-2 py-2 break-words whitespace-pre-wrap',
          attention ? 'text-fg' : 'text-fg-muted',
        )}
      >
        {event.detail ?? <span className="text-fg-faint">{EMPTY}</span>}
      </td>
      {canAct && (
        <td className="px-4 py-2 text-right">
          {attention && (
            <Button
              size="sm"
              data-testid="stripe-resolve"
              aria-label={`Resolve ${event.stripe_event_id}…`}
              onClick={() => onResolve(event)}
            >
              Resolve…
            </Button>
          )}
        </td>
      )}
    </tr>
  );
}

/**
 * Says how an event that needed attention was resolved: required, at most 500 characters
 * (trimmed, as the core takes it). Ctrl/⌘+Enter saves, Esc cancels; the core's refusal shows
 * here.
 */
function ResolveDialog({ event, onClose }: { event: StripeEventRow; onClose: () => void }) {
  const fieldId = useId();
  const client = useQueryClient();
  const [how, setHow] = useState('');
  const [tried, setTried] = useState(false);
  const resolve = useMutation({
    mutationFn: (text: string) => unwrap(commands.resolveStripeEvent(event.id, text)),
    onSuccess: (row) => {
      toast.success('Stripe event resolved', { description: `${row.kind} (${row.stripe_event_id})` });
      onClose();
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.allStripeEvents }),
  });

  const length = resolutionLength(how);
  const over = length > RESOLUTION_MAX;
  const problem = resolutionProblem(how);
  // Too long shows at once; empty only once saving was tried.
  const shownProblem = tried || over ? problem : null;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setTried(true);
    if (problem !== null || resolve.isPending) return;
    resolve.mutate(how.trim());
  };

  return (
    <FormDialog
      title={`Resolve ${event.kind}`}
      description={
        <>
          <span className="font-mono text-sm">{event.stripe_event_id}</span>
          {event.object_id !== null && (
            <>
              {' '}
              about <span className="font-mono text-sm">{event.object_id}</span>
            </>
          )}
          , {formatDateTime(event.occurred_at)}.
        </>
      }
      submitLabel="Mark resolved"
      submitTestId="stripe-resolve-submit"
      pending={resolve.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {event.detail !== null && (
        <div className="rounded-md bg-warning-soft px-3 py-2 text-base">
          <p className="text-sm font-medium text-warning">What needs attention</p>
          <p className="break-words whitespace-pre-wrap">{event.detail}</p>
        </div>
      )}
      <div className="flex flex-col gap-1">
        <label htmlFor={fieldId} className="text-sm font-medium text-fg-muted">
          How was it resolved?
        </label>
        <textarea
          id={fieldId}
          autoFocus
          rows={4}
          value={how}
          data-testid="stripe-resolve-text"
          aria-invalid={shownProblem !== null || undefined}
          aria-describedby={shownProblem !== null ? `${fieldId}-error ${fieldId}-count` : `${fieldId}-count`}
          onChange={(e) => setHow(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          placeholder="e.g. Reversed transfer re-sent in batch of May 4; vendor told."
          className={cn(controlClasses, 'h-auto py-1.5')}
        />
        <div className="flex items-start justify-between gap-3">
          {shownProblem !== null ? (
            <p
              id={`${fieldId}-error`}
              className="text-sm text-danger-text"
              data-testid="stripe-resolve-problem"
            >
              {shownProblem}
            </p>
          ) : (
            <p className="flex items-center gap-1 text-sm text-fg-subtle">
              <Shortcut keys="mod+enter" /> saves
            </p>
          )}
          <p
            id={`${fieldId}-count`}
            data-testid="stripe-resolve-count"
            className={cn('shrink-0 text-sm tabular-nums', over ? 'text-danger-text' : 'text-fg-subtle')}
          >
            {formatNumber(length)} / {formatNumber(RESOLUTION_MAX)}
          </p>
        </div>
      </div>
      {resolve.isError && (
        <InlineError error={resolve.error} title="Could not resolve the event" hints={RESOLVE_HINTS} />
      )}
    </FormDialog>
  );
}

/**
 * Reconciliation with Stripe: finance pulls Stripe's events since the last run (following the
 * run's totals), sees what each did, and resolves those that need a person; admins look.
 * Opens on the events needing attention when there are any.
 */
export function StripeEvents({ canAct }: { canAct: boolean }) {
  const { sync, start } = useStripeSync();
  // Until someone chooses, the filter follows the data: attention first when there is some.
  const [chosen, setChosen] = useState<Filter | null>(null);
  const [resolving, setResolving] = useState<StripeEventRow | null>(null);

  const attention = useQuery({
    queryKey: queryKeys.stripeEvents(true),
    queryFn: () => unwrap(commands.stripeEvents(true, STRIPE_EVENTS_LIMIT)),
  });
  const attentionCount = attention.data?.length ?? null;
  const filter: Filter | null =
    chosen ?? (attentionCount === null ? null : attentionCount > 0 ? 'attention' : 'all');
  const all = useQuery({
    queryKey: queryKeys.stripeEvents(false),
    queryFn: () => unwrap(commands.stripeEvents(false, STRIPE_EVENTS_LIMIT)),
    enabled: filter === 'all',
  });
  const shown = filter === 'all' ? all : attention;
  const running = sync.state === 'running';

  const events = shown.data ?? [];
  const body = (
    <QueryList
      query={shown}
      loadingLabel="Loading Stripe events"
      errorTitle="Could not load Stripe’s events"
      total={events.length}
      empty={
        filter === 'attention'
          ? {
              icon: <CheckCircleIcon size={20} />,
              title: 'Nothing needs attention.',
              description: 'Every event from Stripe was applied, ignored or resolved.',
            }
          : {
              title: 'No Stripe events yet',
              description: canAct
                ? 'Sync with Stripe to pull what happened since the last run.'
                : 'Finance syncs with Stripe to pull what happened since the last run.',
            }
      }
    >
      <div className="overflow-x-auto">
        <SimpleTable
          data-testid="stripe-events-table"
          columns={canAct ? [...COLUMNS, ACTIONS_COLUMN] : COLUMNS}
        >
          <tbody>
            {events.map((e) => (
              <EventRow key={e.id} event={e} canAct={canAct} onResolve={setResolving} />
            ))}
          </tbody>
        </SimpleTable>
        {events.length >= STRIPE_EVENTS_LIMIT && (
          <p className="border-t border-line px-4 py-2 text-sm text-fg-subtle">
            The latest {formatNumber(STRIPE_EVENTS_LIMIT)} events.
          </p>
        )}
      </div>
    </QueryList>
  );

  return (
    <Screen data-testid="stripe-events">
      <Toolbar end={<FilterChoice value={filter} attentionCount={attentionCount} onChange={setChosen} />}>
        {canAct && (
          <Button
            variant="primary"
            icon={<RefreshIcon />}
            data-testid="stripe-sync"
            loading={running}
            title="Apply what happened at Stripe since the last run"
            onClick={() => void start()}
          >
            Sync with Stripe
          </Button>
        )}
        <SyncStatus sync={sync} />
        {!canAct && (
          <p className="text-sm text-fg-subtle">Only finance syncs with Stripe and resolves events.</p>
        )}
      </Toolbar>
      {sync.state === 'failed' && (
        <div className="flex flex-col gap-1" data-testid="stripe-sync-error">
          <InlineError error={sync.error} title="Could not sync with Stripe" hints={SYNC_HINTS} />
          {sync.progress !== null && sync.progress.seen > 0 && (
            <p className="text-sm text-fg-muted">
              Kept from before it stopped — {syncSummary(sync.progress)}.
            </p>
          )}
        </div>
      )}
      <Card className="min-h-0 overflow-y-auto">{body}</Card>
      {resolving && <ResolveDialog event={resolving} onClose={() => setResolving(null)} />}
    </Screen>
  );
}
