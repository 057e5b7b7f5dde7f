import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { commands, type PayoutBatch, type PayoutFilter } from '../../bindings';
import { Button } from '../../components/Button';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataGrid } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { CheckIcon, InfoIcon } from '../../components/icons';
import { toast } from '../../components/toast';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';
import { usePagedList } from '../../lib/useListScreen';
import {
  PAYOUT_SORTS,
  payoutAmountColumn,
  payoutCol,
  payoutReasonColumn,
  payoutStatusColumn,
  payoutVendorColumn,
} from './columns';
import { InlineError } from './InlineError';
import { isCancellable } from './status';

const columns = payoutCol.columns([
  payoutVendorColumn,
  payoutAmountColumn,
  payoutStatusColumn,
  payoutReasonColumn,
]);

/** The payouts of one batch, largest first. */
export function BatchPayouts({ batch }: { batch: PayoutBatch }) {
  const filter: PayoutFilter = useMemo(
    () => ({ vendor_id: null, status: null, currency: null, batch_id: batch.id }),
    [batch.id],
  );
  const fetchPage = usePagedList(filter, commands.listPayouts, PAYOUT_SORTS, 'amount');
  return (
    <DataGrid
      aria-label="Payouts of this batch"
      data-testid="grid-batch-payouts"
      className="h-72"
      columns={columns}
      queryKey={queryKeys.payoutList('batch', filter)}
      fetchPage={fetchPage}
      rowKey={(p) => p.id}
      defaultSort={{ key: 'amount', dir: 'desc' }}
      emptyState={<EmptyState title="No payouts in this batch" />}
    />
  );
}

/**
 * Step 2: the prepared batch and its payouts; finance approves it (a second finance person
 * too when the platform asks for four eyes) or cancels it.
 */
export function ReviewStep({
  batch,
  canAct,
  onBatch,
  onContinue,
}: {
  batch: PayoutBatch;
  canAct: boolean;
  onBatch: (batch: PayoutBatch) => void;
  onContinue: () => void;
}) {
  const client = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);

  const approve = useMutation({
    mutationFn: () => unwrap(commands.approvePayoutBatch(batch.id, batch.version)),
    onSuccess: (next) => {
      onBatch(next);
      toast.success(
        next.status === 'approved' ? 'Batch approved' : 'Approval recorded',
        next.status === 'approved'
          ? { description: 'It can be executed now.' }
          : { description: 'A second finance person must approve it too.' },
      );
    },
    onSettled: () => invalidateEntity(client, 'payouts'),
  });

  const cancel = useMutation({
    mutationFn: () => unwrap(commands.cancelPayoutBatch(batch.id, batch.version)),
    onSuccess: (next) => {
      onBatch(next);
      toast.success('Batch cancelled', { description: 'The money stays owed to the vendors.' });
    },
    onSettled: () => invalidateEntity(client, 'payouts'),
  });

  const waitingForSecond = batch.status === 'draft' && batch.approved_by_name !== null;

  return (
    <div className="flex flex-col gap-4" data-testid="step-review">
      {waitingForSecond && (
        <p
          role="status"
          data-testid="second-approval-needed"
          className="flex items-start gap-2 rounded-md bg-info-soft px-3 py-2 text-base text-info"
        >
          <InfoIcon className="mt-0.5 shrink-0" />
          <span>
            Approved by {batch.approved_by_name}. This platform asks for four eyes: a second finance person
            must approve the batch before it can be executed.
          </span>
        </p>
      )}
      {batch.status === 'cancelled' && (
        <p role="status" className="rounded-md bg-raised px-3 py-2 text-base text-fg-muted">
          This batch was cancelled: its payouts will not be made and the money stays owed.
        </p>
      )}

      <Card className="flex flex-col">
        <CardHeader
          title="Payouts"
          description={`${formatNumber(batch.payout_count)} ${batch.payout_count === 1 ? 'vendor' : 'vendors'}, ${formatMoney(batch.total_minor, batch.currency)} in all`}
        />
        <div className="p-3">
          <BatchPayouts batch={batch} />
        </div>
      </Card>

      {approve.isError && <InlineError error={approve.error} title="Could not approve the batch" />}

      {canAct && (
        <div className="flex flex-wrap items-center gap-2">
          {batch.status === 'draft' && (
            <Button
              variant="primary"
              data-testid="approve"
              icon={<CheckIcon />}
              loading={approve.isPending}
              onClick={() => approve.mutate()}
            >
              {waitingForSecond ? 'Approve as second approver' : 'Approve batch'}
            </Button>
          )}
          {batch.status !== 'draft' && batch.status !== 'cancelled' && (
            <Button variant="primary" data-testid="continue-execute" onClick={onContinue}>
              Continue to execute
            </Button>
          )}
          {isCancellable(batch) && (
            <Button variant="danger" data-testid="cancel-batch" onClick={() => setConfirmCancel(true)}>
              Cancel batch…
            </Button>
          )}
        </div>
      )}

      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title="Cancel this batch?"
        description={`Its ${formatNumber(batch.payout_count)} payouts (${formatMoney(batch.total_minor, batch.currency)}) are cancelled. The money stays owed to the vendors and goes in the next batch.`}
        confirmLabel="Cancel batch"
        cancelLabel="Keep batch"
        onConfirm={() => cancel.mutateAsync()}
      />
    </div>
  );
}
