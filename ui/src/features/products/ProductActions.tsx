import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type Product, type ProductStep } from '../../bindings';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { toast } from '../../components/toast';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';

const DONE: Record<ProductStep, string> = {
  submit: 'sent for review',
  archive: 'archived',
  restore: 'restored as a draft',
};

/**
 * The product panel's footer for its vendor and admins: edit, send for review, archive or
 * restore — offered by status; the core decides again and names what is wrong.
 */
export function ProductActions({
  product,
  onEdit,
  onMoved,
}: {
  product: Product;
  onEdit: () => void;
  onMoved: () => void;
}) {
  const client = useQueryClient();
  const [archiving, setArchiving] = useState(false);
  const move = useMutation({
    mutationFn: (step: ProductStep) => unwrap(commands.productStep(product.id, product.version, step)),
    onSuccess: (_, step) => {
      toast.success(`“${product.name}” ${DONE[step]}`);
      void client.invalidateQueries({ queryKey: ['products'] });
      onMoved();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const status = product.status;
  return (
    <>
      {status === 'archived' ? (
        <Button onClick={() => move.mutate('restore')} loading={move.isPending} data-testid="product-restore">
          Restore
        </Button>
      ) : (
        <>
          <Button variant="ghost" onClick={() => setArchiving(true)} data-testid="product-archive">
            Archive…
          </Button>
          <Button onClick={onEdit} data-testid="product-edit">
            Edit…
          </Button>
        </>
      )}
      {(status === 'draft' || status === 'rejected') && (
        <Button
          variant="primary"
          onClick={() => move.mutate('submit')}
          loading={move.isPending}
          data-testid="product-submit"
        >
          Send for review
        </Button>
      )}
      <ConfirmDialog
        open={archiving}
        onOpenChange={setArchiving}
        title={`Archive “${product.name}”?`}
        description="It leaves the catalog and the lists; orders that name it keep it. You can restore it as a draft."
        confirmLabel="Archive"
        tone="danger"
        onConfirm={() => move.mutateAsync('archive').then(() => undefined)}
      />
    </>
  );
}
