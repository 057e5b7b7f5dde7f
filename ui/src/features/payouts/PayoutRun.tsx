import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, type Dispatch, type SetStateAction } from 'react';
import { commands, type ExecutionReport, type PayoutBatch } from '../../bindings';
import { Button } from '../../components/Button';
import { PlusIcon } from '../../components/icons';
import { cn } from '../../lib/cn';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { BalancesStep } from './BalancesStep';
import { BatchSummary } from './BatchSummary';
import { ExecuteStep } from './ExecuteStep';
import { ReviewStep } from './ReviewStep';
import { newestBatch } from './status';
import { useExecution } from './useExecution';

export type RunStep = 'balances' | 'review' | 'execute';

/** Where the wizard is: a step, and the batch it works on (none before one is prepared). */
export type RunPosition = { step: RunStep; batch: PayoutBatch | null };

const STEPS: readonly { step: RunStep; label: string }[] = [
  { step: 'balances', label: 'Balances' },
  { step: 'review', label: 'Review' },
  { step: 'execute', label: 'Execute' },
];

/** The step a batch opens in: review until it is approved, execute after. */
export function stepFor(batch: PayoutBatch): RunStep {
  return batch.status === 'draft' || batch.status === 'cancelled' ? 'review' : 'execute';
}

function Steps({ position, onStep }: { position: RunPosition; onStep: (step: RunStep) => void }) {
  const current = STEPS.findIndex((s) => s.step === position.step);
  return (
    <nav aria-label="Payout run">
      <ol className="flex flex-wrap items-center gap-2">
        {STEPS.map(({ step, label }, i) => {
          const active = step === position.step;
          const reachable = step === 'balances' || position.batch !== null;
          return (
            <li key={step} className="flex items-center gap-2">
              {i > 0 && <span aria-hidden="true" className="h-px w-6 bg-line-strong" />}
              <button
                type="button"
                data-testid={`step-${step}-tab`}
                aria-current={active ? 'step' : undefined}
                disabled={!reachable}
                onClick={() => onStep(step)}
                className={cn(
                  'inline-flex h-8 items-center gap-2 rounded-md px-2.5 text-base font-medium transition-colors',
                  'hover:bg-raised disabled:pointer-events-none disabled:opacity-50',
                  active ? 'bg-accent-soft text-accent-text' : 'text-fg-muted',
                )}
              >
                <span
                  aria-hidden="true"
                  className={cn(
                    'flex size-5 items-center justify-center rounded-full text-xs tabular-nums',
                    active
                      ? 'bg-accent text-accent-fg'
                      : i < current
                        ? 'bg-success-soft text-success'
                        : 'bg-raised',
                  )}
                >
                  {i + 1}
                </span>
                {label}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * The payout run: balances → a prepared batch under review → its execution. Admins see it
 * read-only; finance prepares, approves and executes. `position` is kept by the screen so
 * that the Batches tab can open a batch here.
 */
export function PayoutRun({
  canAct,
  position,
  onPosition,
}: {
  canAct: boolean;
  position: RunPosition;
  onPosition: Dispatch<SetStateAction<RunPosition>>;
}) {
  const client = useQueryClient();
  // The list refreshes with every change (here, another window, another desktop): the
  // batch shown is the newer of what this screen got back and what the list says.
  const batches = useQuery({
    queryKey: queryKeys.payoutBatches,
    queryFn: () => unwrap(commands.listPayoutBatches()),
    enabled: position.batch !== null,
  });
  const batch = position.batch
    ? newestBatch(
        position.batch,
        batches.data?.find((b) => b.id === position.batch?.id),
      )
    : null;

  // A batch the core sent back replaces the one shown, if it is still the one shown.
  const setBatch = useCallback(
    (next: PayoutBatch) => onPosition((p) => (p.batch?.id === next.id ? { ...p, batch: next } : p)),
    [onPosition],
  );
  const onReport = useCallback(
    (report: ExecutionReport) => {
      client.setQueryData<PayoutBatch[]>(queryKeys.payoutBatches, (list) =>
        list?.map((b) => (b.id === report.batch.id ? report.batch : b)),
      );
      setBatch(report.batch);
    },
    [client, setBatch],
  );
  const { execution, execute } = useExecution(onReport);
  const running = execution.state === 'running';

  return (
    <div className="flex flex-col gap-4" data-testid="payout-run">
      <div className="flex flex-wrap items-center gap-3">
        <Steps position={position} onStep={(step) => onPosition({ ...position, step })} />
        {batch && !running && (
          <Button
            size="sm"
            variant="ghost"
            className="ml-auto"
            icon={<PlusIcon />}
            data-testid="new-run"
            onClick={() => onPosition({ step: 'balances', batch: null })}
          >
            New run
          </Button>
        )}
      </div>

      {!canAct && (
        <p className="rounded-md bg-raised px-3 py-2 text-base text-fg-muted">
          Read-only: only finance can prepare, approve and execute payouts.
        </p>
      )}

      {position.step === 'balances' || !batch ? (
        <BalancesStep
          canAct={canAct}
          onPrepared={(prepared) => onPosition({ step: 'review', batch: prepared })}
        />
      ) : (
        <>
          <BatchSummary batch={batch} />
          {position.step === 'review' ? (
            <ReviewStep
              key={batch.id}
              batch={batch}
              canAct={canAct}
              onBatch={setBatch}
              onContinue={() => onPosition({ step: 'execute', batch })}
            />
          ) : (
            <ExecuteStep
              key={batch.id}
              batch={batch}
              canAct={canAct}
              execution={execution}
              otherRunning={running && execution.batchId !== batch.id}
              onExecute={() => void execute(batch.id)}
              onReview={() => onPosition({ step: 'review', batch })}
            />
          )}
        </>
      )}
    </div>
  );
}
