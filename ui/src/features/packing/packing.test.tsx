import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PackingPlan, ParcelPlan } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me, order, orderDetail, page } from '../../test/fixtures';

const current = order(1);
const NORTHWIND = '0190c000-0000-7000-8000-000000000001';
const ACME = '0190c000-0000-7000-8000-000000000002';
const MUG = 'line-mug';
const SAW = 'line-saw';
const SMALL = '0195a000-0000-7000-8000-000000000001';
const LARGE = '0195a000-0000-7000-8000-000000000002';

const line = (id: string, vendor: string, sku: string, quantity: number) => ({
  order_item_id: id,
  vendor_id: vendor,
  vendor_name: vendor === ACME ? 'Acme Tools' : 'Northwind Ceramics',
  sku,
  product_name: sku === 'MUG-BLUE-L' ? 'Stoneware mug' : 'Hand saw',
  quantity,
  refunded_quantity: 0,
  packed: 0,
  unit_weight_grams: 400,
  left: quantity,
});

const box = (id: string, name: string) => ({
  id,
  name,
  length_mm: 300,
  width_mm: 200,
  height_mm: 150,
  tare_grams: 120,
  max_weight_grams: null,
  version: 1,
});

const plan: PackingPlan = {
  order_id: current.id,
  order_number: current.number,
  status: 'paid',
  packable: true,
  lines: [line(MUG, NORTHWIND, 'MUG-BLUE-L', 3), line(SAW, ACME, 'SAW-20', 1)],
  proposal: [
    { vendor_id: NORTHWIND, preset_id: LARGE, items: [{ order_item_id: MUG, quantity: 3 }] },
    { vendor_id: ACME, preset_id: LARGE, items: [{ order_item_id: SAW, quantity: 1 }] },
  ],
  presets: [box(LARGE, 'Large box'), box(SMALL, 'Small box')],
};

