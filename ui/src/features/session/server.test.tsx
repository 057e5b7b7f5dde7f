import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ServerSetting } from '../../bindings';
import { renderApp } from '../../test/app';
import { appError } from '../../test/fixtures';

const localOnly: ServerSetting = {
  in_use: null,
  saved: null,
  from_environment: false,
  restart_needed: false,
};
const address = 'postgres://db.example.com:5432/marketplace';
/** What someone might type into the address by mistake (not a real password). */
const TYPED_PASSWORD = 'typed-by-mistake';

/** The settings file as the core keeps it: saved changes wait for a restart. */
function settings(initial: ServerSetting) {
  let setting = { ...initial };
  return {
    server_setting: () => setting,
    set_server: (args: unknown) => {
      const { server } = args as { server: string | null };
      if (server?.includes(TYPED_PASSWORD)) {
        return appError('invalid', 'leave the password out: each person signs in with their own');
      }
      setting = { ...setting, saved: server, restart_needed: server !== setting.in_use };
      return setting;
    },
    check_server: (args: unknown) => (args as { server: string }).server,
    restart_app: () => null,
  };
}

describe('choosing the central server on the sign-in screen', () => {
  it('checks an address, saves it for the next start and restarts on request', async () => {
    const { user, argsOf } = renderApp({ handlers: settings(localOnly) });
    expect(await screen.findByTestId('server')).toHaveTextContent('none: this computer only');
    await user.click(await screen.findByTestId('change-server'));
    const dialog = await screen.findByRole('dialog', { name: 'Central server' });
    await user.type(within(dialog).getByTestId('server-address'), address);
    await user.click(within(dialog).getByTestId('server-check'));
    expect(await within(dialog).findByTestId('server-answers')).toHaveTextContent(
      `A server answers at ${address}`,
    );
    await user.click(within(dialog).getByTestId('server-save'));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Central server' })).toBeNull());
    expect(argsOf('set_server')).toEqual([{ server: address }]);

    const notice = await screen.findByTestId('restart-needed');
    expect(notice).toHaveTextContent(`from its next start Marketdesk signs in to ${address}`);
    await user.click(within(notice).getByTestId('restart'));
    await waitFor(() => expect(argsOf('restart_app')).toHaveLength(1));
  });

  it('keeps the dialog open with the core’s refusal', async () => {
    const { user } = renderApp({ handlers: settings(localOnly) });
    await user.click(await screen.findByTestId('change-server'));
    const dialog = await screen.findByRole('dialog', { name: 'Central server' });
    await user.type(
      within(dialog).getByTestId('server-address'),
      `postgres://ada:${TYPED_PASSWORD}@db/mp{Enter}`,
    );
    expect(await within(dialog).findByText(/leave the password out/)).toBeInTheDocument();
    expect(screen.queryByTestId('restart-needed')).toBeNull();
  });

  it('goes back to this computer alone when the address is emptied', async () => {
    const inUse: ServerSetting = { ...localOnly, in_use: address, saved: address };
    const { user, argsOf } = renderApp({ handlers: settings(inUse) });
    await user.click(await screen.findByTestId('change-server'));
    const dialog = await screen.findByRole('dialog', { name: 'Central server' });
    const input = within(dialog).getByTestId('server-address');
    expect(input).toHaveValue(address);
    await user.clear(input);
    await user.type(input, '{Enter}');
    await waitFor(() => expect(argsOf('set_server')).toEqual([{ server: null }]));
    expect(await screen.findByTestId('restart-needed')).toHaveTextContent('works on this computer alone');
  });

  it('offers no change when MARKETDESK_SERVER decides', async () => {
    const { argsOf } = renderApp({
      handlers: settings({ ...localOnly, in_use: address, from_environment: true }),
    });
    await screen.findByTestId('server');
    await waitFor(() => expect(argsOf('server_setting')).toHaveLength(1));
    expect(screen.queryByTestId('change-server')).toBeNull();
  });
});
