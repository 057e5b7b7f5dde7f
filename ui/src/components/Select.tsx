import type { ComponentProps } from 'react';
import { cn } from '../lib/cn';
import { ChevronDownIcon } from './icons';
import { controlClasses } from './Input';

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type SelectProps = Omit<ComponentProps<'select'>, 'children'> & {
  options: readonly SelectOption[];
  /** A first, empty choice ('Any status'). */
  placeholder?: string;
  invalid?: boolean;
};

/** A native <select>: the platform's own keyboard handling, type-ahead and accessibility. */
export function Select({ options, placeholder, invalid, className, ...props }: SelectProps) {
  return (
    <div className={cn('relative', className)}>
      <select
        className={cn(controlClasses, 'cursor-pointer appearance-none pr-8')}
        aria-invalid={invalid || undefined}
        {...props}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2 text-fg-subtle" />
    </div>
  );
}
