import type {
  Customer,
  AppError,
  AppInfo,
  Connection,
  ErrorKind,
  Me,
  Order,
  OrderDetail,
  OrderStatus,
  Page,
  Product,
  RevenueReport,
  RevenueRow,
  Role,
  User,
  Variant,
} from '../bindings';

/** A command's failure as the core sends it (a plain object, not an Error). */
export function appError(kind: ErrorKind, message: string): Promise<never> {
  const error: AppError = { kind, message };
  // The core rejects with the serialized AppError, not an Error instance.
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  return Promise.reject(error);
}

export function page<T>(items: T[], next_cursor: string | null = null): Page<T> {
  return { items, next_cursor };
}

const NAMES: Record<Role, string> = {
  admin: 'Alex Admin',
  vendor: 'Vera Vendor',
  logistics: 'Leo Logistics',
  finance: 'Fiona Finance',
  customer: 'Cora Customer',
};

export function me(role: Role, overrides: Partial<Me> = {}): Me {
  return {
    id: `00000000-0000-4000-8000-00000000000${['admin', 'vendor', 'logistics', 'finance', 'customer'].indexOf(role)}`,
    email: `${role}@marketdesk.demo`,
    username: role,
    display_name: NAMES[role],
    role,
    status: 'active',
    must_change_password: false,
    ...overrides,
  };
}

export const appInfo: AppInfo = {
  version: '0.1.0',
  database: '/home/ada/.local/share/marketdesk/marketdesk.db',
  engine: 'SQLite',
  server: null,
  problem: null,
  encrypted: false,
  local_note: null,
  can_remember: false,
  remembered: null,
  demo_logins: [
    { role: 'admin', email: 'admin@marketdesk.demo', username: 'admin' },
    { role: 'vendor', email: 'vendor@marketdesk.demo', username: 'vendor' },
  ],
};

/** A desktop working on its local database alone (no central server set up). */
export const localConnection: Connection = {
  online: false,
  server: null,
  local: appInfo.database,
};

/** A desktop signed in to the central server. */
export const onlineConnection: Connection = {
  online: true,
  server: 'postgres://db.example/marketplace',
  local: appInfo.database,
};

/** A desktop whose server could not be reached at sign-in: it works on its local copy. */
export const offlineConnection: Connection = { ...onlineConnection, online: false };

export function order(n: number, overrides: Partial<Order> = {}): Order {
  return {
    id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    number: `MD-${String(n).padStart(7, '0')}`,
    customer_id: '0190b000-0000-7000-8000-000000000001',
    customer_name: `Buyer ${n}`,
    customer_email: `buyer${n}@example.com`,
    status: 'paid',
    currency: 'USD',
    total_minor: 1000 * n + 99,
    placed_at: '2026-05-01T10:00:00.000000Z',
    version: 3,
    ...overrides,
  };
}

/** The status buttons the core offers admins and logistics from each status (its lifecycle's plain moves). */
const STAFF_MOVES: Record<OrderStatus, OrderStatus[]> = {
  pending: [],
  paid: ['processing', 'partially_shipped', 'shipped'],
  processing: ['partially_shipped', 'shipped'],
  partially_shipped: ['shipped'],
  shipped: ['delivered'],
  delivered: [],
  partially_refunded: ['shipped', 'delivered'],
  disputed: [],
  cancelled: [],
  refunded: [],
};

/** The statuses an admin may cancel an order from. */
const CANCELLABLE: readonly OrderStatus[] = ['pending', 'paid', 'processing'];

/** An order as the core answers `reader` (moves for staff, refunds for finance). */
/**
 * An order's page as the core sends it to `reader`: logistics gets no e-mail
 * and no prices; a vendor their lines' share, no shipping or tax, no customer id.
 */
