import type { ReactNode } from 'react';

/** Where an export was written: `children` say what it was, then the file's path in full. */
export function ExportedFile({
  path,
  children,
  'data-testid': testId,
}: {
  path: string;
  children: ReactNode;
  'data-testid'?: string;
}) {
  return (
    <p data-testid={testId} className="w-full text-sm text-fg-muted">
      {children} <span className="font-mono break-all text-fg">{path}</span>
    </p>
  );
}
