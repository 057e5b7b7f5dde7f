import { useState } from 'react';
import type { PayoutBatch } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AlertCircleIcon, CheckCircleIcon, RefreshIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { SimpleTable } from '../../components/SimpleTable';
import { EMPTY, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { Kpi } from '../../components/Kpi';
import { InlineError } from './InlineError';
import { isExecutable } from './status';
import type { Execution, LiveRow } from './useExecution';

type LiveState = 'processing' | 'unconfirmed' | 'paid' | 'failed' | 'other';
const LIVE_LABELS: Record<LiveState, string> = {
  processing: 'Processing',
  unconfirmed: 'Unconfirmed',
  paid: 'Paid',
  failed: 'Failed',
  other: 'Other',
};
const LIVE_TONES: Record<LiveState, BadgeTone> = {
  processing: 'accent',
  unconfirmed: 'warning',
  paid: 'success',
  failed: 'danger',
  other: 'neutral',
};

/** A live row's state: still processing with a reason means Stripe did not confirm it. */
function liveState(row: LiveRow): LiveState {
  switch (row.status) {
    case 'processing':
      return row.failure_reason ? 'unconfirmed' : 'processing';
    case 'paid':
      return 'paid';
    case 'failed':
      return 'failed';
    case 'proposed':
    case 'approved':
    case 'cancelled':
    case 'reversed':
      return 'other';
  }
}

function LiveRows({ rows }: { rows: readonly LiveRow[] }) {
  if (rows.length === 0) {
    return <p className="px-4 py-6 text-center text-base text-fg-subtle">Waiting for the first payout…</p>;
  }
  return (
    <div className="max-h-80 overflow-auto">
      <SimpleTable
        data-testid="live-rows"
        headClassName="sticky top-0 bg-surface"
        columns={[
          { label: 'Vendor', className: 'px-4 py-2' },
          { label: 'Status', className: 'px-2 py-2' },
          { label: 'Reason', className: 'px-4 py-2' },
        ]}
      >
        <tbody aria-live="polite">
          {rows.map((row) => {
            const state = liveState(row);
            return (
              <tr
                key={row.payout_id}
                data-payout-id={row.payout_id}
                data-state={state}
                className="border-b border-line last:border-b-0"
              >
                <td className="px-4 py-2">{row.vendor_name}</td>
                <td className="px-2 py-2">
                  <Badge tone={LIVE_TONES[state]} dot>
                    {LIVE_LABELS[state]}
                  </Badge>
                </td>
                <td
                  className={
                    state === 'failed'
                      ? 'px-4 py-2 break-words text-danger-text'
                      : 'px-4 py-2 break-words text-fg-muted'
                  }
                >
                  {row.failure_reason ?? <span className="text-fg-faint">{EMPTY}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </SimpleTable>
    </div>
  );
}

/** How many payouts a run of this batch still has to make. */
function remaining(batch: PayoutBatch): number {
  return Math.max(0, batch.payout_count - batch.paid_count - batch.failed_count);
}

/**
 * Step 3: pays an approved batch through Stripe (finance, online only), following each
 * payout as it happens, then shows how the run ended; a run that left payouts unconfirmed
 * can be run again (Stripe's idempotency keys make sure none is paid twice).
 */
export function ExecuteStep({
  batch,
  canAct,
  execution,
  otherRunning,
  onExecute,
  onReview,
}: {
  batch: PayoutBatch;
  canAct: boolean;
  /** The last execution started here, if it concerns this batch. */
  execution: Execution;
  /** Another batch is being executed from this screen (one run at a time). */
  otherRunning: boolean;
  onExecute: () => void;
  onReview: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const run = execution.state !== 'idle' && execution.batchId === batch.id ? execution : null;
  const running = run?.state === 'running';
  const firstRun = batch.status === 'approved';
  const report = run?.state === 'finished' ? run.report : null;
  const money = formatMoney(batch.total_minor, batch.currency);
  const count = formatNumber(batch.payout_count);
  const vendors = batch.payout_count === 1 ? 'vendor' : 'vendors';

  let intro;
  if (batch.status === 'draft') {
    intro = (
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-base text-fg-muted">
          This batch is not approved yet: approve it before executing.
        </p>
        <Button onClick={onReview}>Back to review</Button>
      </div>
    );
  } else if (batch.status === 'cancelled') {
    intro = <p className="text-base text-fg-muted">This batch was cancelled: nothing will be paid.</p>;
  } else if (batch.status === 'completed' && !report) {
    intro = (
      <p className="flex items-center gap-2 text-base text-success">
        <CheckCircleIcon className="shrink-0" />
        Executed {formatDateTime(batch.executed_at)}: {formatNumber(batch.paid_count)} paid,{' '}
        {formatNumber(batch.failed_count)} failed.
      </p>
    );
  } else if (!run) {
    intro = (
      <div className="flex flex-col gap-2 text-base text-fg-muted">
        {firstRun ? (
          <p>
            {money} will be paid to {count} {vendors} through Stripe. Payouts are executed online only, one
            desktop at a time.
          </p>
        ) : (
          <p>
            {formatNumber(remaining(batch))} of its payouts are not confirmed yet. Running the batch again
            asks Stripe about them with the same idempotency keys: none is paid twice.
          </p>
        )}
        {batch.status === 'executing' && (
          <p className="text-warning">
            The batch is marked as executing{batch.locked_by ? ` on ${batch.locked_by}` : ''}. If that run
            stopped, run it again; while it still runs, the core refuses a second one.
          </p>
        )}
      </div>
    );
  }

  const executeButton = canAct && isExecutable(batch) && !running && !otherRunning && (
    <Button
      variant={firstRun ? 'primary' : 'secondary'}
      data-testid={firstRun ? 'execute' : 'run-again'}
      icon={firstRun ? undefined : <RefreshIcon />}
      onClick={() => setConfirming(true)}
    >
      {firstRun ? 'Execute payouts…' : 'Run again…'}
    </Button>
  );

  return (
    <div className="flex flex-col gap-4" data-testid="step-execute">
      <Card>
        <CardHeader
          title="Execution"
          description="Each payout is a Stripe transfer to the vendor’s Connect account."
        />
        <CardBody className="flex flex-col gap-4">
          {intro}

          {run && (running || run.total !== null) && (
            <ProgressBar
              label={running ? 'Paying vendors' : run.state === 'failed' ? 'Run stopped' : 'Run finished'}
              value={run.total === null ? null : run.done}
              max={run.total ?? undefined}
              detail={
                run.total === null
                  ? 'Starting…'
                  : `${formatNumber(run.done)} of ${formatNumber(run.total)} payouts`
              }
            />
          )}

          {report && (
            <section
              aria-label="Execution report"
              data-testid="execution-report"
              className="flex flex-col gap-3"
            >
              <div className="grid grid-cols-3 gap-3">
                <Kpi label="Paid" value={formatNumber(report.paid)} testId="report-paid" />
                <Kpi label="Failed" value={formatNumber(report.failed)} testId="report-failed" />
                <Kpi
                  label="Unconfirmed"
                  value={formatNumber(report.unconfirmed)}
                  testId="report-unconfirmed"
                />
              </div>
              {report.unconfirmed > 0 ? (
                <p
                  role="alert"
                  data-testid="report-unconfirmed-reason"
                  className="flex items-start gap-2 rounded-md bg-warning-soft px-3 py-2 text-base text-warning"
                >
                  <AlertCircleIcon className="mt-0.5 shrink-0" />
                  <span>
                    {report.batch.failure_reason ??
                      'Some payouts could not be confirmed with Stripe; run the batch again to finish them.'}
                  </span>
                </p>
              ) : (
                <p role="status" className="flex items-center gap-2 text-base text-success">
                  <CheckCircleIcon className="shrink-0" />
                  {report.failed > 0
                    ? 'Done. Failed payouts stay owed to their vendors and go in a later batch.'
                    : 'Done: every payout of this run was paid.'}
                </p>
              )}
            </section>
          )}

          {run?.state === 'failed' && (
            <InlineError error={run.error} title="The batch could not be executed" />
          )}

          {executeButton && <div className="flex items-center gap-2">{executeButton}</div>}
          {canAct && isExecutable(batch) && otherRunning && (
            <p className="text-sm text-fg-subtle">
              Another batch is being executed: wait for it to finish before starting this one.
            </p>
          )}
        </CardBody>
        {run && (running || run.rows.length > 0) && (
          <div className="border-t border-line">
            <LiveRows rows={run.rows} />
          </div>
        )}
      </Card>

      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={firstRun ? `Pay ${count} ${vendors}?` : 'Run this batch again?'}
        description={
          firstRun
            ? `${money} leaves through Stripe to ${count} ${vendors}. This cannot be undone.`
            : `The ${formatNumber(remaining(batch))} payouts not yet confirmed are sent to Stripe again (never paid twice). Money that leaves through Stripe cannot be brought back.`
        }
        confirmLabel={firstRun ? `Pay ${count} ${vendors}` : 'Run again'}
        tone="danger"
        onConfirm={onExecute}
      />
    </div>
  );
}
