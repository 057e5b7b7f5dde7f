import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/app';
import { me } from '../test/fixtures';
import { matchCommands, type PaletteCommand } from './CommandPalette';

const noop = () => undefined;
const commands: PaletteCommand[] = [
  { id: 'go-orders', label: 'Orders', group: 'Go to', run: noop },
  { id: 'go-audit', label: 'Audit trail', group: 'Go to', run: noop },
  { id: 'this-computer', label: 'This computer…', group: 'Actions', keywords: 'keys keychain', run: noop },
];

describe('command palette', () => {
  it('finds commands by the start of their words, every typed word counting', () => {
    expect(matchCommands(commands, '').map((c) => c.id)).toEqual(['go-orders', 'go-audit', 'this-computer']);
    expect(matchCommands(commands, 'tra').map((c) => c.id)).toEqual(['go-audit']);
    expect(matchCommands(commands, 'KEY').map((c) => c.id)).toEqual(['this-computer']);
    expect(matchCommands(commands, 'go aud').map((c) => c.id)).toEqual(['go-audit']);
    expect(matchCommands(commands, 'rail')).toEqual([]);
  });

  it('opens with Ctrl+K, lists the role’s screens with their shortcuts, and runs by keyboard', async () => {
    const { user } = renderApp({ me: me('finance'), path: '/revenue' });
    await screen.findByTestId('nav-orders');
    await user.keyboard('{Control>}k{/Control}');
    const palette = await screen.findByTestId('command-palette');
    const input = within(palette).getByTestId('palette-input');
    expect(input).toHaveFocus();
    // Finance's screens only, each with its shortcut.
    expect(within(palette).getByTestId('palette-go-ledger')).toHaveTextContent('LedgerGJ');
    expect(within(palette).queryByTestId('palette-go-users')).toBeNull();

    await user.type(input, 'ord');
    const options = within(palette).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['OrdersGO']);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByTestId('command-palette')).toBeNull());
    expect(await screen.findByTestId('grid-orders')).toBeInTheDocument();
  });

  it('moves with the arrows, says when nothing matches, and closes with Esc', async () => {
    const { user } = renderApp({ me: me('admin'), path: '/orders' });
    await screen.findByTestId('grid-orders');
    await user.keyboard('{Control>}k{/Control}');
    const palette = await screen.findByTestId('command-palette');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(within(palette).getAllByRole('option')[2]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}');
    expect(within(palette).getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    await user.type(within(palette).getByTestId('palette-input'), 'zzz');
    expect(within(palette).getByText('Nothing matches “zzz”.')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('command-palette')).toBeNull());
  });

  it('opens the account dialogs from the keyboard', async () => {
    const { user } = renderApp({ me: me('admin'), path: '/orders' });
    await screen.findByTestId('grid-orders');
    await user.keyboard('{Control>}k{/Control}');
    await user.type(await screen.findByTestId('palette-input'), 'keychain');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: /This computer/ })).toBeInTheDocument();
  });
});
