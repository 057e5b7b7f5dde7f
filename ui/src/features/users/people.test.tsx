import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/app';
import { appError, appInfo, me, onlineConnection, page, vera } from '../../test/fixtures';
import { newPasswordProblem } from '../session/ChangePasswordDialog';
import { inviteProblems, suggestedUsername } from './InviteDialog';

const online = {
  app_info: () => ({ ...appInfo, server: onlineConnection.server }),
  connection: () => onlineConnection,
};

describe('inviting people', () => {
  it('checks the form, suggests a sign-in name and sends the invitation to the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/users',
      handlers: { ...online, invite_user: () => '0199a000-0000-7000-8000-000000000001' },
    });
    const invite = await screen.findByTestId('invite');
    await waitFor(() => expect(invite).toBeEnabled());
    await user.click(invite);
    const dialog = await screen.findByRole('dialog', { name: 'Invite a person' });
    await user.click(within(dialog).getByTestId('invite-submit'));
    expect(within(dialog).getByText('Enter the address the invitation goes to.')).toBeInTheDocument();
    expect(within(dialog).getByText('Enter the name shown in the app.')).toBeInTheDocument();
    expect(argsOf('invite_user')).toEqual([]);

    await user.type(within(dialog).getByTestId('invite-email'), 'ola.nordmann@fjord.example');
    expect(within(dialog).getByTestId('invite-username')).toHaveValue('ola.nordmann');
    await user.type(within(dialog).getByTestId('invite-name'), 'Ola Nordmann');
    await user.selectOptions(within(dialog).getByTestId('invite-role'), 'logistics');
    await user.type(within(dialog).getByTestId('invite-name'), '{Enter}');

    expect(await screen.findByTestId('toast')).toHaveTextContent('Ola Nordmann invited');
    expect(argsOf('invite_user')).toEqual([
      {
        invitee: {
          email: 'ola.nordmann@fjord.example',
          username: 'ola.nordmann',
          display_name: 'Ola Nordmann',
          role: 'logistics',
        },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Invite a person' })).toBeNull());
  });

  it('keeps the dialog open with the core’s refusal', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/users',
      handlers: {
        ...online,
        invite_user: () => appError('conflict', 'someone already signs in as “vera”'),
      },
    });
    const invite = await screen.findByTestId('invite');
    await waitFor(() => expect(invite).toBeEnabled());
    await user.click(invite);
    const dialog = await screen.findByRole('dialog', { name: 'Invite a person' });
    await user.type(within(dialog).getByTestId('invite-email'), 'vera@elsewhere.example');
    await user.type(within(dialog).getByTestId('invite-name'), 'Vera Again');
    await user.click(within(dialog).getByTestId('invite-submit'));
    expect(await within(dialog).findByText(/already signs in as/)).toBeInTheDocument();
    expect(within(dialog).getByTestId('invite-email')).toHaveValue('vera@elsewhere.example');
  });

  it('says that inviting needs the central server on a desktop working offline', async () => {
    renderApp({ me: me('admin'), path: '/users', handlers: { list_users: () => page([vera]) } });
    expect(await screen.findByText('Inviting needs a sign-in to the central server')).toBeInTheDocument();
    expect(screen.getByTestId('invite')).toBeDisabled();
  });

  it('resets a person’s password after confirmation, online only', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/users',
      handlers: { ...online, list_users: () => page([vera]), reset_user_password: () => null },
    });
    await user.click(await within(await screen.findByTestId('grid-users')).findByText(vera.email));
    const panel = await screen.findByTestId('user-detail');
    await user.click(await within(panel).findByTestId('reset-password'));
    await user.click(
      within(
        await screen.findByRole('alertdialog', { name: "Reset Vera Northwind's password?" }),
      ).getByTestId('confirm'),
    );
    expect(await screen.findByTestId('toast')).toHaveTextContent("Vera Northwind's password reset");
    expect(argsOf('reset_user_password')).toEqual([{ id: vera.id }]);
  });

  it('validates addresses and sign-in names like the server does', () => {
    const ok = { email: 'a@b.example', username: 'abc', display_name: 'A', role: 'vendor' as const };
    expect(inviteProblems(ok)).toEqual({});
    expect(inviteProblems({ ...ok, email: 'a b@c.example' }).email).toBeDefined();
    expect(inviteProblems({ ...ok, email: 'a@b@c.example' }).email).toBeDefined();
    expect(inviteProblems({ ...ok, email: 'a@localhost' }).email).toBeDefined();
    expect(inviteProblems({ ...ok, username: 'ab' }).username).toBeDefined();
    expect(inviteProblems({ ...ok, username: 'a b c' }).username).toBeDefined();
    expect(suggestedUsername('Jean-Luc+shop@x.example')).toBe('Jean-Lucshop');
  });
});

