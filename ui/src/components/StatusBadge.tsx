import type { ReactNode } from 'react';
import { Badge, type BadgeTone } from './Badge';

/**
 * A status as a dotted badge: its tone and label come from the screen's `tones` and `labels`
 * (`children` replaces the label, e.g. to give it a test id).
 */
export function StatusBadge<S extends string>({
  status,
  labels,
  tones,
  children,
}: {
  status: S;
  labels: Record<S, string>;
  tones: Record<S, BadgeTone>;
  children?: ReactNode;
}) {
  return (
    <Badge tone={tones[status]} dot>
      {children ?? labels[status]}
    </Badge>
  );
}
