import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PageRequest, Product, ProductFilter, Variant } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { appError, me, page, product, variant } from '../../test/fixtures';

type ListArgs = { filter: ProductFilter; page: PageRequest<string> };

/** A vendor on the products screen whose one product, "Stoneware mug", has these variants. */
function vendorMug(variants: Partial<Variant>[], handlers: Record<string, CommandHandler> = {}) {
  const p = product(1, { name: 'Stoneware mug' });
  const app = renderApp({
    me: me('vendor'),
    path: '/products',
    handlers: {
      list_products: () => page([p]),
      product_variants: () => variants.map((v, i) => variant(p.id, i + 1, v)),
      ...handlers,
    },
  });
  return { p, ...app };
}

describe('approvals', () => {
  it('approves a product after confirmation: reviewProduct gets the decision and version, the product leaves the queue', async () => {
    let queue: Product[] = [
      product(1, { name: 'Stoneware mug', status: 'pending_review', version: 7 }),
      product(2, { name: 'Linen apron', status: 'pending_review' }),
    ];
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/approvals',
      handlers: {
        list_products: () => page(queue),
        product_variants: (args) => {
          const { productId } = args as { productId: string };
          return [variant(productId, 1), variant(productId, 2)];
        },
        review_product: (args) => {
          const { id } = args as { id: string };
          queue = queue.filter((p) => p.id !== id);
          return 8;
        },
      },
    });
    const grid = await screen.findByTestId('grid-approvals');
    expect(argsOf<ListArgs>('list_products')[0]?.filter).toMatchObject({ status: 'pending_review' });
    const name = await within(grid).findByText('Stoneware mug');
    expect(name.closest('[data-col]')).toHaveAttribute('data-col', 'name');

    await user.click(name);
    const panel = await screen.findByTestId('approval-detail');
    expect(within(panel).getByRole('heading', { name: 'Stoneware mug' })).toBeInTheDocument();
    expect(await within(panel).findByText('SKU-1')).toBeInTheDocument();
    expect(within(panel).queryByTestId('stock-add')).toBeNull();

    await user.click(within(panel).getByTestId('approve'));
    const dialog = await screen.findByRole('alertdialog', { name: 'Approve “Stoneware mug”?' });
    await user.click(within(dialog).getByTestId('confirm'));

    expect(await screen.findByTestId('toast')).toHaveTextContent('“Stoneware mug” approved');
    expect(argsOf('review_product')).toEqual([
      { id: product(1).id, version: 7, review: { decision: 'approve' } },
    ]);
    await waitFor(() => expect(within(grid).queryByText('Stoneware mug')).toBeNull());
    expect(within(grid).getByText('Linen apron')).toBeInTheDocument();
    expect(screen.queryByTestId('approval-detail')).toBeNull();
  });

  it('rejects only with a reason', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/approvals',
      handlers: {
        list_products: () => page([product(1, { name: 'Linen apron', status: 'pending_review' })]),
        product_variants: () => [],
        review_product: () => 6,
      },
    });
    await user.click(await screen.findByText('Linen apron'));
    await user.click(within(await screen.findByTestId('approval-detail')).getByTestId('reject'));
    const dialog = await screen.findByRole('dialog', { name: 'Reject “Linen apron”?' });
    await user.click(within(dialog).getByTestId('reject-confirm'));
    expect(within(dialog).getByText('Say why, so the vendor can fix it.')).toBeInTheDocument();
    expect(argsOf('review_product')).toHaveLength(0);

    await user.type(within(dialog).getByTestId('reject-reason'), 'Photos show another colour.');
    await user.click(within(dialog).getByTestId('reject-confirm'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('“Linen apron” rejected');
    expect(argsOf('review_product')).toEqual([
      {
        id: product(1).id,
        version: 5,
        review: { decision: 'reject', reason: 'Photos show another colour.' },
      },
    ]);
  });

  it('toasts the core’s refusal', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/approvals',
      handlers: {
        list_products: () => page([product(1, { status: 'pending_review' })]),
        product_variants: () => [],
        review_product: () => appError('conflict', 'someone else reviewed this product first'),
      },
    });
    await user.click(await screen.findByText('Product 1'));
    await user.click(within(await screen.findByTestId('approval-detail')).getByTestId('approve'));
    await user.click(within(await screen.findByRole('alertdialog')).getByTestId('confirm'));
    expect(await screen.findByRole('alert')).toHaveTextContent('someone else reviewed this product first');
  });
});