describe('packing', () => {
  it('splits a vendor’s units over two boxes and sends the packing to the core', async () => {
    let tries = 0;
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/fulfilment',
      handlers: {
        list_orders: () => page([current]),
        order_detail: () => orderDetail(current, 'logistics'),
        packing_plan: () => plan,
        pack_order: () => {
          tries += 1;
          return tries === 1
            ? appError('invalid', '4 units of MUG-BLUE-L packed, but 3 are left to pack')
            : ['p1', 'p2', 'p3'];
        },
      },
    });
    await user.click(await within(await screen.findByTestId('grid-fulfilment')).findByText('MD-0000001'));
    await user.click(await screen.findByTestId('pack-order'));
    const dialog = await screen.findByRole('dialog', { name: 'Pack MD-0000001' });
    expect(within(dialog).getByTestId('parcel-1')).toHaveTextContent('Northwind Ceramics');
    expect(within(dialog).getByTestId('parcel-2')).toHaveTextContent('Acme Tools');
    expect(within(dialog).getByTestId('pack-submit')).toHaveTextContent('Pack into 2 parcels');

    // Split the mugs: a second Northwind parcel in the small box with one mug.
    await user.click(within(dialog).getByTestId('parcel-1-split'));
    expect(within(dialog).getByTestId('pack-submit')).toHaveTextContent('Pack into 3 parcels');
    await user.selectOptions(within(dialog).getByTestId('parcel-2-box'), SMALL);
    await user.type(within(dialog).getByTestId('parcel-2-units-MUG-BLUE-L'), '2');
    await user.click(within(dialog).getByTestId('pack-submit'));
    // The core refuses (3 + 2 mugs): its words, nothing closed.
    expect(await within(dialog).findByTestId('pack-problem')).toHaveTextContent('3 are left to pack');
    const first = (argsOf('pack_order')[0] as { parcels: ParcelPlan[] }).parcels;
    expect(first).toEqual([
      { vendor_id: NORTHWIND, preset_id: LARGE, items: [{ order_item_id: MUG, quantity: 3 }] },
      { vendor_id: NORTHWIND, preset_id: SMALL, items: [{ order_item_id: MUG, quantity: 2 }] },
      { vendor_id: ACME, preset_id: LARGE, items: [{ order_item_id: SAW, quantity: 1 }] },
    ]);

    const mugs = within(dialog).getByTestId('parcel-1-units-MUG-BLUE-L');
    await user.clear(mugs);
    await user.type(mugs, '1');
    await user.click(within(dialog).getByTestId('pack-submit'));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Pack MD-0000001' })).toBeNull());
    expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent('packed into 3 parcels');
    const second = argsOf('pack_order')[1] as { orderId: string; parcels: ParcelPlan[] };
    expect(second.orderId).toBe(current.id);
    expect(second.parcels[0]?.items).toEqual([{ order_item_id: MUG, quantity: 1 }]);
  });

  it('says when nothing is left to pack and keeps Pack disabled', async () => {
    const { user } = renderApp({
      me: me('logistics'),
      path: '/fulfilment',
      handlers: {
        list_orders: () => page([current]),
        order_detail: () => orderDetail(current, 'logistics'),
        packing_plan: () => ({ ...plan, packable: false, proposal: [] }),
      },
    });
    await user.click(await within(await screen.findByTestId('grid-fulfilment')).findByText('MD-0000001'));
    await user.click(await screen.findByTestId('pack-order'));
    expect(await screen.findByTestId('pack-nothing')).toHaveTextContent('Nothing is left to pack');
    expect(screen.getByTestId('pack-submit')).toBeDisabled();
  });

  it('keeps the warehouse’s boxes: adds one, shows the core’s refusal, retires one', async () => {
    let boxes = [box(LARGE, 'Large box')];
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        package_presets: () => boxes,
        add_package_preset: (args) => {
          const { spec } = args as { spec: { name: string; length_mm: number } };
          if (spec.length_mm < 1)
            return appError('invalid', 'the box’s length must be 1 to 3,000 mm, not -1');
          const made = { ...box(SMALL, spec.name) };
          boxes = [...boxes, made];
          return made;
        },
        retire_package_preset: () => {
          boxes = boxes.filter((b) => b.id !== LARGE);
          return 2;
        },
      },
    });
    await user.click(await screen.findByTestId('open-boxes'));
    const dialog = await screen.findByTestId('boxes');
    expect(await within(dialog).findAllByTestId('box-row')).toHaveLength(1);
    await user.type(within(dialog).getByTestId('box-name'), 'Small box');
    await user.type(within(dialog).getByTestId('box-length'), 'abc');
    await user.click(within(dialog).getByTestId('box-add'));
    expect(await within(dialog).findByTestId('box-problem')).toHaveTextContent(
      'length must be 1 to 3,000 mm',
    );
    await user.clear(within(dialog).getByTestId('box-length'));
    await user.type(within(dialog).getByTestId('box-length'), '300');
    await user.type(within(dialog).getByTestId('box-width'), '200');
    await user.type(within(dialog).getByTestId('box-height'), '150');
    await user.click(within(dialog).getByTestId('box-add'));
    await waitFor(() => expect(within(dialog).getAllByTestId('box-row')).toHaveLength(2));
    expect((argsOf('add_package_preset')[1] as { spec: unknown }).spec).toEqual({
      name: 'Small box',
      length_mm: 300,
      width_mm: 200,
      height_mm: 150,
      tare_grams: 0,
      max_weight_grams: null,
    });
    await user.click(
      within(within(dialog).getAllByTestId('box-row')[0] as HTMLElement).getByRole('button', {
        name: 'Retire',
      }),
    );
    await waitFor(() => expect(within(dialog).getAllByTestId('box-row')).toHaveLength(1));
    expect(within(dialog).getByTestId('box-row')).toHaveTextContent('Small box');
  });
});
