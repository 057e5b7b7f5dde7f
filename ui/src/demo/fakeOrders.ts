import type { Page, PageRequest } from '../components/DataGrid';

/**
 * Demo data only: 100,000 generated orders behind an async, keyset-style `fetchPage`, so the
 * grid can be tried without the core. Real screens call the core's commands instead.
 */

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'disputed';

export type DemoOrder = {
  id: string;
  number: number;
  vendor: string;
  customer: string;
  status: OrderStatus;
  items: number;
  total_minor: number;
  currency: string;
  created_at: string;
};

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'disputed',
];

const VENDORS = [
  'Northwind Ceramics',
  'Atlas Outdoor Supply',
  'Juniper & Oak',
  'Kestrel Audio',
  'Brightside Books',
  'Copperleaf Tea Co.',
  'Harbor Lane Textiles',
  'Pixel Forge',
  'Meadowlark Candles',
  'Summit Cycle Works',
  'Tidewater Goods',
  'Lumen Lighting',
];
const FIRST = [
  'Ana',
  'Ben',
  'Chen',
  'Dara',
  'Eli',
  'Farah',
  'Gus',
  'Hana',
  'Ivo',
  'June',
  'Kofi',
  'Lena',
  'Mateo',
];
const LAST = [
  'Silva',
  'Okafor',
  'Nguyen',
  'Schmidt',
  'Haddad',
  'Kowalski',
  'Tanaka',
  'Rossi',
  'Dubois',
  'Park',
];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'EUR', 'GBP', 'JPY'];

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(list: readonly T[], r: number): T {
  return list[Math.floor(r * list.length)] as T;
}

let cache: DemoOrder[] | null = null;

export function demoOrders(count = 100_000): DemoOrder[] {
  if (cache?.length === count) return cache;
  const rand = mulberry32(7);
  const end = Date.UTC(2026, 4, 1, 10, 0, 0);
  const orders: DemoOrder[] = [];
  let t = end;
  for (let i = 0; i < count; i++) {
    t -= Math.floor(rand() * 240_000);
    const currency = pick(CURRENCIES, rand());
    const base = Math.floor(rand() * 40_000) + 500;
    orders.push({
      id: `ord_${String(i + 1).padStart(6, '0')}`,
      number: 1_000_000 - i,
      vendor: pick(VENDORS, rand()),
      customer: `${pick(FIRST, rand())} ${pick(LAST, rand())}`,
      status: pick(ORDER_STATUSES, rand()),
      items: 1 + Math.floor(rand() * 6),
      total_minor: currency === 'JPY' ? Math.round(base * 1.5) : base,
      currency,
      created_at: new Date(t).toISOString().replace('Z', '000Z'),
    });
  }
  cache = orders;
  return orders;
}

export type DemoFilter = { search: string; status: string; fail: boolean };

type SortKey = 'number' | 'created_at' | 'vendor' | 'status' | 'total';

const compare: Record<SortKey, (a: DemoOrder, b: DemoOrder) => number> = {
  number: (a, b) => a.number - b.number,
  created_at: (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0),
  vendor: (a, b) => a.vendor.localeCompare(b.vendor) || a.number - b.number,
  status: (a, b) => a.status.localeCompare(b.status) || a.number - b.number,
  total: (a, b) => a.total_minor - b.total_minor || a.number - b.number,
};

let viewKey = '';
let view: DemoOrder[] = [];

function sortedView(filter: DemoFilter, sort: string): DemoOrder[] {
  const key = `${filter.search}|${filter.status}|${sort}`;
  if (key === viewKey) return view;
  const needle = filter.search.trim().toLowerCase();
  const rows = demoOrders().filter(
    (o) =>
      (filter.status === '' || o.status === filter.status) &&
      (needle === '' ||
        o.customer.toLowerCase().includes(needle) ||
        o.vendor.toLowerCase().includes(needle) ||
        String(o.number).includes(needle)),
  );
  const cmp = compare[sort as SortKey] ?? compare.number;
  view = rows.sort(cmp);
  viewKey = key;
  return view;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    });
  });
}

/** Serves one page like the core would: sorted, filtered, after a cursor. */
export async function fetchDemoOrders(
  request: PageRequest,
  filter: DemoFilter,
  signal: AbortSignal,
): Promise<Page<DemoOrder>> {
  await delay(120 + Math.random() * 180, signal);
  if (filter.fail) throw new Error('The database is not reachable: connection refused (127.0.0.1:5432).');
  const rows = sortedView(filter, request.sort);
  const total = rows.length;
  const start = request.after === null ? 0 : Number(request.after);
  const items: DemoOrder[] = [];
  for (let i = start; i < Math.min(start + request.limit, total); i++) {
    const row = request.dir === 'asc' ? rows[i] : rows[total - 1 - i];
    if (row) items.push(row);
  }
  const next = start + items.length;
  return { items, next_cursor: next < total ? String(next) : null };
}
