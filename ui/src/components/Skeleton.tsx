import { cn } from '../lib/cn';

/** A placeholder block while content loads. Size it with classes (h-4 w-24...). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn('h-3.5 animate-pulse rounded-sm bg-raised', className)} />;
}
