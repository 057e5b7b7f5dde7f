import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobRow, QueueDepth, WorkerBeat } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const dead: JobRow = {
  id: '0199c000-0000-7000-8000-000000000001',
  kind: 'carrier.tracking',
  status: 'dead',
  attempts: 5,
  max_attempts: 5,
  run_at: '2026-12-07T08:00:00.000000Z',
  locked_by: null,
  last_error: 'FedEx answered 503 Service Unavailable',
  finished_at: '2026-12-07T08:30:00.000000Z',
  updated_at: '2026-12-07T08:30:00.000000Z',
};

const depth: QueueDepth = { queued: 3, due: 2, running: 1, dead: 1, oldest_due_seconds: 40 };

const worker = (name: string, alive: boolean): WorkerBeat => ({
  name,
  host: 'ops-1',
  rounds: ['mail.round every 60 s', 'tracking.poll every 900 s'],
  started_at: '2026-12-07T07:00:00.000000Z',
  seen_at: '2026-12-07T08:29:58.000000Z',
  stopped_at: alive ? null : '2026-12-07T08:00:00.000000Z',
  jobs_done: 1234,
  jobs_failed: 2,
  alive,
});

describe('jobs', () => {
  it('opens on the dead jobs with their errors and puts one back', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/jobs',
      handlers: {
        list_jobs: () => page([dead]),
        job_queue_depth: () => depth,
        retry_job: () => null,
        job_workers: () => [],
      },
    });
    const grid = await screen.findByTestId('grid-jobs');
    expect(await within(grid).findByText('FedEx answered 503 Service Unavailable')).toBeInTheDocument();
    expect(argsOf('list_jobs')[0]).toMatchObject({ filter: { status: 'dead' } });
    expect(screen.getByTestId('job-depth')).toHaveTextContent('2 due · 1 running · 1 dead');
    await user.click(within(grid).getByTestId('job-retry'));
    await waitFor(() => expect(argsOf('retry_job')).toEqual([{ id: dead.id }]));
  });

  it('says when no worker runs, and lists the workers with their rounds', async () => {
    const quiet = renderApp({
      me: me('admin'),
      path: '/jobs',
      handlers: { list_jobs: () => page([]), job_queue_depth: () => depth, job_workers: () => [] },
    });
    expect(await screen.findByText('No worker running')).toBeInTheDocument();
    await quiet.user.click(screen.getByTestId('job-workers'));
    expect(await screen.findByText('No worker ran this week')).toBeInTheDocument();
    quiet.unmount();

    const { user } = renderApp({
      me: me('admin'),
      path: '/jobs',
      handlers: {
        list_jobs: () => page([]),
        job_queue_depth: () => depth,
        job_workers: () => [worker('ops-1-4242', true), worker('ops-1-17', false)],
      },
    });
    expect(await screen.findByText('1 worker running')).toBeInTheDocument();
    await user.click(screen.getByTestId('job-workers'));
    const table = await screen.findByTestId('worker-list');
    expect(within(table).getByText('ops-1-4242')).toBeInTheDocument();
    expect(within(table).getAllByText('mail.round every 60 s, tracking.poll every 900 s')).toHaveLength(2);
    expect(within(table).getByText(/^Stopped /)).toBeInTheDocument();
  });
});
