import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  commands,
  type CustomerReview,
  type ReviewFilter,
  type ReviewSort,
  type ReviewStatus,
} from '../../bindings';
import { Checkbox } from '../../components/Checkbox';
import { DataGrid, gridColumnHelper } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { FilterSelect } from '../../components/FilterSelect';
import { ListScreen } from '../../components/Layout';
import { SearchInput } from '../../components/SearchInput';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, formatNumber } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { useOpenRow, usePagedList } from '../../lib/useListScreen';
import { useMe } from '../session/session';
import { ReviewPanel } from './ReviewPanel';
import { REVIEW_STATUSES, STATUS_LABELS, STATUS_TONES, stars } from './labels';

const REVIEW_SORTS: readonly ReviewSort[] = ['created_at', 'rating'];
const RATINGS = ['5', '4', '3', '2', '1'] as const;
const RATING_LABELS: Record<(typeof RATINGS)[number], string> = {
  '5': '5 stars',
  '4': '4 stars',
  '3': '3 stars',
  '2': '2 stars',
  '1': '1 star',
};

const col = gridColumnHelper<CustomerReview>();
function columnsFor(admin: boolean) {
  return col.columns([
    col.accessor('rating', {
      header: 'Rating',
      meta: { sortKey: 'rating', width: 100 },
      cell: (info) => (
        <span className="text-warning" aria-label={`${info.getValue()} of 5 stars`}>
          {stars(info.getValue())}
        </span>
      ),
    }),
    col.accessor('title', { header: 'Review', meta: { width: 240 } }),
    col.accessor('product_name', { header: 'Product', meta: { width: 200 } }),
    ...(admin ? [col.accessor('vendor_name', { header: 'Vendor', meta: { width: 150 } })] : []),
    col.accessor('status', {
      header: 'Status',
      meta: { width: 110 },
      cell: (info) => <StatusBadge status={info.getValue()} labels={STATUS_LABELS} tones={STATUS_TONES} />,
    }),
    col.accessor('vendor_reply', {
      header: 'Reply',
      meta: { width: 80 },
      cell: (info) => (info.getValue() ? 'Yes' : <span className="text-fg-faint">—</span>),
    }),
    col.accessor('created_at', {
      header: 'Written',
      meta: { sortKey: 'created_at', firstSortDir: 'desc', width: 170 },
      cell: (info) => formatDateTime(info.getValue()),
    }),
  ]);
}

/**
 * Buyers' reviews: admins moderate the queue (publish, or hide with a reason); vendors read
 * their products' reviews and answer them in public. Filtered and paged by the core.
 */
export function ReviewsScreen() {
  const me = useMe();
  const admin = me.role === 'admin';
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ReviewStatus | ''>(admin ? 'pending' : '');
  const [rating, setRating] = useState<(typeof RATINGS)[number] | ''>('');
  const [unanswered, setUnanswered] = useState(false);
  const { open, setOpen, close, gridProps } = useOpenRow<CustomerReview>();
  const counts = useQuery({
    queryKey: ['reviews', 'counts'],
    queryFn: () => unwrap(commands.reviewCounts()),
  });
  const filter: ReviewFilter = useMemo(
    () => ({
      search: search === '' ? null : search,
      status: status === '' ? null : status,
      rating: rating === '' ? null : Number(rating),
      product_id: null,
      unanswered,
    }),
    [search, status, rating, unanswered],
  );
  const fetchPage = usePagedList(filter, commands.listReviews, REVIEW_SORTS, 'created_at');
  const columns = useMemo(() => columnsFor(admin), [admin]);
  const filtered = search !== '' || status !== '' || rating !== '' || unanswered;
  const c = counts.data;
  return (
    <ListScreen
      filters={
        <>
          <SearchInput
            label="Search reviews"
            placeholder="Words of the review or product"
            onSearch={setSearch}
          />
          <FilterSelect
            label="Status"
            data-testid="filter-status"
            placeholder="Any status"
            value={status}
            onValueChange={setStatus}
            values={REVIEW_STATUSES}
            labels={STATUS_LABELS}
            className="w-36"
          />
          <FilterSelect
            label="Rating"
            data-testid="filter-rating"
            placeholder="Any rating"
            value={rating}
            onValueChange={setRating}
            values={RATINGS}
            labels={RATING_LABELS}
            className="w-32"
          />
          <Checkbox data-testid="filter-unanswered" checked={unanswered} onChange={setUnanswered}>
            Unanswered
          </Checkbox>
          {c && (
            <span className="ml-auto text-sm text-fg-muted" data-testid="review-counts">
              {formatNumber(c.pending)} pending · {formatNumber(c.unanswered)} unanswered
            </span>
          )}
        </>
      }
      detail={open && <ReviewPanel key={open.id} review={open} onClose={close} onChanged={setOpen} />}
    >
      <DataGrid
        aria-label="Reviews"
        data-testid="grid-reviews"
        className="min-h-0 flex-1"
        {...gridProps}
        columns={columns}
        queryKey={['reviews', 'list', filter]}
        fetchPage={fetchPage}
        rowKey={(r) => r.id}
        defaultSort={{ key: 'created_at', dir: 'desc' }}
        emptyState={
          <EmptyState
            title={filtered ? 'No reviews match' : 'No reviews yet'}
            description={filtered ? 'Try another status, rating or search.' : undefined}
          />
        }
      />
    </ListScreen>
  );
}
