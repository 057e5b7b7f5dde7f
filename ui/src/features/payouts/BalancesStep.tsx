import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { commands, type PayoutBatch, type PreviewLine, type VendorBalance } from '../../bindings';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { Field, Input } from '../../components/Input';
import { QueryList } from '../../components/QueryList';
import { Select } from '../../components/Select';
import { SimpleTable } from '../../components/SimpleTable';
import { WalletIcon } from '../../components/icons';
import { cn } from '../../lib/cn';
import { CURRENCIES, type PayoutCurrency } from '../../lib/currencies';
import { currencyDigits, formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';
import { parseMajorAmount } from './amount';
import { InlineError } from './InlineError';

type ConnectState = 'missing' | 'unverified' | 'ready';
const CONNECT_LABELS: Record<ConnectState, string> = {
  missing: 'Not set up',
  unverified: 'Not verified',
  ready: 'Ready',
};
const CONNECT_TONES: Record<ConnectState, BadgeTone> = {
  missing: 'warning',
  unverified: 'warning',
  ready: 'success',
};

/** Whether Stripe can pay the vendor: a Connect account that may receive payouts. */
export function connectState(b: VendorBalance): ConnectState {
  if (b.connect_account === null) return 'missing';
  return b.payouts_enabled ? 'ready' : 'unverified';
}

/** Every vendor's balance; those the core would leave out of the batch are dimmed. */
function BalancesTable({ lines }: { lines: PreviewLine[] }) {
  const money = (b: VendorBalance, minor: number) => formatMoney(minor, b.currency);
  return (
    <div className="overflow-x-auto">
      <SimpleTable
        data-testid="vendor-balances"
        columns={[
          { label: 'Vendor', className: 'px-4 py-2' },
          { label: 'Owed', className: 'px-2 py-2 text-right' },
          { label: 'On hold', className: 'px-2 py-2 text-right' },
          { label: 'In flight', className: 'px-2 py-2 text-right' },
          { label: 'Available', className: 'px-2 py-2 text-right' },
          { label: 'Hold days', className: 'px-2 py-2 text-right' },
          { label: 'Connect', className: 'px-4 py-2' },
        ]}
      >
        <tbody>
          {lines.map(({ balance: b, would_pay_minor }) => {
            const included = would_pay_minor !== null;
            const connect = connectState(b);
            return (
              <tr
                key={b.vendor_id}
                data-vendor-id={b.vendor_id}
                data-included={included || undefined}
                className={cn('border-b border-line last:border-b-0', !included && 'text-fg-subtle')}
              >
                <td className="px-4 py-2">
                  <span className="truncate">{b.vendor_name}</span>
                  {b.held && (
                    <span className="ml-2 text-sm text-danger-text" data-testid="balance-held">
                      Held: vendor suspended
                    </span>
                  )}
                  {!included && <span className="sr-only"> (not in this batch)</span>}
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{money(b, b.owed_minor)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{money(b, b.pending_minor)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{money(b, b.in_flight_minor)}</td>
                <td className="px-2 py-2 text-right font-medium tabular-nums">
                  {money(b, b.available_minor)}
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{formatNumber(b.hold_days)}</td>
                <td className="px-4 py-2">
                  <Badge tone={CONNECT_TONES[connect]} dot>
                    {CONNECT_LABELS[connect]}
                  </Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </SimpleTable>
    </div>
  );
}

/**
 * Step 1: what each vendor may be paid in a currency, the minimum payout, and (finance)
 * preparing a draft batch of one payout per vendor with enough available.
 */
export function BalancesStep({
  canAct,
  onPrepared,
}: {
  canAct: boolean;
  onPrepared: (batch: PayoutBatch) => void;
}) {
  const client = useQueryClient();
  const [currency, setCurrency] = useState<PayoutCurrency>('USD');
  const [minimumText, setMinimumText] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const parsed = parseMajorAmount(minimumText, currencyDigits(currency));
  const minimumMinor = parsed.ok ? parsed.minor : null;
  // The core says whom a batch with this minimum would pay; while the minimum is mistyped the last
  // answer stays.
  const preview = useQuery({
    queryKey: queryKeys.payoutPreview(currency, minimumMinor),
    queryFn: () =>
      unwrap(commands.payoutPreview({ currency, minimum_minor: minimumMinor, vendor_ids: null })),
    enabled: parsed.ok,
    placeholderData: keepPreviousData,
  });
  const minimumError = !parsed.ok && (submitted || minimumText.trim() !== '') ? parsed.error : undefined;

  const prepare = useMutation({
    mutationFn: (minimum: number | null) =>
      unwrap(commands.preparePayoutBatch({ currency, minimum_minor: minimum, vendor_ids: null })),
    onSuccess: (batch) => onPrepared(batch),
    onSettled: () => invalidateEntity(client, 'payouts'),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!canAct || !parsed.ok || prepare.isPending) return;
    prepare.mutate(parsed.minor);
  };

  const lines = preview.data?.lines ?? [];
  const notReady = preview.data?.not_payable ?? 0;

  const body = (
    <QueryList
      query={preview}
      loadingLabel="Loading balances"
      errorTitle="Could not load the balances"
      total={lines.length}
      empty={{
        icon: <WalletIcon size={20} />,
        title: `No vendor balances in ${currency}`,
        description: 'Vendors appear here once they have sales in this currency.',
      }}
    >
      <BalancesTable lines={lines} />
    </QueryList>
  );

  return (
    <div className="flex flex-col gap-4" data-testid="step-balances">
      <Card>
        <CardHeader
          title="Vendor balances"
          description="Owed less what is on hold (not delivered long enough ago) and payouts already on their way."
          actions={
            <Select
              aria-label="Currency"
              data-testid="balances-currency"
              value={currency}
              onChange={(e) => {
                setCurrency(e.target.value as PayoutCurrency);
                prepare.reset();
              }}
              options={CURRENCIES.map((c) => ({ value: c, label: c }))}
              className="w-24"
            />
          }
        />
        {body}
      </Card>

      <Card>
        <CardHeader title="Prepare a batch" description={`One payout per vendor, in ${currency}.`} />
        <CardBody>
          <form noValidate onSubmit={submit} className="flex flex-col gap-4" aria-label="Prepare a batch">
            <div className="flex flex-wrap items-start gap-6">
              <Field
                label={`Minimum payout (${currency})`}
                hint="Leave empty for the platform’s minimum. Smaller balances wait for the next run."
                error={minimumError}
                className="w-72"
              >
                {(control) => (
                  <Input
                    {...control}
                    data-testid="minimum"
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder="Platform minimum"
                    value={minimumText}
                    onChange={(e) => setMinimumText(e.target.value)}
                  />
                )}
              </Field>
              <dl className="flex gap-6" data-testid="batch-summary" aria-live="polite">
                <div>
                  <dt className="text-sm text-fg-subtle">Vendors to pay</dt>
                  <dd data-testid="summary-count" className="mt-1 text-2xl font-semibold tabular-nums">
                    {preview.data ? formatNumber(preview.data.payout_count) : '—'}
                  </dd>
                </div>
                <div>
                  <dt className="text-sm text-fg-subtle">Total</dt>
                  <dd data-testid="summary-total" className="mt-1 text-2xl font-semibold tabular-nums">
                    {preview.data ? formatMoney(preview.data.total_minor, currency) : '—'}
                  </dd>
                </div>
              </dl>
            </div>
            {preview.data && parsed.ok && parsed.minor === null && (
              <p className="text-sm text-fg-subtle" data-testid="platform-minimum">
                No minimum entered: the platform’s minimum of{' '}
                {formatMoney(preview.data.minimum_minor, currency)} applies.
              </p>
            )}
            {notReady > 0 && (
              <p role="status" className="rounded-md bg-warning-soft px-3 py-2 text-base text-warning">
                {notReady === 1
                  ? '1 of these vendors cannot receive payouts yet'
                  : `${formatNumber(notReady)} of these vendors cannot receive payouts yet`}{' '}
                (Stripe Connect not set up or not verified): their payouts will fail when the batch runs, and
                the money stays owed.
              </p>
            )}
            {prepare.isError && <InlineError error={prepare.error} title="Could not prepare the batch" />}
            {canAct && (
              <div className="flex items-center gap-3">
                <Button
                  type="submit"
                  variant="primary"
                  data-testid="prepare"
                  loading={prepare.isPending}
                  disabled={preview.data !== undefined && preview.data.payout_count === 0}
                >
                  Prepare batch
                </Button>
              </div>
            )}
          </form>
        </CardBody>
      </Card>
    </div>
  );
}
