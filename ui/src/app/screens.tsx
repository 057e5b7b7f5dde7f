import { lazy, type ReactNode } from 'react';
import type { Role } from '../bindings';
import {
  BoxIcon,
  CardIcon,
  ChartIcon,
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
  TableIcon,
  TruckIcon,
  UsersIcon,
  WalletIcon,
} from '../components/icons';
import { AuditScreen } from '../features/audit/AuditScreen';
import { DisputesScreen } from '../features/disputes/DisputesScreen';
import { LedgerScreen } from '../features/ledger/LedgerScreen';
import { FulfilmentScreen } from '../features/fulfilment/FulfilmentScreen';
import { OrdersScreen } from '../features/orders/OrdersScreen';
import { OutboxScreen } from '../features/outbox/OutboxScreen';
import { PayoutsScreen } from '../features/payouts/PayoutsScreen';
import { PrintersScreen } from '../features/printers/PrintersScreen';
import { ApprovalsScreen } from '../features/products/ApprovalsScreen';
import { ProductsScreen } from '../features/products/ProductsScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { ScanStation } from '../features/scan/ScanStation';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { ShipmentsScreen } from '../features/shipments/ShipmentsScreen';
import { ShippingScreen } from '../features/shipping/ShippingScreen';
import { SubscriptionScreen } from '../features/subscriptions/SubscriptionScreen';
import { SyncScreen } from '../features/sync/SyncScreen';
import { UsersScreen } from '../features/users/UsersScreen';

// The screens with charts load recharts (the largest dependency) on demand.
const RevenueScreen = lazy(() => import('../features/revenue/RevenueScreen'));
const EarningsScreen = lazy(() => import('../features/earnings/EarningsScreen'));

export type ScreenName =
  | 'orders'
  | 'fulfilment'
  | 'approvals'
  | 'products'
  | 'users'
  | 'disputes'
  | 'shipments'
  | 'printers'
  | 'shipping'
  | 'scan'
  | 'revenue'
  | 'reports'
  | 'earnings'
  | 'payouts'
  | 'ledger'
  | 'subscription'
  | 'settings'
  | 'audit'
  | 'outbox'
  | 'sync';

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
  users: { label: 'Users', icon: <UsersIcon />, shortcut: 'g u', render: () => <UsersScreen /> },
  disputes: { label: 'Disputes', icon: <FlagIcon />, shortcut: 'g d', render: () => <DisputesScreen /> },
  shipments: { label: 'Shipments', icon: <TruckIcon />, shortcut: 'g s', render: () => <ShipmentsScreen /> },
  printers: { label: 'Printers', icon: <PrinterIcon />, shortcut: 'g n', render: () => <PrintersScreen /> },
  shipping: { label: 'Shipping', icon: <TruckIcon />, shortcut: 'g h', render: () => <ShippingScreen /> },
  scan: { label: 'Scan station', icon: <ScanIcon />, shortcut: 'g c', render: () => <ScanStation /> },
  revenue: { label: 'Revenue', icon: <ChartIcon />, shortcut: 'g r', render: () => <RevenueScreen /> },
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
  sync: { label: 'Sync', icon: <RefreshIcon />, shortcut: 'g k', render: () => <SyncScreen /> },
};

/** What each role may open, in navigation order. The first is the role's home screen. */
export const NAV_BY_ROLE: Record<Role, readonly ScreenName[]> = {
  admin: [
    'orders',
    'approvals',
    'products',
    'users',
    'disputes',
    'revenue',
    'reports',
    'payouts',
    'ledger',
    'settings',
    'shipping',
    'printers',
    'audit',
    'outbox',
  ],
  vendor: ['products', 'orders', 'earnings', 'payouts', 'subscription'],
  logistics: ['fulfilment', 'scan', 'shipments', 'orders', 'printers'],
  finance: ['revenue', 'reports', 'payouts', 'ledger', 'orders'],
  customer: [],
};

/**
 * Screens a role may open without a navigation entry (reached from another screen): a
 * vendor's shipments and disputes, linked from their orders; sync, from the top bar's badge.
 */
export const EXTRA_BY_ROLE: Record<Role, readonly ScreenName[]> = {
  admin: ['sync'],
  vendor: ['shipments', 'disputes', 'sync'],
  logistics: ['sync'],
  finance: ['sync'],
  customer: [],
};
