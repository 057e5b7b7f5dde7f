import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type Customer, type ManualOrder, type ManualOrderTaken } from '../../bindings';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { controlClasses, Field } from '../../components/Input';
import { SearchInput } from '../../components/SearchInput';
import { Select } from '../../components/Select';
import { cn } from '../../lib/cn';
import { formatDateTime, formatMoney, parseMoney } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { REPORT_CURRENCIES } from '../revenue/RevenueFilters';

type Line = { variant_id: string; quantity: number; label: string };

const rowButton =
  'flex w-full items-center justify-between gap-3 rounded-md px-2 py-1.5 text-left text-sm hover:bg-raised ' +
  'focus-visible:bg-raised focus-visible:outline-none';

/** Picks the customer the order is for, searching in the core. */
function CustomerPicker({
  value,
  onChange,
}: {
  value: Customer | null;
  onChange: (c: Customer | null) => void;
}) {
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['customers', 'pick', search],
    queryFn: () =>
      unwrap(
        commands.listCustomers(
          { search: search === '' ? null : search, status: 'active', country: null },
          { sort: 'name', dir: 'asc', after: null, limit: 6 },
        ),
      ),
    enabled: value === null,
    placeholderData: keepPreviousData,
  });
  if (value) {
    return (
      <div className="flex items-center justify-between rounded-md border border-line px-3 py-2 text-sm">
        <span data-testid="manual-customer">
          <span className="font-medium">{value.display_name}</span>{' '}
          <span className="text-fg-muted">{value.email}</span>
        </span>
        <Button size="sm" onClick={() => onChange(null)} data-testid="manual-customer-change">
          Change
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      <SearchInput
        label="Find the customer"
        placeholder="Name or e-mail"
        shortcut={false}
        onSearch={setSearch}
        data-testid="manual-customer-search"
      />
      {found.isError && <InlineError error={found.error} title="Customers could not be searched" />}
      <div className="flex flex-col">
        {(found.data?.items ?? []).map((c) => (
          <button
            type="button"
            key={c.id}
            className={rowButton}
            onClick={() => onChange(c)}
            data-testid={`manual-customer-${c.id}`}
          >
            <span className="font-medium">{c.display_name}</span>
            <span className="text-fg-muted">{c.email}</span>
          </button>
        ))}
        {found.data && found.data.items.length === 0 && (
          <p className="px-2 py-1.5 text-sm text-fg-muted">No active customer matches.</p>
        )}
      </div>
    </div>
  );
}

/** Variants for sale in the currency, searched in the core; a click adds one unit. */
function VariantPicker({ currency, onAdd }: { currency: string; onAdd: (line: Line) => void }) {
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['products', 'sellable', currency, search],
    queryFn: () => unwrap(commands.sellableVariants(search, currency)),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="flex flex-col gap-1">
      <SearchInput
        label="Add a product"
        placeholder="SKU, product or vendor"
        shortcut={false}
        onSearch={setSearch}
        data-testid="manual-variant-search"
      />
      {found.isError && <InlineError error={found.error} title="Products could not be searched" />}
      <div className="flex max-h-44 flex-col overflow-y-auto">
        {(found.data ?? []).map((v) => (
          <button
            type="button"
            key={v.variant_id}
            className={rowButton}
            onClick={() =>
              onAdd({
                variant_id: v.variant_id,
                quantity: 1,
                label: `${v.product_name}${v.variant_name && v.variant_name !== v.product_name ? ` — ${v.variant_name}` : ''} (${v.sku})`,
              })
            }
            data-testid={`manual-variant-${v.sku}`}
          >
            <span>
              <span className="font-medium">{v.product_name}</span>{' '}
              <span className="text-fg-muted">
                {v.variant_name} · {v.sku} · {v.vendor_name}
              </span>
            </span>
            <span className="shrink-0 tabular-nums">
              {formatMoney(v.price_minor, v.currency)} <span className="text-fg-muted">· {v.free} free</span>
            </span>
          </button>
        ))}
        {found.data && found.data.length === 0 && (
          <p className="px-2 py-1.5 text-sm text-fg-muted">Nothing for sale in {currency} matches.</p>
        )}
      </div>
    </div>
  );
}

