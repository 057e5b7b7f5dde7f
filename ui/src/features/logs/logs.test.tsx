import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LogLine, LogPage } from '../../bindings';
import { renderApp } from '../../test/app';
import { me } from '../../test/fixtures';

const line = (n: number, over: Partial<LogLine> = {}): LogLine => ({
  id: `desktop.2026-12-07.log:${n}`,
  at: '2026-12-07T08:30:00.000000Z',
  level: 'error',
  module: 'marketdesk_desktop::commands',
  message: `database gone ${n}`,
  fields: 'kind=Database',
  file: 'desktop.2026-12-07.log',
  ...over,
});

const page = (lines: LogLine[], next: string | null = null): LogPage => ({
  lines,
  next,
  folder: '/home/ann/.local/share/marketdesk/logs',
  files: 3,
});

describe('logs', () => {
  it('opens on warnings and errors, narrows in the core, and shows a line in full', async () => {
    const panic = line(7, {
      message: 'panic: label for card [card] failed',
      module: 'marketdesk::panic',
      fields: 'location=src/labels.rs:12 thread=main backtrace=0: rust_begin_unwind',
    });
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/logs',
      handlers: { read_logs: () => page([line(9), panic]) },
    });
    const grid = await screen.findByTestId('grid-logs');
    expect(await within(grid).findByText('database gone 9')).toBeInTheDocument();
    expect(argsOf('read_logs')[0]).toMatchObject({
      filter: { level: 'warn', module: null, text: null },
      after: null,
    });
    expect(screen.getByTestId('log-folder')).toHaveTextContent(
      '/home/ann/.local/share/marketdesk/logs · 3 files',
    );

    await user.click(within(grid).getByText('panic: label for card [card] failed'));
    const panel = await screen.findByTestId('log-detail');
    expect(within(panel).getByText(/backtrace=0: rust_begin_unwind/)).toBeInTheDocument();
    expect(within(panel).getByText('marketdesk::panic')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Module'), 'marketdesk_core::jobs{Enter}');
    await waitFor(() =>
      expect(argsOf('read_logs').at(-1)).toMatchObject({
        filter: { level: 'warn', module: 'marketdesk_core::jobs' },
      }),
    );
  });

  it('says when nothing matches', async () => {
    renderApp({ me: me('admin'), path: '/logs', handlers: { read_logs: () => page([]) } });
    expect(await screen.findByText('No lines match')).toBeInTheDocument();
  });
});
