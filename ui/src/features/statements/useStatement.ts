import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { commands, type StatementQuery, type VendorStatement } from '../../bindings';
import { type DateRange, monthsAgoStart, today } from '../../lib/dates';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';

/** From the first day of last month to today: last month's statement and this month's so far. */
export function defaultStatementRange(now = new Date()): DateRange {
  return { from: monthsAgoStart(1, now), to: today(now) };
}

/**
 * The statement `query` asks for, from the core. The vendor's previous statement (other dates
 * or currency) stays up while the next one loads; another vendor's does not.
 */
export function useVendorStatement(query: StatementQuery, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.vendorStatement(query),
    queryFn: () => unwrap(commands.vendorStatement(query)),
    enabled,
    placeholderData: (previous: VendorStatement | undefined) =>
      previous?.query.vendor_id === query.vendor_id ? keepPreviousData(previous) : undefined,
  });
}

/** Writes the statement as a PDF in the Downloads folder; the reports' history shows the run. */
export function useExportStatement() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (query: StatementQuery) => unwrap(commands.exportVendorStatement(query)),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.reportRuns }),
  });
}
