import type { ReactNode } from 'react';
import { cn } from '../lib/cn';

export type CheckboxProps = {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** The words beside the box; clicking them toggles it too. */
  children: ReactNode;
  'data-testid'?: string;
  className?: string;
};

/** A checkbox with its label, in the app's accent colour. */
export function Checkbox({ checked, onChange, children, className, ...rest }: CheckboxProps) {
  return (
    <label className={cn('flex items-center gap-2 text-base', className)}>
      <input
        type="checkbox"
        data-testid={rest['data-testid']}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-4 accent-accent"
      />
      {children}
    </label>
  );
}
