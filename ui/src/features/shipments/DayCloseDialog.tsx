import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type DayCloseRecord } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, Input } from '../../components/Input';
import { QueryTable } from '../../components/QueryTable';
import { toast } from '../../components/toast';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

const CLOSES = ['shipments', 'day-closes'] as const;

function CloseRow({ close }: { close: DayCloseRecord }) {
  const save = useMutation({
    mutationFn: () => unwrap(commands.saveDayCloseManifest(close.id)),
    onSuccess: (path) => toast.success('Manifest saved', { description: path }),
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <tr className="border-b border-line last:border-b-0" data-testid="day-close-row">
      <td className="py-2 pr-2 tabular-nums">{close.close_date}</td>
      <td className="px-2 py-2 text-right tabular-nums">{close.parcels}</td>
      <td className="px-2 py-2">{close.closed_by_name ?? 'Command line'}</td>
      <td className="px-2 py-2 text-fg-muted">{formatDateTime(close.created_at)}</td>
      <td className="py-2 pl-2 text-right">
        <Button size="sm" variant="ghost" loading={save.isPending} onClick={() => save.mutate()}>
          Save manifest
        </Button>
      </td>
    </tr>
  );
}

/**
 * FedEx Ground's end of day: closing the day uploads the day's Ground parcels to FedEx and
 * brings back the manifest the driver signs (saved in Downloads); every close is kept for a
 * reprint. Needs the network.
 */
export function DayCloseDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [day, setDay] = useState(today());
  const [problem, setProblem] = useState<string | null>(null);
  const closes = useQuery({ queryKey: CLOSES, queryFn: () => unwrap(commands.dayCloses()) });
  const close = useMutation({
    mutationFn: (date: string) => unwrap(commands.closeShippingDay(date)),
    onSuccess: (done) => {
      toast.success(`FedEx Ground closed for ${done.close.close_date}`, { description: done.path });
      void client.invalidateQueries({ queryKey: CLOSES });
    },
    onError: (e) => setProblem(errorMessage(e)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    close.mutate(day);
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Close the day with FedEx Ground"
      size="lg"
    >
      <div className="flex flex-col gap-4" data-testid="day-close">
        <form onSubmit={submit} noValidate className="flex items-end gap-3">
          <Field label="Shipping day" className="w-48">
            {(p) => (
              <Input
                {...p}
                type="date"
                data-testid="day-close-date"
                value={day}
                onChange={(e) => setDay(e.target.value)}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" loading={close.isPending} data-testid="day-close-submit">
            {close.isPending ? 'Closing with FedEx…' : 'Close FedEx Ground day'}
          </Button>
        </form>
        <p className="text-sm text-fg-muted">
          FedEx takes the Ground parcels bought since the last close; the manifest it sends back goes to
          Downloads for the driver. You can close more than once a day.
        </p>
        {problem && (
          <p role="alert" className="text-sm text-danger-text" data-testid="day-close-problem">
            {problem}
          </p>
        )}
        <QueryTable
          query={closes}
          rows={closes.data ?? []}
          loadingLabel="Reading the day closes"
          errorTitle="Could not read the day closes"
          empty={{
            title: 'No day closed yet',
            description: 'Close the day once the Ground parcels are labelled.',
          }}
          columns={[
            { label: 'Day', className: 'py-1.5 pr-2' },
            { label: 'Ground labels', className: 'px-2 py-1.5 text-right' },
            { label: 'Closed by', className: 'px-2 py-1.5' },
            { label: 'When', className: 'px-2 py-1.5' },
            { label: '', className: 'py-1.5 pl-2' },
          ]}
          renderRow={(c) => <CloseRow key={c.id} close={c} />}
        />
      </div>
    </Dialog>
  );
}
