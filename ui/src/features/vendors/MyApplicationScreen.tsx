import { useQuery } from '@tanstack/react-query';
import { commands } from '../../bindings';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { Screen } from '../../components/Layout';
import { Skeleton } from '../../components/Skeleton';
import { errorMessage } from '../../lib/errors';
import { unwrap } from '../../lib/ipc';
import { ApplicationActions, ApplicationBody } from './ApplicationView';
import { VendorProfileForm } from './VendorProfileForm';

/**
 * A vendor's business: their profile once they sell, and their own onboarding — where the
 * application stands, what the marketplace still needs, its details and documents, and
 * handing it in for review.
 */
export function MyApplicationScreen() {
  const mine = useQuery({
    queryKey: ['vendor_applications', 'mine'],
    queryFn: () => unwrap(commands.myVendorApplication()),
  });
  const a = mine.data;
  return (
    <Screen className="overflow-auto">
      {mine.isPending && <Skeleton className="h-64" />}
      {mine.isError && <ErrorState message={errorMessage(mine.error)} onRetry={() => void mine.refetch()} />}
      {(a === null || a?.stage === 'approved' || a?.stage === 'active') && (
        <Card data-testid="my-profile">
          <CardHeader
            title="Business profile"
            description="What buyers and the marketplace see of your business."
          />
          <CardBody>
            <VendorProfileForm vendorId={null} />
          </CardBody>
        </Card>
      )}
      {a && (
        <Card data-testid="my-application">
          <CardHeader
            title={a.details.business_name}
            description="Fill in your business details, add the documents asked for, then hand it in."
            actions={
              <ApplicationActions application={a} admin={false} onChanged={() => void mine.refetch()} />
            }
          />
          <CardBody>
            <ApplicationBody application={a} admin={false} />
          </CardBody>
        </Card>
      )}
    </Screen>
  );
}
