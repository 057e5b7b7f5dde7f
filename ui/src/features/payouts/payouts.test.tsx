import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ExecutionReport,
  Payout,
  PayoutBatch,
  PayoutFilter,
  PayoutPreview,
  PayoutProgress,
  PrepareBatch,
  PreviewLine,
  VendorBalance,
} from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, page } from '../../test/fixtures';
import { parseMajorAmount } from './amount';

afterEach(() => {
  delete (globalThis as { isTauri?: boolean }).isTauri;
});

const BATCH_ID = '0197a000-0000-7000-8000-000000000001';
const vendorId = (n: number) => `0190c000-0000-7000-8000-00000000000${n}`;
const payoutId = (n: number) => `0192a000-0000-7000-8000-00000000000${n}`;

const balance = (n: number, name: string, overrides: Partial<VendorBalance> = {}): VendorBalance => ({
  vendor_id: vendorId(n),
  vendor_name: name,
  currency: 'USD',
  owed_minor: 150_000,
  pending_minor: 20_000,
  in_flight_minor: 0,
  available_minor: 130_000,
  hold_days: 7,
  connect_account: `acct_${n}`,
  payouts_enabled: true,
  held: false,
  ...overrides,
});

const BALANCES: VendorBalance[] = [
  balance(1, 'Northwind Ceramics'),
  balance(2, 'Fjord Textiles', { available_minor: 80_001, owed_minor: 80_001, pending_minor: 0 }),
  balance(3, 'Atlas Prints', {
    available_minor: 4_000,
    owed_minor: 4_000,
    pending_minor: 0,
    connect_account: null,
    payouts_enabled: false,
  }),
  balance(4, 'Basalt Goods', { available_minor: 60_000, payouts_enabled: false }),
];

const line = (b: VendorBalance, pays: boolean): PreviewLine => ({
  balance: b,
  would_pay_minor: pays ? b.available_minor : null,
  payable: b.connect_account !== null && b.payouts_enabled,
});

/** The core's answers: with the platform's minimum (0 here) every balance is paid; at $50 Atlas waits. */
const PREVIEW_PLATFORM_MINIMUM: PayoutPreview = {
  currency: 'USD',
  minimum_minor: 0,
  lines: BALANCES.map((b) => line(b, true)),
  payout_count: 4,
  total_minor: 274_001,
  not_payable: 2,
};
const PREVIEW_50: PayoutPreview = {
  ...PREVIEW_PLATFORM_MINIMUM,
  minimum_minor: 5000,
  lines: BALANCES.map((b) => line(b, b.available_minor >= 5000)),
  payout_count: 3,
  total_minor: 270_001,
  not_payable: 1,
};
const previewFor = (args: unknown) =>
  (args as { request: PrepareBatch }).request.minimum_minor === 5000 ? PREVIEW_50 : PREVIEW_PLATFORM_MINIMUM;

const batch = (overrides: Partial<PayoutBatch> = {}): PayoutBatch => ({
  id: BATCH_ID,
  status: 'draft',
  currency: 'USD',
  total_minor: 270_001,
  payout_count: 3,
  paid_count: 0,
  failed_count: 0,
  created_by_name: 'Fiona Finance',
  approved_by_name: null,
  second_approved_by_name: null,
  locked_by: null,
  executed_at: null,
  failure_reason: null,
  created_at: '2026-05-04T08:00:00.000000Z',
  version: 1,
  ...overrides,
});

const payout = (n: number, vendor: string, amount: number): Payout => ({
  id: payoutId(n),
  vendor_id: vendorId(n),
  vendor_name: vendor,
  amount_minor: amount,
  currency: 'USD',
  status: 'proposed',
  failure_reason: null,
  paid_at: null,
  created_at: '2026-05-04T08:00:00.000000Z',
  version: 1,
});

const PAYOUTS = [
  payout(1, 'Northwind Ceramics', 130_000),
  payout(2, 'Fjord Textiles', 80_001),
  payout(4, 'Basalt Goods', 60_000),
];

