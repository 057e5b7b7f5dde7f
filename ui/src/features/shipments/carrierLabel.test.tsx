import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabelPurchase, RateOption, RateShopping, Shipment, TrackingEvent } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const shipment: Shipment = {
  id: '0191a000-0000-7000-8000-000000000002',
  order_id: '0190a000-0000-7000-8000-000000000002',
  order_number: 'MD-0000002',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Northwind Ceramics',
  carrier: 'fedex',
  tracking_number: null,
  status: 'pending',
  shipped_at: null,
  delivered_at: null,
  created_at: '2026-05-02T08:00:00.000000Z',
  placed_at: '2026-05-01T10:00:00.000000Z',
  ship_to_country: 'US',
  sells_labels: true,
  version: 1,
};

const option = (name: string, amount: number, days: number, marks: Partial<RateOption> = {}): RateOption => ({
  source: 'carrier',
  method_id: null,
  name,
  carrier: 'fedex',
  service_code: name.toUpperCase().replace(/ /g, '_'),
  amount_minor: amount,
  currency: 'USD',
  min_days: days,
  max_days: days,
  free: false,
  cheapest: false,
  fastest: false,
  chosen: false,
  ...marks,
});

const shopping = (options: RateOption[]): RateShopping => ({
  shipment_id: shipment.id,
  version: 3,
  zone: 'Everywhere',
  weight_grams: 1250,
  goods_minor: 4200,
  currency: 'USD',
  can_choose: true,
  options,
  unavailable: [{ name: 'UPS', reason: 'UPS is not set up on this computer' }],
  chosen_method_id: null,
  chosen_carrier: 'fedex',
  chosen_service_code: 'FEDEX_GROUND',
});

const attempt = (state: LabelPurchase['state'], extra: Partial<LabelPurchase> = {}): LabelPurchase => ({
  id: '0195a000-0000-7000-8000-000000000001',
  shipment_id: shipment.id,
  carrier: 'fedex',
  service_code: 'FEDEX_GROUND',
  reference: 'MD-0000002-1',
  label_format: 'zpl',
  state,
  requested_by: null,
  tracking_number: null,
  label_id: null,
  cost_minor: null,
  currency: null,
  carrier_transaction_id: null,
  error_code: null,
  error_message: null,
  resolution: null,
  created_at: '2026-05-02T08:10:00.000000Z',
  updated_at: '2026-05-02T08:10:00.000000Z',
  version: 1,
  ...extra,
});

async function openPanel(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await within(await screen.findByTestId('grid-shipments')).findByText('MD-0000002'));
  return screen.findByTestId('shipment-detail');
}

