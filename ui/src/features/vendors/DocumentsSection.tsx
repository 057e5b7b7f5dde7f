import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import {
  commands,
  type OpenedFile,
  type VendorApplication,
  type VendorDocument,
  type VendorDocumentKind,
} from '../../bindings';
import { Button } from '../../components/Button';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { TextAreaField } from '../../components/TextAreaField';
import { Select } from '../../components/Select';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { base64Of } from '../../lib/files';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { FileViewer, fileSize } from '../disputes/DisputeFiles';
import { DOCUMENT_KINDS, DOCUMENT_LABELS, REVIEW_LABELS, REVIEW_TONES } from './labels';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,application/pdf,text/plain,.txt,.pdf';

function RejectDialog({ document, onClose }: { document: VendorDocument; onClose: () => void }) {
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const reject = useMutation({
    mutationFn: () =>
      unwrap(
        commands.reviewVendorDocument({
          document_id: document.id,
          version: document.version,
          accept: false,
          note,
        }),
      ),
    onSuccess: () => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success('Document rejected', { description: 'The vendor reads why.' });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (note.trim() === '' || reject.isPending) return;
    reject.mutate();
  };
  return (
    <FormDialog
      title={`Reject ${document.file_name}?`}
      description="The vendor reads your note and sends a new file."
      submitLabel="Reject document"
      submitTestId="document-reject-submit"
      pending={reject.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextAreaField
        label="Why"
        error={tried && note.trim() === '' ? 'Say what is wrong with it.' : undefined}
        value={note}
        onChange={setNote}
        maxLength={500}
        autoFocus
        data-testid="document-reject-note"
      />
      {reject.isError && <InlineError error={reject.error} title="The document was not rejected" />}
    </FormDialog>
  );
}

/**
 * An application's documents: each opened or saved, its verdict and the admin's note; an
 * admin accepts or rejects one; while the application is with them, files are added.
 */
export function DocumentsSection({
  application,
  canAdd,
  canReview,
}: {
  application: VendorApplication;
  canAdd: boolean;
  canReview: boolean;
}) {
  const client = useQueryClient();
  const picker = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<VendorDocumentKind>('business_registration');
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [rejecting, setRejecting] = useState<VendorDocument | null>(null);
  const open = useMutation({
    mutationFn: (id: string) => unwrap(commands.openVendorDocument(id)),
    onSuccess: setOpened,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const save = useMutation({
    mutationFn: (id: string) => unwrap(commands.saveVendorDocument(id)),
    onSuccess: (path) => toast.success('Document saved', { description: path }),
    onError: (e) => toast.error(errorMessage(e), { description: 'Nothing was saved.' }),
  });
  const accept = useMutation({
    mutationFn: (d: VendorDocument) =>
      unwrap(
        commands.reviewVendorDocument({ document_id: d.id, version: d.version, accept: true, note: '' }),
      ),
    onSuccess: () => void invalidateEntity(client, 'vendor_applications'),
    onError: (e) => toast.error(errorMessage(e), { description: 'The document was not accepted.' }),
  });
  const add = useMutation({
    mutationFn: async (file: File) =>
      unwrap(
        commands.addVendorDocument(application.id, kind, { name: file.name, content: await base64Of(file) }),
      ),
    onSuccess: (d) => {
      void invalidateEntity(client, 'vendor_applications');
      toast.success(`${DOCUMENT_LABELS[d.kind]} sent`, { description: d.file_name });
    },
    onError: (e) => toast.error(errorMessage(e), { description: 'The file was not sent.' }),
  });
  const chosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) add.mutate(file);
  };
  const docs = application.documents;
  return (
    <section className="flex flex-col gap-2" aria-label="Documents">
      <h3 className="text-sm font-semibold">Documents</h3>
      {docs.length === 0 ? (
        <p className="text-sm text-fg-subtle">No documents yet.</p>
      ) : (
        <ul
          className="flex flex-col divide-y divide-line rounded-md border border-line"
          data-testid="documents"
        >
          {docs.map((d) => (
            <li key={d.id} className="flex flex-col gap-1 px-3 py-2">
              <div className="flex items-center gap-2 text-sm">
                <span className="w-40 shrink-0 font-medium">{DOCUMENT_LABELS[d.kind]}</span>
                <button
                  type="button"
                  className="truncate text-accent-text underline-offset-2 hover:underline"
                  onClick={() => open.mutate(d.id)}
                >
                  {d.file_name}
                </button>
                <span className="text-fg-subtle">{fileSize(d.byte_size)}</span>
                <span className="ml-auto">
                  <StatusBadge status={d.review} labels={REVIEW_LABELS} tones={REVIEW_TONES} />
                </span>
              </div>
              {d.review_note && <p className="text-sm text-fg-muted">{d.review_note}</p>}
              <div className="flex gap-1">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => save.mutate(d.id)}
                  aria-label={`Save ${d.file_name}`}
                >
                  Save
                </Button>
                {canReview && d.review !== 'accepted' && (
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid="document-accept"
                    loading={accept.isPending && accept.variables.id === d.id}
                    onClick={() => accept.mutate(d)}
                  >
                    Accept
                  </Button>
                )}
                {canReview && d.review !== 'rejected' && (
                  <Button
                    size="sm"
                    variant="ghost"
                    data-testid="document-reject"
                    onClick={() => setRejecting(d)}
                  >
                    Reject…
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <div className="flex items-end gap-2">
          <Select
            aria-label="Kind of document"
            data-testid="document-kind"
            className="w-56"
            value={kind}
            onChange={(e) => setKind(e.target.value as VendorDocumentKind)}
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: DOCUMENT_LABELS[k] }))}
          />
          <Button
            size="sm"
            data-testid="document-add"
            loading={add.isPending}
            onClick={() => picker.current?.click()}
          >
            Add a file…
          </Button>
          <input
            ref={picker}
            type="file"
            accept={ACCEPT}
            className="hidden"
            data-testid="document-file"
            onChange={chosen}
          />
        </div>
      )}
      {opened && <FileViewer file={opened} onClose={() => setOpened(null)} />}
      {rejecting && <RejectDialog document={rejecting} onClose={() => setRejecting(null)} />}
    </section>
  );
}