/** What happened once the order was taken: the link, or why it did not go out. */
function Taken({ taken, onClose }: { taken: ManualOrderTaken; onClose: () => void }) {
  const client = useQueryClient();
  const [link, setLink] = useState(taken.link);
  const resend = useMutation({
    mutationFn: () => unwrap(commands.sendPaymentLink(taken.order_id)),
    onSuccess: (l) => {
      setLink(l);
      void invalidateEntity(client, 'orders');
    },
  });
  return (
    <FormDialog
      title={`Order ${taken.number} taken`}
      description={`${formatMoney(taken.total_minor, taken.currency)} to pay; its units are held until it is paid or cancelled.`}
      submitLabel="Done"
      submitTestId="manual-done"
      cancelLabel="Close"
      pending={false}
      onSubmit={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={onClose}
    >
      {link ? (
        <div className="flex flex-col gap-2 text-sm" data-testid="manual-link">
          <p>
            Payment link mailed to <span className="font-medium">{link.mailed_to}</span>; it works until{' '}
            {formatDateTime(link.expires_at)}.
          </p>
          <div className="flex items-center gap-2">
            <code className="min-w-0 flex-1 truncate rounded bg-raised px-2 py-1">{link.url}</code>
            <CopyButton text={link.url} size="sm" label="Copy link" />
          </div>
        </div>
      ) : (
        <div className="flex flex-col gap-2">
          <InlineError
            error={resend.error ?? taken.link_error ?? 'no link'}
            title="The order is kept, but no payment link went out"
          />
          <Button onClick={() => resend.mutate()} loading={resend.isPending} data-testid="manual-resend">
            Send the link again
          </Button>
        </div>
      )}
    </FormDialog>
  );
}

/**
 * An order taken by hand for a customer who ordered by phone or e-mail. The core quotes it as the
 * database would write it (prices, free stock) while it is built, takes it with its units held, and
 * mails the customer a Stripe payment link.
 */
export function ManualOrderDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [currency, setCurrency] = useState(REPORT_CURRENCIES[0] ?? 'USD');
  const [lines, setLines] = useState<Line[]>([]);
  const [shipping, setShipping] = useState('');
  const shippingMinor = shipping.trim() === '' ? 0 : parseMoney(shipping, currency);
  const order: ManualOrder | null =
    customer && shippingMinor !== null && lines.length > 0
      ? {
          customer_id: customer.id,
          currency,
          lines: lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity })),
          shipping_minor: shippingMinor,
        }
      : null;
  const quote = useQuery({
    queryKey: ['orders', 'manual-quote', order],
    queryFn: () => unwrap(commands.quoteManualOrder(order as ManualOrder)),
    enabled: order !== null,
    placeholderData: keepPreviousData,
  });
  const take = useMutation({
    mutationFn: (o: ManualOrder) => unwrap(commands.takeManualOrder(o)),
    onSuccess: () => {
      void invalidateEntity(client, 'orders');
      void invalidateEntity(client, 'products');
    },
  });

  if (take.data) return <Taken taken={take.data} onClose={onClose} />;

  const add = (line: Line) =>
    setLines((ls) =>
      ls.some((l) => l.variant_id === line.variant_id)
        ? ls.map((l) => (l.variant_id === line.variant_id ? { ...l, quantity: l.quantity + 1 } : l))
        : [...ls, line],
    );
  const quoted = quote.data && !quote.data.refused ? quote.data : null;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (order && quoted) take.mutate(order);
  };

  return (
    <FormDialog
      title="New order by hand"
      description="For a customer who ordered by phone or e-mail: they pay through a Stripe link sent by mail."
      size="lg"
      submitLabel="Take order and send link"
      submitTestId="manual-take"
      submitDisabled={order === null || !quoted || quote.isFetching}
      pending={take.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <CustomerPicker value={customer} onChange={setCustomer} />
      <Field label="Currency">
        {(p) => (
          <Select
            {...p}
            value={currency}
            onChange={(e) => {
              setCurrency(e.target.value);
              setLines([]);
            }}
            options={REPORT_CURRENCIES.map((c) => ({ value: c, label: c }))}
            data-testid="manual-currency"
          />
        )}
      </Field>
      <VariantPicker currency={currency} onAdd={add} />
      {lines.length > 0 && (
        <table className="w-full text-sm" data-testid="manual-lines">
          <thead className="text-left text-fg-muted">
            <tr>
              <th className="py-1 font-medium">Product</th>
              <th className="w-20 py-1 font-medium">Units</th>
              <th className="w-28 py-1 text-right font-medium">Line total</th>
              <th className="w-8" />
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const q = quoted?.lines.find((x) => x.variant_id === l.variant_id);
              return (
                <tr key={l.variant_id} className="border-t border-line">
                  <td className="py-1 pr-2">{l.label}</td>
                  <td className="py-1">
                    <input
                      type="number"
                      min={1}
                      aria-label={`Units of ${l.label}`}
                      className={cn(controlClasses, 'h-7 w-16 px-2')}
                      value={l.quantity}
                      onChange={(e) => {
                        const n = Math.max(1, Math.floor(Number(e.target.value) || 1));
                        setLines((ls) =>
                          ls.map((x) => (x.variant_id === l.variant_id ? { ...x, quantity: n } : x)),
                        );
                      }}
                    />
                  </td>
                  <td className="py-1 text-right tabular-nums">
                    {q ? formatMoney(q.subtotal_minor, currency) : '—'}
                  </td>
                  <td className="py-1 text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Remove ${l.label}`}
                      onClick={() => setLines((ls) => ls.filter((x) => x.variant_id !== l.variant_id))}
                    >
                      ×
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Field
        label={`Shipping (${currency})`}
        error={shippingMinor === null ? 'Not an amount in this currency' : undefined}
      >
        {(p) => (
          <input
            {...p}
            className={controlClasses}
            inputMode="decimal"
            placeholder="0.00"
            value={shipping}
            onChange={(e) => setShipping(e.target.value)}
            data-testid="manual-shipping"
          />
        )}
      </Field>
      {quote.data?.refused && (
        <p role="alert" className="text-sm text-danger-text" data-testid="manual-refused">
          {quote.data.refused}
        </p>
      )}
      {quote.isError && <InlineError error={quote.error} title="The order could not be priced" />}
      {quoted && (
        <p className="text-right text-sm" data-testid="manual-total">
          Total{' '}
          <span className="font-semibold tabular-nums">{formatMoney(quoted.total_minor, currency)}</span>
        </p>
      )}
      {take.isError && <InlineError error={take.error} title="The order was not taken" />}
    </FormDialog>
  );
}
