import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent } from 'react';
import { commands, type ChosenFile, type DisputeAttachment, type OpenedFile } from '../../bindings';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { CloseIcon } from '../../components/icons';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { base64Of } from '../../lib/files';
import { formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,application/pdf,text/plain,.txt,.pdf';
/** As many files as the core takes with one message. */
export const MAX_FILES = 5;

/** A file's size in words: '340 KB', '2.4 MB'. */
export function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`
    : `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/** A file opened in the app: a picture shown, a PDF or text in a frame. */
export function FileViewer({ file, onClose }: { file: OpenedFile; onClose: () => void }) {
  return (
    <Dialog
      open
      size="xl"
      onOpenChange={(o) => !o && onClose()}
      title={file.name}
      description={file.media_type}
    >
      {file.media_type.startsWith('image/') ? (
        <img src={file.data_url} alt={file.name} className="mx-auto max-h-[70vh] object-contain" />
      ) : (
        <iframe
          title={file.name}
          src={file.data_url}
          className="h-[70vh] w-full rounded-md border border-line"
        />
      )}
    </Dialog>
  );
}

/** The files sent with a message: each opened in the app or saved to Downloads. */
export function FileList({ files }: { files: DisputeAttachment[] }) {
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const open = useMutation({
    mutationFn: (id: string) => unwrap(commands.openDisputeFile(id)),
    onSuccess: setOpened,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const save = useMutation({
    mutationFn: (id: string) => unwrap(commands.saveDisputeFile(id)),
    onSuccess: (path) => toast.success('File saved', { description: path }),
    onError: (e) => toast.error(errorMessage(e), { description: 'Nothing was saved.' }),
  });
  if (files.length === 0) return null;
  return (
    <ul className="mt-2 flex flex-col gap-1" data-testid="dispute-files">
      {files.map((f) => (
        <li key={f.id} className="flex items-center gap-2 text-sm">
          <button
            type="button"
            className="truncate text-accent-text underline-offset-2 hover:underline"
            onClick={() => open.mutate(f.id)}
          >
            {f.file_name}
          </button>
          <span className="text-fg-subtle">{fileSize(f.byte_size)}</span>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => save.mutate(f.id)}
            aria-label={`Save ${f.file_name}`}
          >
            Save
          </Button>
        </li>
      ))}
      {opened && <FileViewer file={opened} onClose={() => setOpened(null)} />}
    </ul>
  );
}

/** Files chosen to go with the next message, with a button to add more and one to drop each. */
export function FilePicker({
  files,
  onChange,
}: {
  files: ChosenFile[];
  onChange: (f: ChosenFile[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const picked = Array.from(e.target.files ?? []);
    e.target.value = '';
    const room = MAX_FILES - files.length;
    if (picked.length > room) toast.error(`Send ${MAX_FILES} files at most with one message.`);
    const read = await Promise.all(
      picked.slice(0, Math.max(0, room)).map(async (f) => ({ name: f.name, content: await base64Of(f) })),
    );
    onChange([...files, ...read]);
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        aria-label="Files to send"
        data-testid="dispute-files-input"
        onChange={(e) => void choose(e)}
      />
      <Button
        size="sm"
        variant="ghost"
        disabled={files.length >= MAX_FILES}
        onClick={() => input.current?.click()}
      >
        Attach files…
      </Button>
      {files.map((f, i) => (
        <span key={`${f.name}-${i}`} className="flex items-center gap-1 rounded-sm bg-raised px-1.5 text-sm">
          {f.name}
          <button
            type="button"
            aria-label={`Do not send ${f.name}`}
            onClick={() => onChange(files.filter((_, j) => j !== i))}
          >
            <CloseIcon size={12} />
          </button>
        </span>
      ))}
    </div>
  );
}
