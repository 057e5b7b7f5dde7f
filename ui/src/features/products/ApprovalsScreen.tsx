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
import { ReviewDiff } from './ReviewDiff';
import { Variants } from './Variants';

const WORDING = {
  reject: {
    title: (name: string) => `Reject “${name}”?`,
    description: 'The vendor reads your reason and can fix the listing and send it again.',
    label: 'Reason (required)',
    button: 'Reject product',
    missing: 'Say why, so the vendor can fix it.',
    placeholder: 'e.g. The photos show a different colour than the variants list.',
  },
  changes: {
    title: (name: string) => `Ask for changes to “${name}”?`,
    description: 'It goes back to the vendor as a draft with your note; they edit it and send it again.',
    label: 'What to change (required)',
    button: 'Ask for changes',
    missing: 'Say what to change, so the vendor can do it.',
    placeholder: 'e.g. Add the size M weight; the barcode of the red one is wrong.',
  },
} as const;

function ReasonDialog({
  product,
  mode,
  open,
  onOpenChange,
  onReject,
}: {
  product: Product;
  mode: keyof typeof WORDING;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onReject: (reason: string) => Promise<void>;
}) {
  const words = WORDING[mode];
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
      title={words.title(product.name)}
      description={words.description}
      footer={
        <>
          <DialogClose asChild>
            <Button disabled={pending}>Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            loading={pending}
            data-testid={`${mode}-confirm`}
            onClick={() => void submit()}
          >
            {words.button}
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
          {words.label}
        </label>
        <textarea
          id={id}
          autoFocus
          rows={4}
          value={reason}
          data-testid={`${mode}-reason`}
          aria-invalid={(touched && missing) || undefined}
          aria-describedby={touched && missing ? `${id}-error` : undefined}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          placeholder={words.placeholder}
          className={cn(controlClasses, 'h-auto py-1.5')}
        />
        {touched && missing && (
          <p id={`${id}-error`} className="text-sm text-danger-text">
            {words.missing}
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
  const [asking, setAsking] = useState<'reject' | 'changes' | null>(null);

  const review = useMutation({
    mutationFn: (r: Review) => unwrap(commands.reviewProduct(product.id, product.version, r)),
    onSettled: () => client.invalidateQueries({ queryKey: ['products', 'list'] }),
  });

  const run = async (r: Review) => {
    try {
      await review.mutateAsync(r);
      toast.success(`“${product.name}” ${DECIDED[r.decision]}`, {
        description: r.decision === 'approve' ? 'It is live in the storefront.' : 'The vendor has been told.',
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
            variant="ghost"
            onClick={() => setAsking('reject')}
            disabled={review.isPending}
            data-testid="reject"
          >
            Reject…
          </Button>
          <Button
            variant="secondary"
            onClick={() => setAsking('changes')}
            disabled={review.isPending}
            data-testid="ask-changes"
          >
            Ask for changes…
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
      <PanelSection title="What changed">
        <ReviewDiff productId={product.id} />
      </PanelSection>
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
      {asking && (
        <ReasonDialog
          product={product}
          mode={asking}
          open
          onOpenChange={(open) => !open && setAsking(null)}
          onReject={async (text) => {
            await run(
              asking === 'reject'
                ? { decision: 'reject', reason: text }
                : { decision: 'request_changes', note: text },
            );
            setAsking(null);
          }}
        />
      )}
    </SidePanel>
  );
}

const DECIDED: Record<Review['decision'], string> = {
  approve: 'approved',
  request_changes: 'sent back for changes',
  reject: 'rejected',
};

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
