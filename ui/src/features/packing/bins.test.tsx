import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BinRow, DayCloseRecord } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';

const row = (id: string, vendor: string, bin: string | null): BinRow => ({
  variant_id: id,
  sku: 'MUG-BLUE-L',
  vendor_name: vendor,
  product_name: 'Stoneware mug',
  variant_name: 'Large / Blue',
  bin_location: bin,
});

const close = (id: string, day: string, parcels: number): DayCloseRecord => ({
  id,
  carrier: 'fedex',
  close_date: day,
  parcels,
  transaction_id: 'fx-tx-000001',
  closed_by_name: 'Lee Logistics',
  created_at: `${day}T17:30:00Z`,
});

describe('bins and the day close', () => {
  it('finds a SKU, keeps its bin with Enter, and names the bad lines of a sheet', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        variant_bins: () => [row('v1', 'Northwind Ceramics', null), row('v2', 'Acme Tools', 'B-1')],
        set_variant_bin: (args) => (args as { bin: string }).bin.trim().toUpperCase() || null,
        apply_bin_sheet: (args) =>
          (args as { sheet: string }).sheet.includes('bad')
            ? { updated: 0, problems: [{ line: 2, reason: '“bad_bin” cannot be a bin' }] }
            : { updated: 2, problems: [] },
      },
    });
    await user.click(await screen.findByTestId('open-bins'));
    const dialog = await screen.findByTestId('bins');
    await user.type(within(dialog).getByTestId('bin-sku'), 'mug-blue-l{Enter}');
    const rows = await within(dialog).findAllByTestId('bin-row');
    expect(rows).toHaveLength(2);
    expect(argsOf('variant_bins')[0]).toEqual({ sku: 'mug-blue-l' });
    const first = within(rows[0] as HTMLElement).getByTestId('bin-input');
    await user.type(first, 'a-03-2{Enter}');
    await waitFor(() => expect(argsOf('set_variant_bin')).toHaveLength(1));
    expect(argsOf('set_variant_bin')[0]).toEqual({ variantId: 'v1', bin: 'a-03-2' });
    await waitFor(() => expect(first).toHaveValue('A-03-2'));

    const sheet = within(dialog).getByTestId('bin-sheet');
    await user.type(sheet, 'MUG-BLUE-L,A-1{Enter}SAW-20,bad_bin');
    await user.click(within(dialog).getByTestId('bin-sheet-apply'));
    expect(await within(dialog).findByTestId('bin-sheet-problems')).toHaveTextContent(
      'Line 2: “bad_bin” cannot be a bin',
    );
    expect(sheet).toHaveValue('MUG-BLUE-L,A-1\nSAW-20,bad_bin');
  });

  it('closes the FedEx Ground day, lists the closes and shows FedEx’s refusal', async () => {
    let closes = [close('c1', '2026-12-03', 14)];
    let tries = 0;
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        day_closes: () => closes,
        close_shipping_day: (args) => {
          tries += 1;
          if (tries === 1) return appError('offline', 'Closing the day with FedEx needs the network');
          const made = close('c2', (args as { date: string }).date, 3);
          closes = [made, ...closes];
          return { close: made, path: '/home/lee/Downloads/fedex-ground-manifest.txt' };
        },
        save_day_close_manifest: () => '/home/lee/Downloads/again.txt',
      },
    });
    await user.click(await screen.findByTestId('open-day-close'));
    const dialog = await screen.findByTestId('day-close');
    expect(await within(dialog).findAllByTestId('day-close-row')).toHaveLength(1);
    const date = within(dialog).getByTestId('day-close-date');
    await user.clear(date);
    await user.type(date, '2026-12-04');
    await user.click(within(dialog).getByTestId('day-close-submit'));
    expect(await within(dialog).findByTestId('day-close-problem')).toHaveTextContent('needs the network');
    await user.click(within(dialog).getByTestId('day-close-submit'));
    await waitFor(() => expect(within(dialog).getAllByTestId('day-close-row')).toHaveLength(2));
    expect(argsOf('close_shipping_day')[1]).toEqual({ date: '2026-12-04' });
    expect(within(dialog).queryByTestId('day-close-problem')).toBeNull();
    expect(within(dialog).getAllByTestId('day-close-row')[0]).toHaveTextContent('2026-12-04');
  });
});
