import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IntegrationKey, IntegrationKeys } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, me } from '../../test/fixtures';
import { keyProblem } from './ThisComputerDialog';

const stripe: IntegrationKey = {
  id: 'stripe',
  name: 'Stripe',
  stored: false,
  may_change: true,
  prefixes: ['sk_live_', 'sk_test_'],
};
const fedex: IntegrationKey = { id: 'fedex', name: 'FedEx', stored: true, may_change: true, prefixes: [] };

/** A keychain in memory: what the commands would file, without ever answering with a key. */
function keychain(initial: IntegrationKey[], problem: string | null = null) {
  let keys = initial.map((k) => ({ ...k }));
  return {
    integration_keys: (): IntegrationKeys => ({
      keychain: 'the desktop keychain (Secret Service)',
      keychain_problem: problem,
      keys,
    }),
    set_integration_key: (args: unknown) => {
      const { integration } = args as { integration: string; key: string };
      keys = keys.map((k) => (k.id === integration ? { ...k, stored: true } : k));
      return null;
    },
    remove_integration_key: (args: unknown) => {
      const { integration } = args as { integration: string };
      keys = keys.map((k) => (k.id === integration ? { ...k, stored: false } : k));
      return null;
    },
  };
}

async function openThisComputer(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByTestId('user-menu'));
  await user.click(await screen.findByTestId('this-computer'));
  return screen.findByRole('dialog', { name: 'This computer' });
}

/** Stand-ins shaped like Stripe keys, obviously not real ones. */
const FAKE_TEST_KEY = ['sk', 'test', 'FAKE-not-a-real-key'].join('_');
const FAKE_LIVE_KEY = ['sk', 'live', 'FAKE-not-a-real-key'].join('_');

describe('this computer’s integration keys', () => {
  it('checks a key as typed without repeating it', () => {
    expect(keyProblem(stripe, '   ')).toBe('Paste the Stripe key.');
    expect(keyProblem(stripe, 're_123')).toBe('A Stripe key starts with sk_live_ or sk_test_.');
    expect(keyProblem(stripe, `${FAKE_TEST_KEY} 2`)).toBe('A key has no spaces or line breaks inside.');
    expect(keyProblem(stripe, ` ${FAKE_TEST_KEY} `)).toBeNull();
    expect(keyProblem(fedex, 'anything')).toBeNull();
  });

  it('files a key in the keychain from the account menu and shows it as set, never the key', async () => {
    const { user, argsOf } = renderApp({ me: me('admin'), handlers: keychain([stripe, fedex]) });
    const dialog = await openThisComputer(user);
    const row = await within(dialog).findByTestId('key-stripe');
    expect(within(dialog).getByTestId('keychain')).toHaveTextContent(
      'Kept in the desktop keychain (Secret Service).',
    );
    expect(row).toHaveTextContent('Not set');
    expect(within(dialog).getByTestId('key-fedex')).toHaveTextContent('In keychain');

    await user.click(within(row).getByTestId('key-set-stripe'));
    const form = await screen.findByRole('dialog', { name: 'Set the Stripe key' });
    const input = within(form).getByTestId('key-input');
    expect(input).toHaveAttribute('type', 'password');
    await user.type(input, 're_wrong_provider{Enter}');
    expect(within(form).getByText('A Stripe key starts with sk_live_ or sk_test_.')).toBeInTheDocument();
    expect(argsOf('set_integration_key')).toEqual([]);

    await user.clear(input);
    await user.type(input, `${FAKE_TEST_KEY}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Set the Stripe key' })).toBeNull());
    expect(argsOf('set_integration_key')).toEqual([{ integration: 'stripe', key: FAKE_TEST_KEY }]);
    await waitFor(() => expect(within(dialog).getByTestId('key-stripe')).toHaveTextContent('In keychain'));
    expect(document.body.textContent).not.toContain(FAKE_TEST_KEY);
  });

  it('removes a key after asking', async () => {
    const { user, argsOf } = renderApp({ me: me('admin'), handlers: keychain([stripe, fedex]) });
    const dialog = await openThisComputer(user);
    await user.click(await within(dialog).findByTestId('key-remove-fedex'));
    const confirm = await screen.findByRole('alertdialog', { name: 'Remove the FedEx key?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove key' }));
    await waitFor(() => expect(within(dialog).getByTestId('key-fedex')).toHaveTextContent('Not set'));
    expect(argsOf('remove_integration_key')).toEqual([{ integration: 'fedex' }]);
  });

  it('shows the core’s refusal in the form and keeps it open', async () => {
    const { user } = renderApp({
      me: me('admin'),
      handlers: {
        ...keychain([stripe]),
        set_integration_key: () => appError('invalid', 'the keychain failed: locked'),
      },
    });
    const dialog = await openThisComputer(user);
    await user.click(await within(dialog).findByTestId('key-set-stripe'));
    const form = await screen.findByRole('dialog', { name: 'Set the Stripe key' });
    await user.type(within(form).getByTestId('key-input'), `${FAKE_LIVE_KEY}{Enter}`);
    expect(await within(form).findByText('the keychain failed: locked')).toBeInTheDocument();
  });

  it('lets a role see the keys it does not look after, and says when there is no keychain', async () => {
    const { user } = renderApp({
      me: me('vendor'),
      handlers: keychain(
        [
          { ...stripe, may_change: false },
          { ...fedex, stored: false, may_change: false },
        ],
        'no usable keychain on this machine (no Secret Service)',
      ),
    });
    const dialog = await openThisComputer(user);
    expect(await within(dialog).findByTestId('keychain-problem')).toHaveTextContent('no usable keychain');
    expect(within(dialog).getByTestId('key-stripe')).toHaveTextContent('Not set');
    expect(within(dialog).queryByTestId('key-set-stripe')).toBeNull();
    expect(within(dialog).queryByRole('button', { name: /Remove/ })).toBeNull();
  });
});
