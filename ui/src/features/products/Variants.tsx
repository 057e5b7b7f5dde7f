import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { commands } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { StockControls } from './StockControls';
import { StockHistory } from './StockHistory';

/**
 * A product's variants with their stock and, on request, each one's movement history. With
 * `editable`, each has a reason, −1 / +1 and an 'adjust by N' field; the number shown is the
 * one the core returns.
 */
export function Variants({ productId, editable }: { productId: string; editable: boolean }) {
  const [history, setHistory] = useState<string | null>(null);
  const query = useQuery({
    queryKey: queryKeys.productVariants(productId),
    queryFn: () => unwrap(commands.productVariants(productId)),
  });

  if (query.isPending) {
    return (
      <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading variants">
        {[0, 1].map((i) => (
          <div key={i} className="flex flex-col gap-2 rounded-md border border-line p-3">
            <Skeleton className="w-1/2" />
            <Skeleton className="w-1/3" />
          </div>
        ))}
      </div>
    );
  }
  if (query.isError) {
    return <QueryErrorState query={query} />;
  }
  if (query.data.length === 0) {
    return <EmptyState title="No variants" description="This product has nothing to sell yet." />;
  }
  return (
    <ul className="flex flex-col gap-2">
      {query.data.map((v) => (
        <li key={v.id} className="rounded-md border border-line p-3" data-variant={v.sku}>
          <div className="flex items-baseline justify-between gap-3">
            <div className="min-w-0">
              <div className="truncate text-base font-medium text-fg">{v.name || v.sku}</div>
              <div className="font-mono text-sm text-fg-subtle">{v.sku}</div>
            </div>
            <div className="text-base tabular-nums">{formatMoney(v.price_minor, v.currency)}</div>
          </div>
          <div className="mt-2 flex items-baseline gap-4 text-sm text-fg-subtle">
            <span aria-live="polite">
              On hand{' '}
              <span data-testid="variant-stock" className="text-md font-semibold text-fg tabular-nums">
                {v.stock_on_hand}
              </span>
            </span>
            <span>
              Reserved <span className="text-fg-muted tabular-nums">{formatNumber(v.stock_reserved)}</span>
            </span>
            {v.low_on_stock && (
              <Badge tone="warning" dot>
                <span data-testid="variant-low">
                  Low stock (at or below {formatNumber(v.low_stock_threshold)})
                </span>
              </Badge>
            )}
            <Button
              size="sm"
              variant="ghost"
              className="ml-auto"
              aria-expanded={history === v.id}
              data-testid="stock-history-toggle"
              onClick={() => setHistory(history === v.id ? null : v.id)}
            >
              {history === v.id ? 'Hide movements' : 'Movements'}
            </Button>
          </div>
          {editable && <StockControls productId={productId} variant={v} />}
          {history === v.id && <StockHistory variantId={v.id} />}
        </li>
      ))}
    </ul>
  );
}