describe('carrier labels', () => {
  it('compares table rates and carrier quotes as the core ranks them, chooses one, and buys the label', async () => {
    const bought = attempt('purchased', {
      tracking_number: '794900000001',
      cost_minor: 1232,
      currency: 'USD',
    });
    let purchases: LabelPurchase[] = [];
    const courier = option('City courier', 450, 1, {
      source: 'table',
      method_id: '0196a000-0000-7000-8000-000000000001',
      carrier: 'local',
      service_code: 'SAME_DAY',
      cheapest: true,
      fastest: true,
    });
    const ground = option('FedEx Ground', 1232, 3, { service_code: 'FEDEX_GROUND', chosen: true });
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment]),
        shipment_label_purchases: () => purchases,
        shipment_rates: () => shopping([courier, ground]),
        choose_shipment_rate: () => null,
        buy_shipping_label: () => {
          purchases = [bought];
          return bought;
        },
      },
    });
    const panel = await openPanel(user);
    await user.click(await within(panel).findByTestId('get-rates'));
    const [first, second] = await within(panel).findAllByTestId('rate-option');
    expect(first).toHaveTextContent('City courier');
    expect(first).toHaveTextContent('Cheapest');
    expect(first).toHaveTextContent('Fastest');
    expect(first).toHaveAttribute('data-source', 'table');
    expect(second).toHaveTextContent('$12.32');
    expect(second).toHaveTextContent('Chosen');
    expect(within(second!).queryByTestId('choose-rate')).toBeNull();
    expect(within(panel).getByTestId('rate-unavailable')).toHaveTextContent('UPS is not set up');
    await user.click(within(first!).getByTestId('choose-rate'));
    await waitFor(() =>
      expect(argsOf('choose_shipment_rate')).toEqual([
        {
          shipmentId: shipment.id,
          version: 3,
          choice: {
            method_id: courier.method_id,
            carrier: 'local',
            service_code: 'SAME_DAY',
            amount_minor: 450,
          },
        },
      ]),
    );
    await user.click(within(panel).getByTestId('buy-label'));
    await waitFor(() =>
      expect(argsOf('buy_shipping_label')).toEqual([
        { shipmentId: shipment.id, serviceCode: null, image: 'zpl' },
      ]),
    );
    await waitFor(() => expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent('794900000001'));
    expect(await within(panel).findByTestId('purchase-row')).toHaveAttribute('data-state', 'purchased');
  });

  it('buys a 4×6 PDF from the format menu, opened by keyboard', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment]),
        shipment_label_purchases: () => [],
        buy_shipping_label: () =>
          attempt('purchased', { label_format: 'pdf', tracking_number: '794900000002' }),
      },
    });
    const panel = await openPanel(user);
    expect(within(panel).queryByTestId('issue-label')).toBeNull();
    within(panel).getByTestId('buy-label-menu').focus();
    await user.keyboard('{Enter}');
    const pdf = await screen.findByTestId('buy-label-pdf');
    expect(screen.getByTestId('buy-label-zpl')).toHaveTextContent('ZPL');
    await user.click(pdf);
    await waitFor(() =>
      expect(argsOf('buy_shipping_label')).toEqual([
        { shipmentId: shipment.id, serviceCode: null, image: 'pdf' },
      ]),
    );
  });

  it('says when nothing is on offer and why', async () => {
    const { user } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment]),
        shipment_label_purchases: () => [],
        shipment_rates: () => ({
          ...shopping([]),
          zone: null,
          unavailable: [{ name: 'Local methods', reason: 'no shipping zone covers US 38116' }],
        }),
      },
    });
    const panel = await openPanel(user);
    await user.click(await within(panel).findByTestId('get-rates'));
    expect(await within(panel).findByTestId('no-rates')).toBeInTheDocument();
    expect(within(panel).getByTestId('rate-unavailable')).toHaveTextContent(
      'no shipping zone covers US 38116',
    );
  });

  it('blocks buying while a purchase is uncertain and settles it by voiding at the carrier', async () => {
    const uncertain = attempt('uncertain', {
      error_message: 'no usable answer from FedEx (no answer in time). Look for reference MD-0000002-1',
    });
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: {
        list_shipments: () => page([shipment]),
        shipment_label_purchases: () => [uncertain],
        settle_label_purchase: () => ({
          ...uncertain,
          state: 'voided',
          resolution: '794900000007 voided at FedEx',
        }),
      },
    });
    const panel = await openPanel(user);
    const box = await within(panel).findByTestId('uncertain-purchase');
    expect(box).toHaveTextContent('MD-0000002-1');
    expect(within(panel).queryByTestId('buy-label')).toBeNull();
    expect(within(box).getByTestId('settle-void')).toBeDisabled();
    await user.type(within(box).getByTestId('settle-tracking'), ' 794900000007 ');
    await user.click(within(box).getByTestId('settle-void'));
    await waitFor(() =>
      expect(argsOf('settle_label_purchase')).toEqual([
        {
          attemptId: uncertain.id,
          settlement: { kind: 'void_at_carrier', tracking_number: '794900000007', shipment_id: null },
        },
      ]),
    );
  });

  it('offers only the moves the core allows and shows the tracking timeline', async () => {
    const printed: Shipment = { ...shipment, status: 'printed', tracking_number: '794900000001' };
    const events: TrackingEvent[] = [
      {
        id: 'e1',
        occurred_at: '2026-05-03T09:00:00.000000Z',
        status: 'in_transit',
        description: 'Picked up',
        location: 'MEMPHIS, TN, US',
        carrier_event_code: 'PU',
      },
    ];
    const { user } = renderApp({
      me: me('logistics'),
      path: '/shipments',
      handlers: { list_shipments: () => page([printed]), shipment_tracking: () => events },
    });
    const panel = await openPanel(user);
    expect(await within(panel).findByTestId('tracking-event')).toHaveTextContent('Picked up');
    expect(within(panel).getByTestId('shipment-action-handed_over')).toBeInTheDocument();
    expect(within(panel).queryByTestId('shipment-action-pending')).toBeNull();
    expect(within(panel).queryByTestId('shipment-action-cancelled')).toBeNull();
    expect(within(panel).getByTestId('void-label')).toBeInTheDocument();
  });
});
