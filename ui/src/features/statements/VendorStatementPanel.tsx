import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { commands, type VendorChoice } from '../../bindings';
import { Card } from '../../components/Card';
import { QueryInlineError } from '../../components/InlineError';
import { Select } from '../../components/Select';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { StatementView } from './StatementView';

/** The vendors in the core's order, each with their address (two vendors may share a name). */
function vendorOptions(vendors: readonly VendorChoice[]) {
  return vendors.map((v) => ({ value: v.id, label: `${v.name} · ${v.email}` }));
}

/**
 * A vendor's statement for finance and admins: every vendor, sorted by the core, to choose
 * from, type-ahead in the native select, then the statement.
 */
export function VendorStatementPanel() {
  const pickerId = useId();
  const [vendorId, setVendorId] = useState<string | null>(null);
  const vendors = useQuery({
    queryKey: queryKeys.vendors,
    queryFn: () => unwrap(commands.listVendors()),
  });
  const options = useMemo(() => vendorOptions(vendors.data ?? []), [vendors.data]);

  let placeholder = 'Choose a vendor';
  if (vendors.isPending) placeholder = 'Loading vendors…';
  else if (vendors.isSuccess && options.length === 0) placeholder = 'No vendors yet';

  const picker = (
    <>
      <label htmlFor={pickerId} className="text-sm text-fg-subtle">
        Vendor
      </label>
      <Select
        id={pickerId}
        data-testid="statement-vendor"
        value={vendorId ?? ''}
        onChange={(e) => setVendorId(e.target.value === '' ? null : e.target.value)}
        placeholder={placeholder}
        options={options}
        disabled={!vendors.isSuccess || options.length === 0}
        className="w-72"
      />
    </>
  );

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      {vendors.isError && (
        <Card>
          <QueryInlineError
            query={vendors}
            title="Could not load the vendors"
            retryTestId="statement-vendor-retry"
          />
        </Card>
      )}
      <StatementView vendorId={vendorId} picker={picker} className="min-h-0 flex-1" />
    </div>
  );
}
