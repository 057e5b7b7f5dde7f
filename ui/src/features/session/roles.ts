import type { Role } from '../../bindings';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  vendor: 'Vendor',
  logistics: 'Logistics',
  finance: 'Finance',
  customer: 'Customer',
};

export const ROLES: readonly Role[] = ['admin', 'vendor', 'logistics', 'finance', 'customer'];

/** The demo data's shared password (seeded demo databases only). */
export const DEMO_PASSWORD = 'marketdesk-demo';
