import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  commands,
  type CupsQueue,
  type DocumentKind,
  type Printer,
  type PrinterConnection,
  type PrinterSpec,
} from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { Field, Input } from '../../components/Input';
import { Screen } from '../../components/Layout';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { announce } from './PrintJobs';

const KINDS: readonly { kind: DocumentKind; label: string }[] = [
  { kind: 'label', label: 'Shipping labels' },
  { kind: 'packing_slip', label: 'Packing slips' },
  { kind: 'pick_list', label: 'Pick lists' },
  { kind: 'manifest', label: 'Manifests' },
];

/** The page language and density a printer takes, as one choice. */
const LANGUAGES = [
  { value: 'zpl-203', label: 'ZPL, 203 dpi (8 dots/mm)' },
  { value: 'zpl-300', label: 'ZPL, 300 dpi (12 dots/mm)' },
  { value: 'pdf', label: 'PDF (laser or inkjet)' },
] as const;

function describe(p: Printer): string {
  return p.dpi ? `ZPL ${p.dpi} dpi` : 'PDF';
}

type Draft = { name: string; connection: PrinterConnection; address: string; language: string };

const EMPTY_DRAFT: Draft = { name: '', connection: 'socket', address: '', language: 'zpl-203' };

function toSpec(d: Draft): PrinterSpec {
  const zpl = d.language.startsWith('zpl');
  return {
    name: d.name,
    connection: d.connection,
    address: d.address,
    language: zpl ? 'zpl' : 'pdf',
    dpi: zpl ? Number(d.language.slice(4)) : null,
  };
}

