import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Dispute, DisputeDetail, DisputeStep, OpenDispute } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const dispute = (overrides: Partial<Dispute> = {}): Dispute => ({
  id: '0194a000-0000-7000-8000-000000000001',
  order_id: '0190a000-0000-7000-8000-000000000001',
  order_number: 'MD-0000009',
  vendor_id: null,
  vendor_name: '',
  order_item_id: null,
  assigned_to: null,
  assigned_name: '',
  kind: 'not_received',
  status: 'awaiting_vendor',
  resolution: null,
  subject: 'Parcel never arrived',
  amount_minor: 4200,
  currency: 'EUR',
  opened_at: '2026-05-04T08:00:00.000000Z',
  stage_due_at: '2099-05-07T08:00:00.000000Z',
  overdue_at: null,
  refund_minor: null,
  refund_state: null,
  message_count: 2,
  version: 3,
  ...overrides,
});

const detail = (d: Dispute, overrides: Partial<DisputeDetail> = {}): DisputeDetail => ({
  dispute: d,
  lines: [
    {
      id: '0196a000-0000-7000-8000-000000000001',
      vendor_id: '0190c000-0000-7000-8000-000000000001',
      sku: 'MUG-BLUE',
      product_name: 'Blue mug',
      quantity: 3,
      refunded_quantity: 0,
      subtotal_minor: 3600,
      tax_minor: 600,
    },
  ],
  steps: ['ask_customer', 'resolve', 'escalate'],
  outcomes: ['refund_full', 'refund_partial', 'replacement', 'rejected', 'withdrawn'],
  refund_lines: [],
  resolution_note: null,
  messages: [
    {
      id: 'm1',
      author_id: '0195a000-0000-7000-8000-000000000001',
      author_name: 'Cora Customer',
      body: 'Tracking says delivered, I have nothing.',
      is_internal: false,
      created_at: '2026-05-04T08:00:00.000000Z',
      attachments: [
        {
          id: '0196f000-0000-7000-8000-000000000001',
          message_id: 'm1',
          file_name: 'doorstep.jpg',
          media_type: 'image/jpeg',
          byte_size: 245000,
          created_at: '2026-05-04T08:00:00.000000Z',
        },
      ],
    },
    {
      id: 'm2',
      author_id: me('admin').id,
      author_name: 'Alex Admin',
      body: 'Asked the carrier for a photo.',
      is_internal: true,
      created_at: '2026-05-04T09:00:00.000000Z',
      attachments: [],
    },
  ],
  ...overrides,
});

