import { cn } from '../lib/cn';

/** A placeholder block while content loads. Size it with classes (h-4 w-24...). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn('h-3.5 animate-pulse rounded-sm bg-raised', className)} />;
}

/** Placeholder rows for a table while it loads: a name and a few figures per row. */
export function TableSkeleton({ label, rows = 5 }: { label: string; rows?: number }) {
  return (
    <div className="flex flex-col gap-3 p-4" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex gap-4">
          <Skeleton className="w-40" />
          <Skeleton className="ml-auto w-20" />
          <Skeleton className="w-20" />
          <Skeleton className="w-20" />
        </div>
      ))}
    </div>
  );
}
