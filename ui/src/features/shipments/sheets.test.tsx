import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PrintJob, SheetMade, Shipment } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const shipment: Shipment = {
  id: '0191a000-0000-7000-8000-000000000003',
  order_id: '0190a000-0000-7000-8000-000000000003',
  order_number: 'MD-0000003',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  carrier: 'fedex',
  tracking_number: '794900000042',
  status: 'handed_over',
  shipped_at: null,
  delivered_at: null,
  created_at: '2026-05-02T08:00:00.000000Z',
  placed_at: '2026-05-01T10:00:00.000000Z',
  ship_to_country: 'US',
  sells_labels: true,
  version: 4,
};

const job: PrintJob = {
  id: '0194a000-0000-7000-8000-000000000009',
  printer_id: '0193a000-0000-7000-8000-000000000002',
  printer_name: 'Office laser',
  workstation: 'bench-1',
  document_kind: 'pick_list',
  shipment_id: null,
  reprint_of: null,
  format: 'pdf',
  dpi: null,
  byte_count: 4096,
  state: 'sent',
  failure: null,
  printer_job_id: null,
  requested_by: null,
  created_at: '2026-05-02T08:05:00.000000Z',
  sent_at: '2026-05-02T08:05:01.000000Z',
  finished_at: null,
};

describe('warehouse sheets', () => {
  it('prints a pick list for exactly the parcels the filters show', async () => {
    const made: SheetMade = { summary: 'Pick list for 12 parcels, 30 lines', path: null, job };
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment]), make_warehouse_sheet: () => made },
    });
    await screen.findByTestId('grid-shipments');
    await user.selectOptions(screen.getByTestId('filter-carrier'), 'fedex');
    await user.click(screen.getByTestId('pick-list-print'));
    await waitFor(() => expect(argsOf('make_warehouse_sheet')).toHaveLength(1));
    const [args] = argsOf('make_warehouse_sheet') as [
      { request: { kind: string; filter: { carrier: string } }; print: boolean },
    ];
    expect(args.request.kind).toBe('pick_list_for');
    expect(args.request.filter.carrier).toBe('fedex');
    expect(args.print).toBe(true);
    await waitFor(() =>
      expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent('sent to Office laser'),
    );
  });

  it('saves a parcel’s packing slip and says where', async () => {
    const made: SheetMade = {
      summary: 'Packing slip',
      path: '/home/ada/Downloads/marketdesk-packing-slip-0191a0000000-20260502-080500.pdf',
      job: null,
    };
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment]), make_warehouse_sheet: () => made },
    });
    await user.click(await within(await screen.findByTestId('grid-shipments')).findByText('MD-0000003'));
    const panel = await screen.findByTestId('shipment-detail');
    await user.click(within(panel).getByTestId('packing-slip-save'));
    await waitFor(() =>
      expect(argsOf('make_warehouse_sheet')).toEqual([
        { request: { kind: 'packing_slip', shipment_id: shipment.id }, print: false, printerId: null },
      ]),
    );
    await waitFor(() => expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent('Downloads'));
  });

  it('makes a carrier’s manifest for one local day', async () => {
    const made: SheetMade = {
      summary: 'UPS manifest, 3 parcels',
      path: null,
      job: { ...job, document_kind: 'manifest' },
    };
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment]), make_warehouse_sheet: () => made },
    });
    await user.click(await screen.findByTestId('open-manifest'));
    await user.selectOptions(screen.getByTestId('manifest-carrier'), 'ups');
    await user.clear(screen.getByTestId('manifest-day'));
    await user.type(screen.getByTestId('manifest-day'), '2026-05-02');
    await user.click(screen.getByTestId('manifest-submit'));
    await waitFor(() => expect(argsOf('make_warehouse_sheet')).toHaveLength(1));
    const [args] = argsOf('make_warehouse_sheet') as [
      { request: { kind: string; carrier: string; from: string; to: string }; print: boolean },
    ];
    expect(args.request).toMatchObject({ kind: 'manifest', carrier: 'ups' });
    expect(new Date(args.request.from).getTime()).toBe(new Date(2026, 4, 2).getTime());
    expect(new Date(args.request.to).getTime() - new Date(args.request.from).getTime()).toBe(86_400_000);
    await waitFor(() => expect(screen.queryByTestId('manifest-submit')).toBeNull());
  });
});

describe('label batch from the Shipments screen', () => {
  it('labels the parcels the core finds for the filters and shows each result', async () => {
    const pending: Shipment = { ...shipment, status: 'pending', tracking_number: null };
    const second: Shipment = {
      ...pending,
      id: '0191a000-0000-7000-8000-000000000004',
      order_number: 'MD-0000004',
    };
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([pending, second]),
        parcels_to_label: () => [pending, second],
        buy_and_print_labels: () => [
          { shipment_id: pending.id, outcome: 'printed', tracking_number: '794900000051', message: null },
          {
            shipment_id: second.id,
            outcome: 'not_bought',
            tracking_number: null,
            message: 'FedEx refused: the recipient postcode does not match the city',
          },
        ],
      },
    });
    await screen.findByTestId('grid-shipments');
    await user.selectOptions(screen.getByTestId('filter-carrier'), 'fedex');
    await user.click(screen.getByTestId('open-label-batch'));
    expect(await screen.findByTestId('label-batch-count')).toHaveTextContent('2 parcels to label');
    expect((argsOf('parcels_to_label')[0] as { filter: { carrier: string } }).filter.carrier).toBe('fedex');
    await user.click(screen.getByTestId('label-batch-start'));
    const rows = await screen.findAllByTestId('label-batch-row');
    expect(rows[0]).toHaveAttribute('data-outcome', 'printed');
    expect(rows[0]).toHaveTextContent('MD-0000003');
    expect(rows[1]).toHaveTextContent('postcode does not match');
    const [call] = argsOf('buy_and_print_labels') as [{ shipmentIds: string[]; image: string }];
    expect(call.shipmentIds).toEqual([pending.id, second.id]);
    expect(call.image).toBe('zpl');
    await waitFor(() =>
      expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent('1 of 2 parcels need a look'),
    );
    expect(screen.getByTestId('label-batch-start')).toHaveTextContent('Run again');
  });
});