describe('products', () => {
  it('shows admins each product’s vendor and category by name (the short id when the name is withheld)', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: {
        list_products: () =>
          page([
            product(1, { name: 'Stoneware mug' }),
            product(2, { name: 'Linen apron', vendor_name: '', category_name: '' }),
          ]),
        product_variants: () => [],
      },
    });
    const grid = await screen.findByTestId('grid-products');
    await within(grid).findByText('Stoneware mug');
    expect(within(grid).getByRole('columnheader', { name: 'Vendor' })).toBeInTheDocument();
    expect(within(grid).getByRole('columnheader', { name: 'Category' })).toBeInTheDocument();
    const [first, second] = Array.from(grid.querySelectorAll('[data-row-key]'));
    expect(first?.querySelector('[data-col="vendor_name"]')).toHaveTextContent('Northwind Ceramics');
    expect(first?.querySelector('[data-col="category_name"]')).toHaveTextContent('Kitchen');
    expect(second?.querySelector('[data-col="vendor_name"]')).toHaveTextContent('0190c000');
    expect(second?.querySelector('[data-col="category_name"]')).toHaveTextContent('0190f000');

    await user.click(within(grid).getByText('Stoneware mug'));
    const panel = await screen.findByTestId('product-detail');
    expect(panel).toHaveTextContent('Northwind Ceramics');
    expect(panel).toHaveTextContent('Kitchen');
  });

  it('marks a suspended vendor’s live product hidden, in the list and its panel', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: {
        list_products: () => page([product(1, { name: 'Stoneware mug', hidden: true })]),
        product_variants: () => [],
      },
    });
    const grid = await screen.findByTestId('grid-products');
    await user.click(await within(grid).findByText('Stoneware mug'));
    expect(grid.querySelector('[data-col="status"]')).toHaveTextContent('Hidden');
    expect(await screen.findByTestId('product-hidden')).toHaveTextContent('Hidden: vendor suspended');
  });

  it('gives vendors no vendor column', async () => {
    renderApp({
      me: me('vendor'),
      path: '/products',
      handlers: { list_products: () => page([product(1, { name: 'Stoneware mug' })]) },
    });
    const grid = await screen.findByTestId('grid-products');
    await within(grid).findByText('Stoneware mug');
    expect(within(grid).queryByRole('columnheader', { name: 'Vendor' })).toBeNull();
    expect(within(grid).queryByText('Northwind Ceramics')).toBeNull();
  });

  it('adds one to a variant’s stock and shows the number the core returns', async () => {
    const { p, user, argsOf } = vendorMug([{ stock_on_hand: 7 }, { stock_on_hand: 30 }], {
      adjust_stock: () => 42,
    });
    await user.click(await within(await screen.findByTestId('grid-products')).findByText('Stoneware mug'));
    const panel = await screen.findByTestId('product-detail');
    const stocks = await within(panel).findAllByTestId('variant-stock');
    expect(stocks.map((s) => s.textContent)).toEqual(['7', '30']);

    await user.click(within(panel).getAllByTestId('stock-add')[0] as HTMLElement);
    await waitFor(() => expect(within(panel).getAllByTestId('variant-stock')[0]).toHaveTextContent('42'));
    expect(argsOf('adjust_stock')).toEqual([
      { productId: p.id, variantId: variant(p.id, 1).id, delta: 1, reason: 'received', note: null },
    ]);
    expect(within(panel).getAllByTestId('variant-stock')[1]).toHaveTextContent('30');
  });

  it('shows a variant’s movements from the core, filtered there by kind, and offers only the ways a reason goes', async () => {
    const movement = (n: number, kind: string, delta: number, after: number) => ({
      id: `00000000-0000-7000-8000-0000000000${n}0`,
      kind,
      on_hand_delta: delta,
      reserved_delta: 0,
      on_hand_after: after,
      reserved_after: 0,
      note: kind === 'damaged' ? 'dropped pallet' : null,
      order_id: null,
      order_number: kind === 'sold' ? 'MD-1042' : null,
      actor_name: 'Ada Admin',
      created_at: `2026-12-0${n}T10:00:00Z`,
    });
    const { user, argsOf } = vendorMug([{ stock_on_hand: 7 }], {
      stock_history: (args) =>
        (args as { kind: string | null }).kind === 'damaged'
          ? { items: [movement(3, 'damaged', -2, 7)], next_cursor: null }
          : {
              items: [
                movement(3, 'damaged', -2, 7),
                movement(2, 'sold', -1, 9),
                movement(1, 'opening', 10, 10),
              ],
              next_cursor: null,
            },
    });
    await user.click(await within(await screen.findByTestId('grid-products')).findByText('Stoneware mug'));
    const panel = await screen.findByTestId('product-detail');
    await user.click(await within(panel).findByTestId('stock-history-toggle'));
    const history = await within(panel).findByTestId('stock-history');
    await waitFor(() => expect(within(history).getAllByTestId('stock-movement')).toHaveLength(3));
    expect(history).toHaveTextContent('MD-1042');
    expect(history).toHaveTextContent('dropped pallet');
    await user.selectOptions(
      within(history).getByRole('combobox', { name: 'Only movements of kind' }),
      'damaged',
    );
    await waitFor(() => expect(within(history).getAllByTestId('stock-movement')).toHaveLength(1));
    expect(argsOf<{ kind: string | null }>('stock_history').at(-1)?.kind).toBe('damaged');

    await user.selectOptions(within(panel).getByTestId('stock-reason'), 'damaged');
    expect(within(panel).getByTestId('stock-add')).toBeDisabled();
    expect(within(panel).getByTestId('stock-remove')).toBeEnabled();
  });

  it('adjusts by N, refuses what is not a whole number, and toasts the core’s refusal', async () => {
    const p = product(1);
    let calls = 0;
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: {
        list_products: () => page([p]),
        product_variants: () => [variant(p.id, 1, { stock_on_hand: 7 })],
        adjust_stock: () => {
          calls += 1;
          return calls === 1 ? 2 : appError('invalid', 'stock cannot go below zero');
        },
      },
    });
    await user.click(await screen.findByText('Product 1'));
    const panel = await screen.findByTestId('product-detail');
    const field = await within(panel).findByTestId('stock-delta');
    await user.type(field, '1.5{Enter}');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(argsOf('adjust_stock')).toHaveLength(0);

    await user.clear(field);
    await user.selectOptions(within(panel).getByTestId('stock-reason'), 'counted');
    await user.type(within(panel).getByTestId('stock-note'), 'cycle count aisle 4');
    await user.type(field, '-5{Enter}');
    await waitFor(() => expect(within(panel).getByTestId('variant-stock')).toHaveTextContent('2'));
    expect(argsOf('adjust_stock')[0]).toMatchObject({
      delta: -5,
      reason: 'counted',
      note: 'cycle count aisle 4',
    });
    expect(within(panel).getByTestId('stock-note')).toHaveValue('');
    expect(field).toHaveValue('');

    await user.type(field, '-3{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('stock cannot go below zero');
    expect(within(panel).getByTestId('variant-stock')).toHaveTextContent('2');
  });

  it('filters by status and search in the core', async () => {
    const { user, argsOf } = renderApp({ me: me('admin'), path: '/products' });
    await screen.findByText('No products yet');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'rejected');
    await user.type(screen.getByRole('searchbox', { name: 'Search products' }), 'mug');
    await waitFor(() =>
      expect(argsOf<ListArgs>('list_products').at(-1)?.filter).toEqual({
        vendor_id: null,
        category_id: null,
        status: 'rejected',
        search: 'mug',
        low_stock: false,
      }),
    );
    // A search is ranked by the core, best match first; browsing again is newest first.
    expect(argsOf<ListArgs>('list_products').at(-1)?.page).toMatchObject({ sort: 'relevance', dir: 'desc' });
    expect(await screen.findByText('No products match these filters')).toBeInTheDocument();
    await user.clear(screen.getByRole('searchbox', { name: 'Search products' }));
    await waitFor(() => expect(argsOf<ListArgs>('list_products').at(-1)?.filter.search).toBeNull());
    expect(argsOf<ListArgs>('list_products').at(-1)?.page).toMatchObject({ sort: 'created_at', dir: 'desc' });
  });

  it('lists only what runs low when asked, and marks the low variants the core names', async () => {
    const { user, argsOf } = vendorMug([{ stock_on_hand: 3, low_on_stock: true }, { stock_on_hand: 30 }]);
    await user.click(await screen.findByTestId('filter-low-stock'));
    await waitFor(() => expect(argsOf<ListArgs>('list_products').at(-1)?.filter.low_stock).toBe(true));
    await user.click(await within(await screen.findByTestId('grid-products')).findByText('Stoneware mug'));
    const panel = await screen.findByTestId('product-detail');
    const low = await within(panel).findAllByTestId('variant-low');
    expect(low).toHaveLength(1);
    expect(low[0]).toHaveTextContent('Low stock (at or below 5)');
    expect(low[0]?.closest('[data-variant]')).toHaveAttribute('data-variant', 'SKU-1');
  });
});
