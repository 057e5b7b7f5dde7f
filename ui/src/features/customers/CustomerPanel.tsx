import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { navigate } from '../../app/router';
import { commands, type Address, type CustomerProfile } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';
import { QueryErrorState } from '../../components/ErrorState';
import { ExportedFile } from '../../components/ExportedFile';
import { InlineError } from '../../components/InlineError';
import { controlClasses } from '../../components/Input';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { Skeleton } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { formatDateTime, formatMoney, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity, queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { AddressDialog } from './AddressDialog';
import { BlockDialog } from './BlockDialog';
import { addressLine, STATUS_LABELS, STATUS_TONES } from './labels';

/** Spent, refunded and net per currency. */
function Lifetime({ profile }: { profile: CustomerProfile }) {
  if (profile.lifetime.length === 0) return <p className="text-sm text-fg-subtle">No paid orders yet.</p>;
  return (
    <table className="w-full text-sm" data-testid="customer-lifetime">
      <thead className="text-fg-subtle">
        <tr>
          <th className="text-left font-normal">Currency</th>
          <th className="text-right font-normal">Orders</th>
          <th className="text-right font-normal">Spent</th>
          <th className="text-right font-normal">Refunded</th>
          <th className="text-right font-normal">Net</th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {profile.lifetime.map((v) => (
          <tr key={v.currency}>
            <td>{v.currency}</td>
            <td className="text-right">{formatNumber(v.orders)}</td>
            <td className="text-right">{formatMoney(v.spent_minor, v.currency)}</td>
            <td className="text-right">{formatMoney(v.refunded_minor, v.currency)}</td>
            <td className="text-right font-medium">{formatMoney(v.net_minor, v.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddressBook({ profile, onEdit }: { profile: CustomerProfile; onEdit: (a: Address | null) => void }) {
  const client = useQueryClient();
  const id = profile.customer.id;
  const change = useMutation({
    mutationFn: ({ a, op }: { a: Address; op: 'retire' | 'make_default' }) =>
      unwrap(commands.changeCustomerAddress(id, { op, id: a.id, version: a.version })),
    onSuccess: () => void invalidateEntity(client, 'customers'),
    onError: (e) => toast.error('The address book was not changed', { description: String(e) }),
  });
  return (
    <>
      {profile.addresses.length === 0 ? (
        <EmptyState title="No addresses" />
      ) : (
        <ul className="flex flex-col gap-2" data-testid="customer-addresses">
          {profile.addresses.map((a) => (
            <li key={a.id} className="rounded-md border border-line bg-canvas px-3 py-2 text-sm">
              <div className="flex items-center gap-2">
                <span className="font-medium text-fg">{a.recipient_name}</span>
                {a.label !== '' && <span className="text-fg-subtle">{a.label}</span>}
                {a.is_default && <Badge tone="info">Default</Badge>}
              </div>
              <p className="text-fg-muted">{addressLine(a)}</p>
              <div className="mt-1 flex gap-1">
                <Button size="sm" variant="ghost" onClick={() => onEdit(a)}>
                  Change
                </Button>
                {!a.is_default && (
                  <Button size="sm" variant="ghost" onClick={() => change.mutate({ a, op: 'make_default' })}>
                    Make default
                  </Button>
                )}
                <Button size="sm" variant="ghost" onClick={() => change.mutate({ a, op: 'retire' })}>
                  Remove
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Button size="sm" className="mt-2" onClick={() => onEdit(null)} data-testid="address-add">
        Add an address
      </Button>
    </>
  );
}

/** How many more orders each "Show more" reads. */
const ORDERS_STEP = 25;

/** The customer's orders, newest first, a page at a time; each opens the order. */
function CustomerOrders({ customerId }: { customerId: string }) {
  const [limit, setLimit] = useState(8);
  const query = useQuery({
    queryKey: ['orders', 'customer', customerId, limit],
    queryFn: () =>
      unwrap(
        commands.listOrders(
          {
            statuses: [],
            customer_id: customerId,
            vendor_id: null,
            placed_from: null,
            placed_to: null,
            search: null,
          },
          { sort: 'placed_at', dir: 'desc', after: null, limit },
        ),
      ),
    placeholderData: (previous) => previous,
  });
  if (query.isPending) return <Skeleton className="h-16 w-full" />;
  if (query.isError) return <QueryErrorState query={query} />;
  if (query.data.items.length === 0) return <p className="text-sm text-fg-subtle">No orders.</p>;
  return (
    <>
      <ul className="flex flex-col gap-1 text-sm" data-testid="customer-orders">
        {query.data.items.map((o) => (
          <li key={o.id}>
            <button
              type="button"
              className="flex w-full gap-2 rounded px-1 text-left hover:bg-hover focus-visible:outline-2"
              onClick={() => navigate(`/orders?open=${o.id}`)}
            >
              <span className="w-28 font-mono">{o.number}</span>
              <span className="w-32 text-fg-muted">{o.status.replace(/_/g, ' ')}</span>
              <span className="flex-1 text-right tabular-nums">{formatMoney(o.total_minor, o.currency)}</span>
              <span className="w-28 text-right text-fg-subtle" title={formatDateTime(o.placed_at)}>
                {formatRelative(o.placed_at)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {query.data.next_cursor !== null && limit < 500 && (
        <Button
          size="sm"
          variant="ghost"
          className="mt-1"
          loading={query.isFetching}
          onClick={() => setLimit((l) => Math.min(500, l + ORDERS_STEP))}
          data-testid="customer-orders-more"
        >
          Show more
        </Button>
      )}
    </>
  );
}

/** Notes staff wrote, newest first, and a box for another. Ctrl+Enter saves. */
function Notes({ profile }: { profile: CustomerProfile }) {
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () => unwrap(commands.addCustomerNote(profile.customer.id, body.trim())),
    onSuccess: () => {
      setBody('');
      void invalidateEntity(client, 'customers');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body.trim() === '' || add.isPending) return;
    add.mutate();
  };
  return (
    <>
      <form onSubmit={submit} className="mb-3 flex flex-col gap-2" aria-label="Write a note">
        <textarea
          rows={2}
          maxLength={2000}
          aria-label="Note"
          data-testid="customer-note"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          }}
          placeholder="Only staff read notes"
          className={cn(controlClasses, 'h-auto py-1.5')}
        />
        <Button
          type="submit"
          size="sm"
          className="self-end"
          loading={add.isPending}
          disabled={body.trim() === ''}
          data-testid="customer-note-save"
        >
          Save note
        </Button>
        {add.isError && <InlineError error={add.error} title="The note was not saved" />}
      </form>
      {profile.notes.length === 0 ? (
        <p className="text-sm text-fg-subtle">No notes.</p>
      ) : (
        <ol className="flex flex-col gap-2" data-testid="customer-notes">
          {profile.notes.map((n) => (
            <li key={n.id} className="rounded-md border border-line bg-canvas px-3 py-2">
              <div className="mb-1 flex gap-2 text-sm text-fg-subtle">
                <span className="font-medium text-fg-muted">{n.author_name}</span>
                <span className="ml-auto" title={formatDateTime(n.created_at)}>
                  {formatRelative(n.created_at)}
                </span>
              </div>
              <p className="text-base break-words whitespace-pre-wrap text-fg">{n.body}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** One customer: status, lifetime value, live disputes, addresses (admins), orders and notes. */
export function CustomerPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const me = useMe();
  const [editing, setEditing] = useState<Address | null | undefined>(undefined);
  const [blocking, setBlocking] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const query = useQuery({
    queryKey: queryKeys.customerProfile(id),
    queryFn: () => unwrap(commands.customerProfile(id)),
  });
  const exporting = useMutation({
    mutationFn: () => unwrap(commands.exportCustomerData(id)),
    onSuccess: (files) => {
      const folder = files[0]?.replace(/[/\\][^/\\]*$/, '') ?? '';
      setExported(folder);
      toast.success('Export written', { description: `${formatNumber(files.length)} files in ${folder}` });
    },
    onError: (e) => toast.error('The export was not written', { description: String(e) }),
  });
  const p = query.data;
  const c = p?.customer;
  return (
    <SidePanel
      data-testid="customer-detail"
      focusKey={id}
      title={c ? c.display_name : 'Customer'}
      description={c?.email}
      onClose={onClose}
      footer={
        p &&
        c &&
        me.role === 'admin' && (
          <>
            <Button
              variant="ghost"
              className="mr-auto"
              loading={exporting.isPending}
              onClick={() => exporting.mutate()}
              data-testid="customer-export"
            >
              Export their data
            </Button>
            <Button
              variant={c.status === 'active' ? 'danger' : 'secondary'}
              onClick={() => setBlocking(true)}
              data-testid="customer-block"
            >
              {c.status === 'active' ? 'Block…' : 'Unblock…'}
            </Button>
          </>
        )
      }
    >
      {query.isPending && (
        <div className="flex flex-col gap-3" aria-busy="true" aria-label="Loading the customer">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-12 w-4/5" />
        </div>
      )}
      {query.isError && <QueryErrorState query={query} />}
      {p && c && (
        <>
          <DetailList
            items={[
              [
                'Status',
                <StatusBadge key="s" status={c.status} labels={STATUS_LABELS} tones={STATUS_TONES} />,
              ],
              ['Customer since', formatDateTime(c.created_at)],
              ['Orders', formatNumber(c.order_count)],
              ['First order', p.first_order_at ? formatDateTime(p.first_order_at) : '—'],
              ['Last order', c.last_order_at ? formatDateTime(c.last_order_at) : '—'],
              [
                'Live disputes',
                p.live_disputes > 0 ? (
                  <Badge key="d" tone="warning">
                    {formatNumber(p.live_disputes)}
                  </Badge>
                ) : (
                  'None'
                ),
              ],
            ]}
          />
          {exported && (
            <div className="mt-3">
              <ExportedFile path={exported} data-testid="customer-exported">
                Their data was written to
              </ExportedFile>
            </div>
          )}
          <PanelSection title="Lifetime value">
            <Lifetime profile={p} />
          </PanelSection>
          {p.may_keep && (
            <PanelSection title={`Addresses (${formatNumber(p.addresses.length)})`}>
              <AddressBook profile={p} onEdit={setEditing} />
            </PanelSection>
          )}
          <PanelSection title={`Orders (${formatNumber(c.order_count)})`}>
            <CustomerOrders customerId={c.id} />
          </PanelSection>
          <PanelSection title={`Notes (${formatNumber(p.notes.length)})`}>
            <Notes profile={p} />
          </PanelSection>
          {editing !== undefined && (
            <AddressDialog customerId={c.id} editing={editing} onClose={() => setEditing(undefined)} />
          )}
          {blocking && <BlockDialog customer={c} onClose={() => setBlocking(false)} />}
        </>
      )}
    </SidePanel>
  );
}
