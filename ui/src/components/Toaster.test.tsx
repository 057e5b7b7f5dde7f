import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toast } from './toast';
import { Toaster } from './Toaster';

afterEach(() => {
  vi.useRealTimers();
});

describe('toast', () => {
  it('shows a success message and removes it after 4 s', () => {
    vi.useFakeTimers();
    render(<Toaster />);
    act(() => {
      toast.success('Payout approved', { description: '14 vendors' });
    });
    const region = screen.getByRole('region', { name: 'Notifications' });
    const status = within(region).getByRole('status');
    expect(status).toHaveTextContent('Payout approved');
    expect(status).toHaveTextContent('14 vendors');

    act(() => {
      vi.advanceTimersByTime(3900);
    });
    expect(screen.getByText('Payout approved')).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(200);
    });
    expect(screen.queryByText('Payout approved')).toBeNull();
  });

  it('shows errors as alerts, for longer', () => {
    vi.useFakeTimers();
    render(<Toaster />);
    act(() => {
      toast.error('Printer Zebra-01 is offline.');
    });
    expect(screen.getByRole('alert')).toHaveTextContent('Printer Zebra-01 is offline.');
    act(() => {
      vi.advanceTimersByTime(7000);
    });
    expect(screen.getByRole('alert')).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(1100);
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('can be dismissed, and runs its action', async () => {
    const user = userEvent.setup();
    const undo = vi.fn();
    render(<Toaster />);
    act(() => {
      toast.info('Label voided', { action: { label: 'Undo', onClick: undo } });
      toast.success('Saved');
    });
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Label voided')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.queryByText('Saved')).toBeNull();
  });

  it('keeps the five newest', () => {
    render(<Toaster />);
    act(() => {
      for (let i = 1; i <= 7; i++) toast.success(`Message ${i}`);
    });
    const items = within(screen.getByRole('region', { name: 'Notifications' })).getAllByRole('status');
    expect(items.map((i) => i.textContent)).toEqual([
      'Message 3',
      'Message 4',
      'Message 5',
      'Message 6',
      'Message 7',
    ]);
  });

  it('returns an id to dismiss it by', () => {
    render(<Toaster />);
    let id = '';
    act(() => {
      id = toast.success('Export ready');
    });
    act(() => {
      toast.dismiss(id);
    });
    expect(screen.queryByText('Export ready')).toBeNull();
  });
});
