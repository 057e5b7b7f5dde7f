import type { ReactNode } from 'react';
import { cn } from '../lib/cn';
import { InboxIcon } from './icons';

export type EmptyStateProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Default: an inbox. */
  icon?: ReactNode;
  /** A button to create the first item or clear filters. */
  action?: ReactNode;
  className?: string;
};

export function EmptyState({ title, description, icon, action, className }: EmptyStateProps) {
  return (
    <div className={cn('flex flex-col items-center justify-center gap-2 px-6 py-12 text-center', className)}>
      <div className="mb-1 flex size-10 items-center justify-center rounded-lg bg-raised text-fg-subtle">
        {icon ?? <InboxIcon size={20} />}
      </div>
      <p className="text-md font-medium text-fg">{title}</p>
      {description && <p className="max-w-sm text-base text-fg-subtle">{description}</p>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
