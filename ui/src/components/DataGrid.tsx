import { hashKey, useInfiniteQuery } from '@tanstack/react-query';
import {
  createColumnHelper,
  flexRender,
  metaHelper,
  tableFeatures,
  useTable,
  type ColumnDef,
  type Header,
  type Row,
  type RowData,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { cn } from '../lib/cn';
import { errorMessage } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { Button } from './Button';
import { EmptyState } from './EmptyState';
import { QueryErrorState } from './ErrorState';
import { ariaSort, SortIndicator } from './SortIndicator';
import { Skeleton } from './Skeleton';
import { Spinner } from './Spinner';

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

export type SortDir = 'asc' | 'desc';
export type GridSort = { key: string; dir: SortDir };

/** What the grid asks the core for: one keyset page. `after` is the previous page's `next_cursor`. */
export type PageRequest = { sort: string; dir: SortDir; after: string | null; limit: number };
/** One page from the core. `next_cursor: null` means there are no more rows. */
export type Page<T> = { items: T[]; next_cursor: string | null };

/** Per-column options, set as `meta` on a column definition. */
export type DataGridColumnMeta = {
  /** The server's name for sorting by this column. Without it the header is not sortable. */
  sortKey?: string;
  /** Direction of the first click on this header. Default 'asc' ('desc' suits dates and amounts). */
  firstSortDir?: SortDir;
  /** Minimum width in px (default 140). Columns share the extra space in proportion to it. */
  width?: number;
  /** 'end' for amounts and counts. */
  align?: 'start' | 'center' | 'end';
  /** Tabular figures, so digits line up (money, quantities, ids). */
  numeric?: boolean;
};

/** The feature set of every DataGrid table: core only (sorting and filtering happen in the core). */
export const gridFeatures = tableFeatures({ columnMeta: metaHelper<DataGridColumnMeta>() });
export type GridFeatures = typeof gridFeatures;

// Column value types differ per column; TanStack's own column arrays use `any` here too.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DataGridColumn<T extends RowData> = ColumnDef<GridFeatures, T, any>;

/**
 * Typed column builder: `const col = gridColumnHelper<Order>();`
 * `const columns = col.columns([col.accessor('number', { header: 'Order', meta: { sortKey: 'number' } })])`.
 * Define columns at module scope (or memoize them): a new array re-creates the table.
 * Cells read their row through `info.row.original` / `info.getValue()`; `info.row.index` counts
 * from the first rendered row, not from the top of the list (only the visible window is modelled).
 */
export function gridColumnHelper<T extends RowData>() {
  return createColumnHelper<GridFeatures, T>();
}

export type DataGridProps<T extends RowData> = {
  columns: readonly DataGridColumn<T>[];
  /** Loads one page. Receives an AbortSignal that fires when the page is no longer wanted. */
  fetchPage: (request: PageRequest, signal: AbortSignal) => Promise<Page<T>>;
  /** Identifies the data set (screen, filters, search). A change resets the grid. */
  queryKey: readonly unknown[];
  /** A stable, unique key per row (its id). */
  rowKey: (row: T) => string;
  /** Initial sort. Default: the first sortable column, in its first direction. */
  defaultSort?: GridSort;
  /** Controlled sort (e.g. kept in the URL), with onSortChange. */
  sort?: GridSort;
  onSortChange?: (sort: GridSort) => void;
  /** Rows per request. Default 100. */
  pageSize?: number;
  /** Enter or double-click on a row (and a single click with `openOnClick`). */
  onRowOpen?: (row: T) => void;
  /** A single click opens the row too (master-detail screens with a side panel). */
  openOnClick?: boolean;
  /** The row whose details are shown elsewhere (a side panel): marked `aria-current`. */
  selectedKey?: string | null;
  /** The focusable grid element, e.g. to give focus back when a side panel closes. */
  gridRef?: Ref<HTMLDivElement>;
  /** The row under the keyboard cursor changed. */
  onActiveRowChange?: (row: T | null) => void;
  /** Shown when the first page has no rows. */
  emptyState?: ReactNode;
  /** Row height in px. Default 36. */
  rowHeight?: number;
  /** The grid's accessible name ('Orders'). */
  'aria-label': string;
  'data-testid'?: string;
  className?: string;
};

// ---------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------

const NO_ROWS: never[] = [];
const DEFAULT_WIDTH = 140;
const PREFETCH_ROWS = 30;
const SKELETON_ROWS = 10;

type GridRowModel<T extends RowData> = Row<GridFeatures, T>;

function metaOf<T extends RowData>(column: { columnDef: DataGridColumn<T> }): DataGridColumnMeta {
  return column.columnDef.meta ?? {};
}

const alignClass = {
  start: 'justify-start text-left',
  center: 'justify-center text-center',
  end: 'justify-end text-right',
};

function cellClass(meta: DataGridColumnMeta) {
  return cn(
    'flex min-w-0 items-center px-3',
    alignClass[meta.align ?? 'start'],
    meta.numeric && 'tabular-nums',
  );
}

function firstSort<T extends RowData>(columns: readonly DataGridColumn<T>[]): GridSort {
  for (const column of columns) {
    const { sortKey, firstSortDir } = column.meta ?? {};
    if (sortKey) return { key: sortKey, dir: firstSortDir ?? 'asc' };
  }
  return { key: '', dir: 'asc' };
}

type GridRowProps<T extends RowData> = {
  row: GridRowModel<T>;
  /** Only compared: the cells change when the column definitions do. */
  columns: readonly DataGridColumn<T>[];
  id: string;
  index: number;
  top: number;
  height: number;
  template: string;
  active: boolean;
  selected: boolean;
};

function GridRowInner<T extends RowData>({
  row,
  id,
  index,
  top,
  height,
  template,
  active,
  selected,
}: GridRowProps<T>) {
  const style: CSSProperties = { height, transform: `translateY(${top}px)`, gridTemplateColumns: template };
  return (
    <div
      role="row"
      id={id}
      aria-rowindex={index + 2}
      aria-selected={active}
      data-row-key={row.id}
      data-active={active || undefined}
      aria-current={selected || undefined}
      data-index={index}
      style={style}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default border-b border-line text-base text-fg',
        active ? 'bg-accent-soft' : selected ? 'bg-raised' : 'hover:bg-raised',
        selected && 'shadow-[inset_2px_0_0_var(--color-accent)]',
      )}
    >
      {row.getAllCells().map((cell) => (
        <div
          key={cell.id}
          role="gridcell"
          data-col={cell.column.id}
          className={cellClass(metaOf(cell.column))}
        >
          <span className="truncate">{flexRender(cell.column.columnDef.cell, cell.getContext())}</span>
        </div>
      ))}
    </div>
  );
}

