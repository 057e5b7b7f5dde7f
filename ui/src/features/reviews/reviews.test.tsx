import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CustomerReview, ReviewCounts } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const review = (overrides: Partial<CustomerReview> = {}): CustomerReview => ({
  id: '0199a000-0000-7000-8000-000000000001',
  product_id: '0190e000-0000-7000-8000-000000000001',
  product_name: 'Linen apron',
  vendor_id: '0190c000-0000-7000-8000-000000000001',
  vendor_name: 'Harbour Goods',
  customer_name: 'Cora Customer',
  rating: 1,
  title: 'Not quite right',
  body: 'Quality could be better for the price.',
  status: 'pending',
  hidden_reason: null,
  vendor_reply: null,
  vendor_replied_at: null,
  moderated_at: null,
  created_at: '2026-11-02T08:00:00.000000Z',
  version: 3,
  ...overrides,
});

const counts: ReviewCounts = { pending: 1, published: 10, hidden: 0, unanswered: 4 };

describe('reviews', () => {
  it('opens an admin on the pending queue and hides a review only with a reason', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/reviews',
      handlers: {
        list_reviews: () => page([review()]),
        review_counts: () => counts,
        moderate_review: () => review({ status: 'hidden', hidden_reason: 'Names a person', version: 4 }),
      },
    });
    await user.click(await screen.findByText('Not quite right'));
    expect(argsOf('list_reviews')[0]).toMatchObject({ filter: { status: 'pending', unanswered: false } });
    expect(screen.getByTestId('review-counts')).toHaveTextContent('1 pending · 4 unanswered');
    const panel = await screen.findByTestId('review-panel');
    await user.click(within(panel).getByTestId('review-hide'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByTestId('review-hide-submit'));
    expect(await within(dialog).findByText('Say why it is hidden.')).toBeInTheDocument();
    expect(argsOf('moderate_review')).toEqual([]);
    await user.type(within(dialog).getByTestId('review-hide-reason'), 'Names a person');
    await user.click(within(dialog).getByTestId('review-hide-submit'));
    await waitFor(() =>
      expect(argsOf('moderate_review')).toEqual([
        { id: review().id, version: 3, decision: { decision: 'hide', reason: 'Names a person' } },
      ]),
    );
    expect(await screen.findByTestId('review-hidden-reason')).toHaveTextContent('Names a person');
  });

  it('lets a vendor answer a published review, and offers no moderation', async () => {
    const published = review({ status: 'published', rating: 5, title: 'Does what it says' });
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/reviews',
      handlers: {
        list_reviews: () => page([published]),
        review_counts: () => counts,
        reply_to_review: (args) => ({
          ...published,
          vendor_reply: (args as { reply: string }).reply,
          vendor_replied_at: '2026-12-01T08:00:00.000000Z',
          version: 4,
        }),
      },
    });
    await user.click(await screen.findByText('Does what it says'));
    const panel = await screen.findByTestId('review-panel');
    expect(within(panel).queryByTestId('review-hide')).toBeNull();
    await user.type(within(panel).getByTestId('review-reply'), 'Thank you!');
    await user.click(within(panel).getByTestId('review-reply-save'));
    await waitFor(() =>
      expect(argsOf('reply_to_review')).toEqual([{ id: published.id, version: 3, reply: 'Thank you!' }]),
    );
    expect(await within(panel).findByText('Take back')).toBeInTheDocument();
  });
});
