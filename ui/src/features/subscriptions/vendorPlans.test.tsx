import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Plan, VendorPlan, VendorPlanFilter, VendorPlanList } from '../../bindings';
import { renderApp } from '../../test/app';
import type { CommandHandler } from '../../test/tauri';
import { appError, me } from '../../test/fixtures';
import { commissionInWords, periodInWords, planPrice, planUnavailable } from './vendorPlans';

const vendorId = (n: number) => `0190c000-0000-7000-8000-00000000000${n}`;

const plan = (n: number, code: string, name: string, overrides: Partial<Plan> = {}): Plan => ({
  id: `0199a000-0000-7000-8000-00000000000${n}`,
  code,
  name,
  price_minor: 1900,
  currency: 'USD',
  interval: 'month',
  commission_bps: null,
  stripe_price_id: `price_1Pl${code}`,
  is_active: true,
  ...overrides,
});

// Those offered first, cheapest first, as the core sorts them.
const PLANS: Plan[] = [
  plan(1, 'starter', 'Starter'),
  plan(2, 'growth', 'Growth', { price_minor: 4900, commission_bps: 1000 }),
  plan(3, 'pro', 'Pro', { price_minor: 99000, interval: 'year', commission_bps: 750, stripe_price_id: null }),
  plan(4, 'legacy', 'Legacy', { price_minor: 2900, commission_bps: 1250, is_active: false }),
];

const noPlan = (n: number, name: string): VendorPlan => ({
  vendor_id: vendorId(n),
  vendor_name: name,
  email: `${name.split(' ')[0]?.toLowerCase()}@vendors.example`,
  plan_code: null,
  plan_name: null,
  status: null,
  cancel_at_period_end: false,
  current_period_end: null,
  stripe_subscription_id: null,
  version: null,
});

const onPlan = (n: number, name: string, code: string, overrides: Partial<VendorPlan> = {}): VendorPlan => ({
  ...noPlan(n, name),
  plan_code: code,
  plan_name: PLANS.find((p) => p.code === code)?.name ?? code,
  status: 'active',
  current_period_end: '2026-12-01T00:00:00.000000Z',
  stripe_subscription_id: `sub_1Qv${n}`,
  version: 1,
  ...overrides,
});

// By name, as the core sorts them.
const VENDORS: VendorPlan[] = [
  noPlan(1, 'Atlas Prints'),
  onPlan(2, 'Basalt Goods', 'growth', { version: 3 }),
  onPlan(3, 'Cobalt Works', 'starter', {
    status: 'trialing',
    cancel_at_period_end: true,
    current_period_end: '2026-06-15T00:00:00.000000Z',
  }),
  onPlan(4, 'Fjord Textiles', 'growth', { status: 'past_due' }),
  onPlan(5, 'Harbor Tea', 'legacy', { stripe_subscription_id: null, version: 2 }),
  onPlan(6, 'Juniper Co', 'starter', { status: 'incomplete' }),
  onPlan(7, 'Linden Studio', 'starter', { status: 'unpaid' }),
];

/**
 * What the core answers `vendor_plans` with over `vendors`, imitated for the mock (the real
 * filtering is the core's, tested in Rust): the vendors the filter lets through, and the
 * counts of every vendor.
 */
function coreAnswer(vendors: readonly VendorPlan[], args: unknown): VendorPlanList {
  const { search, show } = (args as { filter: VendorPlanFilter }).filter;
  const needle = search?.trim().toLowerCase() ?? '';
  const shows = (v: VendorPlan) => {
    switch (show) {
      case null:
        return true;
      case 'no_plan':
        return v.plan_code === null;
      case 'ending':
        return v.plan_code !== null && v.cancel_at_period_end;
      case 'needs_payment':
        return v.status === 'past_due' || v.status === 'unpaid' || v.status === 'incomplete';
    }
  };
  const found = (v: VendorPlan) =>
    v.vendor_name.toLowerCase().includes(needle) || v.email.toLowerCase().includes(needle);
  const byPlan = new Map<string, number>();
  for (const v of vendors) {
    if (v.plan_code !== null) byPlan.set(v.plan_code, (byPlan.get(v.plan_code) ?? 0) + 1);
  }
  return {
    vendors: vendors.filter((v) => shows(v) && found(v)),
    total: vendors.length,
    on_plan: vendors.filter((v) => v.plan_code !== null).length,
    by_plan: [...byPlan].sort().map(([plan_code, n]) => ({ plan_code, vendors: n })),
  };
}

