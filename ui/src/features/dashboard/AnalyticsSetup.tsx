import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { FormDialog } from '../../components/FormDialog';
import { Field, Input } from '../../components/Input';
import { InlineError } from '../../components/InlineError';
import { toast } from '../../components/toast';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

function SetupDialog({
  enabled,
  measurementId,
  onClose,
}: {
  enabled: boolean;
  measurementId: string;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [id, setId] = useState(measurementId);
  const save = useMutation({
    mutationFn: (on: boolean) => unwrap(commands.setAnalytics(on, id.trim() || null)),
    onSuccess: (status) => {
      client.setQueryData(['analytics-status'], status);
      toast.success(status.settings.enabled ? 'Google Analytics is on' : 'Google Analytics is off');
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(!enabled);
  };
  return (
    <FormDialog
      title={enabled ? 'Turn Google Analytics off' : 'Send business events to Google Analytics'}
      description={
        enabled
          ? 'Events stay recorded here; none are sent until it is turned on again.'
          : 'Orders, refunds, payouts, labels, approvals, sign-ins and syncs go to your GA4 web stream. The API secret stays in the worker’s keychain.'
      }
      submitLabel={enabled ? 'Turn off' : 'Turn on'}
      submitTestId="analytics-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {!enabled && (
        <Field label="Measurement id" hint="The web stream’s id, G- followed by letters and digits.">
          {(p) => (
            <Input
              {...p}
              data-testid="analytics-measurement-id"
              value={id}
              placeholder="G-XXXXXXXXXX"
              onChange={(e) => setId(e.target.value)}
            />
          )}
        </Field>
      )}
      {save.isError && <InlineError error={save.error} />}
    </FormDialog>
  );
}

/** Where Google Analytics stands: on or off, the stream, the outbox (admins). */
export function AnalyticsSetup() {
  const [editing, setEditing] = useState(false);
  const status = useQuery({
    queryKey: ['analytics-status'],
    queryFn: () => unwrap(commands.analyticsStatus()),
  });
  const s = status.data;
  return (
    <Card data-testid="analytics-setup">
      <CardHeader
        title="Google Analytics 4"
        description="Business events recorded by the database, sent by the worker when turned on"
        actions={
          s && (
            <Button size="sm" data-testid="analytics-toggle" onClick={() => setEditing(true)}>
              {s.settings.enabled ? 'Turn off…' : 'Turn on…'}
            </Button>
          )
        }
      />
      <CardBody className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        {status.isError ? (
          <InlineError error={status.error} />
        ) : !s ? (
          <span className="text-fg-subtle">Reading…</span>
        ) : (
          <>
            <Badge tone={s.settings.enabled ? 'success' : 'neutral'}>
              {s.settings.enabled ? `On · ${s.settings.measurement_id ?? ''}` : 'Off'}
            </Badge>
            <span data-testid="analytics-counts" className="text-fg-muted tabular-nums">
              {formatNumber(s.counts.queued)} waiting · {formatNumber(s.counts.sent)} sent ·{' '}
              {formatNumber(s.counts.failed)} refused · {formatNumber(s.counts.skipped)} too old to send
            </span>
          </>
        )}
      </CardBody>
      {editing && s && (
        <SetupDialog
          enabled={s.settings.enabled}
          measurementId={s.settings.measurement_id ?? ''}
          onClose={() => setEditing(false)}
        />
      )}
    </Card>
  );
}
