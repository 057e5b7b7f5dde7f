import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { cn } from '../lib/cn';
import { errorMessage } from '../lib/errors';
import { Button } from './Button';
import { contentClasses, overlayClasses } from './Dialog';

export type ConfirmDialogProps = {
  title: ReactNode;
  /** What will happen, in plain words ('Vendor Acme will be paid $12,400.00. This cannot be undone.'). */
  description?: ReactNode;
  /** Default 'Confirm'. Name the action: 'Delete user', 'Pay 14 vendors'. */
  confirmLabel?: string;
  /** Default 'Cancel'. */
  cancelLabel?: string;
  /** 'danger' (default) for destructive actions, 'primary' otherwise. */
  tone?: 'danger' | 'primary';
  /**
   * Runs on confirm. If it returns a promise the dialog stays open with a spinner until it
   * settles: it closes when the promise resolves, and shows the error when it rejects.
   */
  onConfirm: () => void | Promise<unknown>;
  /** Called when the dialog is dismissed without confirming (Esc or Cancel). */
  onCancel?: () => void;
  /** The element that opens the dialog (uncontrolled use). */
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Extra content between the description and the buttons. */
  children?: ReactNode;
};

/**
 * Asks before an action. The confirm button has focus when the dialog opens: Enter confirms,
 * Esc cancels.
 */
export function ConfirmDialog({
  title,
  description,
  confirmLabel = 'Confirm',
  cancelLabel = 'Cancel',
  tone = 'danger',
  onConfirm,
  onCancel,
  trigger,
  open: openProp,
  onOpenChange,
  children,
}: ConfirmDialogProps) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const setOpen = (next: boolean) => {
    if (openProp === undefined) setOpenState(next);
    onOpenChange?.(next);
    if (!next) setError(null);
  };

  const handleOpenChange = (next: boolean) => {
    if (pending) return;
    if (!next) onCancel?.();
    setOpen(next);
  };

  const confirm = async () => {
    if (pending) return;
    setError(null);
    const result = onConfirm();
    if (!(result instanceof Promise)) {
      setOpen(false);
      return;
    }
    setPending(true);
    try {
      await result;
      setPending(false);
      setOpen(false);
    } catch (e) {
      setPending(false);
      setError(errorMessage(e));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Enter on a focused button activates that button; elsewhere in the dialog it confirms.
    if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      void confirm();
    }
  };

  return (
    <AlertDialog.Root open={open} onOpenChange={handleOpenChange}>
      {trigger && <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClasses} />
        <AlertDialog.Content
          className={cn(contentClasses, 'max-w-md')}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            confirmRef.current?.focus();
          }}
          onEscapeKeyDown={(event) => {
            if (pending) event.preventDefault();
          }}
          onKeyDown={onKeyDown}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="px-5 pt-5 pb-4">
            <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
            {description && (
              <AlertDialog.Description className="mt-1.5 text-base text-fg-muted">
                {description}
              </AlertDialog.Description>
            )}
            {children && <div className="mt-3">{children}</div>}
            {error && (
              <p role="alert" className="mt-3 rounded-md bg-danger-soft px-3 py-2 text-base text-danger-text">
                {error}
              </p>
            )}
          </div>
          <div className="flex justify-end gap-2 border-t border-line px-5 py-3">
            <AlertDialog.Cancel asChild>
              <Button disabled={pending}>{cancelLabel}</Button>
            </AlertDialog.Cancel>
            <Button
              ref={confirmRef}
              data-testid="confirm"
              variant={tone === 'danger' ? 'danger' : 'primary'}
              loading={pending}
              onClick={() => void confirm()}
            >
              {confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