function AddPrinterDialog({ initial, onClose }: { initial: Draft; onClose: () => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const add = useMutation({
    mutationFn: () => unwrap(commands.addPrinter(toSpec(draft))),
    onSuccess: (p) => {
      toast.success('Printer added', { description: p.name });
      void client.invalidateQueries({ queryKey: queryKeys.printerSetup });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <FormDialog
      title="Add a printer"
      description="Labels are drawn for the printer's own language and density, never scaled."
      submitLabel="Add printer"
      submitTestId="add-printer-submit"
      pending={add.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Name">
        {(p) => (
          <Input
            {...p}
            autoFocus
            data-testid="printer-name"
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        )}
      </Field>
      <Field label="Reached through">
        {(p) => (
          <Select
            {...p}
            data-testid="printer-connection"
            value={draft.connection}
            onChange={(e) => set({ connection: e.target.value as PrinterConnection })}
            options={[
              { value: 'socket', label: 'Network printer, raw port (9100)' },
              { value: 'ipp', label: 'CUPS queue (IPP)' },
            ]}
          />
        )}
      </Field>
      <Field
        label="Address"
        hint={
          draft.connection === 'socket'
            ? 'host:port, e.g. 192.168.1.40:9100'
            : 'ipp://host:631/printers/QUEUE'
        }
      >
        {(p) => (
          <Input
            {...p}
            data-testid="printer-address"
            value={draft.address}
            onChange={(e) => set({ address: e.target.value })}
          />
        )}
      </Field>
      <Field label="Takes">
        {(p) => (
          <Select
            {...p}
            data-testid="printer-language"
            value={draft.language}
            onChange={(e) => set({ language: e.target.value })}
            options={LANGUAGES}
          />
        )}
      </Field>
      {add.isError && (
        <p className="text-sm text-danger-text" role="alert" data-testid="add-printer-error">
          {errorMessage(add.error)}
        </p>
      )}
    </FormDialog>
  );
}

function Discovery({ onUse }: { onUse: (q: CupsQueue) => void }) {
  const [server, setServer] = useState('localhost:631');
  const look = useMutation({ mutationFn: () => unwrap(commands.discoverPrinters(server)) });
  return (
    <Card>
      <CardHeader title="CUPS queues" description="The queues a CUPS server offers; add one as a printer." />
      <CardBody className="flex flex-col gap-3">
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            look.mutate();
          }}
        >
          <Field label="CUPS server" className="flex-1">
            {(p) => (
              <Input
                {...p}
                data-testid="cups-server"
                value={server}
                onChange={(e) => setServer(e.target.value)}
              />
            )}
          </Field>
          <Button type="submit" data-testid="discover-printers" loading={look.isPending}>
            Look
          </Button>
        </form>
        {look.isError && <p className="text-sm text-danger-text">{errorMessage(look.error)}</p>}
        {look.isSuccess && look.data.length === 0 && (
          <p className="text-sm text-fg-subtle">That server has no queues.</p>
        )}
        {look.isSuccess && look.data.length > 0 && (
          <ul className="flex flex-col gap-1" data-testid="cups-queues">
            {look.data.map((q) => (
              <li key={q.uri} className="flex items-center gap-2 text-sm">
                <span className="font-medium text-fg">{q.name}</span>
                <span className="truncate text-fg-subtle">{q.make_and_model || q.info}</span>
                <Badge tone={q.state === 'paused' || !q.accepting ? 'warning' : 'success'}>
                  {q.accepting ? q.state : 'not accepting'}
                </Badge>
                <Button size="sm" variant="ghost" className="ml-auto" onClick={() => onUse(q)}>
                  Add…
                </Button>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

/**
 * This workstation's printers: added by address or from a CUPS server's queues, tried with a
 * test label, removed; and which printer each kind of document goes to by default.
 */
export function PrintersScreen() {
  const client = useQueryClient();
  const setup = useQuery({
    queryKey: queryKeys.printerSetup,
    queryFn: () => unwrap(commands.printerSetup()),
  });
  const [adding, setAdding] = useState<Draft | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.printerSetup });
  const test = useMutation({
    mutationFn: (p: Printer) => unwrap(commands.printTestPage(p.id)),
    onSuccess: announce,
    onError: (e) => toast.error('Could not print a test label', { description: errorMessage(e) }),
  });
  const remove = useMutation({
    mutationFn: (p: Printer) => unwrap(commands.removePrinter(p.id)),
    onSuccess: refresh,
    onError: (e) => toast.error('Could not remove the printer', { description: errorMessage(e) }),
  });
  const setDefault = useMutation({
    mutationFn: ({ kind, id }: { kind: DocumentKind; id: string }) =>
      unwrap(commands.setDefaultPrinter(kind, id)),
    onSuccess: refresh,
    onError: (e) => toast.error('Could not set the default printer', { description: errorMessage(e) }),
  });

  if (setup.isError) {
    return <ErrorState message={errorMessage(setup.error)} onRetry={() => void setup.refetch()} />;
  }
  if (!setup.data) return <Skeleton className="h-40" />;
  const { printers, defaults, workstation } = setup.data;
  const defaultOf = (kind: DocumentKind) => defaults.find((d) => d.kind === kind)?.printer_id ?? '';

  return (
    <Screen data-testid="printers" className="overflow-y-auto">
      <Card>
        <CardHeader
          title={`Printers on ${workstation}`}
          description="Each printer takes one language: ZPL at its own density, or PDF."
          actions={
            <Button variant="primary" data-testid="add-printer" onClick={() => setAdding(EMPTY_DRAFT)}>
              Add printer
            </Button>
          }
        />
        <CardBody>
          {printers.length === 0 ? (
            <EmptyState
              title="No printers yet"
              description="Add a thermal printer by its address, or a CUPS queue found below."
            />
          ) : (
            <ul className="flex flex-col divide-y divide-line" data-testid="printer-list">
              {printers.map((p) => (
                <li key={p.id} className="flex items-center gap-3 py-2" data-testid="printer-row">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium text-fg">{p.name}</p>
                    <p className="truncate text-sm text-fg-subtle">
                      {p.connection === 'ipp' ? 'CUPS' : 'Raw'} · {p.address} · {describe(p)}
                    </p>
                  </div>
                  {KINDS.filter((k) => defaultOf(k.kind) === p.id).map((k) => (
                    <Badge key={k.kind} tone="accent">
                      {k.label}
                    </Badge>
                  ))}
                  <Button
                    size="sm"
                    data-testid="test-print"
                    loading={test.isPending && test.variables.id === p.id}
                    disabled={test.isPending}
                    onClick={() => test.mutate(p)}
                  >
                    Test print
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate(p)}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      {printers.length > 0 && (
        <Card>
          <CardHeader
            title="Defaults"
            description="Where each kind of document prints when nobody picks a printer."
          />
          <CardBody className="grid grid-cols-2 gap-3">
            {KINDS.map(({ kind, label }) => (
              <Field key={kind} label={label}>
                {(p) => (
                  <Select
                    {...p}
                    data-testid={`default-${kind}`}
                    value={defaultOf(kind)}
                    placeholder="None"
                    onChange={(e) => e.target.value !== '' && setDefault.mutate({ kind, id: e.target.value })}
                    options={printers.map((pr) => ({
                      value: pr.id,
                      label: `${pr.name} · ${describe(pr)}`,
                    }))}
                  />
                )}
              </Field>
            ))}
          </CardBody>
        </Card>
      )}
      <Discovery
        onUse={(q) =>
          setAdding({ name: q.info || q.name, connection: 'ipp', address: q.uri, language: 'zpl-203' })
        }
      />
      {adding && <AddPrinterDialog initial={adding} onClose={() => setAdding(null)} />}
    </Screen>
  );
}
