import { useId, type FormEvent, type ReactNode } from 'react';
import { cn } from '../lib/cn';
import { Button } from './Button';
import { Dialog, DialogClose, submitOnEnter, type DialogProps } from './Dialog';

export type FormDialogProps = Pick<DialogProps, 'title' | 'description' | 'size'> & {
  /** The submit button's words. */
  submitLabel: ReactNode;
  /** The submit button's `data-testid`. */
  submitTestId: string;
  /** The submit button cannot be pressed (nothing to choose yet…). */
  submitDisabled?: boolean;
  /** The cancel button's words (default 'Cancel'). */
  cancelLabel?: string;
  /** The submit is running: the dialog stays open and its buttons wait. */
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** Esc, the close button or Cancel, unless pending. */
  onClose: () => void;
  /** Classes of the form (default: one column with gaps). */
  formClassName?: string;
  children: ReactNode;
};

/**
 * A dialog around one form: its fields, Cancel and a submit button in the footer. Enter in a
 * field submits; nothing closes it while the submit runs.
 */
export function FormDialog({
  title,
  description,
  size,
  submitLabel,
  submitTestId,
  submitDisabled,
  cancelLabel = 'Cancel',
  pending,
  onSubmit,
  onClose,
  formClassName,
  children,
}: FormDialogProps) {
  const formId = useId();
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose();
      }}
      title={title}
      description={description}
      size={size}
      footer={
        <>
          <DialogClose asChild>
            <Button disabled={pending}>{cancelLabel}</Button>
          </DialogClose>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            data-testid={submitTestId}
            loading={pending}
            disabled={submitDisabled}
          >
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={onSubmit}
        onKeyDown={submitOnEnter}
        noValidate
        className={cn('flex flex-col gap-3', formClassName)}
      >
        {children}
      </form>
    </Dialog>
  );
}
