import { useCallback, useRef, useState } from 'react';
import type { Page, PageRequest } from '../bindings';
import type { PageRequest as GridPageRequest } from '../components/DataGrid';
import { type CommandResult, unwrap } from './ipc';
import { pageRequest } from './paging';

/**
 * The grid's `fetchPage` for a list command: the current `filter` and the grid's page request
 * (sort checked against `sorts`, `fallback` otherwise). `list` must be stable (module level).
 */
export function usePagedList<F, S extends string, T, E>(
  filter: F,
  list: (filter: F, page: PageRequest<S>) => Promise<CommandResult<Page<T>, E>>,
  sorts: readonly S[],
  fallback: S,
) {
  return useCallback(
    (request: GridPageRequest) => unwrap(list(filter, pageRequest(request, sorts, fallback))),
    [filter, list, sorts, fallback],
  );
}

/**
 * The row a list screen shows in its side panel: `open` (null when none), and the grid props
 * that open a row on click and mark it. `close` empties the panel and gives focus back to the grid.
 */
export function useOpenRow<R extends { id: string }>() {
  const [open, setOpen] = useState<R | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => {
    setOpen(null);
    gridRef.current?.focus();
  }, []);
  const gridProps = {
    gridRef,
    openOnClick: true,
    selectedKey: open?.id ?? null,
    onRowOpen: setOpen,
  };
  return { open, setOpen, close, gridProps };
}