const progress = (n: number, vendor: string, p: Partial<PayoutProgress>): { progress: PayoutProgress } => ({
  progress: {
    batch_id: BATCH_ID,
    payout_id: payoutId(n),
    vendor_name: vendor,
    status: 'processing',
    failure_reason: null,
    done: 0,
    total: 3,
    ...p,
  },
});

/** The screen opens on All payouts: go to the run. */
async function openRun(user: { click: (element: Element) => Promise<void> }) {
  await user.click(await screen.findByRole('tab', { name: 'Run payouts' }));
}

const liveRow = (n: number) =>
  screen.getByTestId('live-rows').querySelector<HTMLElement>(`[data-payout-id="${payoutId(n)}"]`);

describe('payout run', () => {
  it('prepares, approves and executes a batch, following each payout live', async () => {
    let finish: (report: ExecutionReport) => void = () => {};
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/payouts',
      events: true,
      handlers: {
        payout_preview: previewFor,
        prepare_payout_batch: () => batch(),
        list_payouts: () => page(PAYOUTS),
        approve_payout_batch: () =>
          batch({ status: 'approved', approved_by_name: 'Fiona Finance', version: 2 }),
        execute_payout_batch: () => new Promise<ExecutionReport>((resolve) => (finish = resolve)),
      },
    });

    expect(await screen.findByRole('tab', { name: 'All payouts' })).toHaveAttribute('aria-selected', 'true');
    await openRun(user);

    // Step 1: balances, with each vendor's Connect status.
    const table = await screen.findByTestId('vendor-balances');
    const row = (n: number) => table.querySelector(`[data-vendor-id="${vendorId(n)}"]`) as HTMLElement;
    expect(await within(table).findByText('Northwind Ceramics')).toBeInTheDocument();
    expect(row(1)).toHaveTextContent('$1,500.00$200.00$0.00$1,300.00');
    expect(row(1)).toHaveTextContent('Ready');
    expect(row(3)).toHaveTextContent('Not set up');
    expect(row(4)).toHaveTextContent('Not verified');
    expect(argsOf('payout_preview')[0]).toEqual({
      request: { currency: 'USD', minimum_minor: null, vendor_ids: null },
    });
    // Without a minimum the platform's applies, and the core says which.
    expect(screen.getByTestId('summary-count')).toHaveTextContent('4');
    expect(screen.getByTestId('platform-minimum')).toHaveTextContent('$0.00');

    await user.type(screen.getByTestId('minimum'), '50');
    await waitFor(() => expect(screen.getByTestId('summary-count')).toHaveTextContent('3'));
    expect(screen.getByTestId('summary-total')).toHaveTextContent('$2,700.01');
    expect(row(3)).not.toHaveAttribute('data-included');
    expect(screen.getByText(/1 of these vendors cannot receive payouts yet/)).toBeInTheDocument();

    // Enter in the field submits.
    await user.type(screen.getByTestId('minimum'), '{Enter}');
    await screen.findByTestId('step-review');
    expect(argsOf<{ request: PrepareBatch }>('prepare_payout_batch')).toEqual([
      { request: { currency: 'USD', minimum_minor: 5000, vendor_ids: null } },
    ]);

    // Step 2: the batch and its payouts.
    expect(screen.getByTestId('batch-status')).toHaveTextContent('Draft');
    expect(screen.getByTestId('batch-total')).toHaveTextContent('$2,700.01');
    const grid = screen.getByTestId('grid-batch-payouts');
    expect(await within(grid).findByText('Fjord Textiles')).toBeInTheDocument();
    expect(argsOf<{ filter: PayoutFilter }>('list_payouts').at(-1)?.filter).toEqual({
      vendor_id: null,
      status: null,
      currency: null,
      batch_id: BATCH_ID,
    });
    expect(screen.getByTestId('batch-approved-by')).toHaveTextContent('Not yet');

    await user.click(screen.getByTestId('approve'));
    await waitFor(() => expect(screen.getByTestId('batch-status')).toHaveTextContent('Approved'));
    expect(argsOf('approve_payout_batch')).toEqual([{ id: BATCH_ID, version: 1 }]);
    expect(screen.getByTestId('batch-approved-by')).toHaveTextContent('Fiona Finance');
    expect(screen.queryByTestId('second-approval-needed')).toBeNull();

    // Step 3: execute, after saying what leaves and that it cannot be undone.
    await user.click(screen.getByTestId('continue-execute'));
    await user.click(await screen.findByTestId('execute'));
    const dialog = await screen.findByRole('alertdialog', { name: 'Pay 3 vendors?' });
    expect(dialog).toHaveTextContent('$2,700.01 leaves through Stripe to 3 vendors. This cannot be undone.');
    await user.click(within(dialog).getByTestId('confirm'));

    // The listener is in place before the command runs.
    await waitFor(() => expect(argsOf('execute_payout_batch')).toEqual([{ id: BATCH_ID }]));
    expect(screen.getByRole('progressbar', { name: 'Paying vendors' })).toBeInTheDocument();
    expect(screen.queryByTestId('execute')).toBeNull();

    await act(() =>
      emit('payout-progressed', progress(4, 'Basalt Goods', { status: 'processing', done: 0 })),
    );
    expect(liveRow(4)).toHaveTextContent('Processing');
    await act(() =>
      emit(
        'payout-progressed',
        progress(4, 'Basalt Goods', {
          status: 'failed',
          failure_reason: 'Connect account not verified',
          done: 1,
        }),
      ),
    );
    await act(() =>
      emit('payout-progressed', progress(2, 'Fjord Textiles', { status: 'processing', done: 1 })),
    );
    // Another batch's events are not this run's.
    await act(() =>
      emit('payout-progressed', {
        progress: { ...progress(9, 'Elsewhere Ltd', { status: 'paid' }).progress, batch_id: 'other' },
      }),
    );
    await act(() =>
      emit(
        'payout-progressed',
        progress(1, 'Northwind Ceramics', {
          status: 'processing',
          failure_reason: 'Stripe timed out',
          done: 3,
        }),
      ),
    );

    // The run goes on being followed while another tab is open.
    await user.click(screen.getByRole('tab', { name: 'All payouts' }));
    await act(() => emit('payout-progressed', progress(2, 'Fjord Textiles', { status: 'paid', done: 2 })));
    await openRun(user);

    expect(liveRow(4)).toHaveTextContent('Basalt GoodsFailedConnect account not verified');
    expect(liveRow(2)).toHaveTextContent('Fjord TextilesPaid');
    expect(liveRow(1)).toHaveTextContent('Northwind CeramicsUnconfirmedStripe timed out');
    expect(screen.getByTestId('live-rows').querySelectorAll('tbody tr')).toHaveLength(3);
    expect(screen.queryByText('Elsewhere Ltd')).toBeNull();
    const bar = screen.getByRole('progressbar', { name: 'Paying vendors' });
    expect(bar).toHaveAttribute('aria-valuenow', '3');
    expect(bar).toHaveAttribute('aria-valuemax', '3');

    const reason = '1 payout(s) could not be confirmed with Stripe; run the batch again to finish them';
    await act(async () => {
      finish({
        batch: batch({
          status: 'failed',
          approved_by_name: 'Fiona Finance',
          paid_count: 1,
          failed_count: 1,
          failure_reason: reason,
          version: 4,
        }),
        paid: 1,
        failed: 1,
        unconfirmed: 1,
      });
      await Promise.resolve();
    });

    const report = await screen.findByTestId('execution-report');
    expect(within(report).getByTestId('report-paid')).toHaveTextContent('1');
    expect(within(report).getByTestId('report-failed')).toHaveTextContent('1');
    expect(within(report).getByTestId('report-unconfirmed')).toHaveTextContent('1');
    expect(within(report).getByTestId('report-unconfirmed-reason')).toHaveTextContent(reason);
    expect(screen.getByTestId('batch-status')).toHaveTextContent('Unfinished');
    expect(screen.getByTestId('run-again')).toHaveTextContent('Run again');

    // Once the run is over the screen stops listening.
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    await act(() =>
      emit('payout-progressed', progress(1, 'Northwind Ceramics', { status: 'paid', done: 3 })),
    );
    expect(liveRow(1)).toHaveTextContent('Unconfirmed');
  });

  it('refuses a minimum that is not an amount with at most 2 decimals, and sends integer minor units', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/payouts',
      handlers: { payout_preview: previewFor, prepare_payout_batch: () => batch() },
    });
    await openRun(user);
    await screen.findByTestId('vendor-balances');
    const minimum = screen.getByTestId('minimum');

    await user.type(minimum, 'abc');
    expect(await screen.findByText('Enter an amount such as 25 or 25.50.')).toBeInTheDocument();
    expect(minimum).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByTestId('prepare'));

    await user.clear(minimum);
    await user.type(minimum, '1.234{Enter}');
    expect(await screen.findByText('Use at most 2 decimals.')).toBeInTheDocument();
    expect(argsOf('prepare_payout_batch')).toHaveLength(0);

    await user.clear(minimum);
    await user.type(minimum, '-5{Enter}');
    expect(await screen.findByText('The minimum cannot be negative.')).toBeInTheDocument();
    expect(argsOf('prepare_payout_batch')).toHaveLength(0);

    await user.clear(minimum);
    await user.type(minimum, '0.29');
    expect(minimum).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByTestId('prepare'));
    await screen.findByTestId('step-review');
    // 0.29 × 100 is 28.999999999999996 as a float.
    expect(argsOf<{ request: PrepareBatch }>('prepare_payout_batch')[0]?.request.minimum_minor).toBe(29);
  });

  it('reads amounts into minor units without floats', () => {
    expect(parseMajorAmount('')).toEqual({ ok: true, minor: null });
    expect(parseMajorAmount(' 25 ')).toEqual({ ok: true, minor: 2500 });
    expect(parseMajorAmount('19.99')).toEqual({ ok: true, minor: 1999 });
    expect(parseMajorAmount('1.1')).toEqual({ ok: true, minor: 110 });
    expect(parseMajorAmount('.5')).toEqual({ ok: true, minor: 50 });
    expect(parseMajorAmount('90071992547409.91')).toEqual({ ok: true, minor: Number.MAX_SAFE_INTEGER });
    expect(parseMajorAmount('90071992547409.92').ok).toBe(false);
    expect(parseMajorAmount('abc').ok).toBe(false);
    expect(parseMajorAmount('1.234').ok).toBe(false);
    expect(parseMajorAmount('1,5').ok).toBe(false);
    expect(parseMajorAmount('1e3').ok).toBe(false);
    expect(parseMajorAmount('.').ok).toBe(false);
    expect(parseMajorAmount('-1').ok).toBe(false);
    expect(parseMajorAmount('500', 0)).toEqual({ ok: true, minor: 500 });
    expect(parseMajorAmount('5.5', 0).ok).toBe(false);
  });

  it('shows the core’s refusal to prepare inline', async () => {
    const { user } = renderApp({
      me: me('finance'),
      path: '/payouts',
      handlers: {
        payout_preview: previewFor,
        prepare_payout_batch: () =>
          appError('invalid', 'no vendor has at least 500000 minor units of USD available to pay out'),
      },
    });
    await openRun(user);
    await screen.findByTestId('vendor-balances');
    await user.click(screen.getByTestId('prepare'));
    expect(await screen.findByTestId('inline-error')).toHaveTextContent(
      'no vendor has at least 500000 minor units of USD available to pay out',
    );
    expect(screen.queryByTestId('step-review')).toBeNull();
  });

  it('explains four-eyes after a first approval, and cancels through a confirmation', async () => {
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/payouts',
      handlers: {
        payout_preview: previewFor,
        prepare_payout_batch: () => batch(),
        list_payouts: () => page(PAYOUTS),
        approve_payout_batch: () => batch({ approved_by_name: 'Fiona Finance', version: 2 }),
        cancel_payout_batch: () =>
          batch({ status: 'cancelled', approved_by_name: 'Fiona Finance', version: 3 }),
      },
    });
    await openRun(user);
    await screen.findByTestId('vendor-balances');
    await user.click(screen.getByTestId('prepare'));
    await user.click(await screen.findByTestId('approve'));
    expect(await screen.findByTestId('second-approval-needed')).toHaveTextContent(
      'Approved by Fiona Finance. This platform asks for four eyes: a second finance person must approve',
    );
    expect(screen.getByTestId('batch-status')).toHaveTextContent('Draft');
    expect(screen.getByTestId('approve')).toHaveTextContent('Approve as second approver');

    await user.click(screen.getByTestId('cancel-batch'));
    const dialog = await screen.findByRole('alertdialog', { name: 'Cancel this batch?' });
    expect(dialog).toHaveTextContent('The money stays owed to the vendors');
    await user.click(within(dialog).getByTestId('confirm'));
    await waitFor(() => expect(screen.getByTestId('batch-status')).toHaveTextContent('Cancelled'));
    expect(argsOf('cancel_payout_batch')).toEqual([{ id: BATCH_ID, version: 2 }]);
    expect(screen.queryByTestId('approve')).toBeNull();
    expect(screen.queryByTestId('cancel-batch')).toBeNull();
  });

  it('shows why execution is refused inline: offline, or running elsewhere', async () => {
    let answer = () =>
      appError('offline', 'payouts are executed online only: connect to the marketplace server');
    const approved = batch({ status: 'approved', approved_by_name: 'Fiona Finance', version: 2 });
    const { user } = renderApp({
      me: me('finance'),
      path: '/payouts',
      events: true,
      handlers: {
        list_payout_batches: () => [approved],
        list_payouts: () => page(PAYOUTS),
        execute_payout_batch: () => answer(),
      },
    });
    await user.click(await screen.findByRole('tab', { name: 'Batches' }));
    const grid = await screen.findByTestId('grid-batches');
    await user.click(await within(grid).findByText('$2,700.01'));

    // An approved batch opens at the Execute step.
    await screen.findByTestId('step-execute');
    expect(screen.getByRole('tab', { name: 'Run payouts' })).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByTestId('execute'));
    await user.click(within(await screen.findByRole('alertdialog')).getByTestId('confirm'));
    const error = await screen.findByTestId('inline-error');
    expect(error).toHaveAttribute('role', 'alert');
    expect(error).toHaveTextContent('payouts are executed online only');
    expect(error).toHaveTextContent('executing needs the connection to the marketplace server');

    answer = () =>
      appError(
        'conflict',
        'this payout batch is being executed right now by desktop A; wait for it to finish',
      );
    await user.click(screen.getByTestId('execute'));
    await user.click(within(await screen.findByRole('alertdialog')).getByTestId('confirm'));
    await waitFor(() =>
      expect(screen.getByTestId('inline-error')).toHaveTextContent('being executed right now'),
    );
  });

  it('lists batches with their approvers and failures', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/payouts',
      handlers: {
        list_payout_batches: () => [
          batch({
            status: 'failed',
            approved_by_name: 'Fiona Finance',
            second_approved_by_name: 'Frank Finance',
            paid_count: 2,
            failed_count: 0,
            failure_reason: '1 payout(s) could not be confirmed with Stripe',
          }),
        ],
      },
    });
    // Admins see the run read-only.
    await openRun(user);
    expect(await screen.findByText(/Read-only: only finance can prepare/)).toBeInTheDocument();
    expect(screen.queryByTestId('prepare')).toBeNull();

    await user.click(screen.getByRole('tab', { name: 'Batches' }));
    const grid = await screen.findByTestId('grid-batches');
    expect(await within(grid).findByText('Fiona Finance, Frank Finance')).toBeInTheDocument();
    expect(within(grid).getByText('Unfinished')).toBeInTheDocument();
    expect(within(grid).getByText('2 · 0')).toBeInTheDocument();
    expect(within(grid).getByText('1 payout(s) could not be confirmed with Stripe')).toBeInTheDocument();
  });

  it('keeps a vendor’s own payouts list, without the run', async () => {
    renderApp({ me: me('vendor'), path: '/payouts' });
    expect(await screen.findByTestId('grid-payouts')).toBeInTheDocument();
    expect(screen.queryByRole('tab')).toBeNull();
    expect(screen.queryByTestId('payout-run')).toBeNull();
  });
});