describe('changing one’s password', () => {
  it('opens at once after an invitation and shows the screens once it is accepted', async () => {
    const invited = me('vendor', { status: 'invited', must_change_password: true });
    const { user, argsOf } = renderApp({
      me: invited,
      path: '/products',
      handlers: {
        change_own_password: () => ({ ...invited, status: 'active', must_change_password: false }),
      },
    });
    const dialog = await screen.findByRole('dialog', { name: 'Choose your password' });
    expect(screen.getByText(/signed in with your invitation code/)).toBeInTheDocument();
    // Until the invitation is accepted the server refuses everything else: no screen asks.
    expect(screen.getByText('Welcome to Marketdesk, Vera Vendor')).toBeInTheDocument();
    expect(screen.queryByTestId('grid-products')).toBeNull();
    expect(argsOf('list_products')).toEqual([]);
    await user.type(within(dialog).getByLabelText('Invitation code'), 'ABCD-EFGH-JKLM-NPQR');
    await user.type(within(dialog).getByTestId('new-password'), 'a long new password');
    await user.type(within(dialog).getByTestId('repeat-password'), 'a long new passw0rd');
    await user.click(within(dialog).getByTestId('change-password-submit'));
    expect(within(dialog).getByText('The two new passwords differ.')).toBeInTheDocument();
    expect(argsOf('change_own_password')).toEqual([]);

    await user.clear(within(dialog).getByTestId('repeat-password'));
    await user.type(within(dialog).getByTestId('repeat-password'), 'a long new password{Enter}');
    expect(await screen.findByTestId('toast')).toHaveTextContent('Password changed');
    expect(argsOf('change_own_password')).toEqual([
      { current: 'ABCD-EFGH-JKLM-NPQR', newPassword: 'a long new password' },
    ]);
    await waitFor(() => expect(screen.queryByTestId('choose-password')).toBeNull());
    expect(await screen.findByTestId('grid-products')).toBeInTheDocument();
    expect(screen.queryByText(/Welcome to Marketdesk/)).toBeNull();
  });

  it('shows a wrong current password inline, from the account menu', async () => {
    const { user } = renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: { change_own_password: () => appError('wrong_credentials', 'the current password is wrong') },
    });
    await user.click(await screen.findByTestId('user-menu'));
    await user.click(await screen.findByTestId('change-password'));
    const dialog = await screen.findByRole('dialog', { name: 'Change password' });
    await user.type(within(dialog).getByTestId('current-password'), 'not my password');
    await user.type(within(dialog).getByTestId('new-password'), 'a brand new password');
    await user.type(within(dialog).getByTestId('repeat-password'), 'a brand new password{Enter}');
    expect(await within(dialog).findByText('the current password is wrong')).toBeInTheDocument();
  });

  it('asks for the same password twice; the policy is the core’s, its refusal shown inline', async () => {
    expect(newPasswordProblem('a new password', 'a new passw0rd')).toMatch(/differ/);
    expect(newPasswordProblem('a new password', 'a new password')).toBeNull();
    const { user, argsOf } = renderApp({
      me: me('finance'),
      path: '/ledger',
      handlers: {
        change_own_password: () => appError('invalid', 'a password needs at least 12 characters'),
      },
    });
    await user.click(await screen.findByTestId('user-menu'));
    await user.click(await screen.findByTestId('change-password'));
    const dialog = await screen.findByRole('dialog', { name: 'Change password' });
    expect(within(dialog).getByText('At least 12 characters.')).toBeInTheDocument();
    await user.type(within(dialog).getByTestId('current-password'), 'my old password');
    await user.type(within(dialog).getByTestId('new-password'), 'short');
    await user.type(within(dialog).getByTestId('repeat-password'), 'short{Enter}');
    expect(await within(dialog).findByText('a password needs at least 12 characters')).toBeInTheDocument();
    expect(argsOf('change_own_password')).toEqual([{ current: 'my old password', newPassword: 'short' }]);
  });
});
