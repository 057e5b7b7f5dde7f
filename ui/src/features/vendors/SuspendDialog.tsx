import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { TextAreaField } from '../../components/TextAreaField';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

/**
 * Suspends a vendor (sign-in closed, live products hidden, payouts held) or reactivates them,
 * after showing what it touches.
 */
export function SuspendDialog({
  vendorId,
  suspended,
  onClose,
}: {
  vendorId: string;
  suspended: boolean;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const impact = useQuery({
    queryKey: ['vendor_applications', 'suspension', vendorId],
    queryFn: () => unwrap(commands.vendorSuspension(vendorId)),
  });
  const change = useMutation({
    mutationFn: () => unwrap(commands.setVendorSuspended(vendorId, !suspended, reason)),
    onSuccess: (done) => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success(done.suspended ? `${done.vendor_name} suspended` : `${done.vendor_name} reactivated`);
      onClose();
    },
  });
  const needsReason = !suspended && reason.trim() === '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!needsReason && !change.isPending) change.mutate();
  };
  const i = impact.data;
  return (
    <FormDialog
      title={suspended ? 'Reactivate this vendor?' : 'Suspend this vendor?'}
      description={
        suspended
          ? 'They can sign in again, their products sell again and their payouts are proposed again.'
          : 'They cannot sign in, their live products are hidden and their payouts are held. Nothing is lost.'
      }
      submitLabel={suspended ? 'Reactivate' : 'Suspend'}
      submitTestId="suspend-submit"
      pending={change.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {impact.isPending && <Spinner label="Reading what it touches" />}
      {impact.isError && <InlineError error={impact.error} title="What it touches could not be read" />}
      {i && (
        <ul className="list-disc pl-5 text-sm" data-testid="suspension-impact">
          <li>{formatNumber(i.live_products)} live product(s)</li>
          <li>{formatNumber(i.payouts_waiting)} payout(s) waiting</li>
          {i.owed.map(([currency, minor]) => (
            <li key={currency}>{formatMoney(minor, currency)} owed to them</li>
          ))}
        </ul>
      )}
      {!suspended && (
        <TextAreaField
          label="Why"
          error={tried && needsReason ? 'Say why the vendor is suspended.' : undefined}
          value={reason}
          onChange={setReason}
          maxLength={500}
          autoFocus
          data-testid="suspend-reason"
        />
      )}
      {change.isError && <InlineError error={change.error} title="Nothing was changed" />}
    </FormDialog>
  );
}
