import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type CancelReason, type OrderDetail } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { controlClasses, Field } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';

/** The reasons the core knows, in the words of the dialog. */
export const CANCEL_REASON_LABELS: Record<CancelReason, string> = {
  customer_request: 'The customer asked for it',
  out_of_stock: 'Out of stock',
  suspected_fraud: 'Suspected fraud',
  payment_problem: 'Problem with the payment',
  duplicate: 'Duplicate order',
  other: 'Other (say why in the note)',
};

/** The vendors with lines in the order, each once, in the order of the lines. */
export function vendorsOf(detail: OrderDetail): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const item of detail.items) {
    if (!seen.has(item.vendor_id)) seen.set(item.vendor_id, item.vendor_name || item.vendor_id);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * Cancels the order, or one vendor's part of it. The core puts the units back, mails the buyer
 * and the vendors, and says how much finance owes back; the dialog only collects the choice.
 */
export function CancelDialog({ detail, onClose }: { detail: OrderDetail; onClose: () => void }) {
  const client = useQueryClient();
  const vendors = vendorsOf(detail);
  const [vendor, setVendor] = useState('');
  const [reason, setReason] = useState<CancelReason>('customer_request');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const noteMissing = reason === 'other' && note.trim() === '';
  const { number, currency } = detail.order;

  const cancel = useMutation({
    mutationFn: () =>
      unwrap(
        commands.cancelOrder({
          order_id: detail.order.id,
          version: detail.order.version,
          vendor_id: vendor === '' ? null : vendor,
          reason,
          note: note.trim(),
        }),
      ),
    onSuccess: (done) => {
      void client.invalidateQueries({ queryKey: queryKeys.orderDetail(detail.order.id) });
      void client.invalidateQueries({ queryKey: ['orders', 'list'] });
      void invalidateEntity(client, 'products');
      void invalidateEntity(client, 'revenue');
      const what = done.status === 'cancelled' ? `Order ${number} cancelled` : `Part of ${number} cancelled`;
      const units = `${formatNumber(done.units)} unit${done.units === 1 ? '' : 's'} back in stock`;
      toast.success(what, {
        description:
          done.refund_due_minor > 0
            ? `${units}; ${formatMoney(done.refund_due_minor, done.currency)} is due back to the buyer — finance refunds it.`
            : `${units}; nothing was paid, so nothing is due back.`,
      });
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (noteMissing || cancel.isPending) return;
    cancel.mutate();
  };

  const lines = detail.items.filter((i) => vendor === '' || i.vendor_id === vendor);
  const units = lines.reduce((sum, i) => sum + i.quantity, 0);

  return (
    <FormDialog
      title={`Cancel ${number}`}
      description="The units go back in stock, the buyer and the vendors get a mail, and what was paid is refunded by finance."
      submitLabel={vendor === '' ? 'Cancel the order' : 'Cancel these lines'}
      submitTestId="cancel-submit"
      cancelLabel="Keep the order"
      pending={cancel.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {vendors.length > 1 && (
        <Field label="What to cancel">
          {(control) => (
            <Select
              {...control}
              data-testid="cancel-vendor"
              value={vendor}
              onChange={(e) => setVendor(e.target.value)}
              options={[
                { value: '', label: `The whole order (${formatNumber(vendors.length)} vendors)` },
                ...vendors.map((v) => ({ value: v.id, label: `Only the lines of ${v.name}` })),
              ]}
            />
          )}
        </Field>
      )}
      <Field label="Reason">
        {(control) => (
          <Select
            {...control}
            data-testid="cancel-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value as CancelReason)}
            options={Object.entries(CANCEL_REASON_LABELS).map(([value, label]) => ({ value, label }))}
          />
        )}
      </Field>
      <Field
        label={reason === 'other' ? 'Note (required)' : 'Note (optional)'}
        error={tried && noteMissing ? 'Say why the order is cancelled.' : undefined}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={1000}
            data-testid="cancel-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="Kept in the order's history; the buyer does not see it."
            className={cn(controlClasses, 'h-auto py-1.5')}
          />
        )}
      </Field>
      <p className="text-sm text-fg-muted" data-testid="cancel-summary">
        {formatNumber(lines.length)} line{lines.length === 1 ? '' : 's'}, {formatNumber(units)} unit
        {units === 1 ? '' : 's'} go back in stock.
        {detail.order.status === 'pending'
          ? ' Nothing was paid yet.'
          : ` Paid orders are refunded by finance (${currency}).`}
      </p>
      {cancel.isError && (
        <InlineError
          error={cancel.error}
          title="The order was not cancelled"
          hints={{ conflict: 'Someone changed the order meanwhile: close this, check it and try again.' }}
        />
      )}
    </FormDialog>
  );
}
