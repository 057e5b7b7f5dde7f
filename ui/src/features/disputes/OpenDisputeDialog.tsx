import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type DisputeKind } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { controlClasses, Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { KIND_LABELS, STATUS_LABELS } from './labels';

/**
 * Opens a dispute on an order, named by its number. A vendor's goes to the platform; an
 * admin's (on behalf of the customer) goes to the vendor selling the items, when one is named
 * by the core from the order. The core checks the order, the items and that no dispute about
 * them is still open.
 */
export function OpenDisputeDialog({
  onClose,
  onOpened,
}: {
  onClose: () => void;
  onOpened: (id: string) => void;
}) {
  const client = useQueryClient();
  const me = useMe();
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<Exclude<DisputeKind, 'chargeback'>>('not_received');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [tried, setTried] = useState(false);
  const missing = {
    number: number.trim() === '',
    subject: subject.trim() === '',
    message: message.trim() === '',
  };

  const open = useMutation({
    mutationFn: () =>
      unwrap(
        commands.openDispute({
          order_number: number.trim(),
          order_item_id: null,
          vendor_id: null,
          kind,
          subject: subject.trim(),
          message: message.trim(),
          amount_minor: null,
        }),
      ),
    onSuccess: (opened) => {
      void invalidateEntity(client, 'disputes');
      toast.success(`Dispute opened on ${number.trim().toUpperCase()}`, {
        description: `${STATUS_LABELS[opened.status]} · ${formatMoney(opened.amount_minor, opened.currency)} in question`,
      });
      onOpened(opened.id);
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing.number || missing.subject || missing.message || open.isPending) return;
    open.mutate();
  };

  return (
    <FormDialog
      title="Open a dispute"
      description={
        me.role === 'vendor'
          ? 'The platform reviews it; you are told of every answer.'
          : 'For the customer: the vendor selling the items answers first.'
      }
      submitLabel="Open the dispute"
      submitTestId="open-dispute-submit"
      pending={open.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Order number" error={tried && missing.number ? 'Which order?' : undefined}>
        {(control) => (
          <Input
            {...control}
            data-testid="open-dispute-order"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            placeholder="MD-10042"
            autoFocus
          />
        )}
      </Field>
      <Field label="What is wrong">
        {(control) => (
          <Select
            {...control}
            data-testid="open-dispute-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as Exclude<DisputeKind, 'chargeback'>)}
            options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        )}
      </Field>
      <Field label="Subject" error={tried && missing.subject ? 'One line about it.' : undefined}>
        {(control) => (
          <Input
            {...control}
            data-testid="open-dispute-subject"
            maxLength={200}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="What happened"
        error={tried && missing.message ? 'The first message is required.' : undefined}
      >
        {(control) => (
          <textarea
            {...control}
            rows={4}
            maxLength={10000}
            data-testid="open-dispute-message"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            className={cn(controlClasses, 'h-auto py-1.5')}
          />
        )}
      </Field>
      {open.isError && <InlineError error={open.error} title="The dispute was not opened" />}
    </FormDialog>
  );
}
