import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AppShell } from './AppShell';
import { navigate } from './router';
import { UserMenu } from './UserMenu';

describe('AppShell', () => {
  it('shows the navigation, title and user menu, and follows shortcuts', async () => {
    const user = userEvent.setup();
    const onSignOut = vi.fn();
    act(() => navigate('/orders'));
    render(
      <AppShell
        title="Orders"
        sections={[
          { label: 'Orders', to: '/orders', shortcut: 'g o' },
          { label: 'Payouts', to: '/payouts', shortcut: 'g p', group: 'Finance' },
        ]}
        userMenu={<UserMenu name="Ada Lindqvist" detail="finance@marketdesk.demo" onSignOut={onSignOut} />}
      >
        <p>Page body</p>
      </AppShell>,
    );
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(screen.getByRole('heading', { level: 1, name: 'Orders' })).toBeInTheDocument();
    expect(document.title).toBe('Orders · Marketdesk');
    expect(screen.getByRole('link', { name: /Orders/ })).toHaveAttribute('aria-current', 'page');
    expect(nav).toHaveTextContent('Finance');
    expect(screen.getByRole('main')).toHaveTextContent('Page body');

    await user.keyboard('gp');
    expect(window.location.hash).toBe('#/payouts');
    expect(screen.getByRole('link', { name: /Payouts/ })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'Account: Ada Lindqvist' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledTimes(1);
  });

  it('switches the theme', async () => {
    const user = userEvent.setup();
    render(
      <AppShell title="Home" sections={[]}>
        <p>x</p>
      </AppShell>,
    );
    await user.click(screen.getByRole('radio', { name: 'Dark theme' }));
    expect(document.documentElement).toHaveClass('dark');
    expect(localStorage.getItem('marketdesk.theme')).toBe('dark');
    expect(screen.getByRole('radio', { name: 'Dark theme' })).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('radio', { name: 'System theme' })).toHaveFocus();
    expect(document.documentElement).not.toHaveClass('dark');
    await user.click(screen.getByRole('radio', { name: 'Light theme' }));
    expect(localStorage.getItem('marketdesk.theme')).toBe('light');
  });
});
