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
 * The Stripe page a pending order taken by hand waits on, as the core says it stands: the link
 * and when it stops working, why the last one brought no money, and a button that mails it again
 * (the core makes a new page once expired, and a new payment attempt once the last one failed).
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
  const waiting = awaiting.state === 'waiting';
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="order-payment-link">
      <p className={waiting || awaiting.state === 'processing' ? undefined : 'text-warning-text'}>
        {linkSentence(awaiting)}
      </p>
      {awaiting.state !== 'processing' && (
        <div className="flex items-center gap-2">
          {waiting && awaiting.url && <CopyButton text={awaiting.url} size="sm" label="Copy link" />}
          <Button
            size="sm"
            onClick={() => send.mutate()}
            loading={send.isPending}
            data-testid="send-payment-link"
          >
            {waiting ? 'Mail the link again' : 'Send a new link'}
          </Button>
        </div>
      )}
    </div>
  );
}

/** One sentence on where the page stands. */
function linkSentence(awaiting: AwaitingPayment): string {
  const reason = awaiting.problem ? ` (${awaiting.problem})` : '';
  switch (awaiting.state) {
    case 'not_sent':
      return 'No payment link has gone out yet.';
    case 'waiting':
      return `Waiting for the customer to pay; the link works until ${formatDateTime(awaiting.expires_at)}.`;
    case 'expired':
      return `The link expired unpaid${awaiting.expires_at ? ` on ${formatDateTime(awaiting.expires_at)}` : ''}.`;
    case 'processing':
      return 'The customer paid by bank debit on the link; the money is on its way.';
    case 'failed':
      return `The payment made on the link failed${reason}. A new link asks the customer again.`;
  }
}
