import type { ReactNode } from 'react';

/** A key figure in a card: a label, a large value and an optional line under it. */
export function Kpi({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="min-w-0 rounded-lg border border-line bg-surface px-4 py-3 shadow-xs">
      <div className="text-sm text-fg-subtle">{label}</div>
      <div data-testid={testId} className="mt-1 truncate text-2xl font-semibold tracking-tight tabular-nums">
        {value}
      </div>
      {detail && <div className="mt-0.5 truncate text-sm text-fg-subtle">{detail}</div>}
    </div>
  );
}
