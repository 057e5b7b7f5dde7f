import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppInfo } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError, appInfo, me } from '../../test/fixtures';

const server = 'postgres://db.example/marketplace';
const online: AppInfo = { ...appInfo, server, demo_logins: [], can_remember: true };

describe('remember me', () => {
  it('is offered beside a server with a keychain, and asked for with the sign-in', async () => {
    const { user, argsOf } = renderApp({
      handlers: { app_info: () => online, sign_in: () => me('finance') },
    });
    await user.type(await screen.findByTestId('login'), 'finance');
    await user.click(screen.getByTestId('remember'));
    await user.type(screen.getByTestId('password'), 'a-long-password{Enter}');
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Fiona Finance');
    expect(argsOf('sign_in')).toEqual([{ login: 'finance', password: 'a-long-password', remember: true }]);
  });

  it('is not offered without a keychain or a server', async () => {
    renderApp({ handlers: { app_info: () => ({ ...online, can_remember: false }) } });
    await screen.findByTestId('login');
    await screen.findByText(server);
    expect(screen.queryByTestId('remember')).toBeNull();
  });

  it('continues as the remembered person in one click', async () => {
    const { user, argsOf } = renderApp({
      handlers: {
        app_info: () => ({ ...online, remembered: 'finance' }),
        sign_in_remembered: () => me('finance'),
      },
    });
    await user.click(await screen.findByTestId('continue-remembered'));
    expect(await screen.findByTestId('user-name')).toHaveTextContent('Fiona Finance');
    expect(argsOf('sign_in_remembered')).toHaveLength(1);
    expect(argsOf('sign_in')).toEqual([]);
  });

  it('says why a remembered password failed, and offers the form once it is forgotten', async () => {
    let remembered: string | null = 'finance';
    const { user } = renderApp({
      handlers: {
        app_info: () => ({ ...online, remembered }),
        sign_in_remembered: () => {
          remembered = null;
          return appError(
            'wrong_credentials',
            'wrong sign-in name or password; the remembered password was forgotten: sign in with your password',
          );
        },
      },
    });
    await user.click(await screen.findByTestId('continue-remembered'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent(
      'the remembered password was forgotten',
    );
    await waitFor(() => expect(screen.queryByTestId('remembered')).toBeNull());
  });

  it('forgets the remembered person on request', async () => {
    let remembered: string | null = 'finance';
    const { user, argsOf } = renderApp({
      handlers: {
        app_info: () => ({ ...online, remembered }),
        forget_remembered: () => {
          remembered = null;
          return null;
        },
      },
    });
    await user.click(await screen.findByTestId('forget-remembered'));
    await waitFor(() => expect(screen.queryByTestId('remembered')).toBeNull());
    expect(argsOf('forget_remembered')).toHaveLength(1);
  });
});