function renderPlans(role: 'admin' | 'finance', handlers: Record<string, CommandHandler> = {}) {
  return renderApp({
    me: me(role),
    path: '/payouts',
    handlers: {
      subscription_plans: () => PLANS,
      vendor_plans: (args) => coreAnswer(VENDORS, args),
      ...handlers,
    },
  });
}

/** Opens the Vendor plans tab and waits for the table. */
async function openPlans(user: { click: (element: Element) => Promise<void> }) {
  await user.click(await screen.findByTestId('payouts-tab-plans'));
  return screen.findByTestId('vendor-plans-table');
}

const row = (n: number) =>
  screen.getAllByTestId('vendor-plan-row').find((r) => r.dataset.vendor === vendorId(n)) as HTMLElement;
const shown = () => screen.queryAllByTestId('vendor-plan-row').map((r) => r.dataset.vendor);
const card = (code: string) =>
  screen.getAllByTestId('plan-card').find((c) => c.dataset.code === code) as HTMLElement;
const choice = (dialog: HTMLElement, code: string) =>
  within(dialog)
    .getAllByTestId('plan-choice')
    .find((c) => c.dataset.code === code) as HTMLElement;

/** The list with one vendor replaced, as the core answers after a change. */
const replaced = (changed: VendorPlan) =>
  VENDORS.map((v) => (v.vendor_id === changed.vendor_id ? changed : v));

