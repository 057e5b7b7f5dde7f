import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AwaitingPayment } from '../../bindings';
import { renderWithClient } from '../../test/render';
import { mockCommands } from '../../test/tauri';
import { OrderPaymentLink } from './OrderPaymentLink';

const ORDER = '0199f000-0000-7000-8000-000000000009';
const URL = 'https://checkout.stripe.com/c/pay/cs_test_1';

function show(awaiting: AwaitingPayment) {
  const { calls } = mockCommands({
    send_payment_link: () => ({
      url: URL,
      expires_at: '2026-12-08T17:00:00.000000Z',
      mailed_to: 'cora@example.com',
    }),
  });
  renderWithClient(<OrderPaymentLink orderId={ORDER} awaiting={awaiting} />);
  return calls;
}

describe('the payment link of an order taken by hand', () => {
  it('mails a waiting link again and lets it be copied', async () => {
    const calls = show({
      state: 'waiting',
      url: URL,
      expires_at: '2099-01-01T10:00:00.000000Z',
      problem: null,
    });
    expect(screen.getByTestId('order-payment-link')).toHaveTextContent('Waiting for the customer to pay');
    expect(screen.getByRole('button', { name: /copy link/i })).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('send-payment-link'));
    expect(screen.getByTestId('send-payment-link')).toHaveTextContent('Mail the link again');
    await waitFor(() => expect(calls.map((c) => c.cmd)).toContain('send_payment_link'));
    expect(calls.find((c) => c.cmd === 'send_payment_link')?.args).toEqual({ id: ORDER });
  });

  it('says why the last payment failed and offers a new link, without the old one to copy', () => {
    show({
      state: 'failed',
      url: URL,
      expires_at: '2099-01-01T10:00:00.000000Z',
      problem: 'the bank did not pay the debit the customer started on the payment page',
    });
    const panel = screen.getByTestId('order-payment-link');
    expect(panel).toHaveTextContent('The payment made on the link failed (the bank did not pay the debit');
    expect(screen.getByTestId('send-payment-link')).toHaveTextContent('Send a new link');
    expect(screen.queryByRole('button', { name: /copy link/i })).not.toBeInTheDocument();
  });

  it('offers a new link once expired or never sent, and nothing while the bank pays', () => {
    show({ state: 'expired', url: null, expires_at: null, problem: 'the payment link expired unpaid' });
    expect(screen.getByTestId('order-payment-link')).toHaveTextContent('The link expired unpaid.');
    expect(screen.getByTestId('send-payment-link')).toHaveTextContent('Send a new link');
  });

  it('waits for the bank after a debit, with no button', () => {
    show({ state: 'processing', url: URL, expires_at: null, problem: null });
    expect(screen.getByTestId('order-payment-link')).toHaveTextContent('the money is on its way');
    expect(screen.queryByTestId('send-payment-link')).not.toBeInTheDocument();
  });

  it('says when none went out yet', () => {
    show({ state: 'not_sent', url: null, expires_at: null, problem: null });
    expect(screen.getByTestId('order-payment-link')).toHaveTextContent('No payment link has gone out yet.');
    expect(screen.getByTestId('send-payment-link')).toHaveTextContent('Send a new link');
  });
});
