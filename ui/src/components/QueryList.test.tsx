import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { QueryList, type ListQuery } from './QueryList';

const settled: ListQuery = {
  isPending: false,
  isError: false,
  error: null,
  isFetching: false,
  refetch: vi.fn(),
};

function list(query: ListQuery, total: number, matching = total) {
  return (
    <QueryList
      query={query}
      loadingLabel="Loading vendors"
      errorTitle="Could not load the vendors"
      total={total}
      empty={{ title: 'No vendors yet' }}
      matching={matching}
      noMatch={{ title: 'No vendors match' }}
    >
      <table data-testid="table" />
    </QueryList>
  );
}

describe('QueryList', () => {
  it('shows a skeleton, then the error with Retry refetching', async () => {
    const { rerender } = render(list({ ...settled, isPending: true }, 0));
    expect(screen.getByLabelText('Loading vendors')).toHaveAttribute('aria-busy', 'true');

    const refetch = vi.fn(() => Promise.resolve());
    rerender(list({ ...settled, isError: true, error: 'Database locked', refetch }, 0));
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the vendors');
    expect(screen.getByRole('alert')).toHaveTextContent('Database locked');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(refetch).toHaveBeenCalledTimes(1);
  });

  it('tells nothing at all from nothing matching, else shows the table', () => {
    const { rerender } = render(list(settled, 0));
    expect(screen.getByText('No vendors yet')).toBeInTheDocument();
    rerender(list(settled, 3, 0));
    expect(screen.getByText('No vendors match')).toBeInTheDocument();
    rerender(list(settled, 3, 2));
    expect(screen.getByTestId('table')).toBeInTheDocument();
    expect(screen.queryByText(/No vendors/)).toBeNull();
  });
});
