import * as RadixDialog from '@radix-ui/react-dialog';
import type { KeyboardEvent, ReactNode } from 'react';
import { cn } from '../lib/cn';
import { CloseIcon } from './icons';

export const overlayClasses = 'fixed inset-0 z-40 bg-overlay motion-safe:animate-fade-in';
export const contentClasses =
  'fixed top-1/2 left-1/2 z-50 flex max-h-[85vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col ' +
  'rounded-xl border border-line bg-surface text-fg shadow-dialog motion-safe:animate-pop-in focus:outline-none';

const widths = { sm: 'max-w-sm', md: 'max-w-lg', lg: 'max-w-2xl', xl: 'max-w-6xl' } as const;

export type DialogProps = {
  title: ReactNode;
  description?: ReactNode;
  /** The element that opens the dialog (uncontrolled use). */
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Buttons at the bottom right. */
  footer?: ReactNode;
  size?: keyof typeof widths;
  className?: string;
  children?: ReactNode;
};

/** A modal dialog: focus is trapped, Esc and the close button dismiss it. */
export function Dialog({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  footer,
  size = 'md',
  className,
  children,
}: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className={overlayClasses} />
        <RadixDialog.Content
          className={cn(contentClasses, widths[size], className)}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="flex items-start justify-between gap-4 px-5 pt-4 pb-3">
            <div className="min-w-0">
              <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
              {description && (
                <RadixDialog.Description className="mt-1 text-base text-fg-muted">
                  {description}
                </RadixDialog.Description>
              )}
            </div>
            <RadixDialog.Close
              aria-label="Close"
              className="-mr-1.5 flex size-7 shrink-0 items-center justify-center rounded-md text-fg-subtle hover:bg-raised hover:text-fg"
            >
              <CloseIcon />
            </RadixDialog.Close>
          </div>
          {children && <div className="min-h-0 flex-1 overflow-y-auto px-5 pb-4">{children}</div>}
          {footer && (
            <div className="flex justify-end gap-2 border-t border-line bg-canvas/60 px-5 py-3">{footer}</div>
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** A button inside a Dialog that closes it: `<DialogClose asChild><Button>Cancel</Button></DialogClose>`. */
export const DialogClose = RadixDialog.Close;

/**
 * `onKeyDown` of a form whose submit button sits in the Dialog's footer, outside the form:
 * Enter in one of its fields submits it, as it would with the button inside.
 */
export function submitOnEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
}
