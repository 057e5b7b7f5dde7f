import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  commands,
  ORDER_AWAITING_FULFILMENT,
  ORDER_MOVED_BY,
  type OrderDetail,
  type OrderStatus,
  type Role,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryErrorState } from '../../components/ErrorState';
import { ChevronDownIcon } from '../../components/icons';
import { NameOrId } from '../../components/NameOrId';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { SimpleTable } from '../../components/SimpleTable';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';
import { PackDialog } from '../packing/PackDialog';
import { useMe } from '../session/session';
import { CancelDialog } from './CancelDialog';
import { customerLabel } from './customer';
import { OrderPaymentLink } from './OrderPaymentLink';
import { OrderRefunds } from './OrderRefunds';
import { OrderTimeline } from './OrderTimeline';
import { RefundDialog } from './RefundDialog';
import { ORDER_ACTION_LABELS, ORDER_DESTRUCTIVE, ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from './status';

function ItemsTable({ detail }: { detail: OrderDetail }) {
  const { currency } = detail.order;
  const money = (minor: number | null) => (minor === null ? '—' : formatMoney(minor, currency));
  // Logistics reads no prices: the core sends none, and the columns go.
  const priced = detail.items.some((i) => i.unit_price_minor !== null);
  const columns = [
    { label: 'Item', className: 'py-1.5 pr-2' },
    { label: 'Qty', className: priced ? 'px-2 py-1.5 text-right' : 'py-1.5 pl-2 text-right' },
  ];
  if (priced) {
    columns.push(
      { label: 'Unit', className: 'px-2 py-1.5 text-right' },
      { label: 'Subtotal', className: 'px-2 py-1.5 text-right' },
      { label: 'Commission', className: 'py-1.5 pl-2 text-right' },
    );
  }
  return (
    <SimpleTable columns={columns}>
      <tbody>
        {detail.items.map((item) => (
          <tr key={item.id} className="border-b border-line align-top last:border-b-0">
            <td className="py-2 pr-2">
              <div className="text-fg">{item.product_name}</div>
              <div className="text-sm text-fg-subtle">
                <span className="font-mono">{item.sku}</span> · {item.vendor_name === '' ? 'vendor ' : null}
                <NameOrId name={item.vendor_name} id={item.vendor_id} />
              </div>
            </td>
            <td className="px-2 py-2 text-right tabular-nums">{formatNumber(item.quantity)}</td>
            {priced && (
              <>
                <td className="px-2 py-2 text-right tabular-nums">{money(item.unit_price_minor)}</td>
                <td className="px-2 py-2 text-right tabular-nums">{money(item.subtotal_minor)}</td>
                <td className="py-2 pl-2 text-right text-fg-muted tabular-nums">
                  {money(item.commission_minor)}
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </SimpleTable>
  );
}

function Totals({ detail }: { detail: OrderDetail }) {
  const { currency } = detail.order;
  const rows: [string, number | null][] = [
    ['Subtotal', detail.subtotal_minor],
    ['Shipping', detail.shipping_minor],
    ['Tax', detail.tax_minor],
  ];
  // A vendor reads their own lines only: no shipping or tax, and their share as the total.
  const share = detail.shipping_minor === null;
  return (
    <dl className="ml-auto flex w-64 flex-col gap-1 text-base">
      {rows.map(([label, minor]) =>
        minor === null ? null : (
          <div key={label} className="flex justify-between gap-4">
            <dt className="text-fg-subtle">{label}</dt>
            <dd className="tabular-nums">{formatMoney(minor, currency)}</dd>
          </div>
        ),
      )}
      <div className="flex justify-between gap-4 border-t border-line pt-1">
        <dt className="font-medium">{share ? 'Your share' : 'Total'}</dt>
        <dd className="font-semibold tabular-nums">{formatMoney(detail.order.total_minor, currency)}</dd>
      </div>
    </dl>
  );
}

/** One order with its lines; admins and logistics move it along its lifecycle. */
export function OrderPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const canChange = (ORDER_MOVED_BY as readonly Role[]).includes(me.role);
  const canRefund = me.role === 'finance';
  const [target, setTarget] = useState<OrderStatus | null>(null);
  const [refunding, setRefunding] = useState(false);
  const [packing, setPacking] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  const query = useQuery({
    queryKey: queryKeys.orderDetail(id),
    queryFn: () => unwrap(commands.orderDetail(id)),
  });
  const detail = query.data;

  const change = useMutation({
    mutationFn: (vars: { version: number; status: OrderStatus }) =>
      unwrap(commands.setOrderStatus(id, vars.version, vars.status)),
    onSuccess: (version, { status }) => {
      client.setQueryData<OrderDetail>(queryKeys.orderDetail(id), (old) =>
        old ? { ...old, order: { ...old.order, status, version }, next: [] } : old,
      );
      void client.invalidateQueries({ queryKey: queryKeys.orderDetail(id) });
      void client.invalidateQueries({ queryKey: ['orders', 'list'] });
      void invalidateEntity(client, 'revenue');
      toast.success(
        `Order ${detail?.order.number ?? ''} is now ${ORDER_STATUS_LABELS[status].toLowerCase()}`,
      );
    },
  });

  const confirm = async () => {
    if (!detail || !target) return;
    try {
      await change.mutateAsync({ version: detail.order.version, status: target });
    } catch (e) {
      if (isErrorKind(e, 'conflict')) {
        toast.error(errorMessage(e), { description: 'The order has been reloaded: check it and try again.' });
        void query.refetch();
        void client.invalidateQueries({ queryKey: ['orders', 'list'] });
      } else {
        toast.error(errorMessage(e));
      }
    }
  };

  const next = detail?.next ?? [];

  return (
    <>
      <SidePanel
        data-testid="order-detail"
        className="w-[clamp(360px,45%,560px)]"
        focusKey={id}
        title={detail ? `Order ${detail.order.number}` : 'Order'}
        description={
          detail
            ? `${customerLabel(detail.order)} · placed ${formatDateTime(detail.order.placed_at)}`
            : undefined
        }
        onClose={onClose}
        footer={
          detail && (next.length > 0 || detail.cancellable) ? (
            <>
              {detail.cancellable && (
                <DropdownMenu.Root>
                  <DropdownMenu.Trigger asChild>
                    <Button size="sm" variant="ghost" className="mr-auto" disabled={change.isPending}>
                      More actions
                      <ChevronDownIcon size={12} />
                    </Button>
                  </DropdownMenu.Trigger>
                  <DropdownMenu.Portal>
                    <DropdownMenu.Content
                      align="start"
                      side="top"
                      sideOffset={6}
                      // The dialog takes focus; do not hand it back to the trigger.
                      onCloseAutoFocus={(event) => event.preventDefault()}
                      className="z-50 min-w-48 rounded-lg border border-line bg-surface p-1 text-fg shadow-popover motion-safe:animate-fade-in"
                    >
                      <DropdownMenu.Item
                        data-testid="order-action-cancel"
                        onSelect={() => setCancelling(true)}
                        className="flex h-8 cursor-default items-center rounded-md px-2 text-base text-danger-text outline-none select-none data-[highlighted]:bg-raised"
                      >
                        Cancel order…
                      </DropdownMenu.Item>
                    </DropdownMenu.Content>
                  </DropdownMenu.Portal>
                </DropdownMenu.Root>
              )}
              {next.map((s) => (
                <Button
                  key={s}
                  size="sm"
                  variant={s === 'shipped' ? 'primary' : 'secondary'}
                  data-testid={s === 'shipped' ? 'mark-shipped' : `order-action-${s}`}
                  onClick={() => setTarget(s)}
                  disabled={change.isPending}
                >
                  {ORDER_ACTION_LABELS[s]}
                </Button>
              ))}
            </>
          ) : canRefund && detail ? (
            <Button
              size="sm"
              variant="secondary"
              data-testid="refund-order"
              disabled={!detail.refundable}
              title={detail.refundable ? undefined : 'An order that was not paid cannot be refunded.'}
              onClick={() => setRefunding(true)}
            >
              Refund…
            </Button>
          ) : undefined
        }
      >
        {query.isPending ? (
          <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading the order">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="w-full" />
            <Skeleton className="w-5/6" />
            <Skeleton className="w-2/3" />
          </div>
        ) : query.isError ? (
          <QueryErrorState query={query} />
        ) : (
          <>
            <DetailList
              items={[
                [
                  'Status',
                  <Badge key="s" tone={ORDER_STATUS_TONES[query.data.order.status]} dot>
                    <span data-testid="order-status">{ORDER_STATUS_LABELS[query.data.order.status]}</span>
                  </Badge>,
                ],
                ['Customer', customerLabel(query.data.order)],
                ['Placed', formatDateTime(query.data.order.placed_at)],
                ['Currency', query.data.order.currency],
              ]}
            />
            <PanelSection title={`Items (${formatNumber(query.data.items.length)})`}>
              {query.data.items.length === 0 ? (
                <p className="text-base text-fg-subtle">This order has no items you can see.</p>
              ) : (
                <ItemsTable detail={query.data} />
              )}
            </PanelSection>
            <PanelSection title="Totals">
              <Totals detail={query.data} />
            </PanelSection>
            {query.data.awaiting_payment && (
              <PanelSection title="Payment link">
                <OrderPaymentLink orderId={id} awaiting={query.data.awaiting_payment} />
              </PanelSection>
            )}
            {canChange &&
              (ORDER_AWAITING_FULFILMENT as readonly OrderStatus[]).includes(query.data.order.status) && (
                <PanelSection title="Packing">
                  <Button
                    size="sm"
                    variant="secondary"
                    data-testid="pack-order"
                    onClick={() => setPacking(true)}
                  >
                    Pack into parcels…
                  </Button>
                </PanelSection>
              )}
            {canRefund && (
              <PanelSection title="Refunds">
                <OrderRefunds detail={query.data} />
              </PanelSection>
            )}
            <PanelSection title="History">
              <OrderTimeline orderId={id} role={me.role} />
            </PanelSection>
            {canChange && next.length === 0 && !query.data.cancellable && !query.isFetching && (
              <p className="mt-4 text-sm text-fg-subtle">
                {ORDER_STATUS_LABELS[query.data.order.status]} is final: the order cannot change any more.
              </p>
            )}
          </>
        )}
        <ConfirmDialog
          open={target !== null}
          onOpenChange={(open) => !open && setTarget(null)}
          title={target && detail ? `${ORDER_ACTION_LABELS[target]}: ${detail.order.number}?` : ''}
          description={
            target && detail
              ? `The order goes from ${ORDER_STATUS_LABELS[detail.order.status]} to ${ORDER_STATUS_LABELS[target]}.`
              : undefined
          }
          confirmLabel={target ? ORDER_ACTION_LABELS[target] : 'Confirm'}
          tone={target && ORDER_DESTRUCTIVE.has(target) ? 'danger' : 'primary'}
          onConfirm={confirm}
        />
      </SidePanel>
      {/* Beside the panel, not in it: keys in the dialog (Esc) must not reach the panel. */}
      {refunding && detail && <RefundDialog detail={detail} onClose={() => setRefunding(false)} />}
      {packing && <PackDialog orderId={id} onClose={() => setPacking(false)} />}
      {cancelling && detail && <CancelDialog detail={detail} onClose={() => setCancelling(false)} />}
    </>
  );
}