describe('disputes', () => {
  it('opens a dispute’s thread with the steps the core allows', async () => {
    const d = dispute();
    const { user } = renderApp({
      me: me('admin'),
      path: '/disputes',
      handlers: { list_disputes: () => page([d]), dispute_detail: () => detail(d) },
    });
    const grid = await screen.findByTestId('grid-disputes');
    expect(await within(grid).findByText('Not received')).toBeInTheDocument();
    expect(within(grid).getByText('Whole order')).toBeInTheDocument();
    await user.click(within(grid).getByText('Parcel never arrived'));
    const panel = await screen.findByTestId('dispute-detail');
    expect(await within(panel).findByText('Tracking says delivered, I have nothing.')).toBeInTheDocument();
    expect(
      within(within(panel).getByTestId('dispute-thread')).getByText('Internal note'),
    ).toBeInTheDocument();
    const thread = within(panel).getByTestId('dispute-thread');
    expect(within(thread).getByText('Cora Customer')).toBeInTheDocument();
    expect(within(thread).getByText('You')).toBeInTheDocument();
    expect(within(panel).getByTestId('dispute-step-resolve')).toBeInTheDocument();
    expect(within(panel).queryByTestId('dispute-step-answer')).not.toBeInTheDocument();
  });

  it('sends files with a message at once and saves a file that came with one', async () => {
    const d = dispute();
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/disputes',
      handlers: {
        list_disputes: () => page([d]),
        dispute_detail: () => detail(d),
        post_dispute_message_with_files: () => null,
        save_dispute_file: () => '/home/alex/Downloads/doorstep-20261207.jpg',
      },
    });
    await user.click(await screen.findByText('Parcel never arrived'));
    const panel = await screen.findByTestId('dispute-detail');
    const files = await within(panel).findByTestId('dispute-files');
    expect(within(files).getByText('239 KB')).toBeInTheDocument();
    await user.click(within(files).getByRole('button', { name: 'Save doorstep.jpg' }));
    expect(await screen.findByText('/home/alex/Downloads/doorstep-20261207.jpg')).toBeInTheDocument();
    await user.upload(
      within(panel).getByTestId('dispute-files-input'),
      new File(['%PDF-1.4'], 'carrier.pdf', { type: 'application/pdf' }),
    );
    expect(within(panel).getByText('carrier.pdf')).toBeInTheDocument();
    await user.type(within(panel).getByTestId('dispute-reply'), 'The carrier’s report');
    await user.click(within(panel).getByTestId('dispute-reply-send'));
    await waitFor(() =>
      expect(argsOf('post_dispute_message_with_files')).toEqual([
        {
          disputeId: d.id,
          body: 'The carrier’s report',
          internal: false,
          files: [{ name: 'carrier.pdf', content: btoa('%PDF-1.4') }],
        },
      ]),
    );
    expect(argsOf('post_dispute_message')).toEqual([]);
  });

  it('resolves with a partial refund of the units chosen, the core deciding the amount', async () => {
    const d = dispute();
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/disputes',
      handlers: {
        list_disputes: () => page([d]),
        dispute_detail: () => detail(d),
        take_dispute_step: () => ({ version: 4, status: 'resolved', stage_due_at: null, refund_minor: 1400 }),
      },
    });
    await user.click(
      await within(await screen.findByTestId('grid-disputes')).findByText('Parcel never arrived'),
    );
    await user.click(await screen.findByTestId('dispute-step-resolve'));
    await user.selectOptions(screen.getByTestId('dispute-outcome'), 'refund_partial');
    await user.click(screen.getByTestId('dispute-step-submit'));
    expect(await screen.findByText('Choose at least one unit to refund.')).toBeInTheDocument();
    expect(argsOf('take_dispute_step')).toHaveLength(0);
    await user.type(screen.getByTestId('refund-units-MUG-BLUE'), '1');
    await user.type(screen.getByTestId('dispute-step-message'), 'One mug refunded.');
    await user.click(screen.getByTestId('dispute-step-submit'));
    await waitFor(() => expect(argsOf<{ step: DisputeStep }>('take_dispute_step')).toHaveLength(1));
    const step = argsOf<{ step: DisputeStep }>('take_dispute_step')[0]?.step;
    expect(step).toMatchObject({
      dispute_id: d.id,
      version: 3,
      action: 'resolve',
      resolution: 'refund_partial',
      refund: [{ order_item_id: '0196a000-0000-7000-8000-000000000001', quantity: 1 }],
      message: 'One mug refunded.',
    });
    expect(await screen.findByText(/€14\.00 is due back to the buyer/)).toBeInTheDocument();
  });

  it('shows a stage past its time in red and filters overdue in the core', async () => {
    const late = dispute({ stage_due_at: '2020-01-01T00:00:00.000000Z', status: 'escalated' });
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/disputes',
      handlers: { list_disputes: () => page([late]) },
    });
    const grid = await screen.findByTestId('grid-disputes');
    const cell = await within(grid).findByText(/^Overdue/);
    expect(cell).toHaveAttribute('data-overdue', 'true');
    await user.click(
      screen.getByTestId('filter-overdue').querySelector('input') ?? screen.getByText('Overdue'),
    );
    await waitFor(() =>
      expect(argsOf<{ filter: { overdue: boolean } }>('list_disputes').at(-1)?.filter.overdue).toBe(true),
    );
  });

  it('lets a vendor open a dispute on an order by its number', async () => {
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/disputes',
      handlers: {
        list_disputes: () => page([]),
        open_dispute: () => ({
          id: '0194a000-0000-7000-8000-000000000009',
          status: 'open',
          amount_minor: 4200,
          currency: 'EUR',
          stage_due_at: null,
        }),
        dispute_detail: () => detail(dispute({ status: 'open' }), { steps: [], outcomes: [] }),
      },
    });
    expect(await screen.findByText('No disputes')).toBeInTheDocument();
    await user.click(screen.getByTestId('open-dispute'));
    await user.click(screen.getByTestId('open-dispute-submit'));
    expect(await screen.findByText('Which order?')).toBeInTheDocument();
    await user.type(screen.getByTestId('open-dispute-order'), 'md-0000009');
    await user.selectOptions(screen.getByTestId('open-dispute-kind'), 'damaged');
    await user.type(screen.getByTestId('open-dispute-subject'), 'Buyer says it broke');
    await user.type(screen.getByTestId('open-dispute-message'), 'Photos attached by the buyer.');
    await user.click(screen.getByTestId('open-dispute-submit'));
    await waitFor(() => expect(argsOf<{ request: OpenDispute }>('open_dispute')).toHaveLength(1));
    expect(argsOf<{ request: OpenDispute }>('open_dispute')[0]?.request).toMatchObject({
      order_number: 'md-0000009',
      kind: 'damaged',
      subject: 'Buyer says it broke',
    });
    expect(await screen.findByTestId('dispute-detail')).toBeInTheDocument();
  });

  it('opens the dispute a notification links to', async () => {
    const d = dispute({ subject: 'Linked from the bell' });
    renderApp({
      me: me('admin'),
      path: `/disputes?open=${d.id}`,
      handlers: { list_disputes: () => page([d]), dispute_detail: () => detail(d) },
    });
    const panel = await screen.findByTestId('dispute-detail');
    expect(await within(panel).findByText('Linked from the bell')).toBeInTheDocument();
  });
});
