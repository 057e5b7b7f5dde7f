import { useEffect, useState } from 'react';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Card, CardBody, CardHeader } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog, DialogClose } from '../components/Dialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorState } from '../components/ErrorState';
import { SearchIcon } from '../components/icons';
import { Field, Input } from '../components/Input';
import { Kbd, Shortcut } from '../components/Kbd';
import { ProgressBar } from '../components/ProgressBar';
import { Select } from '../components/Select';
import { Skeleton } from '../components/Skeleton';
import { Spinner } from '../components/Spinner';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../components/Tabs';
import { toast } from '../components/toast';
import { Tooltip } from '../components/Tooltip';
import { formatMoney, formatNumber } from '../lib/format';
import { useHotkey } from '../lib/hotkeys';

function ProgressDemo() {
  const [done, setDone] = useState<number | null>(null);
  const total = 480;
  const running = done !== null && done < total;

  useEffect(() => {
    if (!running) return;
    const timer = window.setTimeout(() => setDone((d) => Math.min((d ?? 0) + 12, total)), 60);
    return () => window.clearTimeout(timer);
  }, [running, done]);

  return (
    <div className="flex flex-col gap-4">
      {done === null ? (
        <Button variant="primary" className="self-start" onClick={() => setDone(0)}>
          Print 480 labels
        </Button>
      ) : (
        <ProgressBar
          label={running ? 'Printing labels' : 'Labels printed'}
          value={done}
          max={total}
          detail={`${formatNumber(done)} of ${formatNumber(total)} labels`}
          onCancel={
            running
              ? () => {
                  setDone(null);
                  toast.info('Printing cancelled', { description: 'Labels already sent stay in the queue.' });
                }
              : undefined
          }
        />
      )}
      <ProgressBar label="Syncing with the central database" />
    </div>
  );
}

