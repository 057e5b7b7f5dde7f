import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ShipmentFilter, Shipment } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const parcel = (n: number, overrides: Partial<Shipment> = {}): Shipment => ({
  id: `0191a000-0000-7000-8000-00000000001${n}`,
  order_id: `0190a000-0000-7000-8000-00000000001${n}`,
  order_number: `MD-000001${n}`,
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  carrier: 'ups',
  tracking_number: null,
  status: 'pending',
  shipped_at: null,
  delivered_at: null,
  created_at: '2026-05-02T08:00:00.000000Z',
  placed_at: '2026-05-01T10:00:00.000000Z',
  ship_to_country: 'DE',
  sells_labels: true,
  version: 1,
  ...overrides,
});

const listed = (argsOf: (c: string) => unknown[]) =>
  (argsOf('list_shipments') as { filter: ShipmentFilter }[]).map((a) => a.filter);

describe('the fulfilment bench', () => {
  it('filters by vendor, waiting time and destination in the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([parcel(1)]),
        list_vendors: () => [
          { id: '0190c000-0000-7000-8000-000000000002', name: 'Acme Tools', email: 'acme@example.com' },
        ],
        shipment_destinations: () => ['DE', 'FR', 'US'],
      },
    });
    const grid = await screen.findByTestId('grid-shipments');
    expect(await within(grid).findByText('MD-0000011')).toBeInTheDocument();
    expect(within(grid).getByText('DE')).toBeInTheDocument();
    expect(listed(argsOf)[0]).toMatchObject({ vendor_id: null, placed_before: null, country: null, ids: [] });

    await waitFor(() =>
      expect(within(screen.getByTestId('filter-country')).getAllByRole('option')).toHaveLength(4),
    );
    await user.selectOptions(screen.getByTestId('filter-country'), 'FR');
    await user.selectOptions(screen.getByTestId('filter-vendor'), '0190c000-0000-7000-8000-000000000002');
    const before = Date.now();
    await user.selectOptions(screen.getByTestId('filter-age'), '2');
    await waitFor(() => expect(listed(argsOf).at(-1)?.placed_before).not.toBeNull());
    const last = listed(argsOf).at(-1);
    expect(last).toMatchObject({ country: 'FR', vendor_id: '0190c000-0000-7000-8000-000000000002' });
    const waited = before - Date.parse(last?.placed_before ?? '');
    expect(waited).toBeGreaterThanOrEqual(2 * 86_400_000 - 5_000);
    expect(waited).toBeLessThan(2 * 86_400_000 + 60_000);
  });

  it('buys and prints the parcels picked by hand, by checkbox or Space', async () => {
    const rows = [parcel(1), parcel(2), parcel(3)];
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page(rows),
        parcels_to_label: () => [rows[0], rows[2]],
        buy_and_print_labels: () => [],
      },
    });
    const grid = await screen.findByTestId('grid-shipments');
    await within(grid).findByText('MD-0000011');
    await user.click(screen.getByTestId(`select-${rows[0]?.id}`));
    expect(screen.queryByTestId('shipment-detail')).toBeNull();
    // The third row by keyboard: down twice from the first, then Space.
    grid.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown} ');
    expect(await screen.findByTestId('selection-count')).toHaveTextContent('2 selected');
    expect(screen.getByTestId('open-label-batch')).toHaveTextContent('Buy & print 2…');

    await user.click(screen.getByTestId('open-label-batch'));
    expect(await screen.findByTestId('label-batch-count')).toHaveTextContent('2 parcels to label');
    const [asked] = argsOf('parcels_to_label') as [{ filter: ShipmentFilter }];
    expect(asked.filter.ids).toEqual([rows[0]?.id, rows[2]?.id]);
    await user.keyboard('{Escape}');

    await user.click(screen.getByTestId('clear-selection'));
    expect(screen.queryByTestId('selection-count')).toBeNull();
    expect(screen.getByTestId('open-label-batch')).toHaveTextContent('Buy & print…');
  });
});
