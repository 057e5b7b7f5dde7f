import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page, product } from '../../test/fixtures';
import { openMenu } from './menu.testing';

type ImportArgs = { kind: string; name: string; content: string; apply: boolean };

function report(over: Partial<ImportReport> = {}): ImportReport {
  return {
    mode: 'dry_run',
    applied: false,
    rows: 3,
    delimiter: ',',
    digest: 'ab12',
    created: 1,
    updated: 1,
    unchanged: 1,
    refused: 0,
    problems: [],
    more_problems: 0,
    outcomes: [
      { line: 2, key: 'linen-shirt', action: 'create', detail: '2 variants' },
      { line: 4, key: 'stoneware-mug', action: 'update', detail: '1 variant changed' },
      { line: 5, key: 'apron', action: 'unchanged', detail: '' },
    ],
    notes: [],
    ...over,
  };
}

const csv = 'handle,name,sku,price\nlinen-shirt,Linen shirt,LS-1,"25,00"\n';

describe('CSV import', () => {
  it('checks the chosen file, lists every problem by line and column, and offers no apply', async () => {
    const broken = report({
      created: 0,
      refused: 2,
      problems: [
        {
          line: 4,
          column: 'price',
          message: '“twelve” is not a number (write 12.50, without a currency sign)',
        },
        { line: 9, column: null, message: '10 cells where the heading has 13' },
      ],
      outcomes: [{ line: 2, key: 'linen-shirt', action: 'refused', detail: '2 problems' }],
    });
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/products',
      handlers: { list_products: () => page([product(1)]), import_catalog: () => broken },
    });
    await openMenu(user);
    await user.click(await screen.findByTestId('import-products'));
    const dialog = await screen.findByRole('dialog', { name: 'Import products' });
    await user.upload(
      within(dialog).getByTestId('import-file'),
      new File([csv], 'catalog.csv', { type: 'text/csv' }),
    );

    const problems = await within(dialog).findByTestId('import-problems');
    const rows = within(problems).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '4price“twelve” is not a number (write 12.50, without a currency sign)',
      '9—10 cells where the heading has 13',
    ]);
    expect(within(dialog).getByTestId('import-apply')).toBeDisabled();
    const sent = argsOf<ImportArgs>('import_catalog');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'products', name: 'catalog.csv', apply: false });
    expect(atob(sent[0]!.content)).toBe(csv);
  });

  it('applies a clean file once and says what it wrote', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: {
        list_products: () => page([product(1)]),
        import_catalog: (args) =>
          (args as ImportArgs).apply ? report({ mode: 'apply', applied: true }) : report(),
      },
    });
    await openMenu(user);
    await user.click(await screen.findByTestId('import-products'));
    const dialog = await screen.findByRole('dialog', { name: 'Import products' });
    await user.upload(within(dialog).getByTestId('import-file'), new File([csv], 'catalog.csv'));
    expect(await within(dialog).findByTestId('import-summary')).toHaveTextContent(
      '3 rows read (products: 1 new, 1 to change, 1 unchanged).',
    );
    const changes = within(dialog).getByTestId('import-changes');
    expect(within(changes).getByText('linen-shirt')).toBeInTheDocument();
    expect(within(changes).queryByText('apron')).toBeNull();
    const applyButton = within(dialog).getByTestId('import-apply');
    expect(applyButton).toHaveTextContent('Apply: 2 products');
    await user.click(applyButton);
    expect(await screen.findByTestId('toast')).toHaveTextContent('catalog.csv imported');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf<ImportArgs>('import_catalog').map((a) => a.apply)).toEqual([false, true]);
  });

  it('lets logistics import a stock count but not products, and exports the filtered list', async () => {
    const { user, argsOf } = renderApp({
      me: me('logistics'),
      path: '/products',
      handlers: {
        list_products: () => page([product(1)]),
        export_catalog: () => ({
          path: '/home/me/Downloads/marketdesk-products.csv',
          products: 12,
          rows: 30,
        }),
      },
    });
    await openMenu(user);
    await screen.findByTestId('import-stock-count');
    expect(screen.queryByTestId('import-products')).toBeNull();
    await user.click(await screen.findByTestId('export-products'));
    expect(await screen.findByTestId('toast')).toHaveTextContent('Exported 12 products (30 rows)');
    expect(argsOf('export_catalog')[0]).toMatchObject({ filter: { low_stock: false, search: null } });
  });
});