export function ComponentsDemo() {
  const [confirmOpen, setConfirmOpen] = useState(false);
  useHotkey('mod+k', () => toast.info('Command palette goes here'));

  return (
    <div className="grid max-w-6xl grid-cols-1 gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader
          title="Buttons"
          description="Primary for the main action of a view; danger for destructive ones."
        />
        <CardBody className="flex flex-wrap items-center gap-2">
          <Button variant="primary">Approve payout</Button>
          <Button>Export CSV</Button>
          <Button variant="ghost">Clear filters</Button>
          <Button variant="danger">Void label</Button>
          <Button variant="primary" loading>
            Saving
          </Button>
          <Button size="sm">Small</Button>
          <Button size="lg" variant="primary">
            Large
          </Button>
          <Tooltip content="Search" shortcut="mod+k">
            <Button size="icon" variant="ghost" aria-label="Search">
              <SearchIcon />
            </Button>
          </Tooltip>
          <Button disabled>Disabled</Button>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Form controls" />
        <CardBody className="grid grid-cols-2 gap-3">
          <Field label="Vendor name" hint="As printed on invoices.">
            {(p) => <Input {...p} defaultValue="Northwind Ceramics" />}
          </Field>
          <Field label="Payout threshold" error="Enter an amount above $0.00.">
            {(p) => <Input {...p} defaultValue="-5" inputMode="decimal" />}
          </Field>
          <Field label="Currency">
            {(p) => (
              <Select
                {...p}
                defaultValue="EUR"
                options={[
                  { value: 'USD', label: 'US dollar' },
                  { value: 'EUR', label: 'Euro' },
                  { value: 'GBP', label: 'Pound sterling' },
                ]}
              />
            )}
          </Field>
          <Field label="Carrier">{(p) => <Input {...p} disabled defaultValue="UPS" />}</Field>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Status badges and money" />
        <CardBody className="flex flex-col gap-3">
          <div className="flex flex-wrap gap-2">
            <Badge tone="warning" dot>
              Pending
            </Badge>
            <Badge tone="info" dot>
              Paid
            </Badge>
            <Badge tone="accent" dot>
              Shipped
            </Badge>
            <Badge tone="success" dot>
              Delivered
            </Badge>
            <Badge tone="danger" dot>
              Disputed
            </Badge>
            <Badge>Cancelled</Badge>
          </div>
          <table className="w-full text-base">
            <tbody className="tabular-nums">
              {[
                [1234567, 'USD'],
                [-98050, 'EUR'],
                [125000, 'JPY'],
                [900719925474099, 'GBP'],
              ].map(([amount, currency]) => (
                <tr key={String(currency)} className="border-b border-line last:border-0">
                  <td className="py-1.5 text-fg-subtle">{currency}</td>
                  <td className="py-1.5 text-right">{formatMoney(amount as number, currency as string)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Dialogs and notifications" />
        <CardBody className="flex flex-wrap items-center gap-2">
          <ConfirmDialog
            trigger={<Button variant="danger">Delete vendor</Button>}
            title="Delete Northwind Ceramics?"
            description="Their 312 products are unlisted and open orders are kept. This cannot be undone."
            confirmLabel="Delete vendor"
            onConfirm={() => {
              toast.success('Vendor deleted');
            }}
          />
          <Button onClick={() => setConfirmOpen(true)}>Pay 14 vendors</Button>
          <ConfirmDialog
            open={confirmOpen}
            onOpenChange={setConfirmOpen}
            tone="primary"
            title="Pay 14 vendors?"
            description={`${formatMoney(4_812_300, 'USD')} leaves the marketplace balance through Stripe.`}
            confirmLabel="Pay vendors"
            onConfirm={() =>
              new Promise((_, reject) =>
                setTimeout(
                  () => reject(new Error('Stripe rejected the transfer: insufficient balance.')),
                  800,
                ),
              )
            }
          />
          <Dialog
            trigger={<Button>Edit address</Button>}
            title="Return address"
            description="Printed on every label from this warehouse."
            footer={
              <>
                <DialogClose asChild>
                  <Button>Cancel</Button>
                </DialogClose>
                <DialogClose asChild>
                  <Button variant="primary" onClick={() => toast.success('Address saved')}>
                    Save
                  </Button>
                </DialogClose>
              </>
            }
          >
            <Field label="Street">{(p) => <Input {...p} defaultValue="12 Harbor Lane" />}</Field>
          </Dialog>
          <Button
            onClick={() => toast.success('Payout approved', { description: 'Batch 2026-05-01 · 14 vendors' })}
          >
            Success toast
          </Button>
          <Button onClick={() => toast.error('Could not print: printer Zebra-01 is offline.')}>
            Error toast
          </Button>
          <span className="text-sm text-fg-subtle">
            Press <Shortcut keys="mod+k" /> or <Kbd>G</Kbd> <Kbd>O</Kbd>
          </span>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Progress" />
        <CardBody>
          <ProgressDemo />
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Tabs" />
        <CardBody>
          <Tabs defaultValue="open">
            <TabsList aria-label="Disputes">
              <TabsTrigger value="open">Open</TabsTrigger>
              <TabsTrigger value="won">Won</TabsTrigger>
              <TabsTrigger value="lost">Lost</TabsTrigger>
            </TabsList>
            <TabsContent value="open">
              <div className="flex flex-col gap-2">
                <Skeleton className="w-2/3" />
                <Skeleton className="w-1/2" />
                <Skeleton className="w-3/4" />
              </div>
            </TabsContent>
            <TabsContent value="won">
              <div className="flex items-center gap-2 text-fg-muted">
                <Spinner label="Loading disputes" /> Loading…
              </div>
            </TabsContent>
            <TabsContent value="lost">
              <EmptyState
                title="No lost disputes"
                description="Disputes decided against a vendor appear here."
              />
            </TabsContent>
          </Tabs>
        </CardBody>
      </Card>

      <Card className="lg:col-span-2">
        <CardBody className="grid grid-cols-2 gap-4 p-0">
          <EmptyState
            title="No payouts yet"
            description="Payouts appear here once a batch is prepared."
            action={<Button variant="primary">Prepare batch</Button>}
          />
          <ErrorState
            message="The database is not reachable: connection refused (127.0.0.1:5432)."
            onRetry={() => {}}
          />
        </CardBody>
      </Card>
    </div>
  );
}