export function orderDetail(o: Order, reader: Role = 'admin'): OrderDetail {
  const staff = reader === 'admin' || reader === 'logistics';
  const priced = reader !== 'logistics';
  const share = reader === 'vendor';
  const order: Order =
    reader === 'logistics'
      ? { ...o, customer_email: null }
      : share
        ? { ...o, customer_email: null, customer_id: null }
        : o;
  const price = (minor: number) => (priced ? minor : null);
  return {
    next: staff ? STAFF_MOVES[o.status] : [],
    refundable: reader === 'finance' && o.status !== 'pending' && o.status !== 'cancelled',
    cancellable: reader === 'admin' && CANCELLABLE.includes(o.status),
    order,
    subtotal_minor: share ? o.total_minor : o.total_minor - 500,
    shipping_minor: share ? null : 500,
    tax_minor: share ? null : 0,
    items: [
      {
        id: `${o.id}-item`,
        vendor_id: '0190c000-0000-7000-8000-000000000001',
        vendor_name: 'Northwind Ceramics',
        variant_id: '0190d000-0000-7000-8000-000000000001',
        sku: 'MUG-BLUE-L',
        product_name: 'Stoneware mug',
        quantity: 1,
        unit_price_minor: price(share ? o.total_minor : o.total_minor - 500),
        subtotal_minor: price(share ? o.total_minor : o.total_minor - 500),
        commission_minor: price(120),
      },
    ],
  };
}

export function product(n: number, overrides: Partial<Product> = {}): Product {
  return {
    id: `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    vendor_id: '0190c000-0000-7000-8000-000000000001',
    vendor_name: 'Northwind Ceramics',
    category_id: '0190f000-0000-7000-8000-000000000001',
    category_name: 'Kitchen',
    name: `Product ${n}`,
    slug: `product-${n}`,
    status: 'approved',
    base_price_minor: 2500,
    currency: 'USD',
    variant_count: 2,
    stock_on_hand: 12,
    hidden: false,
    version: 5,
    created_at: '2026-04-01T09:00:00.000000Z',
    updated_at: '2026-04-02T09:00:00.000000Z',
    ...overrides,
  };
}

export function variant(productId: string, n: number, overrides: Partial<Variant> = {}): Variant {
  return {
    id: `${productId.slice(0, 24)}${String(n).padStart(12, '0')}`,
    product_id: productId,
    sku: `SKU-${n}`,
    name: `Variant ${n}`,
    price_minor: 2500,
    currency: 'USD',
    stock_on_hand: 7 * n,
    stock_reserved: 1,
    low_stock_threshold: 5,
    low_on_stock: false,
    version: 1,
    ...overrides,
  };
}

function row(period: string, gross: number, orders: number): RevenueRow {
  return {
    period,
    orders,
    units: orders * 2,
    gross_minor: gross,
    commission_minor: Math.round(gross / 10),
    refunded_minor: 0,
  };
}

/** A report over `periods` with the same totals whatever the grouping. */
export function revenueReport(periods: string[], currency = 'USD'): RevenueReport {
  const gross = 1_000_003;
  const orders = 4;
  const rows = periods.map((p, i) =>
    i === 0 ? row(p, gross - 1000 * (periods.length - 1), orders - (periods.length - 1)) : row(p, 1000, 1),
  );
  return {
    currency,
    rows,
    total: row('total', gross, orders),
    top_vendors: [{ id: 'v1', name: 'Northwind Ceramics', gross_minor: 600_000, commission_minor: 60_000 }],
    top_categories: [{ id: 'c1', name: 'Kitchen', gross_minor: 1_000_003, commission_minor: 100_000 }],
  };
}

/** A vendor in the admin's list of people. */
export const vera: User = {
  id: '0193a000-0000-7000-8000-000000000001',
  email: 'vera@northwind.example',
  username: 'vera',
  display_name: 'Vera Northwind',
  role: 'vendor',
  status: 'active',
  last_sign_in_at: null,
  version: 4,
  created_at: '2026-01-01T08:00:00.000000Z',
  updated_at: '2026-01-01T08:00:00.000000Z',
};

/** A customer of the list (Cora), with `overrides`. */
export const customer = (overrides: Partial<Customer> = {}): Customer => ({
  id: '0197a000-0000-7000-8000-000000000001',
  email: 'cora@example.com',
  display_name: 'Cora Customer',
  status: 'active',
  created_at: '2025-02-01T08:00:00.000000Z',
  order_count: 7,
  last_order_at: '2026-05-04T08:00:00.000000Z',
  version: 4,
  ...overrides,
});
