import type { Order } from '../../bindings';

/**
 * The customer as the reader may see them: the name and the e-mail when both
 * are readable, whichever one is, or a dash (a vendor knows only the name on
 * the parcel; logistics reads no e-mail).
 */
export function customerLabel(order: Pick<Order, 'customer_name' | 'customer_email'>): string {
  const name = order.customer_name.trim();
  const email = order.customer_email ?? '';
  if (name !== '' && email !== '') return `${name} <${email}>`;
  return name || email || '—';
}
