import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DraftProblem, ProductOption, ProductSave, VariantDraft } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { me, page, product } from '../../test/fixtures';

const VENDOR = '0190c000-0000-7000-8000-000000000001';
const KITCHEN = '0190f000-0000-7000-8000-000000000001';
const GARDEN = '0190f000-0000-7000-8000-000000000002';

function row(n: number, options: Record<string, string>, sku: string): VariantDraft {
  return {
    id: `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    options,
    sku,
    barcode: null,
    price_minor: 0,
    compare_at_price_minor: null,
    weight_grams: 0,
    length_mm: null,
    width_mm: null,
    height_mm: null,
    low_stock_threshold: 0,
    initial_stock: 0,
  };
}

const fresh: ProductSave = {
  product_id: '0190e000-0000-7000-8000-000000000099',
  version: null,
  draft: {
    vendor_id: VENDOR,
    category_id: KITCHEN,
    name: '',
    description: '',
    currency: 'USD',
    options: [],
    variants: [row(1, {}, '')],
  },
};

/** A vendor on the products screen with an empty catalog, and the editor's commands faked. */
function vendorEditing(handlers: Record<string, CommandHandler> = {}) {
  return renderApp({
    me: me('vendor'),
    path: '/products',
    handlers: {
      list_products: () => page([]),
      new_product: () => fresh,
      category_choices: () => [
        { id: KITCHEN, name: 'Kitchen', path: '/kitchen/', depth: 0 },
        { id: GARDEN, name: 'Garden', path: '/garden/', depth: 0 },
      ],
      product_variants_for_options: (args) => {
        const { options } = args as { options: ProductOption[] };
        return (options[0]?.values ?? []).map((v, i) => row(i + 1, { Size: v }, `TEE-${v}`));
      },
      check_product: () => [],
      save_product: () => 1,
      ...handlers,
    },
  });
}

describe('product editor', () => {
  it('creates a product whose variants come from its options, priced by keyboard', async () => {
    const { user, argsOf } = vendorEditing();
    await user.click(await screen.findByTestId('new-product'));
    const dialog = await screen.findByRole('dialog', { name: 'New product' });
    await user.type(within(dialog).getByTestId('product-name'), 'Linen tee');
    await user.selectOptions(within(dialog).getByTestId('product-category'), GARDEN);
    await user.click(within(dialog).getByTestId('add-option'));
    await user.type(within(dialog).getByTestId('option-0-name'), 'Size');
    await user.type(within(dialog).getByTestId('option-0-values'), 'S, M');
    await user.tab();
    await waitFor(() => expect(within(dialog).getAllByRole('row')).toHaveLength(3));
    expect(argsOf('product_variants_for_options').at(-1)).toMatchObject({
      options: [{ name: 'Size', values: ['S', 'M'] }],
    });

    const first = within(dialog).getByTestId('variant-0-price_minor');
    await user.type(first, '25.50');
    await user.keyboard('{ArrowDown}');
    expect(within(dialog).getByTestId('variant-1-price_minor')).toHaveFocus();
    await user.keyboard('26');
    await user.click(within(dialog).getByTestId('product-save'));

    expect(await screen.findByTestId('toast')).toHaveTextContent('Product created');
    const saved = argsOf<{ save: ProductSave }>('save_product')[0]?.save;
    expect(saved?.version).toBeNull();
    expect(saved?.draft).toMatchObject({ name: 'Linen tee', category_id: GARDEN });
    expect(saved?.draft.variants.map((v) => [v.sku, v.price_minor])).toEqual([
      ['TEE-S', 2550],
      ['TEE-M', 2600],
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New product' })).toBeNull());
  });

  it('shows each problem the core names beside its field, and saves nothing', async () => {
    const problems: DraftProblem[] = [
      { field: 'name', message: 'a product name needs 1–300 characters' },
      { field: 'variants[0].sku', message: 'a SKU needs 1–64 characters and no spaces' },
    ];
    const { user, argsOf } = vendorEditing({ check_product: () => problems });
    await user.click(await screen.findByTestId('new-product'));
    const dialog = await screen.findByRole('dialog', { name: 'New product' });
    await user.click(within(dialog).getByTestId('product-save'));
    const list = await within(dialog).findByTestId('product-problems');
    expect(list).toHaveTextContent('2 things to fix');
    expect(list).toHaveTextContent('Default: SKU — a SKU needs 1–64 characters and no spaces');
    expect(within(dialog).getByText('a product name needs 1–300 characters')).toBeInTheDocument();
    expect(within(dialog).getByTestId('variant-0-sku')).toHaveAttribute('aria-invalid', 'true');
    expect(argsOf('save_product')).toHaveLength(0);
  });

  it('sends a draft for review from its panel', async () => {
    const draft = product(3, { name: 'Clay cup', status: 'draft', version: 4 });
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/products',
      handlers: {
        list_products: () => page([draft]),
        product_variants: () => [],
        product_step: () => 5,
      },
    });
    await user.click(await screen.findByText('Clay cup'));
    const panel = await screen.findByTestId('product-detail');
    await user.click(within(panel).getByTestId('product-submit'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('“Clay cup” sent for review');
    expect(argsOf('product_step')).toEqual([{ id: draft.id, version: 4, step: 'submit' }]);
  });
});

describe('review with a diff', () => {
  it('shows what changed since approval and asks for changes with a note', async () => {
    const pending = product(2, { name: 'Linen apron', status: 'pending_review', version: 9 });
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/approvals',
      handlers: {
        list_products: () => page([pending]),
        product_variants: () => [],
        product_review_diff: () => ({
          was_approved: true,
          changes: [{ field: 'Variant AP-1: price', before: 'USD 25.00', after: 'USD 22.00' }],
        }),
        review_product: () => 10,
      },
    });
    await user.click(await screen.findByText('Linen apron'));
    const panel = await screen.findByTestId('approval-detail');
    const diff = await within(panel).findByTestId('review-diff');
    expect(diff).toHaveTextContent('1 change since it was last approved.');
    expect(diff).toHaveTextContent('Variant AP-1: priceUSD 25.00USD 22.00');

    await user.click(within(panel).getByTestId('ask-changes'));
    const dialog = await screen.findByRole('dialog', { name: 'Ask for changes to “Linen apron”?' });
    await user.type(within(dialog).getByTestId('changes-reason'), 'Keep the old price.');
    await user.click(within(dialog).getByTestId('changes-confirm'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('“Linen apron” sent back for changes');
    expect(argsOf('review_product')).toEqual([
      { id: pending.id, version: 9, review: { decision: 'request_changes', note: 'Keep the old price.' } },
    ]);
  });
});

describe('categories', () => {
  it('lists the tree for an admin and moves a category under another', async () => {
    const tree = [
      { id: KITCHEN, parent_id: null, name: 'Kitchen', path: '/kitchen/', depth: 0, products: 3, version: 2 },
      { id: GARDEN, parent_id: null, name: 'Garden', path: '/garden/', depth: 0, products: 0, version: 1 },
    ];
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: { list_products: () => page([]), category_tree: () => tree, change_category: () => null },
    });
    await user.click(await screen.findByTestId('open-categories'));
    const list = await screen.findByTestId('category-tree');
    expect(list).toHaveTextContent('Kitchen3 products');
    await user.click(within(list).getByText('Garden'));
    await user.selectOptions(screen.getByLabelText('What to do'), 'move');
    await user.selectOptions(screen.getByLabelText('New parent'), KITCHEN);
    await user.click(screen.getByTestId('category-apply'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('Categories saved');
    expect(argsOf('change_category')).toEqual([
      { change: { change: 'move', id: GARDEN, version: 1, parent: KITCHEN } },
    ]);
  });
});
