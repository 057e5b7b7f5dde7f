import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ShippingSetup } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';

const paris = '0197a000-0000-7000-8000-000000000001';
const everywhere = '0197a000-0000-7000-8000-000000000002';
const courier = '0198a000-0000-7000-8000-000000000001';

const setup: ShippingSetup = {
  zones: [
    {
      id: paris,
      name: 'Central Paris',
      position: 10,
      areas: [{ country: 'FR', region: null, postcode_pattern: '75*' }],
      area_texts: ['FR:75*'],
      version: 2,
    },
    {
      id: everywhere,
      name: 'Everywhere',
      position: 1000,
      areas: [{ country: null, region: null, postcode_pattern: null }],
      area_texts: ['*'],
      version: 1,
    },
  ],
  methods: [
    {
      id: courier,
      code: 'local_courier_eu',
      name: 'City courier',
      carrier: 'local',
      service_code: 'SAME_DAY',
      min_days: 1,
      max_days: 1,
      is_active: true,
      version: 1,
    },
  ],
  rates: [
    {
      method_id: courier,
      zone_id: paris,
      currency: 'EUR',
      table: { plan: { basis: 'flat', amount_minor: 590 }, free_over_minor: 5000 },
    },
  ],
};

describe('shipping setup', () => {
  it('lists zones in order, methods and their tables as the core holds them', async () => {
    renderApp({ me: me('admin'), path: '/shipping', handlers: { shipping_setup: () => setup } });
    const zones = await screen.findAllByTestId('zone-row');
    expect(zones[0]).toHaveTextContent('Central Paris');
    expect(zones[0]).toHaveTextContent('FR:75*');
    expect(zones[1]).toHaveTextContent('Everywhere');
    const rate = screen.getByTestId('rate-row');
    expect(rate).toHaveTextContent('Central Paris');
    expect(rate).toHaveTextContent('€5.90');
    expect(rate).toHaveTextContent('free over €50.00');
  });

  it('saves a zone as typed and shows the core’s refusal of a bad area', async () => {
    let calls = 0;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/shipping',
      handlers: {
        shipping_setup: () => setup,
        save_shipping_zone: () => {
          calls += 1;
          if (calls === 1)
            return appError('invalid', 'area 2: "Norway" is not a two-letter country code (FR, US, NL …)');
          return '0197a000-0000-7000-8000-000000000003';
        },
      },
    });
    await user.click(await screen.findByTestId('add-zone'));
    await user.type(screen.getByTestId('zone-name'), 'Nordics');
    await user.type(screen.getByTestId('zone-areas'), 'SE{Enter}Norway');
    await user.click(screen.getByTestId('zone-submit'));
    expect(await screen.findByTestId('zone-error')).toHaveTextContent('two-letter country code');
    await user.clear(screen.getByTestId('zone-areas'));
    await user.type(screen.getByTestId('zone-areas'), 'SE{Enter}NO');
    await user.click(screen.getByTestId('zone-submit'));
    await waitFor(() =>
      expect(argsOf('save_shipping_zone').at(-1)).toEqual({
        id: null,
        version: null,
        spec: { name: 'Nordics', position: 1010, areas: ['SE', 'NO'] },
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('zone-name')).toBeNull());
  });

  it('edits a rate table as weight bands and sends exact minor units', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/shipping',
      handlers: { shipping_setup: () => setup, set_shipping_rate_table: () => null },
    });
    const row = await screen.findByTestId('rate-row');
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    expect(screen.getByTestId('rate-amount')).toHaveValue('5.90');
    expect(screen.getByTestId('rate-free-over')).toHaveValue('50.00');
    await user.selectOptions(screen.getByTestId('rate-basis'), 'weight_bands');
    await user.click(screen.getByTestId('add-band'));
    await user.click(screen.getByTestId('add-band'));
    await user.type(screen.getByLabelText('Band 1 up to grams'), '2000');
    await user.type(screen.getByLabelText('Band 1 price'), '5.90');
    await user.type(screen.getByLabelText('Band 2 price'), 'x');
    await user.click(screen.getByTestId('rate-table-submit'));
    expect(await screen.findByTestId('rate-table-error')).toHaveTextContent(
      'Band 2: “x” is not an amount in EUR',
    );
    expect(argsOf('set_shipping_rate_table')).toEqual([]);
    await user.clear(screen.getByLabelText('Band 2 price'));
    await user.type(screen.getByLabelText('Band 2 price'), '19.9');
    await user.click(screen.getByTestId('rate-table-submit'));
    await waitFor(() =>
      expect(argsOf('set_shipping_rate_table')).toEqual([
        {
          methodId: courier,
          zoneId: paris,
          currency: 'EUR',
          table: {
            plan: {
              basis: 'weight_bands',
              bands: [
                { up_to_grams: 2000, amount_minor: 590 },
                { up_to_grams: null, amount_minor: 1990 },
              ],
            },
            free_over_minor: 5000,
          },
        },
      ]),
    );
  });
});
