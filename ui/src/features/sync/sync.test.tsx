import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Conflict, QueuedChange, SyncOverview } from '../../bindings';
import { renderApp } from '../../test/app';
import { me } from '../../test/fixtures';

const order = '0197b000-0000-7000-8000-000000000001';
const conflictId = '0197b000-0000-7000-8000-0000000000c1';

const offline: SyncOverview = {
  online: false,
  syncs: true,
  status: {
    pending: 2,
    conflicts: 1,
    parked: 0,
    ready: true,
    copying: false,
    last_pull_at: '2026-12-04T09:00:00.000000Z',
    last_push_at: null,
    push_error: 'the server cannot be reached',
  },
};

const change = (n: number, state: QueuedChange['state']): QueuedChange => ({
  mutation_id: `0197b000-0000-7000-8000-00000000010${n}`,
  mutation: { kind: 'order_status', order, version: n, to: 'shipped' },
  summary: 'Order marked shipped',
  state,
  attempts: n,
  last_error: state === 'conflict' ? 'changed on the server first (now version 4)' : null,
  created_at: '2026-12-04T09:30:00.000000Z',
  pushed_at: null,
});

const conflict: Conflict = {
  id: conflictId,
  mutation_id: change(1, 'conflict').mutation_id,
  mine: { kind: 'order_status', order, version: 3, to: 'processing' },
  summary: 'Order marked processing',
  table: 'orders',
  row_id: order,
  expected_version: 3,
  actual_version: 4,
  fields: [
    { name: 'notes', mine: null, theirs: 'customer phoned', differs: true },
    { name: 'status', mine: 'processing', theirs: 'paid', differs: true },
    { name: 'version', mine: '4', theirs: '4', differs: false },
    { name: 'id', mine: order, theirs: order, differs: false },
  ],
  created_at: '2026-12-04T10:00:00.000000Z',
};

describe('sync', () => {
  it('shows pending changes and conflicts in the top bar and opens the sync screen', async () => {
    const { user } = renderApp({
      me: me('admin'),
      path: '/orders',
      handlers: {
        sync_overview: () => offline,
        pending_changes: () => [change(1, 'conflict'), change(2, 'pending')],
        sync_conflicts: () => [conflict],
      },
    });
    const badge = await screen.findByTestId('sync-badge');
    expect(badge).toHaveTextContent('1 conflict');
    await user.click(badge);
    expect(await screen.findByTestId('sync')).toBeInTheDocument();
    expect(screen.getByTestId('sync-pending')).toHaveTextContent('2');
    const rows = await screen.findAllByTestId('pending-change');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('changed on the server first');
    expect(screen.getByTestId('sync-error')).toHaveTextContent('cannot be reached');
  });

  it('puts both versions side by side and sends the person’s choice to the core', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/sync',
      handlers: {
        sync_overview: () => offline,
        pending_changes: () => [],
        sync_conflicts: () => [conflict],
        resolve_conflict: () => null,
      },
    });
    const card = await screen.findByTestId('conflict');
    expect(within(card).getByTestId('conflict-mine')).toHaveTextContent('made on version 3');
    // What differs, side by side; the rest on request.
    let rows = within(card).getAllByTestId('conflict-field');
    expect(rows.map((r) => r.dataset.field)).toEqual(['notes', 'status']);
    expect(rows[1]).toHaveTextContent('processing');
    expect(rows[1]).toHaveTextContent('paid');
    await user.click(within(card).getByTestId('conflict-all-fields'));
    rows = within(card).getAllByTestId('conflict-field');
    expect(rows).toHaveLength(4);
    await user.click(within(card).getByTestId('keep-mine'));
    await waitFor(() =>
      expect(argsOf('resolve_conflict')).toEqual([{ id: conflictId, resolution: { choice: 'keep_mine' } }]),
    );
  });

  it('says when there is nothing to sync and nothing waiting', async () => {
    renderApp({
      me: me('admin'),
      path: '/sync',
      handlers: {
        sync_overview: () => ({
          ...offline,
          status: { ...offline.status, pending: 0, conflicts: 0, push_error: null },
        }),
        pending_changes: () => [],
        sync_conflicts: () => [],
      },
    });
    expect(await screen.findByText('Nothing waiting')).toBeInTheDocument();
    expect(screen.queryByTestId('conflict')).not.toBeInTheDocument();
  });
});
