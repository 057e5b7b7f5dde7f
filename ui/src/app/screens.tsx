import { lazy, type ReactNode } from 'react';
import type { ScreenName } from './roleScreens';
import {
  BellIcon,
  BoxIcon,
  CardIcon,
  ChartIcon,
  ContactsIcon,
  CoinsIcon,
  FlagIcon,
  GridIcon,
  HistoryIcon,
  InboxCheckIcon,
  LedgerIcon,
  MailIcon,
  OrdersIcon,
  PrinterIcon,
  RefreshIcon,
  ScanIcon,
  SettingsIcon,
  StarIcon,
  StoreIcon,
  TableIcon,
  TruckIcon,
  UsersIcon,
  WalletIcon,
} from '../components/icons';
import { AuditScreen } from '../features/audit/AuditScreen';
import { CustomersScreen } from '../features/customers/CustomersScreen';
import { DisputesScreen } from '../features/disputes/DisputesScreen';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { LogsScreen } from '../features/logs/LogsScreen';
import { LedgerScreen } from '../features/ledger/LedgerScreen';
import { NotificationsScreen } from '../features/notifications/NotificationsScreen';
import { FulfilmentScreen } from '../features/fulfilment/FulfilmentScreen';
import { OrdersScreen } from '../features/orders/OrdersScreen';
import { OutboxScreen } from '../features/outbox/OutboxScreen';
import { PayoutsScreen } from '../features/payouts/PayoutsScreen';
import { PrintersScreen } from '../features/printers/PrintersScreen';
import { ApprovalsScreen } from '../features/products/ApprovalsScreen';
import { ProductsScreen } from '../features/products/ProductsScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { ReviewsScreen } from '../features/reviews/ReviewsScreen';
import { ScanStation } from '../features/scan/ScanStation';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { ShipmentsScreen } from '../features/shipments/ShipmentsScreen';
import { ShippingScreen } from '../features/shipping/ShippingScreen';
import { SubscriptionScreen } from '../features/subscriptions/SubscriptionScreen';
import { SyncScreen } from '../features/sync/SyncScreen';
import { UsersScreen } from '../features/users/UsersScreen';
import { MyApplicationScreen } from '../features/vendors/MyApplicationScreen';
import { VendorsScreen } from '../features/vendors/VendorsScreen';

// The screens with charts load recharts (the largest dependency) on demand.
const RevenueScreen = lazy(() => import('../features/revenue/RevenueScreen'));
const DashboardScreen = lazy(() => import('../features/dashboard/DashboardScreen'));
const EarningsScreen = lazy(() => import('../features/earnings/EarningsScreen'));

export type ScreenDef = {
  label: string;
  icon: ReactNode;
  shortcut: string;
  render: () => ReactNode;
};

export const SCREENS: Record<ScreenName, ScreenDef> = {
  orders: { label: 'Orders', icon: <OrdersIcon />, shortcut: 'g o', render: () => <OrdersScreen /> },
  fulfilment: { label: 'Fulfilment', icon: <BoxIcon />, shortcut: 'g f', render: () => <FulfilmentScreen /> },
  approvals: {
    label: 'Approvals',
    icon: <InboxCheckIcon />,
    shortcut: 'g a',
    render: () => <ApprovalsScreen />,
  },
  products: { label: 'Products', icon: <GridIcon />, shortcut: 'g p', render: () => <ProductsScreen /> },
  reviews: { label: 'Reviews', icon: <StarIcon />, shortcut: 'g v', render: () => <ReviewsScreen /> },
  users: { label: 'Users', icon: <UsersIcon />, shortcut: 'g u', render: () => <UsersScreen /> },
  vendors: { label: 'Vendors', icon: <StoreIcon />, shortcut: 'g z', render: () => <VendorsScreen /> },
  application: {
    label: 'Application',
    icon: <StoreIcon />,
    shortcut: 'g q',
    render: () => <MyApplicationScreen />,
  },
  customers: {
    label: 'Customers',
    icon: <ContactsIcon />,
    shortcut: 'g w',
    render: () => <CustomersScreen />,
  },
  disputes: { label: 'Disputes', icon: <FlagIcon />, shortcut: 'g d', render: () => <DisputesScreen /> },
  shipments: { label: 'Shipments', icon: <TruckIcon />, shortcut: 'g s', render: () => <ShipmentsScreen /> },
  printers: { label: 'Printers', icon: <PrinterIcon />, shortcut: 'g n', render: () => <PrintersScreen /> },
  shipping: { label: 'Shipping', icon: <TruckIcon />, shortcut: 'g h', render: () => <ShippingScreen /> },
  scan: { label: 'Scan station', icon: <ScanIcon />, shortcut: 'g c', render: () => <ScanStation /> },
  revenue: { label: 'Revenue', icon: <ChartIcon />, shortcut: 'g r', render: () => <RevenueScreen /> },
  dashboard: {
    label: 'Dashboard',
    icon: <ChartIcon />,
    shortcut: 'g shift+d',
    render: () => <DashboardScreen />,
  },
  // 'g r' is Revenue's.
  reports: { label: 'Reports', icon: <TableIcon />, shortcut: 'g x', render: () => <ReportsScreen /> },
  earnings: { label: 'Earnings', icon: <CoinsIcon />, shortcut: 'g e', render: () => <EarningsScreen /> },
  payouts: { label: 'Payouts', icon: <WalletIcon />, shortcut: 'g y', render: () => <PayoutsScreen /> },
  ledger: { label: 'Ledger', icon: <LedgerIcon />, shortcut: 'g j', render: () => <LedgerScreen /> },
  subscription: {
    label: 'Subscription',
    icon: <CardIcon />,
    shortcut: 'g b',
    render: () => <SubscriptionScreen />,
  },
  settings: { label: 'Settings', icon: <SettingsIcon />, shortcut: 'g t', render: () => <SettingsScreen /> },
  audit: { label: 'Audit trail', icon: <HistoryIcon />, shortcut: 'g l', render: () => <AuditScreen /> },
  outbox: { label: 'Mail outbox', icon: <MailIcon />, shortcut: 'g m', render: () => <OutboxScreen /> },
  jobs: { label: 'Jobs', icon: <RefreshIcon />, shortcut: 'g g', render: () => <JobsScreen /> },
  logs: { label: 'Logs', icon: <TableIcon />, shortcut: 'g shift+l', render: () => <LogsScreen /> },
  sync: { label: 'Sync', icon: <RefreshIcon />, shortcut: 'g k', render: () => <SyncScreen /> },
  notifications: {
    label: 'Notifications',
    icon: <BellIcon />,
    shortcut: 'g i',
    render: () => <NotificationsScreen />,
  },
};
