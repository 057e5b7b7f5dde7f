import { useQuery } from '@tanstack/react-query';
import { commands } from '../../bindings';
import { QueryErrorState } from '../../components/ErrorState';
import { Skeleton } from '../../components/Skeleton';
import { unwrap } from '../../lib/ipc';

/** What changed in a product since an admin last approved it, field by field, from the core. */
export function ReviewDiff({ productId }: { productId: string }) {
  const diff = useQuery({
    queryKey: ['products', 'diff', productId],
    queryFn: () => unwrap(commands.productReviewDiff(productId)),
  });
  if (diff.isPending) return <Skeleton className="h-16" />;
  if (diff.isError) return <QueryErrorState query={diff} />;
  const { was_approved: wasApproved, changes } = diff.data;
  if (wasApproved && changes.length === 0) {
    return <p className="text-sm text-fg-muted">Nothing buyers see changed since it was approved.</p>;
  }
  return (
    <div className="flex flex-col gap-1" data-testid="review-diff">
      <p className="text-sm text-fg-muted">
        {wasApproved
          ? `${changes.length} change${changes.length === 1 ? '' : 's'} since it was last approved.`
          : 'New product: never approved before.'}
      </p>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-fg-muted">
          <tr>
            <th className="py-1 pr-2 font-medium">Field</th>
            {wasApproved && <th className="py-1 pr-2 font-medium">Was</th>}
            <th className="py-1 font-medium">{wasApproved ? 'Now' : 'Value'}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.field} className="border-t border-line align-top">
              <th scope="row" className="py-1 pr-2 text-left font-medium">
                {c.field}
              </th>
              {wasApproved && (
                <td className="py-1 pr-2 text-fg-muted line-through decoration-danger-text/60">
                  {c.before ?? '—'}
                </td>
              )}
              <td className="py-1">{c.after ?? <span className="text-danger-text">removed</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
