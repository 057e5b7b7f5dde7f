import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CarrierAccountStatus } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';

const empty = { zones: [], methods: [], rates: [] };

describe('carrier accounts', () => {
  it('shows each account and why it is not ready, and saves one as the core checks it', async () => {
    let accounts: CarrierAccountStatus[] = [
      {
        carrier: 'fedex',
        name: 'FedEx',
        settings: { environment: 'sandbox', client_id: 'l7xx1234', account_number: '740561073' },
        ready: false,
        problem: 'no FedEx secret in this computer’s keychain',
      },
      { carrier: 'ups', name: 'UPS', settings: null, ready: false, problem: 'UPS is not set up' },
    ];
    let saves = 0;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/shipping',
      handlers: {
        shipping_setup: () => empty,
        carrier_accounts: () => accounts,
        save_carrier_account: (args) => {
          saves += 1;
          if (saves === 1) return appError('invalid', 'both the client id and the account number are needed');
          const { settings } = args as { settings: CarrierAccountStatus['settings'] };
          accounts = accounts.map((a) =>
            a.carrier === 'ups' ? { ...a, settings, ready: true, problem: null } : a,
          );
          return null;
        },
      },
    });
    const fedex = await screen.findByTestId('carrier-fedex');
    expect(fedex).toHaveTextContent('sandbox · account 740561073');
    expect(fedex).toHaveTextContent('no FedEx secret');
    const ups = screen.getByTestId('carrier-ups');
    expect(ups).toHaveTextContent('Not set up');

    await user.click(within(ups).getByRole('button', { name: 'Set up…' }));
    const dialog = await screen.findByRole('dialog', { name: 'UPS account' });
    await user.selectOptions(within(dialog).getByTestId('carrier-environment'), 'custom');
    await user.type(within(dialog).getByTestId('carrier-address'), 'https://ups.test.example');
    await user.type(within(dialog).getByTestId('carrier-client-id'), 'ups-client');
    await user.click(within(dialog).getByTestId('carrier-save'));
    expect(await within(dialog).findByTestId('carrier-error')).toHaveTextContent('account number are needed');
    await user.type(within(dialog).getByTestId('carrier-account'), 'A12345');
    await user.click(within(dialog).getByTestId('carrier-save'));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'UPS account' })).toBeNull());
    expect(argsOf('save_carrier_account').at(-1)).toEqual({
      carrier: 'ups',
      settings: {
        environment: 'https://ups.test.example',
        client_id: 'ups-client',
        account_number: 'A12345',
      },
    });
    await waitFor(() => expect(screen.getByTestId('carrier-ups')).toHaveTextContent('Ready'));
  });
});
