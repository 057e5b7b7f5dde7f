import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Button } from './Button';
import { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog';

function setup(props: Partial<ConfirmDialogProps> = {}) {
  const user = userEvent.setup();
  const onConfirm = vi.fn<() => void | Promise<unknown>>();
  const onCancel = vi.fn();
  render(
    <ConfirmDialog
      trigger={<Button>Delete vendor</Button>}
      title="Delete Northwind Ceramics?"
      description="This cannot be undone."
      confirmLabel="Delete vendor"
      onConfirm={onConfirm}
      onCancel={onCancel}
      {...props}
    />,
  );
  const open = async () => {
    await user.click(screen.getByRole('button', { name: 'Delete vendor' }));
    return screen.findByRole('alertdialog', { name: 'Delete Northwind Ceramics?' });
  };
  return { user, onConfirm, onCancel, open };
}

describe('ConfirmDialog', () => {
  it('opens with the confirm button focused; Enter confirms and closes', async () => {
    const { user, onConfirm, onCancel, open } = setup();
    const dialog = await open();
    expect(dialog).toHaveAccessibleDescription('This cannot be undone.');
    const confirm = screen.getAllByRole('button', { name: 'Delete vendor' }).find((b) => dialog.contains(b));
    expect(confirm).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });

  it('Esc cancels', async () => {
    const { user, onConfirm, onCancel, open } = setup();
    await open();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    // Focus goes back to the button that opened it.
    expect(screen.getByRole('button', { name: 'Delete vendor' })).toHaveFocus();
  });

  it('the Cancel button cancels', async () => {
    const { user, onConfirm, onCancel, open } = setup();
    await open();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('stays open while an async confirm runs and shows its error', async () => {
    let reject: (e: unknown) => void = () => {};
    const { user, onConfirm, open } = setup();
    onConfirm.mockImplementation(() => new Promise((_, r) => (reject = r)));
    const dialog = await open();
    await user.keyboard('{Enter}');
    const confirm = screen.getAllByRole('button', { name: 'Delete vendor' }).find((b) => dialog.contains(b));
    expect(confirm).toHaveAttribute('aria-busy', 'true');

    // Neither Esc nor a second Enter does anything while it runs.
    await user.keyboard('{Escape}{Enter}');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    expect(onConfirm).toHaveBeenCalledTimes(1);

    reject({ message: 'Vendor has open payouts.' });
    expect(await screen.findByRole('alert')).toHaveTextContent('Vendor has open payouts.');
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    expect(confirm).not.toHaveAttribute('aria-busy');
  });

  it('closes when an async confirm succeeds (controlled)', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(() => Promise.resolve());
    function Controlled() {
      const [open, setOpen] = useState(true);
      return (
        <>
          <span>{open ? 'open' : 'closed'}</span>
          <ConfirmDialog
            open={open}
            onOpenChange={setOpen}
            title="Pay 14 vendors?"
            tone="primary"
            onConfirm={onConfirm}
          />
        </>
      );
    }
    render(<Controlled />);
    await screen.findByRole('alertdialog');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('closed')).toBeInTheDocument();
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
