import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { commands, type OrderDetail, type RefundLine, type RefundOutcome } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog, DialogClose, submitOnEnter } from '../../components/Dialog';
import { QueryErrorState } from '../../components/ErrorState';
import { AlertCircleIcon, CheckCircleIcon, RefreshIcon } from '../../components/icons';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { EMPTY, formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { RefundItem } from './OrderRefunds';
import {
  parseUnits,
  REFUND_REASON_LABELS,
  REFUND_REASONS,
  refundsByLine,
  unitsLeft,
  useOrderRefunds,
  type RefundReason,
} from './refunds';

/** What to do next, for the kinds of failure a refund meets (the core's message says why). */
const HINTS: Record<string, string> = {
  offline: 'Refunds go through Stripe: connect to the marketplace server and try again.',
  conflict:
    'A refund of this order is under way or still pending: the refunds have been reloaded. Finish the pending ones first.',
  forbidden: 'Only finance may refund orders.',
};

/** What is typed in a line's units field; `bad` when the browser could not read it as a number. */
type UnitsText = { text: string; bad: boolean };
const NO_UNITS: UnitsText = { text: '', bad: false };

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * Refunds units of an order's lines through Stripe (finance). One row per line with what is
 * left to refund, a reason, and an estimate of the amount; then the outcome, with Try again
 * when Stripe did not answer for some of them (the core finishes those with the same keys).
 */
export function RefundDialog({ detail, onClose }: { detail: OrderDetail; onClose: () => void }) {
  const { order } = detail;
  const client = useQueryClient();
  const formId = useId();
  const refunds = useOrderRefunds(order.id);
  const [units, setUnits] = useState<Record<string, UnitsText>>({});
  const [reason, setReason] = useState<RefundReason>('requested_by_customer');
  const [tried, setTried] = useState(false);
  const [outcomes, setOutcomes] = useState<RefundOutcome[]>([]);

  const refund = useMutation({
    mutationFn: (lines: RefundLine[]) => unwrap(commands.refundOrder({ order_id: order.id, lines, reason })),
    onSuccess: (outcome) => setOutcomes((all) => [...all, outcome]),
    // Rows may have changed even when the request failed half way (pending ones).
    onSettled: () => invalidateEntity(client, 'orders'),
  });

  const money = (minor: number) => formatMoney(minor, order.currency);
  const byLine = refundsByLine(refunds.data ?? []);
  const lines = detail.items.map((item) => {
    const done = byLine.get(item.id);
    // The core refuses a line with a refund still pending until that one is finished.
    const left = done && done.pending > 0 ? 0 : unitsLeft(item, done);
    const typed = units[item.id] ?? NO_UNITS;
    return { item, done, left, typed, parsed: parseUnits(typed.text, left, typed.bad) };
  });
  const chosen = lines.filter((l) => (l.parsed.units ?? 0) > 0);
  const estimate = chosen.reduce((sum, l) => sum + (l.parsed.units ?? 0) * (l.item.unit_price_minor ?? 0), 0);
  const invalid = lines.some((l) => l.parsed.problem !== null);
  const pendingBefore = (refunds.data ?? []).filter((r) => r.status === 'pending').length;
  const last = outcomes.at(-1);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (refund.isPending || !refunds.isSuccess || invalid || chosen.length === 0) return;
    refund.mutate(chosen.map((l) => ({ order_item_id: l.item.id, quantity: l.parsed.units ?? 0 })));
  };
  /** Finishes the refunds of this order left pending (no new lines). */
  const finishPending = () => {
    if (!refund.isPending) refund.mutate([]);
  };

  let body;
  if (last) {
    const refunded = outcomes.reduce((sum, o) => sum + o.refunded_minor, 0);
    const failed = last.refunds.filter((r) => r.status === 'failed').length;
    body = (
      <div data-testid="refund-result" className="flex flex-col gap-3">
        {refunded > 0 ? (
          <p role="status" className="flex items-center gap-2 text-base text-success">
            <CheckCircleIcon className="shrink-0" />
            <span>
              Refunded <span data-testid="refund-refunded">{money(refunded)}</span> to the buyer.
            </span>
          </p>
        ) : (
          <p role="status" className="text-base text-fg-muted">
            Nothing has been refunded yet.
          </p>
        )}
        {failed > 0 && (
          <p className="text-base text-danger-text">
            Stripe refused {plural(failed, 'refund', 'refunds')}: that money was not returned.
          </p>
        )}
        {last.refunds.length > 0 && (
          <ul className="text-base" aria-label="Refunds of this request">
            {last.refunds.map((row) => (
              <RefundItem key={row.id} row={row} detail={detail} />
            ))}
          </ul>
        )}
        {last.pending > 0 && (
          <div
            role="alert"
            data-testid="refund-pending"
            className="flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
          >
            <AlertCircleIcon className="mt-0.5 shrink-0" />
            <div className="min-w-0">
              <p>
                Stripe did not answer for {plural(last.pending, 'refund', 'refunds')}.{' '}
                {last.pending === 1 ? 'It is' : 'They are'} kept as pending: trying again finishes{' '}
                {last.pending === 1 ? 'it' : 'them'}, and the buyer is refunded only once.
              </p>
              <Button
                className="mt-2"
                size="sm"
                data-testid="refund-retry"
                icon={<RefreshIcon />}
                loading={refund.isPending}
                onClick={finishPending}
              >
                Try again
              </Button>
            </div>
          </div>
        )}
        {refund.isError && <InlineError error={refund.error} title="Could not refund" hints={HINTS} />}
      </div>
    );
  } else if (refunds.isPending) {
    body = (
      <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading the refunds">
        <Skeleton className="w-full" />
        <Skeleton className="w-5/6" />
      </div>
    );
  } else if (refunds.isError) {
    body = <QueryErrorState query={refunds} title="Could not load the refunds" className="py-6" />;
  } else {
    const firstOpen = lines.find((l) => l.left > 0)?.item.id;
    body = (
      <form
        id={formId}
        onSubmit={submit}
        // Enter in a units field submits (the submit button sits outside the form, in the footer).
        onKeyDown={submitOnEnter}
        noValidate
        className="flex flex-col gap-4"
      >
        {pendingBefore > 0 && (
          <div
            role="status"
            data-testid="refunds-pending-before"
            className="flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
          >
            <AlertCircleIcon className="mt-0.5 shrink-0" />
            <div className="min-w-0">
              <p>
                {plural(pendingBefore, 'refund', 'refunds')} of this order{' '}
                {pendingBefore === 1 ? 'is' : 'are'} still pending: Stripe did not answer. Finish them before
                refunding more of those lines.
              </p>
              <Button
                className="mt-2"
                size="sm"
                data-testid="refund-finish-pending"
                icon={<RefreshIcon />}
                loading={refund.isPending}
                onClick={finishPending}
              >
                Finish pending refunds
              </Button>
            </div>
          </div>
        )}
        <SimpleTable
          data-testid="refund-lines"
          columns={[
            { label: 'Item', className: 'py-1.5 pr-2' },
            { label: 'Sold', className: 'px-2 py-1.5 text-right' },
            { label: 'Refunded', className: 'px-2 py-1.5 text-right' },
            { label: 'Units to refund', className: 'px-2 py-1.5' },
            { label: 'Estimate', className: 'py-1.5 pl-2 text-right' },
          ]}
        >
          <tbody>
            {lines.map(({ item, done, left, typed, parsed }) => {
              const problemId = `${formId}-${item.id}-problem`;
              return (
                <tr
                  key={item.id}
                  data-line={item.id}
                  className="border-b border-line align-top last:border-b-0"
                >
                  <td className="py-2 pr-2">
                    <div className="text-fg">{item.product_name}</div>
                    <div className="font-mono text-sm text-fg-subtle">{item.sku}</div>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(item.quantity)}</td>
                  <td className="px-2 py-2 text-right tabular-nums" data-testid="refund-line-refunded">
                    {formatNumber(done?.refunded ?? 0)}
                    {done && done.pending > 0 && (
                      <div className="text-sm text-warning">{formatNumber(done.pending)} pending</div>
                    )}
                  </td>
                  <td className="px-2 py-2">
                    <Input
                      type="number"
                      inputMode="numeric"
                      min={0}
                      max={left}
                      step={1}
                      placeholder="0"
                      autoFocus={item.id === firstOpen}
                      disabled={left === 0}
                      aria-label={`Units to refund: ${item.product_name} (${item.sku}), ${formatNumber(left)} left`}
                      aria-describedby={parsed.problem ? problemId : undefined}
                      invalid={parsed.problem !== null}
                      data-testid={`refund-units-${item.id}`}
                      value={typed.text}
                      onChange={(e) => {
                        setTried(false);
                        setUnits((all) => ({
                          ...all,
                          [item.id]: { text: e.target.value, bad: e.target.validity.badInput },
                        }));
                      }}
                      className="w-20 text-right tabular-nums"
                    />
                    <div className="mt-0.5 text-sm text-fg-subtle">{formatNumber(left)} left</div>
                    {parsed.problem && (
                      <p id={problemId} role="alert" className="mt-0.5 text-sm text-danger-text">
                        {parsed.problem}
                      </p>
                    )}
                  </td>
                  <td className="py-2 pl-2 text-right text-fg-muted tabular-nums">
                    {parsed.units ? money(parsed.units * (item.unit_price_minor ?? 0)) : EMPTY}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </SimpleTable>
        <div className="flex flex-wrap items-end justify-between gap-4">
          <Field label="Reason" className="w-64">
            {(p) => (
              <Select
                {...p}
                data-testid="refund-reason"
                value={reason}
                onChange={(e) => setReason(e.target.value as RefundReason)}
                options={REFUND_REASONS.map((r) => ({ value: r, label: REFUND_REASON_LABELS[r] }))}
              />
            )}
          </Field>
          <div className="text-right">
            <p className="text-base">
              Estimated refund:{' '}
              <span data-testid="refund-estimate" className="font-semibold tabular-nums">
                {money(estimate)}
              </span>
            </p>
            <p className="text-sm text-fg-subtle">An estimate: tax and rounding are added by the core.</p>
          </div>
        </div>
        {tried && !invalid && chosen.length === 0 && (
          <p role="alert" className="text-sm text-danger-text">
            Choose at least one unit to refund.
          </p>
        )}
        {refund.isError && <InlineError error={refund.error} title="Could not refund" hints={HINTS} />}
      </form>
    );
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        // The request goes on in the core: stay until its answer is in.
        if (!open && !refund.isPending) onClose();
      }}
      size="lg"
      title={`Refund order ${order.number}`}
      description="Units go back to the buyer's card through Stripe."
      footer={
        last ? (
          <DialogClose asChild>
            <Button variant="primary" data-testid="refund-close" disabled={refund.isPending}>
              Close
            </Button>
          </DialogClose>
        ) : (
          <>
            <DialogClose asChild>
              <Button disabled={refund.isPending}>Cancel</Button>
            </DialogClose>
            <Button
              type="submit"
              form={formId}
              variant="danger"
              data-testid="refund-submit"
              loading={refund.isPending}
              disabled={!refunds.isSuccess}
            >
              Refund
            </Button>
          </>
        )
      }
    >
      {body}
    </Dialog>
  );
}
