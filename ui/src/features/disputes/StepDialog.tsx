import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type DisputeAction,
  type DisputeDetail,
  type RefundLine,
  type DisputeOutcome,
} from '../../bindings';
import { Checkbox } from '../../components/Checkbox';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { controlClasses, Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { ACTION_LABELS, ACTION_PROMPTS, RESOLUTION_LABELS, STATUS_LABELS } from './labels';

/** Steps whose dialog needs words (the core refuses them without). */
const NEEDS_WORDS: readonly DisputeAction[] = ['ask_vendor', 'ask_customer', 'answer', 'escalate'];

/**
 * One step in a dispute: its message and, to resolve, the outcome and (for a partial refund)
 * the units of each line. The core decides whether the step is allowed and what the refund
 * amounts to; the dialog only collects the choice.
 */
export function StepDialog({
  detail,
  action,
  onClose,
}: {
  detail: DisputeDetail;
  action: DisputeAction;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const me = useMe();
  const { dispute } = detail;
  const [message, setMessage] = useState('');
  const [internal, setInternal] = useState(false);
  const [outcome, setOutcome] = useState<DisputeOutcome>(detail.outcomes[0] ?? 'refund_full');
  const [units, setUnits] = useState<Record<string, string>>({});
  const [tried, setTried] = useState(false);
  const resolving = action === 'resolve';
  const wordsMissing = NEEDS_WORDS.includes(action) && message.trim() === '';
  const refund: RefundLine[] =
    resolving && outcome === 'refund_partial'
      ? detail.lines
          .map((l) => ({ order_item_id: l.id, quantity: Number.parseInt(units[l.id] ?? '0', 10) || 0 }))
          .filter((l) => l.quantity > 0)
      : [];
  const unitsMissing = resolving && outcome === 'refund_partial' && refund.length === 0;

  const step = useMutation({
    mutationFn: () =>
      unwrap(
        commands.takeDisputeStep({
          dispute_id: dispute.id,
          version: dispute.version,
          action,
          message: message.trim(),
          internal,
          resolution: resolving ? outcome : null,
          refund,
        }),
      ),
    onSuccess: (moved) => {
      void invalidateEntity(client, 'disputes');
      const refundWords =
        moved.refund_minor !== null && dispute.currency !== null
          ? ` ${formatMoney(moved.refund_minor, dispute.currency)} is due back to the buyer — finance makes the refund.`
          : '';
      toast.success(`Dispute ${STATUS_LABELS[moved.status].toLowerCase()}`, {
        description: refundWords || undefined,
      });
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (wordsMissing || unitsMissing || step.isPending) return;
    step.mutate();
  };

  return (
    <FormDialog
      title={`${ACTION_LABELS[action].replace('…', '')} — order ${dispute.order_number}`}
      description={dispute.subject}
      submitLabel={resolving ? RESOLUTION_LABELS[outcome] : ACTION_LABELS[action]}
      submitTestId="dispute-step-submit"
      pending={step.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {resolving && (
        <Field label="Outcome">
          {(control) => (
            <Select
              {...control}
              data-testid="dispute-outcome"
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as DisputeOutcome)}
              options={detail.outcomes.map((r) => ({ value: r, label: RESOLUTION_LABELS[r] }))}
            />
          )}
        </Field>
      )}
      {resolving && outcome === 'refund_partial' && (
        <fieldset className="flex flex-col gap-2" data-testid="dispute-refund-lines">
          <legend className="mb-1 text-sm font-medium text-fg-muted">Units to refund</legend>
          {detail.lines.map((l) => {
            const left = l.quantity - l.refunded_quantity;
            return (
              <label key={l.id} className="flex items-center gap-3 text-sm">
                <span className="min-w-0 flex-1 truncate">
                  {l.product_name} <span className="font-mono text-fg-subtle">{l.sku}</span>
                </span>
                <Input
                  type="number"
                  min={0}
                  max={left}
                  className="w-20"
                  aria-label={`Units of ${l.sku} to refund (of ${formatNumber(left)})`}
                  data-testid={`refund-units-${l.sku}`}
                  value={units[l.id] ?? ''}
                  placeholder="0"
                  onChange={(e) => setUnits((u) => ({ ...u, [l.id]: e.target.value }))}
                />
                <span className="w-16 text-fg-subtle">of {formatNumber(left)}</span>
              </label>
            );
          })}
          {tried && unitsMissing && (
            <p className="text-sm text-danger">Choose at least one unit to refund.</p>
          )}
        </fieldset>
      )}
      {resolving && outcome === 'refund_full' && (
        <p className="text-sm text-fg-muted">
          Every unit left of the lines in question goes back; finance makes the refund.
        </p>
      )}
      <Field
        label={NEEDS_WORDS.includes(action) ? 'Message' : 'Message (optional)'}
        error={tried && wordsMissing ? 'Say something: the other side reads it.' : undefined}
      >
        {(control) => (
          <textarea
            {...control}
            rows={4}
            maxLength={10000}
            data-testid="dispute-step-message"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder={ACTION_PROMPTS[action]}
            className={cn(controlClasses, 'h-auto py-1.5')}
          />
        )}
      </Field>
      {me.role === 'admin' && !resolving && (
        <Checkbox checked={internal} onChange={setInternal}>
          Internal note (the vendor does not see it)
        </Checkbox>
      )}
      {step.isError && (
        <InlineError
          error={step.error}
          title="Nothing changed"
          hints={{
            conflict: 'Someone moved this dispute meanwhile: close this, read the thread and try again.',
          }}
        />
      )}
    </FormDialog>
  );
}