describe('vendor plans', () => {
  it('shows the plans with their price, commission and how many vendors are on each', async () => {
    const { user } = renderPlans('admin');
    await openPlans(user);
    expect(screen.getByTestId('payouts-tab-plans')).toHaveAttribute('aria-selected', 'true');
    // Right after Vendor set-up.
    const tabs = screen.getAllByRole('tab').map((t) => t.textContent);
    expect(tabs.indexOf('Vendor plans')).toBe(tabs.indexOf('Vendor set-up') + 1);

    expect(screen.getAllByTestId('plan-card').map((c) => c.dataset.code)).toEqual([
      'starter',
      'growth',
      'pro',
      'legacy',
    ]);
    expect(card('starter')).toHaveTextContent('Starter');
    expect(card('starter')).toHaveTextContent('$19.00 / month');
    expect(card('starter')).toHaveTextContent('Default commission');
    expect(within(card('starter')).getByTestId('plan-card-count')).toHaveTextContent('3 vendors');
    expect(card('growth')).toHaveTextContent('$49.00 / month');
    expect(card('growth')).toHaveTextContent('10% commission');
    expect(within(card('growth')).getByTestId('plan-card-count')).toHaveTextContent('2 vendors');
    expect(card('pro')).toHaveTextContent('$990.00 / year');
    expect(card('pro')).toHaveTextContent('7.5% commission');
    expect(within(card('pro')).getByText('No Stripe price')).toBeInTheDocument();
    expect(within(card('pro')).queryByText('Not offered')).toBeNull();
    expect(within(card('pro')).getByTestId('plan-card-count')).toHaveTextContent('0 vendors');
    expect(card('legacy')).toHaveTextContent('12.5% commission');
    expect(within(card('legacy')).getByText('Not offered')).toBeInTheDocument();
    expect(within(card('legacy')).queryByText('No Stripe price')).toBeNull();
    expect(within(card('legacy')).getByTestId('plan-card-count')).toHaveTextContent('1 vendor');
    expect(within(card('starter')).queryByText(/Not offered|No Stripe price/)).toBeNull();

    expect(screen.getByTestId('plans-summary')).toHaveTextContent('6 of 7 vendors on a plan');
  });

  it('lists every vendor with their plan, status and when it renews or ends', async () => {
    const { user } = renderPlans('admin');
    const table = await openPlans(user);
    expect(within(table).getAllByRole('row')).toHaveLength(8);
    expect(shown()).toEqual([1, 2, 3, 4, 5, 6, 7].map(vendorId));

    expect(row(1)).toHaveTextContent('Atlas Prints');
    expect(row(1)).toHaveTextContent('atlas@vendors.example');
    expect(within(row(1)).getByText('No plan')).toHaveClass('text-fg-subtle');
    expect(row(1)).not.toHaveTextContent(/Renews|Ends|Stripe/);

    const active = within(row(2)).getByText('Active');
    expect(active).toHaveClass('text-success');
    expect(row(2)).toHaveTextContent('Growth');
    expect(within(row(2)).getByTestId('vendor-plan-period')).toHaveTextContent('Renews Dec 1, 2026');
    expect(within(row(2)).getByText('sub_1Qv2')).toHaveClass('font-mono');
    await user.click(within(row(2)).getByTestId('vendor-plan-copy'));
    expect(await navigator.clipboard.readText()).toBe('sub_1Qv2');

    expect(within(row(3)).getByText('Trialing')).toHaveClass('text-info');
    expect(within(row(3)).getByTestId('vendor-plan-period')).toHaveTextContent('Ends Jun 15, 2026');
    expect(within(row(4)).getByText('Past due')).toHaveClass('text-danger-text');
    expect(within(row(5)).getByText('Not billed through Stripe')).toHaveClass('text-fg-subtle');
    expect(within(row(5)).queryByTestId('vendor-plan-copy')).toBeNull();
    expect(within(row(6)).getByText('Awaiting first payment')).toHaveClass('text-warning');
    expect(within(row(7)).getByText('Unpaid')).toHaveClass('text-danger-text');
  });

  it('asks the core for what needs doing and for the search, and shows what it answers', async () => {
    const { user, argsOf } = renderPlans('admin');
    await openPlans(user);
    const filter = screen.getByTestId('plans-filter');
    expect(
      within(filter)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['All', 'No plan', 'Ending', 'Needs payment']);
    expect(argsOf('vendor_plans')).toEqual([{ filter: { search: null, show: null } }]);
    const asked = () => argsOf('vendor_plans').at(-1);

    await user.selectOptions(filter, 'No plan');
    expect(asked()).toEqual({ filter: { search: null, show: 'no_plan' } });
    await waitFor(() => expect(shown()).toEqual([vendorId(1)]));
    await user.selectOptions(filter, 'Ending');
    expect(asked()).toEqual({ filter: { search: null, show: 'ending' } });
    await waitFor(() => expect(shown()).toEqual([vendorId(3)]));
    await user.selectOptions(filter, 'Needs payment');
    expect(asked()).toEqual({ filter: { search: null, show: 'needs_payment' } });
    await waitFor(() => expect(shown()).toEqual([4, 6, 7].map(vendorId)));
    // The counts are the core's, of every vendor still.
    expect(screen.getByTestId('plans-summary')).toHaveTextContent('6 of 7 vendors on a plan');
    expect(within(card('starter')).getByTestId('plan-card-count')).toHaveTextContent('3 vendors');
    expect(within(card('growth')).getByTestId('plan-card-count')).toHaveTextContent('2 vendors');

    await user.selectOptions(filter, 'All');
    const search = screen.getByTestId('plans-search');
    await user.type(search, 'BASALT');
    // Sent once typing pauses, as typed: the core ignores case.
    await waitFor(() => expect(asked()).toEqual({ filter: { search: 'BASALT', show: null } }));
    await waitFor(() => expect(shown()).toEqual([vendorId(2)]));
    // Not at each key.
    expect(argsOf('vendor_plans')).not.toContainEqual({ filter: { search: 'B', show: null } });
    await user.clear(search);
    await user.type(search, 'fjord@vendors');
    await waitFor(() => expect(asked()).toEqual({ filter: { search: 'fjord@vendors', show: null } }));
    await waitFor(() => expect(shown()).toEqual([vendorId(4)]));

    // Both at once: the core finds none of the vendors there are.
    await user.selectOptions(filter, 'No plan');
    expect(asked()).toEqual({ filter: { search: 'fjord@vendors', show: 'no_plan' } });
    expect(await screen.findByText('No vendors match')).toBeInTheDocument();
    expect(screen.getByText('Try another search or filter.')).toBeInTheDocument();
    expect(screen.queryByText('No vendors yet')).toBeNull();
    expect(screen.getByTestId('plans-summary')).toHaveTextContent('6 of 7 vendors on a plan');

    // An emptied search is no search.
    await user.clear(search);
    await waitFor(() => expect(asked()).toEqual({ filter: { search: null, show: 'no_plan' } }));
    await waitFor(() => expect(shown()).toEqual([vendorId(1)]));
  });

  it('subscribes a vendor: only offered plans with a Stripe price can be chosen', async () => {
    let list = VENDORS;
    const { user, argsOf } = renderPlans('admin', {
      vendor_plans: (args) => coreAnswer(list, args),
      subscribe_vendor: (args) => {
        const { plan: code } = args as { vendorId: string; plan: string };
        const done = onPlan(1, 'Atlas Prints', code, {
          status: 'incomplete',
          stripe_subscription_id: 'sub_1Qv1',
        });
        list = replaced(done);
        return done;
      },
    });
    await openPlans(user);
    expect(within(row(2)).queryByTestId('vendor-plan-subscribe')).toBeNull();
    await user.click(within(row(1)).getByTestId('vendor-plan-subscribe'));

    const dialog = await screen.findByRole('dialog', { name: 'Subscribe Atlas Prints' });
    expect(dialog).toHaveTextContent(
      'Stripe mails the vendor an invoice each period; the subscription stays “awaiting first payment” until it is paid.',
    );
    expect(dialog).toHaveTextContent('Invoices go to atlas@vendors.example.');
    expect(
      within(dialog)
        .getAllByTestId('plan-choice')
        .map((c) => c.dataset.code),
    ).toEqual(['starter', 'growth', 'pro', 'legacy']);
    const radio = (code: string) => within(choice(dialog, code)).getByRole('radio');
    expect(radio('starter')).toBeEnabled();
    expect(radio('growth')).toBeEnabled();
    expect(radio('pro')).toBeDisabled();
    expect(radio('pro')).toHaveAccessibleDescription('No Stripe price: it cannot be billed');
    expect(radio('legacy')).toBeDisabled();
    expect(radio('legacy')).toHaveAccessibleDescription('Not offered any more');
    // The first plan that can be chosen has focus; none is chosen for the admin.
    expect(radio('starter')).toHaveFocus();
    expect(within(dialog).queryByRole('radio', { checked: true })).toBeNull();

    // Nothing chosen: refused here, nothing sent.
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));
    expect(within(dialog).getByTestId('plan-dialog-problem')).toHaveTextContent('Choose a plan.');
    // A plan that cannot be billed cannot be chosen.
    await user.click(choice(dialog, 'pro'));
    expect(radio('pro')).not.toBeChecked();
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));
    expect(argsOf('subscribe_vendor')).toEqual([]);

    await user.click(choice(dialog, 'growth'));
    expect(radio('growth')).toBeChecked();
    expect(within(dialog).queryByTestId('plan-dialog-problem')).toBeNull();
    const before = argsOf('vendor_plans').length;
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('subscribe_vendor')).toEqual([{ vendorId: vendorId(1), plan: 'growth' }]);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Atlas Prints subscribed to Growth');
    await waitFor(() => expect(argsOf('vendor_plans').length).toBeGreaterThan(before));
    await waitFor(() => expect(row(1)).toHaveTextContent('Awaiting first payment'));
    expect(row(1)).toHaveTextContent('Growth');
    expect(within(card('growth')).getByTestId('plan-card-count')).toHaveTextContent('3 vendors');
    expect(within(row(1)).getByTestId('vendor-plan-change')).toBeEnabled();
  });

  it('changes a plan, prorated, sending the version it was read at', async () => {
    let list = VENDORS;
    const { user, argsOf } = renderPlans('admin', {
      vendor_plans: (args) => coreAnswer(list, args),
      change_vendor_plan: () => {
        const done = onPlan(2, 'Basalt Goods', 'starter', { version: 4 });
        list = replaced(done);
        return done;
      },
    });
    await openPlans(user);
    await user.click(within(row(2)).getByTestId('vendor-plan-change'));
    const dialog = await screen.findByRole('dialog', { name: 'Change Basalt Goods’s plan' });
    expect(dialog).toHaveTextContent('Now on Growth.');
    expect(dialog).toHaveTextContent('The change is prorated');
    const current = within(choice(dialog, 'growth')).getByRole('radio');
    expect(current).toBeDisabled();
    expect(current).toHaveAccessibleDescription('Current plan');

    // By keyboard: the first plan to choose has focus, Space picks it.
    const starter = within(choice(dialog, 'starter')).getByRole('radio');
    expect(starter).toHaveFocus();
    await user.keyboard(' ');
    expect(starter).toBeChecked();
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('change_vendor_plan')).toEqual([
      { vendorId: vendorId(2), plan: 'starter', expectedVersion: 3 },
    ]);
    expect(await screen.findByTestId('toast')).toHaveTextContent('Basalt Goods moved to Starter');
    await waitFor(() => expect(row(2)).toHaveTextContent('Starter'));
  });

  it('asks before ending a subscription, naming the date; Renew acts at once', async () => {
    let list = VENDORS;
    const { user, argsOf } = renderPlans('admin', {
      vendor_plans: (args) => coreAnswer(list, args),
      set_vendor_plan_ending: (args) => {
        const { vendorId: id, end } = args as { vendorId: string; end: boolean };
        const was = list.find((v) => v.vendor_id === id) as VendorPlan;
        const done = { ...was, cancel_at_period_end: end, version: (was.version ?? 0) + 1 };
        list = list.map((v) => (v.vendor_id === id ? done : v));
        return done;
      },
    });
    await openPlans(user);
    const end = within(row(2)).getByTestId('vendor-plan-ending');
    expect(end).toHaveTextContent('End at period end…');

    // Cancelled: nothing sent.
    await user.click(end);
    let confirm = await screen.findByRole('alertdialog', { name: 'End Basalt Goods’s subscription?' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(argsOf('set_vendor_plan_ending')).toEqual([]);

    await user.click(end);
    confirm = await screen.findByRole('alertdialog', { name: 'End Basalt Goods’s subscription?' });
    expect(confirm).toHaveTextContent('Growth stays until Dec 1, 2026, then ends instead of renewing.');
    await user.click(within(confirm).getByRole('button', { name: 'End on Dec 1, 2026' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(argsOf('set_vendor_plan_ending')).toEqual([
      { vendorId: vendorId(2), end: true, expectedVersion: 3 },
    ]);
    expect(await screen.findByTestId('toast')).toHaveTextContent(
      'Basalt Goods’s subscription ends Dec 1, 2026',
    );
    await waitFor(() =>
      expect(within(row(2)).getByTestId('vendor-plan-period')).toHaveTextContent('Ends Dec 1, 2026'),
    );
    expect(within(row(2)).getByTestId('vendor-plan-ending')).toHaveTextContent('Renew');

    // Renew: no question, the version read.
    const renew = within(row(3)).getByTestId('vendor-plan-ending');
    expect(renew).toHaveTextContent('Renew');
    await user.click(renew);
    await waitFor(() => expect(argsOf('set_vendor_plan_ending')).toHaveLength(2));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(argsOf('set_vendor_plan_ending')[1]).toEqual({
      vendorId: vendorId(3),
      end: false,
      expectedVersion: 1,
    });
    await waitFor(() =>
      expect(within(row(3)).getByTestId('vendor-plan-period')).toHaveTextContent('Renews Jun 15, 2026'),
    );
    expect(screen.getAllByTestId('toast').at(-1)).toHaveTextContent(
      'Cobalt Works’s subscription renews again',
    );
  });

  it('shows the core’s refusal in the dialog, and a retry after a conflict sends the version reloaded', async () => {
    let list = VENDORS;
    let changeAnswer: () => unknown = () => {
      // Someone else moved the subscription on meanwhile.
      list = replaced({ ...(VENDORS[1] as VendorPlan), version: 4 });
      return appError(
        'conflict',
        'subscription 0199b000 was changed by someone else (you had version 3, it is now 4)',
      );
    };
    const { user, argsOf } = renderPlans('admin', {
      vendor_plans: (args) => coreAnswer(list, args),
      subscribe_vendor: () => appError('invalid', 'Stripe refused: No such price: price_1Plgrowth'),
      change_vendor_plan: () => changeAnswer(),
    });
    await openPlans(user);

    await user.click(within(row(1)).getByTestId('vendor-plan-subscribe'));
    let dialog = await screen.findByRole('dialog', { name: 'Subscribe Atlas Prints' });
    await user.click(choice(dialog, 'growth'));
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));
    let alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not subscribe Atlas Prints');
    expect(alert).toHaveTextContent('Stripe refused: No such price: price_1Plgrowth');
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(within(choice(dialog, 'growth')).getByRole('radio')).toBeChecked();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(within(row(2)).getByTestId('vendor-plan-change'));
    dialog = await screen.findByRole('dialog', { name: 'Change Basalt Goods’s plan' });
    await user.click(choice(dialog, 'starter'));
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));
    alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not change Basalt Goods’s plan');
    expect(alert).toHaveTextContent('was changed by someone else (you had version 3, it is now 4)');
    expect(alert).toHaveTextContent('the list has been reloaded');

    // Offline: the core's message and what to do.
    changeAnswer = () =>
      appError('offline', 'subscriptions are billed through Stripe: connect to the marketplace server');
    await user.click(within(dialog).getByTestId('plan-dialog-submit'));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent('connect to the marketplace server'),
    );
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Stripe is reached online only');
    expect(argsOf('change_vendor_plan').map((a) => a.expectedVersion)).toEqual([3, 4]);
  });

  it('shows a refused ending in its confirmation, and a refused renewal in the row', async () => {
    const { user, argsOf } = renderPlans('admin', {
      set_vendor_plan_ending: (args) =>
        (args as { end: boolean }).end
          ? appError('invalid', 'Stripe refused: This subscription is already canceled')
          : appError('offline', 'subscriptions are billed through Stripe: connect to the marketplace server'),
    });
    await openPlans(user);
    await user.click(within(row(2)).getByTestId('vendor-plan-ending'));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByTestId('confirm'));
    expect(await within(confirm).findByRole('alert')).toHaveTextContent(
      'Stripe refused: This subscription is already canceled',
    );
    expect(screen.getByRole('alertdialog')).toBe(confirm);
    expect(screen.queryByTestId('vendor-plan-error')).toBeNull();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());

    await user.click(within(row(3)).getByTestId('vendor-plan-ending'));
    const error = await screen.findByTestId('vendor-plan-error');
    expect(within(error).getByRole('alert')).toHaveTextContent('Could not renew Cobalt Works’s subscription');
    expect(error).toHaveTextContent('connect to the marketplace server');
    expect(error).toHaveTextContent('Stripe is reached online only');
    expect(argsOf('set_vendor_plan_ending')).toHaveLength(2);
  });

  it('shows the acting row as busy while Stripe is asked', async () => {
    let answer: (value: VendorPlan) => void = () => {};
    const { user } = renderPlans('admin', {
      set_vendor_plan_ending: () => new Promise<VendorPlan>((resolve) => (answer = resolve)),
    });
    await openPlans(user);
    const renew = within(row(3)).getByTestId('vendor-plan-ending');
    await user.click(renew);
    expect(renew).toHaveAttribute('aria-busy', 'true');
    expect(within(row(3)).getByTestId('vendor-plan-change')).toBeDisabled();
    // Other rows wait for nothing.
    expect(within(row(2)).getByTestId('vendor-plan-change')).toBeEnabled();
    answer({ ...(VENDORS[2] as VendorPlan), cancel_at_period_end: false, version: 2 });
    await waitFor(() => expect(renew).not.toHaveAttribute('aria-busy'));
  });

  it('offers no change to a plan not billed through Stripe', async () => {
    const { user } = renderPlans('admin');
    await openPlans(user);
    const change = within(row(5)).getByTestId('vendor-plan-change');
    const ending = within(row(5)).getByTestId('vendor-plan-ending');
    expect(change).toBeDisabled();
    expect(change).toHaveAttribute('title', 'Not billed through Stripe');
    expect(ending).toBeDisabled();
    expect(ending).toHaveAttribute('title', 'Not billed through Stripe');
    expect(within(row(5)).queryByTestId('vendor-plan-subscribe')).toBeNull();
    expect(within(row(4)).getByTestId('vendor-plan-change')).toBeEnabled();
  });

  it('lets finance look without acting', async () => {
    const { user } = renderPlans('finance');
    const table = await openPlans(user);
    expect(within(table).getAllByRole('row')).toHaveLength(8);
    expect(within(row(2)).getByText('Active')).toBeInTheDocument();
    expect(screen.getAllByTestId('plan-card')).toHaveLength(4);
    expect(screen.queryByTestId('vendor-plan-subscribe')).toBeNull();
    expect(screen.queryByTestId('vendor-plan-change')).toBeNull();
    expect(screen.queryByTestId('vendor-plan-ending')).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Subscribe|Change plan|End at period end|Renew/ }),
    ).toBeNull();
    expect(screen.getByText('Only admins subscribe vendors and change plans.')).toBeInTheDocument();
  });

  it('shows no Vendor plans tab to vendors', async () => {
    renderApp({ me: me('vendor'), path: '/payouts' });
    expect(await screen.findByTestId('grid-payouts')).toBeInTheDocument();
    expect(screen.queryByTestId('payouts-tab-plans')).toBeNull();
  });

  it('says when there are no vendors, and shows failed lists with Retry', async () => {
    let vendors: (args: unknown) => unknown = (args) => coreAnswer([], args);
    const { user } = renderPlans('finance', {
      vendor_plans: (args) => vendors(args),
      subscription_plans: () => appError('database', 'the database refused the query'),
    });
    await user.click(await screen.findByTestId('payouts-tab-plans'));
    expect(await screen.findByText('No vendors yet')).toBeInTheDocument();
    expect(screen.getByTestId('plans-summary')).toHaveTextContent('0 of 0 vendors on a plan');
    expect(await screen.findByText('Could not load the plans')).toBeInTheDocument();
    expect(screen.getByTestId('inline-error')).toHaveTextContent('the database refused the query');

    vendors = () => appError('offline', 'the marketplace server cannot be reached');
    await user.click(screen.getByRole('tab', { name: 'All payouts' }));
    await user.click(screen.getByTestId('payouts-tab-plans'));
    expect(await screen.findByText('Could not load the vendors')).toBeInTheDocument();
    expect(screen.getByText('the marketplace server cannot be reached')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(2);
  });

  it('puts plans and subscriptions in words', () => {
    const [atlas, basalt, cobalt] = VENDORS as [VendorPlan, VendorPlan, VendorPlan];
    expect(planPrice(PLANS[1] as Plan)).toBe('$49.00 / month');
    expect(commissionInWords(null)).toBe('Default commission');
    expect(commissionInWords(1000)).toBe('10% commission');
    expect(commissionInWords(1250)).toBe('12.5% commission');
    expect(planUnavailable(PLANS[0] as Plan, null)).toBeNull();
    expect(planUnavailable(PLANS[0] as Plan, 'starter')).toBe('Current plan');
    expect(planUnavailable(PLANS[2] as Plan, null)).toBe('No Stripe price: it cannot be billed');
    expect(planUnavailable(PLANS[3] as Plan, null)).toBe('Not offered any more');
    expect(periodInWords(atlas)).toBeNull();
    expect(periodInWords(basalt)).toBe('Renews Dec 1, 2026');
    expect(periodInWords(cobalt)).toBe('Ends Jun 15, 2026');
  });
});
