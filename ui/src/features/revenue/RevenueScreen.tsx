import { useState } from 'react';
import { Screen } from '../../components/Layout';
import { RevenueFilters } from './RevenueFilters';
import { RevenueReportView } from './RevenueReport';
import { defaultRevenueParams, useRevenue } from './useRevenue';

/** Sales by period for the whole marketplace (admins, finance). */
export default function RevenueScreen() {
  const [initial] = useState(() => defaultRevenueParams());
  const { params, update, problem, report } = useRevenue(initial);
  return (
    <Screen data-testid="revenue" className="overflow-y-auto">
      <RevenueFilters params={params} onChange={update} problem={problem} />
      <RevenueReportView report={report} />
    </Screen>
  );
}
