import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PrintJob, Printer, Shipment } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, page } from '../../test/fixtures';

const shipment: Shipment = {
  id: '0191a000-0000-7000-8000-000000000001',
  order_id: '0190a000-0000-7000-8000-000000000001',
  order_number: 'MD-0000001',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  carrier: 'local',
  tracking_number: null,
  status: 'pending',
  shipped_at: null,
  delivered_at: null,
  created_at: '2026-05-02T08:00:00.000000Z',
  placed_at: '2026-05-01T10:00:00.000000Z',
  ship_to_country: 'US',
  sells_labels: false,
  version: 1,
};

const zebra: Printer = {
  id: '0193a000-0000-7000-8000-000000000001',
  workstation: 'bench-1',
  name: 'Bench Zebra',
  connection: 'socket',
  address: '10.0.0.9:9100',
  language: 'zpl',
  dpi: 203,
  version: 1,
};

const failed: PrintJob = {
  id: '0194a000-0000-7000-8000-000000000001',
  printer_id: zebra.id,
  printer_name: zebra.name,
  workstation: 'bench-1',
  document_kind: 'label',
  shipment_id: shipment.id,
  reprint_of: null,
  format: 'zpl',
  dpi: 203,
  byte_count: 2810,
  state: 'failed',
  failure:
    'the printer at 10.0.0.9:9100 refused the connection: is it switched on, and is 9100 its raw port?',
  printer_job_id: null,
  requested_by: null,
  created_at: '2026-05-02T08:05:00.000000Z',
  sent_at: null,
  finished_at: '2026-05-02T08:05:01.000000Z',
};

const setup = {
  workstation: 'bench-1',
  printers: [zebra],
  defaults: [{ kind: 'label', printer_id: zebra.id }],
};

describe('printing labels', () => {
  it('prints on the default label printer, says why a job failed, and reprints it', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment]),
        printer_setup: () => setup,
        print_shipping_label: () => failed,
        shipment_print_log: () => [failed],
        reprint_job: () => ({ ...failed, id: 'again', state: 'sent', failure: null, reprint_of: failed.id }),
      },
    });
    await user.click(await within(await screen.findByTestId('grid-shipments')).findByText('MD-0000001'));
    const panel = await screen.findByTestId('shipment-detail');
    await waitFor(() => expect(within(panel).getByTestId('print-printer')).toHaveValue(zebra.id));
    await user.click(within(panel).getByTestId('print-label'));
    expect(argsOf('print_shipping_label')).toEqual([{ shipmentId: shipment.id, printerId: zebra.id }]);
    await waitFor(() => expect(screen.getByTestId('toast')).toHaveTextContent('refused the connection'));
    const row = await within(panel).findByTestId('print-log-row');
    expect(row).toHaveAttribute('data-state', 'failed');
    expect(within(row).getByTestId('print-failure')).toHaveTextContent('is it switched on');
    await user.click(within(row).getByTestId('reprint-job'));
    await waitFor(() => expect(argsOf('reprint_job')).toEqual([{ jobId: failed.id, printerId: null }]));
  });

  it('tells logistics where printers are added when there are none', async () => {
    const { user } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([shipment]) },
    });
    await user.click(await within(await screen.findByTestId('grid-shipments')).findByText('MD-0000001'));
    const panel = await screen.findByTestId('shipment-detail');
    expect(await within(panel).findByTestId('no-printers')).toHaveTextContent('add one under Printers');
    expect(within(panel).queryByTestId('print-label')).toBeNull();
  });
});

describe('printers', () => {
  it('adds a printer from the form, showing the core’s refusal in its words first', async () => {
    let tries = 0;
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/printers',
      handlers: {
        add_printer: () => {
          tries += 1;
          return tries === 1
            ? appError('invalid', 'a ZPL printer prints at 203 or 300 dpi: say which')
            : zebra;
        },
      },
    });
    expect(await screen.findByText('No printers yet')).toBeInTheDocument();
    await user.click(screen.getByTestId('add-printer'));
    await user.type(screen.getByTestId('printer-name'), 'Bench Zebra');
    await user.type(screen.getByTestId('printer-address'), '10.0.0.9:9100');
    await user.selectOptions(screen.getByTestId('printer-language'), 'zpl-300');
    await user.click(screen.getByTestId('add-printer-submit'));
    expect(await screen.findByTestId('add-printer-error')).toHaveTextContent('203 or 300 dpi');
    await user.click(screen.getByTestId('add-printer-submit'));
    await waitFor(() => expect(screen.queryByTestId('add-printer-submit')).toBeNull());
    expect(argsOf('add_printer')[1]).toEqual({
      spec: {
        name: 'Bench Zebra',
        connection: 'socket',
        address: '10.0.0.9:9100',
        language: 'zpl',
        dpi: 300,
      },
    });
  });

  it('sets a default printer per kind of document and prints a test label', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/printers',
      handlers: {
        printer_setup: () => ({ ...setup, defaults: [] }),
        set_default_printer: () => null,
        print_test_page: () => ({ ...failed, state: 'sent', failure: null, document_kind: 'test_page' }),
      },
    });
    const row = await screen.findByTestId('printer-row');
    await user.selectOptions(screen.getByTestId('default-label'), zebra.id);
    await waitFor(() =>
      expect(argsOf('set_default_printer')).toEqual([{ kind: 'label', printerId: zebra.id }]),
    );
    await user.click(within(row).getByTestId('test-print'));
    await waitFor(() => expect(screen.getByTestId('toast')).toHaveTextContent('Label sent to the printer'));
    expect(argsOf('print_test_page')).toEqual([{ printerId: zebra.id }]);
  });
});
