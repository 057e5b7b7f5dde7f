import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ProgressBar } from './ProgressBar';

describe('ProgressBar', () => {
  it('reports determinate progress and can be cancelled', async () => {
    const onCancel = vi.fn();
    render(
      <ProgressBar
        label="Printing labels"
        value={120}
        max={480}
        detail="120 of 480 labels"
        onCancel={onCancel}
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Printing labels' });
    expect(bar).toHaveAttribute('aria-valuenow', '120');
    expect(bar).toHaveAttribute('aria-valuemax', '480');
    expect(bar).toHaveAttribute('aria-valuetext', '120 of 480 labels');
    expect(screen.getByText('25%')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('is indeterminate without a value', () => {
    render(<ProgressBar label="Syncing" />);
    expect(screen.getByRole('progressbar', { name: 'Syncing' })).not.toHaveAttribute('aria-valuenow');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
