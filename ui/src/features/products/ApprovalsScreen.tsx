import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { commands, type Product, type ProductFilter, type Review } from '../../bindings';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataGrid } from '../../components/DataGrid';
import { Dialog, DialogClose } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { CheckIcon, InboxCheckIcon } from '../../components/icons';
import { controlClasses } from '../../components/Input';
import { ListScreen } from '../../components/Layout';
import { NameOrId } from '../../components/NameOrId';
import { SearchInput } from '../../components/SearchInput';
import { DetailList, PanelSection, SidePanel } from '../../components/SidePanel';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format';
import { isErrorKind, unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { approvalColumns, PRODUCT_SORTS } from './columns';
import { Variants } from './Variants';

function RejectDialog({
  product,
  open,
  onOpenChange,
  onReject,
}: {
  product: Product;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onReject: (reason: string) => Promise<void>;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const missing = reason.trim() === '';

  const submit = async () => {
    setTouched(true);
    if (missing || pending) return;
    setPending(true);
    try {
      await onReject(reason.trim());
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        if (!next) {
          setReason('');
          setTouched(false);
        }
        onOpenChange(next);
      }}
      title={`Reject “${product.name}”?`}
      description="The vendor reads your reason and can fix the listing and send it again."
      footer={
        <>
          <DialogClose asChild>
            <Button disabled={pending}>Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            loading={pending}
            data-testid="reject-confirm"
            onClick={() => void submit()}
          >
            Reject product
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        className="flex flex-col gap-1"
      >
        <label htmlFor={id} className="text-sm font-medium text-fg-muted">
          Reason (required)
        </label>
        <textarea
          id={id}
          autoFocus
          rows={4}
          value={reason}
          data-testid="reject-reason"
          aria-invalid={(touched && missing) || undefined}
          aria-describedby={touched && missing ? `${id}-error` : undefined}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          placeholder="e.g. The photos show a different colour than the variants list."
          className={cn(controlClasses, 'h-auto py-1.5')}
        />
        {touched && missing && (
          <p id={`${id}-error`} className="text-sm text-danger-text">
            Say why, so the vendor can fix it.
          </p>
        )}
      </form>
    </Dialog>
  );
}

function ApprovalPanel({
  product,
  onClose,
  onDone,
}: {
  product: Product;
  onClose: () => void;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [rejecting, setRejecting] = useState(false);

  const review = useMutation({
    mutationFn: (r: Review) => unwrap(commands.reviewProduct(product.id, product.version, r)),
    onSettled: () => client.invalidateQueries({ queryKey: ['products', 'list'] }),
  });

  const run = async (r: Review) => {
    try {
      await review.mutateAsync(r);
      toast.success(`“${product.name}” ${r.decision === 'approve' ? 'approved' : 'rejected'}`, {
        description:
          r.decision === 'approve' ? 'It is live in the storefront.' : 'The vendor has been told why.',
      });
      onDone();
    } catch (e) {
      toast.error(errorMessage(e), {
        description: isErrorKind(e, 'conflict')
          ? 'The queue has been reloaded: open the product again.'
          : undefined,
      });
      if (isErrorKind(e, 'conflict') || isErrorKind(e, 'not_found')) onDone();
    }
  };

  return (
    <SidePanel
      data-testid="approval-detail"
      focusKey={product.id}
      title={product.name}
      description={<span className="font-mono">{product.slug}</span>}
      onClose={onClose}
      footer={
        <>
          <Button
            variant="secondary"
            onClick={() => setRejecting(true)}
            disabled={review.isPending}
            data-testid="reject"
          >
            Reject…
          </Button>
          <Button
            variant="primary"
            icon={<CheckIcon />}
            onClick={() => setConfirming(true)}
            loading={review.isPending}
            data-testid="approve"
          >
            Approve
          </Button>
        </>
      }
    >
      <DetailList
        items={[
          ['Vendor', <NameOrId key="v" name={product.vendor_name} id={product.vendor_id} />],
          ['Base price', formatMoney(product.base_price_minor, product.currency)],
          ['Created', `${formatDateTime(product.created_at)} (${formatRelative(product.created_at)})`],
          ['Category', <NameOrId key="c" name={product.category_name} id={product.category_id} />],
        ]}
      />
      <PanelSection title="Variants">
        <Variants productId={product.id} editable={false} />
      </PanelSection>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Approve “${product.name}”?`}
        description="It goes live in the storefront at once."
        confirmLabel="Approve"
        tone="primary"
        onConfirm={() => run({ decision: 'approve' })}
      />
      <RejectDialog
        product={product}
        open={rejecting}
        onOpenChange={setRejecting}
        onReject={async (reason) => {
          await run({ decision: 'reject', reason });
          setRejecting(false);
        }}
      />
    </SidePanel>
  );
}

const PENDING_REVIEW = 'pending_review' as const;

/** Products waiting for an admin's review, oldest first. */
export function ApprovalsScreen() {
  const [search, setSearch] = useState('');
  const { open, close, gridProps } = useOpenRow<Product>();

  const filter: ProductFilter = useMemo(
    () => ({
      vendor_id: null,
      category_id: null,
      status: PENDING_REVIEW,
      search: search === '' ? null : search,
    }),
    [search],
  );
  const fetchPage = usePagedList(filter, commands.listProducts, PRODUCT_SORTS, 'created_at');

  return (
    <ListScreen
      filters={
        <SearchInput label="Search the approval queue" placeholder="Product name" onSearch={setSearch} />
      }
      detail={open && <ApprovalPanel key={open.id} product={open} onClose={close} onDone={close} />}
    >
      <DataGrid
        aria-label="Products waiting for review"
        data-testid="grid-approvals"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={approvalColumns}
        queryKey={queryKeys.productList('approvals', filter)}
        fetchPage={fetchPage}
        rowKey={(p) => p.id}
        defaultSort={{ key: 'created_at', dir: 'asc' }}
        emptyState={
          <EmptyState
            icon={<InboxCheckIcon size={20} />}
            title={search ? 'No waiting product matches' : 'Nothing to review'}
            description={search ? 'Try another search.' : 'Every product vendors sent has been reviewed.'}
          />
        }
      />
    </ListScreen>
  );
}
