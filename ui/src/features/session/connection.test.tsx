import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/app';
import {
  appInfo,
  localConnection,
  me,
  offlineConnection,
  onlineConnection,
  page,
  vera,
} from '../../test/fixtures';
import { connectionLabel } from './connection';

describe('the connection badge', () => {
  it('names the server when online, the local copy when the server was out of reach', () => {
    expect(connectionLabel(onlineConnection)).toMatchObject({ text: 'Online', tone: 'success' });
    const offline = connectionLabel(offlineConnection);
    expect(offline).toMatchObject({ text: 'Offline', tone: 'warning' });
    expect(offline.detail).toContain('could not be reached at sign-in');
    expect(offline.detail).toContain(appInfo.database);
    expect(connectionLabel(localConnection)).toMatchObject({ text: 'Local', tone: 'neutral' });
  });

  it('shows an offline session in the top bar, with why, and keeps server-only actions off', async () => {
    renderApp({
      me: me('admin'),
      path: '/users',
      handlers: {
        app_info: () => ({ ...appInfo, server: offlineConnection.server }),
        connection: () => offlineConnection,
        list_users: () => page([vera]),
      },
    });
    const badge = await screen.findByTestId('connection');
    expect(badge).toHaveTextContent('Offline');
    expect(badge).toHaveAttribute('data-online', 'false');
    expect(badge.textContent).toContain('could not be reached at sign-in');
    expect(await screen.findByTestId('invite')).toBeDisabled();
    expect(screen.getByText('Inviting needs a sign-in to the central server')).toBeInTheDocument();
  });

  it('turns invitations on once the session is online', async () => {
    renderApp({
      me: me('admin'),
      path: '/users',
      handlers: { connection: () => onlineConnection, list_users: () => page([vera]) },
    });
    expect(await screen.findByTestId('connection')).toHaveTextContent('Online');
    await waitFor(() => expect(screen.getByTestId('invite')).toBeEnabled());
  });
});
