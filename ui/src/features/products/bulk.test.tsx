import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BulkReport } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page, product } from '../../test/fixtures';
import { openMenu } from './menu.testing';
import { percentToBps } from './BulkEditDialog';

type BulkArgs = {
  filter: { search: string | null };
  change: unknown;
  apply: boolean;
  expected: number | null;
};

function report(over: Partial<BulkReport> = {}): BulkReport {
  return {
    mode: 'dry_run',
    applied: false,
    matched: 640,
    changed: 639,
    variants: 1210,
    unchanged: 1,
    refused: 0,
    outcomes: [
      { product_id: 'p1', name: 'Linen shirt', action: 'update', detail: '2 prices now 27.50 EUR' },
      { product_id: 'p2', name: 'Old apron', action: 'unchanged', detail: 'archived: left as it is' },
    ],
    ...over,
  };
}

describe('bulk edit', () => {
  it('reads percentages without floating point', () => {
    expect(percentToBps('10')).toBe(1000);
    expect(percentToBps('-5')).toBe(-500);
    expect(percentToBps('+2.5 %')).toBe(250);
    expect(percentToBps('2,75')).toBe(275);
    expect(percentToBps('0')).toBeNull();
    expect(percentToBps('ten')).toBeNull();
  });

  it('previews the whole filtered list, then changes exactly the number confirmed', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/products',
      handlers: {
        list_products: () => page([product(1)]),
        bulk_edit_products: (args) =>
          (args as BulkArgs).apply ? report({ mode: 'apply', applied: true }) : report(),
      },
    });
    await openMenu(user);
    await user.click(await screen.findByTestId('bulk-edit'));
    const dialog = await screen.findByRole('dialog', { name: 'Change every product in this list' });
    expect(within(dialog).getByTestId('bulk-apply')).toBeDisabled();
    await user.type(within(dialog).getByTestId('bulk-value'), '10');
    await user.click(within(dialog).getByTestId('bulk-preview'));
    expect(await within(dialog).findByTestId('bulk-summary')).toHaveTextContent(
      '640 products match: 639 change (1,210 variants), 1 already so.',
    );
    const apply = within(dialog).getByTestId('bulk-apply');
    expect(apply).toHaveTextContent('Change 639 products');
    await user.click(apply);
    expect(await screen.findByTestId('toast')).toHaveTextContent('639 products changed');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const sent = argsOf<BulkArgs>('bulk_edit_products');
    expect(sent.map((a) => [a.apply, a.expected])).toEqual([
      [false, null],
      [true, 640],
    ]);
    expect(sent[0]?.change).toEqual({ kind: 'price_percent', bps: 1000 });
  });

  it('offers no change while any product cannot take it, and a new value asks for a new preview', async () => {
    const { user } = renderApp({
      me: me('logistics'),
      path: '/products',
      handlers: {
        list_products: () => page([product(1)]),
        stock_reasons: () => [{ kind: 'damaged', label: 'Damaged', direction: 'out' }],
        bulk_edit_products: () =>
          report({
            refused: 1,
            changed: 638,
            outcomes: [
              {
                product_id: 'p9',
                name: 'Sold-out mug',
                action: 'refused',
                detail: 'not enough stock of MUG-1: 0 on hand',
              },
            ],
          }),
      },
    });
    await openMenu(user);
    await user.click(await screen.findByTestId('bulk-edit'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('bulk-kind')).toHaveValue('stock');
    await user.type(within(dialog).getByTestId('bulk-value'), '-1');
    await user.click(within(dialog).getByTestId('bulk-preview'));
    const outcomes = await within(dialog).findByTestId('bulk-outcomes');
    expect(within(outcomes).getByText('not enough stock of MUG-1: 0 on hand')).toBeInTheDocument();
    expect(within(dialog).getByTestId('bulk-apply')).toBeDisabled();
    await user.type(within(dialog).getByTestId('bulk-value'), '0');
    expect(within(dialog).queryByTestId('bulk-report')).toBeNull();
  });
});
