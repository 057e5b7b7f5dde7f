import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithClient } from '../test/render';
import { DataGrid, gridColumnHelper, type Page, type PageRequest } from './DataGrid';

type Item = { id: string; name: string; total_minor: number };

const col = gridColumnHelper<Item>();
const columns = col.columns([
  col.accessor('name', { header: 'Name', meta: { sortKey: 'name' } }),
  col.accessor('total_minor', {
    header: 'Total',
    meta: { sortKey: 'total', firstSortDir: 'desc', align: 'end' },
  }),
  col.accessor('id', { header: 'Id' }),
]);

const items = (from: number, count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `item-${from + i}`,
    name: `Item ${from + i}`,
    total_minor: (from + i) * 100,
  }));

/** A server of `total` rows in pages, with cursors 'c<offset>'. */
function server(total: number) {
  return vi.fn((request: PageRequest): Promise<Page<Item>> => {
    const start = request.after === null ? 0 : Number(request.after.slice(1));
    const end = Math.min(start + request.limit, total);
    return Promise.resolve({ items: items(start, end - start), next_cursor: end < total ? `c${end}` : null });
  });
}

function setup(fetchPage = server(1000), props: Partial<Parameters<typeof DataGrid<Item>>[0]> = {}) {
  const onRowOpen = vi.fn();
  const view = renderWithClient(
    <DataGrid
      aria-label="Items"
      data-testid="items-grid"
      columns={columns}
      fetchPage={fetchPage}
      queryKey={['items']}
      rowKey={(r) => r.id}
      onRowOpen={onRowOpen}
      {...props}
    />,
  );
  return { ...view, fetchPage, onRowOpen, grid: screen.getByTestId('items-grid') };
}

const dataRows = (grid: HTMLElement) =>
  within(grid)
    .getAllByRole('row')
    .filter((r) => r.dataset.rowKey);

