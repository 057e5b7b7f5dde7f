import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { formatHotkey } from '../lib/hotkeys';

export function Kbd({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <kbd
      className={cn(
        'inline-flex h-[18px] min-w-[18px] items-center justify-center rounded-sm border border-line-strong ' +
          'bg-surface px-1 font-sans text-xs font-medium text-fg-subtle shadow-[0_1px_0_var(--color-line)]',
        className,
      )}
    >
      {children}
    </kbd>
  );
}

/** The key caps of a shortcut string: `<Shortcut keys="mod+k" />`, `<Shortcut keys="g o" />`. */
export function Shortcut({ keys, className }: { keys: string; className?: string }) {
  return (
    <span className={cn('inline-flex items-center gap-0.5', className)}>
      {formatHotkey(keys).map((cap, i) => (
        <Kbd key={i}>{cap}</Kbd>
      ))}
    </span>
  );
}
