import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { toast } from '../../components/toast';
import { renderApp } from '../../test/app';
import { appError, appInfo, me } from '../../test/fixtures';

const navNames = () =>
  Array.from(document.querySelectorAll<HTMLElement>('[data-testid^="nav-"]')).map((e) =>
    (e.dataset.testid ?? '').slice(4),
  );

describe('sign-in', () => {
  it('shows the installation and the demo sign-ins; a click fills the sign-in name', async () => {
    const { user } = renderApp();
    const login = await screen.findByTestId('login');
    expect(login).toHaveFocus();
    expect(await screen.findByText('0.1.0')).toBeInTheDocument();
    expect(screen.getByText(appInfo.database)).toBeInTheDocument();
    expect(screen.getByText(/SQLite/)).toBeInTheDocument();
    expect(screen.getByText('marketdesk-demo')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /vendor@marketdesk\.demo/ }));
    expect(login).toHaveValue('vendor@marketdesk.demo');
    expect(screen.getByTestId('password')).toHaveFocus();
  });

  it('says why the database cannot be used', async () => {
    renderApp({
      handlers: {
        app_info: () => ({
          ...appInfo,
          demo_logins: [],
          problem: 'cannot open the database file: permission denied',
        }),
      },
    });
    expect(await screen.findByTestId('database-problem')).toHaveTextContent(
      'cannot open the database file: permission denied',
    );
    expect(screen.queryByText('Demo sign-ins')).toBeNull();
  });

  it('says the local copy is encrypted, or that none is kept without a keychain', async () => {
    const server = 'postgres://db.example/marketplace';
    const first = renderApp({ handlers: { app_info: () => ({ ...appInfo, server, encrypted: true }) } });
    expect(await screen.findByTestId('encrypted')).toHaveTextContent('encrypted');
    expect(screen.queryByTestId('local-note')).toBeNull();
    first.unmount();

    const note = 'This computer has no usable keychain (no Secret Service), so Marketdesk keeps no copy.';
    renderApp({
      handlers: {
        app_info: () => ({
          ...appInfo,
          server,
          database: 'none kept on this computer',
          encrypted: true,
          local_note: note,
          demo_logins: [],
        }),
      },
    });
    expect(await screen.findByTestId('local-note')).toHaveTextContent(note);
    expect(screen.getByText('none kept on this computer')).toBeInTheDocument();
    expect(screen.queryByTestId('encrypted')).toBeNull();
  });

  it('signs in with Enter in the password field and shows the role’s shell', async () => {
    let resolve: (value: unknown) => void = () => {};
    const { user, argsOf } = renderApp({
      handlers: { sign_in: () => new Promise((r) => (resolve = r)) },
    });
    await user.type(await screen.findByTestId('login'), 'admin@marketdesk.demo');
    await user.type(screen.getByTestId('password'), 'marketdesk-demo{Enter}');

    const button = screen.getByTestId('sign-in');
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(argsOf('sign_in')).toEqual([
      { login: 'admin@marketdesk.demo', password: 'marketdesk-demo', remember: false },
    ]);

    resolve(me('admin'));
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Alex Admin');
    expect(navNames()).toEqual([
      'orders',
      'dashboard',
      'approvals',
      'products',
      'reviews',
      'users',
      'vendors',
      'customers',
      'disputes',
      'revenue',
      'reports',
      'payouts',
      'ledger',
      'settings',
      'shipping',
      'printers',
      'audit',
      'outbox',
      'jobs',
      'logs',
    ]);
    // The admin's home screen.
    await waitFor(() => expect(window.location.hash).toBe('#/orders'));
    expect(await screen.findByTestId('grid-orders')).toBeInTheDocument();
  });

  it('shows the core’s message when the password is wrong, and lets the person try again', async () => {
    let attempts = 0;
    const { user } = renderApp({
      handlers: {
        sign_in: () => {
          attempts += 1;
          return attempts === 1
            ? appError('wrong_credentials', 'wrong sign-in name or password')
            : appError('too_soon', 'too many failed attempts; try again in 4 s');
        },
      },
    });
    await user.type(await screen.findByTestId('login'), 'admin@marketdesk.demo');
    await user.type(screen.getByTestId('password'), 'not-the-password');
    await user.click(screen.getByTestId('sign-in'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('wrong sign-in name or password');
    expect(screen.getByTestId('sign-in')).toBeEnabled();

    await user.click(screen.getByTestId('sign-in'));
    await waitFor(() =>
      expect(screen.getByTestId('sign-in-error')).toHaveTextContent(
        'too many failed attempts; try again in 4 s',
      ),
    );
    expect(screen.queryByTestId('user-name')).toBeNull();
  });

  it('restores the session on reload and signs out', async () => {
    const { user, argsOf, client } = renderApp({ me: me('finance'), path: '/payouts' });
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Fiona Finance');
    expect(await screen.findByTestId('grid-payouts')).toBeInTheDocument();
    expect(window.location.hash).toBe('#/payouts');
    act(() => void toast.success('Payout batch approved'));
    expect(await screen.findByTestId('toast')).toBeInTheDocument();

    await user.click(screen.getByTestId('sign-out'));
    expect(await screen.findByTestId('login')).toBeInTheDocument();
    // What the last person was told goes with them.
    expect(screen.queryByTestId('toast')).toBeNull();
    expect(argsOf('sign_out')).toHaveLength(1);
    // The sign-in screen still learns about the installation.
    expect(await screen.findByText('0.1.0')).toBeInTheDocument();
    await waitFor(() => expect(client.getQueryCache().findAll({ queryKey: ['payouts'] })).toHaveLength(0));
  });

  it('returns to the sign-in screen when a command says no one is signed in', async () => {
    renderApp({
      me: me('admin'),
      path: '/users',
      handlers: { list_users: () => appError('not_signed_in', 'sign in first') },
    });
    expect(await screen.findByTestId('login')).toBeInTheDocument();
    expect(await screen.findByText('0.1.0')).toBeInTheDocument();
    const notice = await screen.findByTestId('toast');
    expect(within(notice).getByText('Your session has ended')).toBeInTheDocument();
  });
});

