import { useId, type ComponentProps, type ReactNode } from 'react';
import { cn } from '../lib/cn';

export const controlClasses =
  'h-8 w-full min-w-0 rounded-md border border-line-strong bg-surface px-2.5 text-base text-fg shadow-xs ' +
  'transition-colors placeholder:text-fg-faint hover:border-fg-faint ' +
  'focus-visible:border-accent focus-visible:outline-1 focus-visible:outline-offset-0 ' +
  'aria-invalid:border-danger aria-invalid:focus-visible:outline-danger ' +
  'disabled:cursor-not-allowed disabled:opacity-50';

export type InputProps = ComponentProps<'input'> & {
  /** Marks the field invalid (red border, aria-invalid). */
  invalid?: boolean;
};

export function Input({ invalid, className, ...props }: InputProps) {
  return (
    <input
      {...props}
      className={cn(controlClasses, className)}
      aria-invalid={invalid || props['aria-invalid'] || undefined}
    />
  );
}

/** Props a Field hands to its control so label, hint and error are wired up for assistive tech. */
export type FieldControlProps = {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
};

export type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  /** An error message; marks the control invalid. */
  error?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
};

/** `<Field label="Email" error={err}>{(p) => <Input {...p} type="email" />}</Field>` */
export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cn('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-sm font-medium text-fg-muted">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <p id={errorId} className="text-sm text-danger-text">
          {error}
        </p>
      ) : hint ? (
        <p id={hintId} className="text-sm text-fg-subtle">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
