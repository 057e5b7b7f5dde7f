import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { commands, type Variant } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { MinusIcon, PlusIcon } from '../../components/icons';
import { Input } from '../../components/Input';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatMoney, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** Whole units, positive or negative, not zero: '5', '-3', '+2'. */
function parseDelta(text: string): number | null {
  const t = text.trim().replace(/^\+/, '').replace(/^−/, '-');
  if (!/^-?\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n === 0 ? null : n;
}

function StockControls({ productId, variant }: { productId: string; variant: Variant }) {
  const client = useQueryClient();
  const inputId = useId();
  const [by, setBy] = useState('');
  const [invalid, setInvalid] = useState(false);

  const adjust = useMutation({
    mutationFn: (delta: number) => unwrap(commands.adjustStock(productId, variant.id, delta)),
    onSuccess: (stock) => {
      client.setQueryData<Variant[]>(queryKeys.productVariants(productId), (old) =>
        old?.map((v) => (v.id === variant.id ? { ...v, stock_on_hand: stock } : v)),
      );
      void client.invalidateQueries({ queryKey: ['products', 'list'] });
    },
    onError: (e) => toast.error(errorMessage(e), { description: `Stock of ${variant.sku} is unchanged.` }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const delta = parseDelta(by);
    if (delta === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    adjust.mutate(delta, { onSuccess: () => setBy('') });
  };

  return (
    <div className="mt-2 flex flex-wrap items-center gap-1.5">
      <Button
        size="sm"
        aria-label={`Remove one ${variant.sku}`}
        title="Remove one"
        data-testid="stock-remove"
        icon={<MinusIcon size={12} />}
        disabled={adjust.isPending || variant.stock_on_hand <= 0}
        onClick={() => adjust.mutate(-1)}
      >
        1
      </Button>
      <Button
        size="sm"
        aria-label={`Add one ${variant.sku}`}
        title="Add one"
        data-testid="stock-add"
        icon={<PlusIcon size={12} />}
        disabled={adjust.isPending}
        onClick={() => adjust.mutate(1)}
      >
        1
      </Button>
      <form onSubmit={submit} className="ml-auto flex items-center gap-1.5">
        <label htmlFor={inputId} className="text-sm text-fg-subtle">
          Adjust by
        </label>
        <Input
          id={inputId}
          inputMode="numeric"
          placeholder="±N"
          value={by}
          invalid={invalid}
          title="Whole units: 12 adds, -3 removes"
          data-testid="stock-delta"
          onChange={(e) => {
            setBy(e.target.value);
            setInvalid(false);
          }}
          className="h-7 w-16 text-right tabular-nums"
        />
        <Button size="sm" type="submit" loading={adjust.isPending} data-testid="stock-apply">
          Apply
        </Button>
      </form>
    </div>
  );
}

/**
 * A product's variants with their stock. With `editable`, each has −1 / +1 and an
 * 'adjust by N' field; the number shown is the one the core returns.
 */
export function Variants({ productId, editable }: { productId: string; editable: boolean }) {
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
          </div>
          {editable && <StockControls productId={productId} variant={v} />}
        </li>
      ))}
    </ul>
  );
}
