import { useId } from 'react';
import { Input } from './Input';

/** A labelled date input, e.g. one end of a date range filter. */
export function DateInput({
  label,
  onChange,
  ...props
}: {
  label: string;
  'data-testid': string;
  value: string;
  min?: string;
  max?: string;
  invalid: boolean;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="text-sm text-fg-subtle">
        {label}
      </label>
      <Input id={id} type="date" {...props} onChange={(e) => onChange(e.target.value)} className="w-40" />
    </>
  );
}
