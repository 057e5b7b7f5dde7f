import { ArrowDownIcon, ArrowUpIcon, SortIcon } from './icons';

/** The direction a column is sorted in, or null when the list is not sorted by it. */
export type ColumnSortDir = 'asc' | 'desc' | null;

/** `aria-sort` of a sortable column header. */
export function ariaSort(dir: ColumnSortDir): 'ascending' | 'descending' | 'none' {
  return dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none';
}

/** The arrow after a sortable column's label: up, down, or a faint double arrow when unsorted. */
export function SortIndicator({ dir }: { dir: ColumnSortDir }) {
  if (dir === 'asc') return <ArrowUpIcon size={12} />;
  if (dir === 'desc') return <ArrowDownIcon size={12} />;
  return <SortIcon size={12} className="opacity-40" />;
}
