import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type Customer } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { TextAreaField } from '../../components/TextAreaField';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

/**
 * Blocks a customer (their new orders are refused; past orders, refunds and disputes go on) or
 * lifts the block. The reason is kept as a note and in the audit trail; blocking needs one.
 */
export function BlockDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const client = useQueryClient();
  const blocking = customer.status === 'active';
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missing = blocking && reason.trim() === '';
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        commands.setCustomerStatus({
          customer_id: customer.id,
          version: customer.version,
          to: blocking ? 'blocked' : 'active',
          reason: reason.trim(),
        }),
      ),
    onSuccess: () => {
      void invalidateEntity(client, 'customers');
      toast.success(`${customer.display_name} ${blocking ? 'blocked' : 'unblocked'}`, {
        description: blocking ? 'Their new orders are refused.' : 'They may order again.',
      });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing || change.isPending) return;
    change.mutate();
  };
  return (
    <FormDialog
      title={blocking ? `Block ${customer.display_name}?` : `Unblock ${customer.display_name}?`}
      description={
        blocking
          ? 'Their new orders are refused until the block is lifted. Orders, refunds and disputes already under way go on.'
          : 'They may place orders again.'
      }
      submitLabel={blocking ? 'Block' : 'Unblock'}
      submitTestId="customer-block-submit"
      pending={change.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextAreaField
        label={blocking ? 'Why' : 'Why (optional)'}
        error={tried && missing ? 'Say why: it is kept with their record.' : undefined}
        value={reason}
        onChange={setReason}
        maxLength={1900}
        autoFocus
        data-testid="customer-block-reason"
      />
      {change.isError && <InlineError error={change.error} title="Nothing was changed" />}
    </FormDialog>
  );
}
