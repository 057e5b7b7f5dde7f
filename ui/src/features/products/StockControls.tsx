import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { commands, type StockMovementKind, type Variant } from '../../bindings';
import { Button } from '../../components/Button';
import { MinusIcon, PlusIcon } from '../../components/icons';
import { Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** Whole units, positive or negative, not zero: '5', '-3', '+2'. */
export function parseDelta(text: string): number | null {
  const t = text.trim().replace(/^\+/, '').replace(/^−/, '-');
  if (!/^-?\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n === 0 ? null : n;
}

type Change = { delta: number; reason: StockMovementKind; note: string | null };

/**
 * A stock change recorded with its reason (received, counted, damaged …) and an optional
 * note: −1 / +1 and an 'adjust by N' field. The reasons and which way each goes come from
 * the core; the number shown afterwards is the one it returns.
 */
export function StockControls({ productId, variant }: { productId: string; variant: Variant }) {
  const client = useQueryClient();
  const inputId = useId();
  const [by, setBy] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState<StockMovementKind>('received');
  const [invalid, setInvalid] = useState(false);
  const reasons = useQuery({
    queryKey: queryKeys.stockReasons,
    queryFn: () => unwrap(commands.stockReasons()),
    staleTime: Infinity,
  });
  const chosen = reasons.data?.find((r) => r.kind === reason);

  const adjust = useMutation({
    mutationFn: (c: Change) => unwrap(commands.adjustStock(productId, variant.id, c.delta, c.reason, c.note)),
    onSuccess: (stock) => {
      client.setQueryData<Variant[]>(queryKeys.productVariants(productId), (old) =>
        old?.map((v) => (v.id === variant.id ? { ...v, stock_on_hand: stock } : v)),
      );
      void client.invalidateQueries({ queryKey: ['products', 'list'] });
      void client.invalidateQueries({ queryKey: ['products', 'stock-history', variant.id] });
    },
    onError: (e) => toast.error(errorMessage(e), { description: `Stock of ${variant.sku} is unchanged.` }),
  });

  const send = (delta: number) =>
    adjust.mutate(
      { delta, reason, note: note.trim() === '' ? null : note.trim() },
      {
        onSuccess: () => {
          setBy('');
          setNote('');
        },
      },
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const delta = parseDelta(by);
    if (delta === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    send(delta);
  };

  return (
    <form onSubmit={submit} className="mt-2 flex flex-wrap items-center gap-1.5">
      <Select
        aria-label={`Why the stock of ${variant.sku} changes`}
        data-testid="stock-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value as StockMovementKind)}
        options={(reasons.data ?? []).map((r) => ({ value: r.kind, label: r.label }))}
        className="w-36"
      />
      <Button
        size="sm"
        aria-label={`Remove one ${variant.sku}`}
        title="Remove one"
        data-testid="stock-remove"
        icon={<MinusIcon size={12} />}
        disabled={adjust.isPending || variant.stock_on_hand <= 0 || chosen?.direction === 'in'}
        onClick={() => send(-1)}
      >
        1
      </Button>
      <Button
        size="sm"
        aria-label={`Add one ${variant.sku}`}
        title="Add one"
        data-testid="stock-add"
        icon={<PlusIcon size={12} />}
        disabled={adjust.isPending || chosen?.direction === 'out'}
        onClick={() => send(1)}
      >
        1
      </Button>
      <label htmlFor={inputId} className="ml-auto text-sm text-fg-subtle">
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
      <Input
        aria-label={`Note on the change of ${variant.sku}`}
        placeholder="Note (optional)"
        value={note}
        maxLength={500}
        data-testid="stock-note"
        onChange={(e) => setNote(e.target.value)}
        className="h-7 w-40"
      />
      <Button size="sm" type="submit" loading={adjust.isPending} data-testid="stock-apply">
        Apply
      </Button>
    </form>
  );
}