// Row objects are rebuilt whenever the window moves; a row re-renders only when what it shows changed.
const GridRow = memo(
  GridRowInner,
  (a, b) =>
    a.row.original === b.row.original &&
    a.columns === b.columns &&
    a.id === b.id &&
    a.index === b.index &&
    a.top === b.top &&
    a.height === b.height &&
    a.template === b.template &&
    a.active === b.active &&
    a.selected === b.selected,
) as typeof GridRowInner;

function HeaderCell<T extends RowData>({
  header,
  sort,
  onSort,
}: {
  header: Header<GridFeatures, T>;
  sort: GridSort;
  onSort: (meta: DataGridColumnMeta) => void;
}) {
  const meta = metaOf(header.column);
  const content = header.isPlaceholder
    ? null
    : flexRender(header.column.columnDef.header, header.getContext());
  const sorted = meta.sortKey !== undefined && meta.sortKey === sort.key ? sort.dir : null;
  return (
    <div
      role="columnheader"
      aria-sort={meta.sortKey ? ariaSort(sorted) : undefined}
      className={cn(cellClass(meta), 'text-sm font-medium text-fg-subtle')}
    >
      {meta.sortKey ? (
        <button
          type="button"
          onClick={() => onSort(meta)}
          className={cn(
            '-mx-1.5 inline-flex min-w-0 items-center gap-1 rounded-sm px-1.5 py-0.5 hover:bg-raised hover:text-fg',
            sorted && 'text-fg',
            meta.align === 'end' && 'flex-row-reverse',
          )}
        >
          <span className="truncate">{content}</span>
          <SortIndicator dir={sorted} />
        </button>
      ) : (
        <span className="truncate">{content}</span>
      )}
    </div>
  );
}

/**
 * A virtualised, keyboard-driven grid over keyset-paginated data served by the core.
 * Sorting is done by the server: a click on a sortable header refetches from the first page.
 */
