import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { isActivePath, Link, matchPath, navigate, parseHash, Redirect, Routes, useLocation } from './router';

describe('matchPath', () => {
  it('matches static and :param segments', () => {
    expect(matchPath('/orders', '/orders')).toEqual({});
    expect(matchPath('/orders/:id', '/orders/0190a%2Fb')).toEqual({ id: '0190a/b' });
    expect(matchPath('/orders/:id', '/orders')).toBeNull();
    expect(matchPath('/orders', '/orders/1')).toBeNull();
    expect(matchPath('/settings/*', '/settings/users/2')).toEqual({ '*': 'users/2' });
  });

  it('parses the hash', () => {
    const { path, search } = parseHash('#/orders?status=open');
    expect(path).toBe('/orders');
    expect(search.get('status')).toBe('open');
    expect(parseHash('').path).toBe('/');
  });

  it('knows active paths', () => {
    expect(isActivePath('/orders', '/orders/1')).toBe(true);
    expect(isActivePath('/orders', '/orders-archive')).toBe(false);
    expect(isActivePath('/', '/orders')).toBe(false);
  });
});

function Where() {
  const { path, search } = useLocation();
  return (
    <p>
      at {path} {search.toString()}
    </p>
  );
}

describe('Routes', () => {
  it('renders the matching route and follows navigation', async () => {
    const user = userEvent.setup();
    render(
      <>
        <Link to="/orders/42">Order 42</Link>
        <Routes
          routes={[
            { path: '/orders', render: () => <h2>All orders</h2> },
            { path: '/orders/:id', render: ({ id }) => <h2>Order {id}</h2> },
          ]}
          fallback={<Redirect to="/orders" />}
        />
        <Where />
      </>,
    );
    expect(await screen.findByRole('heading', { name: 'All orders' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/orders');

    await user.click(screen.getByRole('link', { name: 'Order 42' }));
    expect(await screen.findByRole('heading', { name: 'Order 42' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Order 42' })).toHaveAttribute('aria-current', 'page');

    act(() => navigate('/orders?status=open'));
    expect(screen.getByRole('heading', { name: 'All orders' })).toBeInTheDocument();
    expect(screen.getByText('at /orders status=open')).toBeInTheDocument();
  });
});
