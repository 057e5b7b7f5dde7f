import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BatchRow, Shipment } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';

const parcel = (n: number): Shipment => ({
  id: `0191a000-0000-7000-8000-00000000000${n}`,
  order_id: '0190a000-0000-7000-8000-000000000003',
  order_number: 'MD-0000003',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: n === 1 ? 'Northwind Ceramics' : 'Birch Goods',
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
});

describe('scan station', () => {
  it('prints every label of a scanned order on Enter and is ready for the next scan', async () => {
    const rows: BatchRow[] = [
      { shipment_id: parcel(1).id, outcome: 'printed', tracking_number: 'MD-0000003-1', message: null },
      {
        shipment_id: parcel(2).id,
        outcome: 'not_bought',
        tracking_number: null,
        message: 'recipient address, postcode: “1011” is not a DE postcode (like 11111)',
      },
    ];
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/scan',
      handlers: { scan_parcels: () => [parcel(1), parcel(2)], buy_and_print_labels: () => rows },
    });
    const input = await screen.findByTestId('scan-input');
    expect(input).toHaveFocus();
    await user.type(input, 'md-0000003{Enter}');
    const result = await screen.findByTestId('scan-result');
    expect(within(result).getByTestId('scan-order')).toHaveTextContent('MD-0000003');
    const [first, second] = within(result).getAllByTestId('scan-parcel');
    expect(first).toHaveAttribute('data-outcome', 'printed');
    expect(first).toHaveTextContent('MD-0000003-1');
    expect(second).toHaveTextContent('not a DE postcode');
    expect(argsOf('scan_parcels')).toEqual([{ code: 'md-0000003' }]);
    const [call] = argsOf<{ shipmentIds: string[]; image: string; printerId: null }>('buy_and_print_labels');
    expect(call?.shipmentIds).toEqual([parcel(1).id, parcel(2).id]);
    expect(call?.image).toBe('zpl');
    await waitFor(() => expect(screen.getByTestId('scan-input')).toHaveValue(''));
    expect(screen.getByTestId('scan-input')).toHaveFocus();
  });

  it('says when nothing matches, and shows the core’s refusal', async () => {
    let calls = 0;
    const { user } = renderApp({
      me: me('logistics'),
      path: '/scan',
      handlers: {
        scan_parcels: () => {
          calls += 1;
          return calls === 1 ? [] : appError('offline', 'buying carrier labels needs the central server');
        },
      },
    });
    await user.type(await screen.findByTestId('scan-input'), 'MD-404{Enter}');
    expect(await screen.findByTestId('scan-error')).toHaveTextContent('Nothing matches “MD-404”');
    await user.type(screen.getByTestId('scan-input'), 'MD-0000003{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('scan-error')).toHaveTextContent('needs the central server'),
    );
  });
});