export function DataGrid<T extends RowData>({
  columns,
  fetchPage,
  queryKey,
  rowKey,
  defaultSort,
  sort: sortProp,
  onSortChange,
  pageSize = 100,
  onRowOpen,
  openOnClick = false,
  selectedKey = null,
  gridRef,
  onActiveRowChange,
  emptyState,
  rowHeight = 36,
  'aria-label': ariaLabel,
  'data-testid': testId,
  className,
}: DataGridProps<T>) {
  const gridId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerHeight = rowHeight;
  const setScrollElement = useCallback(
    (el: HTMLDivElement | null) => {
      scrollRef.current = el;
      if (typeof gridRef === 'function') gridRef(el);
      else if (gridRef) gridRef.current = el;
    },
    [gridRef],
  );

  const [sortState, setSortState] = useState<GridSort>(() => defaultSort ?? firstSort(columns));
  const sort = sortProp ?? sortState;

  const query = useInfiniteQuery({
    queryKey: [...queryKey, { sort: sort.key, dir: sort.dir, limit: pageSize }],
    queryFn: ({ pageParam, signal }) =>
      fetchPage({ sort: sort.key, dir: sort.dir, after: pageParam, limit: pageSize }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const { data, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;

  const rows: T[] = useMemo(() => data?.pages.flatMap((page) => page.items) ?? NO_ROWS, [data]);

  // The active row belongs to one data set: a new query key or sort starts without one.
  const resetKey = hashKey([...queryKey, sort.key, sort.dir, pageSize]);
  const [active, setActive] = useState({ resetKey, index: -1 });
  const activeIndex = active.resetKey === resetKey ? Math.min(active.index, rows.length - 1) : -1;

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);

  // The virtualizer returns functions that must not be memoized; this component reads them in
  // render on purpose and is not compiled by the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
    // React 19 warns about flushSync inside lifecycle methods; batched updates are smooth enough.
    useFlushSync: false,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems.at(-1)?.index ?? -1;

  // Only the rendered window of rows goes through TanStack Table. Building its row model for
  // all loaded rows costs O(rows) on every appended page (≈100 ms at 100,000 rows).
  const windowStart = virtualItems[0]?.index ?? 0;
  const windowRows = useMemo(
    () => rows.slice(windowStart, lastVisible + 1),
    [rows, windowStart, lastVisible],
  );
  const table = useTable({
    features: gridFeatures,
    columns: columns as DataGridColumn<T>[],
    data: windowRows,
    getRowId: (row) => rowKey(row),
  });
  const tableRows = table.getRowModel().rows;
  const headers = table.getFlatHeaders().filter((h) => h.subHeaders.length === 0);

  const widths = headers.map((h) => metaOf(h.column).width ?? DEFAULT_WIDTH);
  const template = widths.map((w) => `minmax(${w}px, ${w}fr)`).join(' ');
  const minWidth = widths.reduce((a, b) => a + b, 0);

  // Fetch the next page as the user nears the end of what is loaded.
  useEffect(() => {
    if (
      rows.length > 0 &&
      lastVisible >= rows.length - PREFETCH_ROWS &&
      hasNextPage &&
      !isFetchingNextPage &&
      !isFetchNextPageError
    ) {
      void fetchNextPage();
    }
  }, [lastVisible, rows.length, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  const activeRow = activeIndex >= 0 ? rows[activeIndex] : undefined;
  const lastReported = useRef<T | null | undefined>(undefined);
  useEffect(() => {
    const row = activeRow ?? null;
    if (lastReported.current !== row) {
      lastReported.current = row;
      onActiveRowChange?.(row);
    }
  }, [activeRow, onActiveRowChange]);

  const changeSort = (meta: DataGridColumnMeta) => {
    if (!meta.sortKey) return;
    const next: GridSort =
      sort.key === meta.sortKey
        ? { key: sort.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' }
        : { key: meta.sortKey, dir: meta.firstSortDir ?? 'asc' };
    if (sortProp === undefined) setSortState(next);
    onSortChange?.(next);
  };

  const moveTo = (index: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(index, rows.length - 1));
    setActive({ resetKey, index: next });
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const openIndex = (index: number) => {
    const row = rows[index];
    if (row !== undefined) onRowOpen?.(row);
  };

  // One pair of handlers for all rows (rows are memoized and must not get new props per render).
  const indexOf = (target: EventTarget) =>
    target instanceof Element ? Number(target.closest('[data-index]')?.getAttribute('data-index') ?? -1) : -1;
  const onBodyClick = (event: MouseEvent) => {
    const index = indexOf(event.target);
    if (index < 0) return;
    setActive({ resetKey, index });
    if (openOnClick) openIndex(index);
  };
  const onBodyDoubleClick = (event: MouseEvent) => {
    const index = indexOf(event.target);
    if (index >= 0 && !openOnClick) openIndex(index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed in a header button or a control inside a cell are theirs.
    if (event.target !== event.currentTarget) return;
    const viewport = scrollRef.current?.clientHeight ?? 0;
    const pageRows = Math.max(1, Math.floor((viewport - headerHeight) / rowHeight) - 1);
    const from = activeIndex;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(from + 1);
        break;
      case 'ArrowUp':
        moveTo(from < 0 ? 0 : from - 1);
        break;
      case 'PageDown':
        moveTo(from + pageRows);
        break;
      case 'PageUp':
        moveTo(from - pageRows);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
        break;
      case 'Enter':
        if (from < 0) return;
        openIndex(from);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const rowId = (index: number) => `${gridId}-row-${index}`;
  const activeRendered = activeIndex >= 0 && virtualItems.some((v) => v.index === activeIndex);
  const firstLoad = query.isPending;
  const failed = query.isError && !isFetchNextPageError;
  const empty = query.isSuccess && rows.length === 0;
  const headerStyle: CSSProperties = { height: headerHeight, gridTemplateColumns: template };

  let body: ReactNode;
  if (firstLoad) {
    body = (
      <div role="rowgroup" aria-hidden="true">
        {Array.from({ length: SKELETON_ROWS }, (_, i) => (
          <div
            key={i}
            className="grid items-center border-b border-line"
            style={{ height: rowHeight, gridTemplateColumns: template }}
          >
            {headers.map((h, j) => (
              <div key={h.id} className="px-3">
                <Skeleton className={(i + j) % 3 === 0 ? 'w-3/4' : (i + j) % 3 === 1 ? 'w-1/2' : 'w-2/3'} />
              </div>
            ))}
          </div>
        ))}
      </div>
    );
  } else if (failed || empty) {
    body = (
      <div role="rowgroup">
        <div role="row">
          <div role="gridcell" aria-colspan={headers.length} className="sticky left-0">
            {failed ? (
              <QueryErrorState query={query} />
            ) : (
              (emptyState ?? <EmptyState title="Nothing to show" description="No rows match this view." />)
            )}
          </div>
        </div>
      </div>
    );
  } else {
    body = (
      <div
        role="rowgroup"
        className="relative"
        style={{ height: virtualizer.getTotalSize() }}
        onClick={onBodyClick}
        onDoubleClick={onBodyDoubleClick}
      >
        {virtualItems.map((item) => {
          const row = tableRows[item.index - windowStart];
          if (!row) return null;
          return (
            <GridRow
              key={row.id}
              row={row}
              columns={columns}
              id={rowId(item.index)}
              index={item.index}
              top={item.start - headerHeight}
              height={rowHeight}
              template={template}
              active={item.index === activeIndex}
              selected={selectedKey !== null && row.id === selectedKey}
            />
          );
        })}
      </div>
    );
  }

  return (
    <div
      className={cn(
        'flex min-h-0 flex-col overflow-hidden rounded-lg border border-line bg-surface',
        // The focus ring goes around the whole grid: on the scroller the sticky header would hide it.
        'has-[[role=grid]:focus-visible]:outline-2 has-[[role=grid]:focus-visible]:outline-offset-1',
        'has-[[role=grid]:focus-visible]:outline-accent',
        className,
      )}
    >
      <div
        ref={setScrollElement}
        role="grid"
        aria-label={ariaLabel}
        aria-rowcount={hasNextPage || firstLoad ? -1 : rows.length + 1}
        aria-colcount={headers.length}
        aria-busy={firstLoad || undefined}
        aria-activedescendant={activeRendered ? rowId(activeIndex) : undefined}
        data-testid={testId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="relative min-h-0 flex-1 overflow-auto focus-visible:outline-none"
      >
        <div style={{ minWidth }}>
          <div role="rowgroup" className="sticky top-0 z-10">
            <div
              role="row"
              aria-rowindex={1}
              className="grid border-b border-line bg-canvas"
              style={headerStyle}
            >
              {headers.map((header) => (
                <HeaderCell key={header.id} header={header} sort={sort} onSort={changeSort} />
              ))}
            </div>
          </div>
          {body}
        </div>
      </div>
      <div className="flex h-8 shrink-0 items-center gap-3 border-t border-line px-3 text-sm text-fg-subtle">
        <span className="tabular-nums">
          {firstLoad
            ? 'Loading…'
            : `${formatNumber(rows.length)} ${rows.length === 1 ? 'row' : 'rows'} loaded`}
        </span>
        {isFetchingNextPage && (
          <span role="status" className="inline-flex items-center gap-1.5">
            <Spinner size={12} />
            Loading more…
          </span>
        )}
        {isFetchNextPageError && (
          <span role="alert" className="inline-flex min-w-0 items-center gap-2 text-danger-text">
            <span className="truncate">Could not load more rows: {errorMessage(query.error)}</span>
            <Button size="sm" variant="ghost" onClick={() => void fetchNextPage()}>
              Retry
            </Button>
          </span>
        )}
      </div>
    </div>
  );
}
