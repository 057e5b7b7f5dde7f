import { lazy, Suspense } from 'react';
import { AppShell, type NavSection } from '../app/AppShell';
import { Redirect, Routes, useLocation } from '../app/router';
import { UserMenu } from '../app/UserMenu';
import { ChartIcon, GridIcon, OrdersIcon } from '../components/icons';
import { Spinner } from '../components/Spinner';
import { toast } from '../components/toast';
import { ComponentsDemo } from './ComponentsDemo';
import { OrdersDemo } from './OrdersDemo';

const ChartsDemo = lazy(() => import('./ChartsDemo'));

const sections: NavSection[] = [
  { label: 'Orders', to: '/orders', icon: <OrdersIcon />, shortcut: 'g o', group: 'Demo' },
  { label: 'Components', to: '/components', icon: <GridIcon />, shortcut: 'g c', group: 'Demo' },
  { label: 'Charts', to: '/charts', icon: <ChartIcon />, shortcut: 'g r', group: 'Demo' },
];

const titles: Record<string, string> = {
  '/orders': 'Orders',
  '/components': 'Components',
  '/charts': 'Charts',
};

/** A temporary page showing the shell, the grid and the components; replaced by the real screens. */
export function DemoApp() {
  const { path } = useLocation();
  return (
    <AppShell
      sections={sections}
      title={titles[path] ?? 'Marketdesk'}
      userMenu={
        <UserMenu
          name="Ada Lindqvist"
          detail="finance@marketdesk.demo · Finance"
          onSignOut={() => toast.info('Signed out (demo)')}
        />
      }
      sidebarFooter={
        <div className="flex items-center gap-2 text-sm text-fg-subtle">
          <span aria-hidden="true" className="size-2 rounded-full bg-success" />
          Online · local copy in sync
        </div>
      }
    >
      <Routes
        routes={[
          { path: '/orders', render: () => <OrdersDemo /> },
          { path: '/components', render: () => <ComponentsDemo /> },
          {
            path: '/charts',
            render: () => (
              <Suspense fallback={<Spinner label="Loading charts" />}>
                <ChartsDemo />
              </Suspense>
            ),
          },
        ]}
        fallback={<Redirect to="/orders" />}
      />
    </AppShell>
  );
}
