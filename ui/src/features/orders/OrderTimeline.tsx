import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { commands, ORDER_NOTE_WRITERS, type Role, type TimelineKind } from '../../bindings';
import { Button } from '../../components/Button';
import { QueryErrorState } from '../../components/ErrorState';
import { InlineError } from '../../components/InlineError';
import { controlClasses } from '../../components/Input';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { formatDateTime, formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** Each kind of event's dot, so the eye finds money, parcels and notes. */
const DOT: Record<TimelineKind, string> = {
  placed: 'bg-fg-subtle',
  payment: 'bg-info',
  paid: 'bg-info',
  moved: 'bg-accent',
  cancelled: 'bg-danger',
  parcel: 'bg-accent',
  tracking: 'bg-line-strong',
  refund: 'bg-warning',
  dispute: 'bg-danger',
  note: 'bg-success',
};

/** The longest note the core keeps. */
const NOTE_MAX = 2000;

function NoteForm({ orderId }: { orderId: string }) {
  const client = useQueryClient();
  const id = useId();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: (text: string) => unwrap(commands.addOrderNote(orderId, text)),
    onSuccess: () => {
      setBody('');
      void client.invalidateQueries({ queryKey: queryKeys.orderTimeline(orderId) });
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (body.trim() === '' || add.isPending) return;
    add.mutate(body.trim());
  };
  return (
    <form onSubmit={submit} className="mt-3 flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-fg-muted">
        Internal note
      </label>
      <textarea
        id={id}
        rows={2}
        maxLength={NOTE_MAX}
        value={body}
        data-testid="order-note"
        placeholder="Only the marketplace's staff read it. Ctrl+Enter adds it."
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
        }}
        className={cn(controlClasses, 'h-auto py-1.5')}
      />
      {add.isError && <InlineError error={add.error} title="The note was not added" />}
      <div className="flex justify-end">
        <Button
          type="submit"
          size="sm"
          variant="secondary"
          data-testid="order-note-add"
          loading={add.isPending}
          disabled={body.trim() === ''}
        >
          Add note
        </Button>
      </div>
    </form>
  );
}

/** Everything that happened to the order, oldest first, as the core lets this person see it. */
export function OrderTimeline({ orderId, role }: { orderId: string; role: Role }) {
  const query = useQuery({
    queryKey: queryKeys.orderTimeline(orderId),
    queryFn: () => unwrap(commands.orderTimeline(orderId)),
  });
  const writes = (ORDER_NOTE_WRITERS as readonly Role[]).includes(role);
  if (query.isPending) {
    return (
      <div className="flex flex-col gap-2" aria-busy="true" aria-label="Loading the history">
        <Skeleton className="w-3/4" />
        <Skeleton className="w-2/3" />
      </div>
    );
  }
  if (query.isError) return <QueryErrorState query={query} />;
  return (
    <>
      <ol className="flex flex-col" data-testid="order-timeline">
        {query.data.map((e, i) => (
          <li key={`${e.at}-${i}`} className="relative flex gap-3 pb-3 last:pb-0">
            <span aria-hidden className={cn('mt-1.5 size-2 shrink-0 rounded-full', DOT[e.kind])} />
            <div className="min-w-0 flex-1">
              <div className="flex items-baseline justify-between gap-3">
                <span className="text-base text-fg" data-kind={e.kind}>
                  {e.title}
                  {e.amount_minor !== null && e.currency !== null && (
                    <span className="ml-1.5 tabular-nums text-fg-muted">
                      {formatMoney(e.amount_minor, e.currency)}
                    </span>
                  )}
                </span>
                <time className="shrink-0 text-sm text-fg-subtle tabular-nums" dateTime={e.at}>
                  {formatDateTime(e.at)}
                </time>
              </div>
              {(e.detail !== '' || e.actor !== null) && (
                <p
                  className={cn(
                    'text-sm break-words text-fg-muted',
                    e.kind === 'note' && 'whitespace-pre-wrap text-fg',
                  )}
                >
                  {e.detail}
                  {e.actor !== null && <span className="text-fg-subtle"> — {e.actor}</span>}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
      {writes && <NoteForm orderId={orderId} />}
    </>
  );
}
