import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ManualOrder, ManualQuote, SellableVariant } from '../../bindings';
import { renderApp } from '../../test/app';
import { customer, me, order, page } from '../../test/fixtures';

const cora = customer();
const mug: SellableVariant = {
  variant_id: '0190d000-0000-7000-8000-000000000001',
  sku: 'MUG-BLUE-L',
  product_name: 'Stoneware mug',
  variant_name: 'Blue, large',
  vendor_name: 'Northwind Ceramics',
  price_minor: 1200,
  currency: 'USD',
  free: 2,
};

/** The core's quote of `o`: the catalog's price, refused beyond the free units. */
function quote(o: ManualOrder): ManualQuote {
  const units = o.lines.reduce((n, l) => n + l.quantity, 0);
  if (units > mug.free) {
    return {
      lines: [],
      shipping_minor: o.shipping_minor,
      total_minor: 0,
      currency: o.currency,
      refused: `SKU MUG-BLUE-L: ${units} asked, ${mug.free} free to sell`,
    };
  }
  return {
    lines: [
      {
        variant_id: mug.variant_id,
        sku: mug.sku,
        product_name: mug.product_name,
        variant_name: mug.variant_name,
        quantity: units,
        unit_price_minor: 1200,
        subtotal_minor: 1200 * units,
      },
    ],
    shipping_minor: o.shipping_minor,
    total_minor: 1200 * units + o.shipping_minor,
    currency: o.currency,
    refused: null,
  };
}

function openApp(role: 'admin' | 'vendor') {
  return renderApp({
    me: me(role),
    path: '/orders',
    handlers: {
      list_orders: () => page([order(1)]),
      list_customers: () => page([cora]),
      sellable_variants: () => [mug],
      quote_manual_order: (args: unknown) => quote((args as { order: ManualOrder }).order),
      take_manual_order: (args: unknown) => ({
        order_id: '0199f000-0000-7000-8000-000000000009',
        number: 'MD-ABC123',
        total_minor: quote((args as { order: ManualOrder }).order).total_minor,
        currency: 'USD',
        link: {
          url: 'https://checkout.stripe.com/c/pay/cs_test_1',
          expires_at: '2026-12-08T17:00:00.000000Z',
          mailed_to: 'cora@example.com',
        },
        link_error: null,
      }),
    },
  });
}

describe('orders taken by hand', () => {
  it(
    'builds the order from the core quote, refuses what is not free, and shows the link mailed',
    { timeout: 20_000 },
    async () => {
      const { user, argsOf } = openApp('admin');
      await user.click(await screen.findByTestId('manual-new'));
      await user.click(await screen.findByTestId(`manual-customer-${cora.id}`));
      expect(screen.getByTestId('manual-customer')).toHaveTextContent('Cora Customer');
      expect(screen.getByTestId('manual-take')).toBeDisabled();

      await user.click(await screen.findByTestId('manual-variant-MUG-BLUE-L'));
      await user.click(screen.getByTestId('manual-variant-MUG-BLUE-L'));
      await user.click(screen.getByTestId('manual-variant-MUG-BLUE-L'));
      expect(await screen.findByTestId('manual-refused')).toHaveTextContent('3 asked, 2 free to sell');
      expect(screen.getByTestId('manual-take')).toBeDisabled();

      const units = within(screen.getByTestId('manual-lines')).getByRole('spinbutton');
      await user.tripleClick(units);
      await user.keyboard('2');
      await user.type(screen.getByTestId('manual-shipping'), '6.50');
      await waitFor(() => expect(screen.getByTestId('manual-total')).toHaveTextContent('$30.50'));
      await waitFor(() => expect(screen.getByTestId('manual-take')).toBeEnabled());
      await user.click(screen.getByTestId('manual-take'));

      expect(await screen.findByTestId('manual-link')).toHaveTextContent('cora@example.com');
      expect(screen.getByText('https://checkout.stripe.com/c/pay/cs_test_1')).toBeInTheDocument();
      expect(argsOf<{ order: ManualOrder }>('take_manual_order')).toEqual([
        {
          order: {
            customer_id: cora.id,
            currency: 'USD',
            lines: [{ variant_id: mug.variant_id, quantity: 2 }],
            shipping_minor: 650,
          },
        },
      ]);
    },
  );

  it('is offered to admins only', async () => {
    openApp('vendor');
    expect(await screen.findByText('MD-0000001')).toBeInTheDocument();
    expect(screen.queryByTestId('manual-new')).not.toBeInTheDocument();
  });
});
