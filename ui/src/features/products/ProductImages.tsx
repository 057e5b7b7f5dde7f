import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent } from 'react';
import { commands, type ProductImage } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { QueryErrorState } from '../../components/ErrorState';
import { Input } from '../../components/Input';
import { Skeleton } from '../../components/Skeleton';
import { Spinner } from '../../components/Spinner';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { base64Of } from '../../lib/files';
import { unwrap } from '../../lib/ipc';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';

function AltText({ image, onSaved }: { image: ProductImage; onSaved: () => void }) {
  const [text, setText] = useState(image.alt_text);
  const save = useMutation({
    mutationFn: () => unwrap(commands.setProductImageAlt(image.id, text, image.version)),
    onSuccess: onSaved,
    onError: (e) => {
      toast.error(errorMessage(e), { description: 'The alt text was not changed.' });
      setText(image.alt_text);
    },
  });
  const commit = () => {
    if (text.trim() !== image.alt_text) save.mutate();
  };
  return (
    <Input
      aria-label={`Alt text of image ${image.position + 1}`}
      data-testid="image-alt"
      placeholder="What the picture shows"
      value={text}
      maxLength={500}
      disabled={save.isPending}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

function FullSize({ image, onClose }: { image: ProductImage; onClose: () => void }) {
  const original = useQuery({
    queryKey: ['products', 'image-original', image.id],
    queryFn: () => unwrap(commands.productImageOriginal(image.id)),
    staleTime: Infinity,
  });
  const size = image.width && image.height ? `${image.width} × ${image.height} px` : 'size unknown';
  return (
    <Dialog
      open
      size="xl"
      onOpenChange={(o) => !o && onClose()}
      title={image.alt_text || 'Image'}
      description={size}
    >
      {original.isPending ? (
        <Skeleton className="h-96" />
      ) : original.isError ? (
        <QueryErrorState query={original} />
      ) : (
        <img src={original.data} alt={image.alt_text} className="mx-auto max-h-[70vh] object-contain" />
      )}
    </Dialog>
  );
}

function ImageCard({
  image,
  count,
  busy,
  onMove,
  onRemove,
  onOpen,
  onSaved,
}: {
  image: ProductImage;
  count: number;
  busy: boolean;
  onMove: (to: number) => void;
  onRemove: () => Promise<unknown>;
  onOpen: () => void;
  onSaved: () => void;
}) {
  const n = image.position + 1;
  return (
    <li className="flex w-44 flex-col gap-1.5 rounded-md border border-line p-2" data-testid="product-image">
      <button
        type="button"
        onClick={onOpen}
        className="flex h-32 items-center justify-center overflow-hidden rounded-sm bg-raised focus-visible:outline-2"
        aria-label={`Open image ${n} full size`}
      >
        {image.thumbnail ? (
          <img src={image.thumbnail} alt={image.alt_text} className="max-h-full max-w-full object-contain" />
        ) : (
          <span className="px-2 text-center text-sm text-fg-subtle">No preview on this computer</span>
        )}
      </button>
      <div className="flex items-center gap-1">
        {image.position === 0 ? (
          <Badge tone="info">Main</Badge>
        ) : (
          <span className="text-sm text-fg-muted">{n}</span>
        )}
        {image.storage === 'cloudinary' && <Badge>Cloudinary</Badge>}
        {image.publish_error && (
          <span title={image.publish_error}>
            <Badge tone="warning">Not published yet</Badge>
          </span>
        )}
      </div>
      <AltText key={image.version} image={image} onSaved={onSaved} />
      <div className="flex justify-between">
        <div className="flex gap-1">
          <Button
            size="sm"
            variant="ghost"
            disabled={busy || image.position === 0}
            onClick={() => onMove(image.position - 1)}
            aria-label={`Move image ${n} earlier`}
          >
            ←
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={busy || image.position === count - 1}
            onClick={() => onMove(image.position + 1)}
            aria-label={`Move image ${n} later`}
          >
            →
          </Button>
        </div>
        <ConfirmDialog
          title={`Remove image ${n}?`}
          description="It leaves the product's gallery (and Cloudinary, when it was published there)."
          confirmLabel="Remove image"
          onConfirm={onRemove}
          trigger={
            <Button size="sm" variant="ghost" disabled={busy} data-testid="image-remove">
              Remove
            </Button>
          }
        />
      </div>
    </li>
  );
}

/**
 * A product's gallery in the editor: thumbnails (from the local copy, so they show offline),
 * upload from disk, alt text, order and removal — each saved at once by the core.
 */
export function ProductImages({ productId }: { productId: string }) {
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [opened, setOpened] = useState<ProductImage | null>(null);
  const [progress, setProgress] = useState<{ done: number; of: number } | null>(null);
  const key = ['products', 'images', productId];
  const gallery = useQuery({ queryKey: key, queryFn: () => unwrap(commands.productImages(productId)) });
  const refresh = () => void client.invalidateQueries({ queryKey: key });

  const reorder = useMutation({
    mutationFn: (order: string[]) => unwrap(commands.reorderProductImages(productId, order)),
    onSuccess: (next) => client.setQueryData(key, next),
    onError: (e) => {
      toast.error(errorMessage(e), { description: 'The order was not changed.' });
      refresh();
    },
  });

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    let added = 0;
    for (const [i, file] of files.entries()) {
      setProgress({ done: i, of: files.length });
      try {
        const content = await base64Of(file);
        await unwrap(commands.addProductImage(productId, file.name, content, ''));
        added += 1;
      } catch (err) {
        toast.error(errorMessage(err), { description: `${file.name} was not added.` });
      }
    }
    setProgress(null);
    refresh();
    if (added > 0) toast.success(added === 1 ? 'Image added' : `${added} images added`);
  };

  const images = gallery.data ?? [];
  const move = (image: ProductImage, to: number) => {
    const order = images.map((i) => i.id).filter((id) => id !== image.id);
    order.splice(to, 0, image.id);
    reorder.mutate(order);
  };

  return (
    <section className="flex flex-col gap-2" aria-label="Images">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold">
          Images <span className="font-normal text-fg-muted">({images.length})</span>
        </h3>
        <div className="flex items-center gap-2">
          {progress && (
            <span className="flex items-center gap-1.5 text-sm text-fg-muted" role="status">
              <Spinner size={14} /> Uploading {progress.done + 1} of {progress.of}…
            </span>
          )}
          <input
            ref={input}
            type="file"
            accept={ACCEPT}
            multiple
            className="sr-only"
            data-testid="image-file"
            aria-label="Image files"
            onChange={(e) => void upload(e)}
          />
          <Button size="sm" disabled={progress !== null} onClick={() => input.current?.click()}>
            Add images…
          </Button>
        </div>
      </div>
      {gallery.isPending ? (
        <Skeleton className="h-44" />
      ) : gallery.isError ? (
        <QueryErrorState query={gallery} />
      ) : images.length === 0 ? (
        <p
          className="rounded-md border border-dashed border-line px-3 py-6 text-center text-sm text-fg-subtle"
          data-testid="images-empty"
        >
          No images yet. Add JPEG, PNG, WebP or GIF files of up to 10 MB; the first is the main image.
        </p>
      ) : (
        <ol className="flex flex-wrap gap-2" data-testid="product-images">
          {images.map((image) => (
            <ImageCard
              key={image.id}
              image={image}
              count={images.length}
              busy={reorder.isPending}
              onMove={(to) => move(image, to)}
              onOpen={() => setOpened(image)}
              onSaved={refresh}
              onRemove={async () => {
                await unwrap(commands.removeProductImage(productId, image.id));
                refresh();
              }}
            />
          ))}
        </ol>
      )}
      {opened && <FullSize image={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}
