import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type StockMovement, type StockMovementKind } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { cn } from '../../lib/cn';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

const KINDS: { value: StockMovementKind; label: string }[] = [
  { value: 'received', label: 'Received' },
  { value: 'returned', label: 'Returned' },
  { value: 'counted', label: 'Counted' },
  { value: 'found', label: 'Found' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'lost', label: 'Lost' },
  { value: 'correction', label: 'Correction' },
  { value: 'opening', label: 'Opening' },
  { value: 'sold', label: 'Sold' },
  { value: 'reserved', label: 'Reserved' },
  { value: 'released', label: 'Released' },
  { value: 'cancelled', label: 'Cancelled' },
];

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

function Row({ m }: { m: StockMovement }) {
  const label = KINDS.find((k) => k.value === m.kind)?.label ?? m.kind;
  const about = [m.order_number, m.note, m.actor_name].filter(Boolean).join(' · ');
  return (
    <tr className="border-t border-line" data-testid="stock-movement" data-kind={m.kind}>
      <td className="py-1 pr-2 whitespace-nowrap text-fg-subtle">{formatDateTime(m.created_at)}</td>
      <td className="py-1 pr-2">
        <Badge tone={m.on_hand_delta < 0 ? 'warning' : 'neutral'}>{label}</Badge>
      </td>
      <td
        className={cn(
          'py-1 pr-2 text-right tabular-nums',
          m.on_hand_delta < 0 ? 'text-danger-text' : 'text-success',
        )}
      >
        {m.on_hand_delta !== 0 ? signed(m.on_hand_delta) : ''}
        {m.reserved_delta !== 0 && <span className="text-fg-subtle"> ({signed(m.reserved_delta)} held)</span>}
      </td>
      <td className="py-1 pr-2 text-right font-medium tabular-nums">{m.on_hand_after ?? '—'}</td>
      <td className="py-1 truncate text-fg-subtle" title={about}>
        {about}
      </td>
    </tr>
  );
}

/** A variant's stock movements, newest first, with what each left; filtered and paged in the core. */
export function StockHistory({ variantId }: { variantId: string }) {
  const [kind, setKind] = useState('');
  const list = useInfiniteQuery({
    queryKey: queryKeys.stockHistory(variantId, kind),
    queryFn: ({ pageParam }) =>
      unwrap(
        commands.stockHistory(variantId, kind === '' ? null : (kind as StockMovementKind), {
          sort: 'created_at',
          dir: 'desc',
          after: pageParam,
          limit: 20,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="mt-2 rounded-md bg-sunken p-2" data-testid="stock-history">
      <div className="mb-1 flex items-center justify-between gap-2">
        <span className="text-sm font-medium text-fg">Stock movements</span>
        <Select
          aria-label="Only movements of kind"
          placeholder="Every kind"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          options={KINDS}
          className="w-36"
        />
      </div>
      {list.isPending ? (
        <div aria-busy="true" aria-label="Loading stock movements" className="flex flex-col gap-1">
          <Skeleton className="w-full" />
          <Skeleton className="w-2/3" />
        </div>
      ) : list.isError ? (
        <QueryErrorState query={list} />
      ) : items.length === 0 ? (
        <EmptyState title="No movements" description="Nothing has moved this variant's stock yet." />
      ) : (
        <table className="w-full table-fixed text-sm">
          <thead>
            <tr className="text-left text-fg-subtle">
              <th className="w-36 font-normal">When</th>
              <th className="w-24 font-normal">Why</th>
              <th className="w-24 text-right font-normal">Units</th>
              <th className="w-16 text-right font-normal">On hand</th>
              <th className="pl-2 font-normal">Order · note · by</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <Row key={m.id} m={m} />
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <Button
          size="sm"
          variant="ghost"
          className="mt-1"
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          Older movements
        </Button>
      )}
    </div>
  );
}
