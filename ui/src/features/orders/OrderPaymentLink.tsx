import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AwaitingPayment } from '../../bindings';
import { commands } from '../../bindings';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

/**
 * The Stripe page a pending order taken by hand waits on: the link, when it stops working, why it
 * is not waiting any more, and a button that mails it again (the core makes a new one once expired).
 */
export function OrderPaymentLink({ orderId, awaiting }: { orderId: string; awaiting: AwaitingPayment }) {
  const client = useQueryClient();
  const send = useMutation({
    mutationFn: () => unwrap(commands.sendPaymentLink(orderId)),
    onSuccess: (link) => {
      toast.success(`Payment link mailed to ${link.mailed_to}`);
      void invalidateEntity(client, 'orders');
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="order-payment-link">
      {awaiting.problem ? (
        <p className="text-warning-text">The link {awaiting.problem.replace(/^the payment link /, '')}.</p>
      ) : awaiting.url ? (
        <p>Waiting for the customer to pay; the link works until {formatDateTime(awaiting.expires_at)}.</p>
      ) : (
        <p className="text-warning-text">No payment link has gone out yet.</p>
      )}
      <div className="flex items-center gap-2">
        {awaiting.url && !awaiting.problem && <CopyButton text={awaiting.url} size="sm" label="Copy link" />}
        <Button
          size="sm"
          onClick={() => send.mutate()}
          loading={send.isPending}
          data-testid="send-payment-link"
        >
          {awaiting.problem || !awaiting.url ? 'Send a new link' : 'Mail the link again'}
        </Button>
      </div>
    </div>
  );
}
