import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  commands,
  type ExportFormat,
  type ReportQuery,
  type ReportSort,
  type SavedReport,
  type SaveReport,
} from '../../bindings';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { defaultRevenueParams } from '../revenue/useRevenue';

/** Commissions over the last 12 months to today, in dollars (monthly where a report groups by period). */
export function defaultReportQuery(now = new Date()): ReportQuery {
  return { kind: 'commissions', ...defaultRevenueParams('USD', now), vendor_id: null, category_id: null };
}

/** Whether two queries ask for the same report (a saved report's filters left as saved). */
export function sameQuery(a: ReportQuery, b: ReportQuery): boolean {
  return (
    a.kind === b.kind &&
    a.from === b.from &&
    a.to === b.to &&
    a.currency === b.currency &&
    a.grain === b.grain &&
    a.vendor_id === b.vendor_id &&
    a.category_id === b.category_id
  );
}

/**
 * The report `query` asks for, from the core, its rows in `sort`'s order (the core sorts);
 * the previous table stays up while the next one runs.
 */
export function useReportTable(query: ReportQuery, sort: ReportSort | null, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.reportRun({ query, sort }),
    queryFn: () => unwrap(commands.runReport(query, sort)),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** The saved reports the person may run: their own and the shared ones. */
export function useSavedReports() {
  return useQuery({
    queryKey: queryKeys.savedReports,
    queryFn: () => unwrap(commands.savedReports()),
  });
}

/** The latest runs and exports (only fetched while the panel is open). */
export function useReportRuns(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.reportRuns,
    queryFn: () => unwrap(commands.reportRuns()),
    enabled,
  });
}

/** Writes the report to the Downloads folder; the history shows the run either way. */
export function useExportReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ query, format }: { query: ReportQuery; format: ExportFormat }) =>
      unwrap(commands.exportReport(query, format)),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.reportRuns }),
  });
}

/** Saves a new report or changes one of the person's own; the saved list refreshes. */
export function useSaveReport(onSaved: (saved: SavedReport) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SaveReport) => unwrap(commands.saveReport(input)),
    onSuccess: onSaved,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.savedReports }),
  });
}

/** Deletes one of the person's saved reports; the saved list refreshes. */
export function useDeleteSavedReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (saved: SavedReport) => unwrap(commands.deleteSavedReport(saved.id, saved.version)),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.savedReports }),
  });
}