describe('navigation', () => {
  it.each([
    [
      'admin',
      [
        'orders',
        'dashboard',
        'approvals',
        'products',
        'reviews',
        'users',
        'vendors',
        'customers',
        'disputes',
        'revenue',
        'reports',
        'payouts',
        'ledger',
        'settings',
        'shipping',
        'printers',
        'audit',
        'outbox',
        'jobs',
        'logs',
      ],
    ],
    [
      'vendor',
      [
        'products',
        'reviews',
        'orders',
        'disputes',
        'earnings',
        'dashboard',
        'payouts',
        'subscription',
        'application',
      ],
    ],
    ['logistics', ['fulfilment', 'scan', 'shipments', 'orders', 'products', 'printers']],
    ['finance', ['revenue', 'dashboard', 'reports', 'payouts', 'ledger', 'orders', 'disputes', 'customers']],
  ] as const)('shows %s exactly their screens', async (role, expected) => {
    renderApp({
      me: me(role),
      handlers: {
        revenue_report: () => new Promise(() => {}),
        vendor_earnings: () => [],
      },
    });
    await screen.findByTestId('user-name');
    expect(navNames()).toEqual(expected);
    // Their home screen is the first one.
    await waitFor(() => expect(window.location.hash).toBe(`#/${expected[0]}`));
  });

  it('sends a role away from a screen it may not open', async () => {
    renderApp({ me: me('logistics'), path: '/users' });
    await screen.findByTestId('user-name');
    await waitFor(() => expect(window.location.hash).toBe('#/fulfilment'));
    expect(await screen.findByTestId('grid-fulfilment')).toBeInTheDocument();
    expect(screen.queryByTestId('grid-users')).toBeNull();
  });

  it('follows g-sequences to the role’s screens', async () => {
    const { user } = renderApp({ me: me('logistics') });
    await screen.findByTestId('grid-fulfilment');
    await user.keyboard('gs');
    expect(await screen.findByTestId('grid-shipments')).toBeInTheDocument();
    expect(screen.getByTestId('nav-shipments')).toHaveAttribute('aria-current', 'page');
  });
});
