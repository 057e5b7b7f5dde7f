import type { ReactNode } from 'react';
import type { PayoutBatch } from '../../bindings';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { StatusBadge } from '../../components/StatusBadge';
import { EMPTY, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { shortId } from '../../lib/ids';
import { BATCH_STATUS_LABELS, BATCH_STATUS_TONES } from './status';

function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-fg-subtle">{label}</dt>
      <dd data-testid={testId} className="mt-0.5 truncate text-base text-fg">
        {children}
      </dd>
    </div>
  );
}

export function BatchStatusBadge({ batch }: { batch: PayoutBatch }) {
  return (
    <StatusBadge status={batch.status} labels={BATCH_STATUS_LABELS} tones={BATCH_STATUS_TONES}>
      <span data-testid="batch-status">{BATCH_STATUS_LABELS[batch.status]}</span>
    </StatusBadge>
  );
}

/** Who approved a batch: one name, both names, or no one yet. */
export function approversOf(batch: PayoutBatch): string {
  const names = [batch.approved_by_name, batch.second_approved_by_name].filter((n): n is string => !!n);
  return names.length === 0 ? EMPTY : names.join(', ');
}

/** A batch's facts: status, amounts, who prepared and approved it, how its execution went. */
export function BatchSummary({ batch, actions }: { batch: PayoutBatch; actions?: ReactNode }) {
  return (
    <Card data-testid="batch-summary-card">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Batch <span className="font-mono text-fg-muted">{shortId(batch.id)}</span>
            <BatchStatusBadge batch={batch} />
          </span>
        }
        description={`Prepared by ${batch.created_by_name} · ${formatDateTime(batch.created_at)}`}
        actions={actions}
      />
      <CardBody>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-4">
          <Fact label="Total" testId="batch-total">
            <span className="font-semibold tabular-nums">
              {formatMoney(batch.total_minor, batch.currency)}
            </span>
          </Fact>
          <Fact label="Payouts" testId="batch-count">
            <span className="tabular-nums">{formatNumber(batch.payout_count)}</span>
          </Fact>
          <Fact label="Paid · failed" testId="batch-outcome">
            <span className="tabular-nums">
              {formatNumber(batch.paid_count)} · {formatNumber(batch.failed_count)}
            </span>
          </Fact>
          <Fact label="Currency">{batch.currency}</Fact>
          <Fact label="Approved by" testId="batch-approved-by">
            {batch.approved_by_name ?? <span className="text-fg-faint">Not yet</span>}
          </Fact>
          <Fact label="Second approval" testId="batch-second-approval">
            {batch.second_approved_by_name ?? <span className="text-fg-faint">{EMPTY}</span>}
          </Fact>
          <Fact label="Executed">{formatDateTime(batch.executed_at)}</Fact>
          <Fact label="Running on">{batch.locked_by ?? <span className="text-fg-faint">{EMPTY}</span>}</Fact>
        </dl>
        {batch.failure_reason && (
          <p
            data-testid="batch-failure-reason"
            className="mt-3 rounded-md bg-warning-soft px-3 py-2 text-base break-words text-warning"
          >
            {batch.failure_reason}
          </p>
        )}
      </CardBody>
    </Card>
  );
}
