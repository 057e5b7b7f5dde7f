import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { Button } from './Button';

export type ProgressBarProps = {
  /** What is in progress ('Printing labels'); also the accessible name. */
  label: string;
  /** Progress so far, 0..max. Omit (or null) for an indeterminate bar. */
  value?: number | null;
  /** Default 100. */
  max?: number;
  /** Extra text under the bar ('1,200 of 5,000 labels'); also used as aria-valuetext. */
  detail?: ReactNode;
  /** Shows a Cancel button. */
  onCancel?: () => void;
  cancelLabel?: string;
  /** The cancel request is being honoured (spinner on the button). */
  cancelling?: boolean;
  className?: string;
};

export function ProgressBar({
  label,
  value,
  max = 100,
  detail,
  onCancel,
  cancelLabel = 'Cancel',
  cancelling = false,
  className,
}: ProgressBarProps) {
  const determinate = value != null && Number.isFinite(value) && max > 0;
  const clamped = determinate ? Math.min(Math.max(value, 0), max) : 0;
  const percent = determinate ? Math.round((clamped / max) * 100) : null;
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="font-medium text-fg">{label}</span>
        {percent !== null && <span className="text-fg-subtle tabular-nums">{percent}%</span>}
      </div>
      <div className="flex items-center gap-3">
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={max}
          aria-valuenow={determinate ? clamped : undefined}
          aria-valuetext={typeof detail === 'string' ? detail : undefined}
          className="relative h-1.5 flex-1 overflow-hidden rounded-full bg-sunken"
        >
          {determinate ? (
            <div
              className="h-full rounded-full bg-accent transition-[width] duration-300 ease-out"
              style={{ width: `${(clamped / max) * 100}%` }}
            />
          ) : (
            <div className="absolute inset-y-0 left-0 w-2/5 animate-indeterminate rounded-full bg-accent" />
          )}
        </div>
        {onCancel && (
          <Button size="sm" variant="ghost" onClick={onCancel} loading={cancelling}>
            {cancelLabel}
          </Button>
        )}
      </div>
      {detail && <div className="text-sm text-fg-subtle tabular-nums">{detail}</div>}
    </div>
  );
}