describe('DataGrid', () => {
  it('shows skeleton rows, then the first page', async () => {
    const { grid, fetchPage } = setup();
    expect(grid).toHaveAttribute('aria-busy', 'true');
    expect(await screen.findByText('Item 0')).toBeInTheDocument();
    expect(grid).not.toHaveAttribute('aria-busy');
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(fetchPage.mock.calls[0]?.[0]).toEqual({ sort: 'name', dir: 'asc', after: null, limit: 100 });

    const rows = dataRows(grid);
    expect(rows[0]).toHaveAttribute('data-row-key', 'item-0');
    expect(
      within(rows[0] as HTMLElement)
        .getAllByRole('gridcell')
        .map((c) => c.textContent),
    ).toEqual(['Item 0', '0', 'item-0']);
    // Virtualised: a 400px viewport renders a window of rows, not the whole page.
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(screen.getByText('100 rows loaded')).toBeInTheDocument();
    expect(screen.getByRole('grid', { name: 'Items' })).toBe(grid);
  });

  it('requests the next page with the returned cursor when scrolled near the end', async () => {
    const { grid, fetchPage } = setup();
    await screen.findByText('Item 0');
    expect(fetchPage).toHaveBeenCalledTimes(1);

    act(() => grid.scrollTo({ top: 100 * 36 - 400 }));
    await screen.findByText('200 rows loaded');
    expect(fetchPage.mock.calls[1]?.[0]).toEqual({ sort: 'name', dir: 'asc', after: 'c100', limit: 100 });
    expect(screen.getByText('Item 99')).toBeInTheDocument();
  });

  it('requests the next page when End is pressed', async () => {
    const user = userEvent.setup();
    const { grid, fetchPage } = setup();
    await screen.findByText('Item 0');
    grid.focus();
    await user.keyboard('{End}');
    await screen.findByText('200 rows loaded');
    expect(fetchPage.mock.calls[1]?.[0]).toMatchObject({ after: 'c100' });
    // Row 99 is in view, far from the new end: no further page yet.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetchPage).toHaveBeenCalledTimes(2);
    const active = grid.querySelector('[data-active]');
    expect(active).toHaveAttribute('data-row-key', 'item-99');
    expect(grid).toHaveAttribute('aria-activedescendant', active?.id);
  });

  it('stops at the last page', async () => {
    const { grid, fetchPage } = setup(server(150));
    await screen.findByText('Item 0');
    act(() => grid.scrollTo({ top: 10_000 }));
    await screen.findByText('150 rows loaded');
    act(() => grid.scrollTo({ top: 150 * 36 }));
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(grid).toHaveAttribute('aria-rowcount', '151');
  });

  it('sorts on the server when a sortable header is clicked', async () => {
    const user = userEvent.setup();
    const onSortChange = vi.fn();
    const { fetchPage } = setup(server(1000), { onSortChange });
    await screen.findByText('Item 0');

    const name = screen.getByRole('columnheader', { name: /Name/ });
    expect(name).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: 'Id' })).not.toHaveAttribute('aria-sort');
    expect(within(screen.getByRole('columnheader', { name: 'Id' })).queryByRole('button')).toBeNull();

    await user.click(within(name).getByRole('button'));
    await waitFor(() => expect(fetchPage).toHaveBeenCalledTimes(2));
    expect(fetchPage.mock.calls[1]?.[0]).toEqual({ sort: 'name', dir: 'desc', after: null, limit: 100 });
    expect(name).toHaveAttribute('aria-sort', 'descending');
    expect(onSortChange).toHaveBeenLastCalledWith({ key: 'name', dir: 'desc' });

    const total = screen.getByRole('columnheader', { name: /Total/ });
    await user.click(within(total).getByRole('button'));
    await waitFor(() => expect(fetchPage).toHaveBeenCalledTimes(3));
    expect(fetchPage.mock.calls[2]?.[0]).toEqual({ sort: 'total', dir: 'desc', after: null, limit: 100 });
    expect(total).toHaveAttribute('aria-sort', 'descending');
    expect(name).toHaveAttribute('aria-sort', 'none');
  });

  it('starts again from the first page when the query key changes', async () => {
    const fetchPage = server(1000);
    const { rerender } = setup(fetchPage);
    await screen.findByText('Item 0');
    rerender(
      <DataGrid
        aria-label="Items"
        columns={columns}
        fetchPage={fetchPage}
        queryKey={['items', { search: 'x' }]}
        rowKey={(r) => r.id}
      />,
    );
    await waitFor(() => expect(fetchPage).toHaveBeenCalledTimes(2));
    expect(fetchPage.mock.calls[1]?.[0]).toMatchObject({ after: null });
  });

  it('shows the empty state', async () => {
    setup(
      vi.fn(() => Promise.resolve({ items: [], next_cursor: null })),
      { emptyState: <p>No orders match these filters.</p> },
    );
    expect(await screen.findByText('No orders match these filters.')).toBeInTheDocument();
    expect(screen.getByText('0 rows loaded')).toBeInTheDocument();
  });

  it('shows the core’s error with a Retry that refetches', async () => {
    const user = userEvent.setup();
    const ok = server(10);
    const fetchPage = vi
      .fn<(r: PageRequest) => Promise<Page<Item>>>()
      .mockRejectedValueOnce('database is offline: connection refused')
      .mockImplementation(ok);
    setup(fetchPage);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database is offline: connection refused');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Item 0')).toBeInTheDocument();
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('moves the active row with the keyboard and opens it with Enter', async () => {
    const user = userEvent.setup();
    const { grid, onRowOpen } = setup();
    await screen.findByText('Item 0');
    const activeKey = () => grid.querySelector('[data-active]')?.getAttribute('data-row-key');

    await user.tab();
    expect(grid).toHaveFocus();
    expect(grid).not.toHaveAttribute('aria-activedescendant');

    await user.keyboard('{ArrowDown}');
    expect(activeKey()).toBe('item-0');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(activeKey()).toBe('item-1');
    const active = grid.querySelector('[data-active]');
    expect(active).toHaveAttribute('aria-selected', 'true');
    expect(grid).toHaveAttribute('aria-activedescendant', active?.id);

    await user.keyboard('{Enter}');
    expect(onRowOpen).toHaveBeenCalledWith({ id: 'item-1', name: 'Item 1', total_minor: 100 });

    // 400px viewport, 36px rows, one header row: a page is 9 rows.
    await user.keyboard('{PageDown}');
    expect(activeKey()).toBe('item-10');
    await user.keyboard('{PageUp}');
    expect(activeKey()).toBe('item-1');
    await user.keyboard('{Home}');
    expect(activeKey()).toBe('item-0');
    await user.keyboard('{ArrowUp}');
    expect(activeKey()).toBe('item-0');
  });

  it('opens a row on double-click and activates it on click', async () => {
    const user = userEvent.setup();
    const { grid, onRowOpen } = setup();
    await user.dblClick(await screen.findByText('Item 3'));
    expect(onRowOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'item-3' }));
    expect(grid.querySelector('[data-active]')).toHaveAttribute('data-row-key', 'item-3');
  });

  it('leaves keys pressed on a header button to the button', async () => {
    const { grid, onRowOpen } = setup();
    await screen.findByText('Item 0');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(within(grid).getAllByRole('button')[0] as HTMLElement, { key: 'Enter' });
    expect(onRowOpen).not.toHaveBeenCalled();
    expect(dataRows(grid)[0]).toHaveAttribute('data-active');
  });

  it('marks every cell with its column id', async () => {
    const { grid } = setup();
    await screen.findByText('Item 0');
    const first = dataRows(grid)[0] as HTMLElement;
    expect(Array.from(first.querySelectorAll('[data-col]')).map((c) => c.getAttribute('data-col'))).toEqual([
      'name',
      'total_minor',
      'id',
    ]);
    expect(first.querySelector('[data-col="name"]')).toHaveTextContent('Item 0');
  });

  it('opens a row on a single click with openOnClick, and marks the selected row', async () => {
    const user = userEvent.setup();
    const { grid, onRowOpen } = setup(server(1000), { openOnClick: true, selectedKey: 'item-2' });
    await user.click(await screen.findByText('Item 4'));
    expect(onRowOpen).toHaveBeenCalledTimes(1);
    expect(onRowOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'item-4' }));
    expect(grid.querySelector('[aria-current="true"]')).toHaveAttribute('data-row-key', 'item-2');
    // A double click is two clicks: the dblclick itself opens nothing more.
    await user.dblClick(screen.getByText('Item 5'));
    expect(onRowOpen).toHaveBeenCalledTimes(3);
  });
});
