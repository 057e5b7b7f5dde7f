import { cn } from '../lib/cn';
import { shortId } from '../lib/ids';

export type NameOrIdProps = {
  /** The name the core sent; empty when the reader may not see it. */
  name: string;
  /** The row's id, shown short (full on hover) when there is no name. */
  id: string | null;
  className?: string;
};

/** A vendor's, category's or person's name, or the short id when the core withholds the name. */
export function NameOrId({ name, id, className }: NameOrIdProps) {
  if (name !== '') {
    return (
      <span className={cn('truncate', className)} title={name}>
        {name}
      </span>
    );
  }
  return (
    <span className={cn('font-mono', className)} title={id ?? undefined}>
      {shortId(id)}
    </span>
  );
}
