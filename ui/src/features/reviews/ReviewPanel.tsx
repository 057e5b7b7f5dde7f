import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type CustomerReview } from '../../bindings';
import { Button } from '../../components/Button';
import { InlineError } from '../../components/InlineError';
import { controlClasses } from '../../components/Input';
import { SidePanel } from '../../components/SidePanel';
import { StatusBadge } from '../../components/StatusBadge';
import { toast } from '../../components/toast';
import { cn } from '../../lib/cn';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { HideDialog } from './HideDialog';
import { STATUS_LABELS, STATUS_TONES, stars } from './labels';

function Reply({ review, onChanged }: { review: CustomerReview; onChanged: (r: CustomerReview) => void }) {
  const client = useQueryClient();
  const [text, setText] = useState(review.vendor_reply ?? '');
  const save = useMutation({
    mutationFn: (reply: string | null) => unwrap(commands.replyToReview(review.id, review.version, reply)),
    onSuccess: (next) => {
      void invalidateEntity(client, 'reviews');
      toast.success(next.vendor_reply ? 'Reply published' : 'Reply taken back');
      setText(next.vendor_reply ?? '');
      onChanged(next);
    },
  });
  const unchanged = text.trim() === (review.vendor_reply ?? '');
  return (
    <section className="flex flex-col gap-2" aria-label="Reply">
      <h3 className="text-sm font-semibold">Public reply</h3>
      <textarea
        aria-label="Reply"
        data-testid="review-reply"
        rows={4}
        maxLength={2000}
        placeholder="Thank the buyer, or say what you will do about it."
        value={text}
        onChange={(e) => setText(e.target.value)}
        className={cn(controlClasses, 'h-auto py-1.5')}
      />
      {review.vendor_replied_at && (
        <p className="text-sm text-fg-muted">Replied {formatDateTime(review.vendor_replied_at)}</p>
      )}
      <div className="flex gap-2">
        <Button
          variant="primary"
          size="sm"
          data-testid="review-reply-save"
          disabled={unchanged || text.trim() === ''}
          loading={save.isPending}
          onClick={() => save.mutate(text)}
        >
          {review.vendor_reply ? 'Update reply' : 'Publish reply'}
        </Button>
        {review.vendor_reply && (
          <Button size="sm" variant="ghost" disabled={save.isPending} onClick={() => save.mutate(null)}>
            Take back
          </Button>
        )}
      </div>
      {save.isError && <InlineError error={save.error} title="The reply was not saved" />}
    </section>
  );
}

/** One review in full: what the buyer wrote, where it stands, the admin's decision and the reply. */
export function ReviewPanel({
  review,
  onClose,
  onChanged,
}: {
  review: CustomerReview;
  onClose: () => void;
  onChanged: (r: CustomerReview) => void;
}) {
  const me = useMe();
  const client = useQueryClient();
  const [hiding, setHiding] = useState(false);
  const publish = useMutation({
    mutationFn: () => unwrap(commands.moderateReview(review.id, review.version, { decision: 'publish' })),
    onSuccess: (next) => {
      void invalidateEntity(client, 'reviews');
      toast.success('Review published', { description: 'It shows on the product.' });
      onChanged(next);
    },
    onError: (e) => toast.error(errorMessage(e), { description: 'The review was not published.' }),
  });
  const admin = me.role === 'admin';
  return (
    <SidePanel
      title={review.title || 'Review'}
      description={`${review.product_name} · ${review.vendor_name}`}
      onClose={onClose}
      data-testid="review-panel"
      footer={
        admin && (
          <div className="flex gap-2">
            {review.status !== 'published' && (
              <Button
                variant="primary"
                data-testid="review-publish"
                loading={publish.isPending}
                onClick={() => publish.mutate()}
              >
                Publish
              </Button>
            )}
            {review.status !== 'hidden' && (
              <Button data-testid="review-hide" onClick={() => setHiding(true)}>
                Hide…
              </Button>
            )}
          </div>
        )
      }
    >
      <div className="flex flex-col gap-4">
        <div className="flex items-center gap-2">
          <span className="text-lg text-warning" aria-label={`${review.rating} of 5 stars`}>
            {stars(review.rating)}
          </span>
          <StatusBadge status={review.status} labels={STATUS_LABELS} tones={STATUS_TONES} />
        </div>
        <p className="text-base whitespace-pre-wrap">
          {review.body || <span className="text-fg-faint">No text</span>}
        </p>
        <p className="text-sm text-fg-muted">
          {review.customer_name} · {formatDateTime(review.created_at)}
        </p>
        {review.hidden_reason && (
          <p className="rounded-md bg-raised px-3 py-2 text-sm" data-testid="review-hidden-reason">
            <span className="font-medium">Hidden: </span>
            {review.hidden_reason}
          </p>
        )}
        {review.status === 'published' ? (
          <Reply key={review.version} review={review} onChanged={onChanged} />
        ) : (
          <p className="text-sm text-fg-subtle">A review is answered once it is published.</p>
        )}
      </div>
      {hiding && <HideDialog review={review} onHidden={onChanged} onClose={() => setHiding(false)} />}
    </SidePanel>
  );
}
