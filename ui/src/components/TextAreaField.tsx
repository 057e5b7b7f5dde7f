import { cn } from '../lib/cn';
import { controlClasses, Field } from './Input';

/** A labelled box of a few lines (a reason, a note), with its error under it. */
export function TextAreaField({
  label,
  error,
  value,
  onChange,
  maxLength,
  autoFocus,
  rows = 3,
  'data-testid': testId,
}: {
  label: string;
  error?: string;
  value: string;
  onChange: (text: string) => void;
  maxLength: number;
  autoFocus?: boolean;
  rows?: number;
  'data-testid'?: string;
}) {
  return (
    <Field label={label} error={error}>
      {(control) => (
        <textarea
          {...control}
          rows={rows}
          maxLength={maxLength}
          autoFocus={autoFocus}
          data-testid={testId}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={cn(controlClasses, 'h-auto py-1.5')}
        />
      )}
    </Field>
  );
}
