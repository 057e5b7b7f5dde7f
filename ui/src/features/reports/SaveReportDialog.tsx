import { useState, type FormEvent } from 'react';
import type { ReportQuery, SavedReport } from '../../bindings';
import { Checkbox } from '../../components/Checkbox';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { Field, Input } from '../../components/Input';
import { REPORT_KIND_INFO } from './kinds';
import { useSaveReport } from './useReports';

/**
 * Names the report on screen (its kind and filters) and saves it as a new one, kept to
 * oneself or shared with finance and admins. Enter saves; the core's refusal (a name already
 * used…) shows here.
 */
export function SaveReportDialog({
  query,
  onSaved,
  onClose,
}: {
  query: ReportQuery;
  onSaved: (saved: SavedReport) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [tried, setTried] = useState(false);
  const save = useSaveReport(onSaved);
  const trimmed = name.trim();
  const problem = tried && trimmed === '' ? 'Give the report a name.' : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (trimmed === '' || save.isPending) return;
    save.mutate({ existing: null, name: trimmed, query, is_shared: shared });
  };

  return (
    <FormDialog
      size="sm"
      title="Save report"
      description={`${REPORT_KIND_INFO[query.kind].label}, ${query.from} to ${query.to}, with these filters.`}
      submitLabel="Save"
      submitTestId="save-report-submit"
      pending={save.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Name" error={problem}>
        {(control) => (
          <Input
            {...control}
            data-testid="save-report-name"
            value={name}
            maxLength={120}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Checkbox data-testid="save-report-shared" checked={shared} onChange={setShared}>
        Share with finance and admins
      </Checkbox>
      {save.isError && <InlineError error={save.error} title="Could not save the report" />}
    </FormDialog>
  );
}
