import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { commands, type CustomerReview } from '../../bindings';
import { FormDialog } from '../../components/FormDialog';
import { InlineError } from '../../components/InlineError';
import { TextAreaField } from '../../components/TextAreaField';
import { toast } from '../../components/toast';
import { unwrap } from '../../lib/ipc';
import { invalidateEntity } from '../../lib/queryKeys';

/** Hides a review from its product; the reason is shown to the vendor and kept in the audit trail. */
export function HideDialog({
  review,
  onHidden,
  onClose,
}: {
  review: CustomerReview;
  onHidden: (next: CustomerReview) => void;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missing = reason.trim() === '';
  const hide = useMutation({
    mutationFn: () =>
      unwrap(commands.moderateReview(review.id, review.version, { decision: 'hide', reason })),
    onSuccess: (next) => {
      void invalidateEntity(client, 'reviews');
      onHidden(next);
      toast.success('Review hidden', { description: 'It no longer shows on the product.' });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing || hide.isPending) return;
    hide.mutate();
  };
  return (
    <FormDialog
      title="Hide this review?"
      description="It stays on record; the vendor sees why it was hidden."
      submitLabel="Hide review"
      submitTestId="review-hide-submit"
      pending={hide.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextAreaField
        label="Why"
        error={tried && missing ? 'Say why it is hidden.' : undefined}
        value={reason}
        onChange={setReason}
        maxLength={500}
        autoFocus
        data-testid="review-hide-reason"
      />
      {hide.isError && <InlineError error={hide.error} title="The review was not hidden" />}
    </FormDialog>
  );
}
