import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type Carrier, type CarrierAccountStatus, type CarrierSettings } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { FormDialog } from '../../components/FormDialog';
import { Field, Input } from '../../components/Input';
import { Select } from '../../components/Select';
import { Skeleton } from '../../components/Skeleton';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

const ACCOUNTS = ['shipping', 'carrier-accounts'] as const;
const ENVIRONMENTS = [
  { value: 'sandbox', label: 'Sandbox (test labels)' },
  { value: 'production', label: 'Production' },
  { value: 'custom', label: 'Another address…' },
];

function AccountDialog({ account, onClose }: { account: CarrierAccountStatus; onClose: () => void }) {
  const client = useQueryClient();
  const saved = account.settings;
  const known = saved === null || saved.environment === 'sandbox' || saved.environment === 'production';
  const [environment, setEnvironment] = useState(known ? (saved?.environment ?? 'sandbox') : 'custom');
  const [address, setAddress] = useState(known ? '' : (saved?.environment ?? ''));
  const [clientId, setClientId] = useState(saved?.client_id ?? '');
  const [number, setNumber] = useState(saved?.account_number ?? '');
  const save = useMutation({
    mutationFn: (settings: CarrierSettings) => unwrap(commands.saveCarrierAccount(account.carrier, settings)),
    onSuccess: () => {
      toast.success(`${account.name} account saved`);
      void client.invalidateQueries({ queryKey: ACCOUNTS });
      onClose();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({
      environment: environment === 'custom' ? address : environment,
      client_id: clientId,
      account_number: number,
    });
  };
  return (
    <FormDialog
      title={`${account.name} account`}
      description={`Labels are bought with this account. Its secret never leaves a computer: each one keeps it in its keychain (This computer… → ${account.name}).`}
      submitLabel="Save"
      submitTestId="carrier-save"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Where">
        {(p) => (
          <Select
            {...p}
            data-testid="carrier-environment"
            value={environment}
            onChange={(e) => setEnvironment(e.target.value)}
            options={ENVIRONMENTS}
          />
        )}
      </Field>
      {environment === 'custom' && (
        <Field label="API address" hint="https://…">
          {(p) => (
            <Input
              {...p}
              data-testid="carrier-address"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field label={account.carrier === 'fedex' ? 'API key (client id)' : 'Client ID'}>
        {(p) => (
          <Input
            {...p}
            data-testid="carrier-client-id"
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
          />
        )}
      </Field>
      <Field label="Shipper account number">
        {(p) => (
          <Input
            {...p}
            data-testid="carrier-account"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        )}
      </Field>
      {save.isError && (
        <p role="alert" className="text-sm text-danger-text" data-testid="carrier-error">
          {errorMessage(save.error)}
        </p>
      )}
    </FormDialog>
  );
}

/** FedEx's and UPS's accounts: what is saved, whether this computer can buy labels with it, and why not. */
export function CarrierAccounts({ canEdit }: { canEdit: boolean }) {
  const accounts = useQuery({ queryKey: ACCOUNTS, queryFn: () => unwrap(commands.carrierAccounts()) });
  const [editing, setEditing] = useState<Carrier | null>(null);
  const open = accounts.data?.find((a) => a.carrier === editing);
  return (
    <Card>
      <CardHeader title="Carrier accounts" description="The FedEx and UPS accounts labels are bought with." />
      <CardBody className="flex flex-col gap-2">
        {accounts.isError ? (
          <p role="alert" className="text-sm text-danger-text">
            {errorMessage(accounts.error)}
          </p>
        ) : !accounts.data ? (
          <Skeleton className="h-16" />
        ) : (
          accounts.data.map((a) => (
            <div key={a.carrier} className="flex items-center gap-3" data-testid={`carrier-${a.carrier}`}>
              <span className="w-16 font-medium">{a.name}</span>
              <span className="min-w-0 flex-1 truncate text-sm text-fg-muted">
                {a.settings
                  ? `${a.settings.environment} · account ${a.settings.account_number} · client ${a.settings.client_id}`
                  : 'Not set up'}
              </span>
              <Badge tone={a.ready ? 'success' : 'warning'} dot>
                <span title={a.problem ?? undefined}>{a.ready ? 'Ready' : (a.problem ?? 'Not ready')}</span>
              </Badge>
              {canEdit && (
                <Button
                  size="sm"
                  variant="secondary"
                  data-testid={`edit-carrier-${a.carrier}`}
                  onClick={() => setEditing(a.carrier)}
                >
                  {a.settings ? 'Edit…' : 'Set up…'}
                </Button>
              )}
            </div>
          ))
        )}
      </CardBody>
      {open && <AccountDialog account={open} onClose={() => setEditing(null)} />}
    </Card>
  );
}
