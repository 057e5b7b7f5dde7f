import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApplicationCounts, ApplicationSummary, VendorApplication, VendorProfile } from '../../bindings';
import { renderApp } from '../../test/app';
import { me, page } from '../../test/fixtures';

const ID = '0199b000-0000-7000-8000-000000000001';
const VENDOR = '0199b000-0000-7000-8000-0000000000aa';

const application = (overrides: Partial<VendorApplication> = {}): VendorApplication => ({
  id: ID,
  version: 4,
  vendor_id: VENDOR,
  details: {
    business_name: 'Nordlicht Tees',
    legal_name: 'Nordlicht Textil GmbH',
    contact_name: 'Ada Berg',
    email: 'ada@nordlicht.example',
    tax_id: 'DE 123456789',
    country: 'DE',
    payout_currency: 'EUR',
    website: null,
    phone: null,
    address_line1: 'Hafenstraße 1',
    city: 'Kiel',
    postal_code: '24103',
  },
  stage: 'in_review',
  requested_items: [],
  request_note: null,
  decision_reason: null,
  submitted_at: '2026-12-01T09:00:00.000000Z',
  reviewed_at: null,
  reviewer_name: null,
  created_at: '2026-11-28T09:00:00.000000Z',
  updated_at: '2026-12-01T09:00:00.000000Z',
  suspended: false,
  traded: false,
  documents: [
    {
      id: '0199b000-0000-7000-8000-0000000000d1',
      version: 1,
      kind: 'business_registration',
      file_name: 'registration.pdf',
      media_type: 'application/pdf',
      byte_size: 48_000,
      review: 'accepted',
      review_note: null,
      created_at: '2026-11-30T09:00:00.000000Z',
    },
    {
      id: '0199b000-0000-7000-8000-0000000000d2',
      version: 2,
      kind: 'proof_of_identity',
      file_name: 'passport.png',
      media_type: 'image/png',
      byte_size: 320_000,
      review: 'rejected',
      review_note: 'The photo page is cut off.',
      created_at: '2026-11-30T09:05:00.000000Z',
    },
  ],
  missing_to_submit: [],
  missing_to_approve: ['proof_of_identity'],
  steps: ['request_changes', 'approve', 'decline'],
  editable: true,
  ...overrides,
});

const summary: ApplicationSummary = {
  id: ID,
  vendor_id: VENDOR,
  business_name: 'Nordlicht Tees',
  contact_name: 'Ada Berg',
  email: 'ada@nordlicht.example',
  country: 'DE',
  stage: 'in_review',
  documents: 2,
  submitted_at: '2026-12-01T09:00:00.000000Z',
  created_at: '2026-11-28T09:00:00.000000Z',
  updated_at: '2026-12-01T09:00:00.000000Z',
  suspended: false,
};

const counts: ApplicationCounts = {
  applied: 1,
  onboarding: 2,
  in_review: 1,
  approved: 0,
  active: 7,
  declined: 0,
  suspended: 0,
};

describe('vendor onboarding', () => {
  it('opens an admin on the applications to review and sends one back naming what is missing', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: '/vendors',
      handlers: {
        list_vendor_applications: () => page([summary]),
        vendor_application_counts: () => counts,
        vendor_application: () => application(),
        take_vendor_application_step: () =>
          application({ stage: 'onboarding', version: 5, steps: ['decline'] }),
      },
    });
    await user.click(await screen.findByText('Nordlicht Tees'));
    expect(argsOf('list_vendor_applications')[0]).toMatchObject({
      filter: { stage: 'in_review', suspended: false },
    });
    expect(screen.getByTestId('stage-in_review')).toHaveTextContent('To review1');
    const panel = await screen.findByTestId('application-panel');
    expect(within(panel).getByTestId('application-missing')).toHaveTextContent(
      'Before approval: proof of identity',
    );
    expect(within(panel).getByText('The photo page is cut off.')).toBeInTheDocument();
    await user.click(within(panel).getByTestId('step-request_changes'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('checkbox', { name: 'Proof of identity' })).toBeChecked();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Bank statement' }));
    await user.type(within(dialog).getByTestId('request-note'), 'Please send the whole photo page.');
    await user.click(within(dialog).getByTestId('request-submit'));
    await waitFor(() =>
      expect(argsOf('take_vendor_application_step')).toEqual([
        {
          id: ID,
          version: 4,
          step: {
            step: 'request_changes',
            items: ['proof_of_identity', 'bank_statement'],
            note: 'Please send the whole photo page.',
          },
        },
      ]),
    );
  });

  it('declines only with a reason', async () => {
    const { user, argsOf } = renderApp({
      me: me('admin'),
      path: `/vendors?open=${ID}`,
      handlers: {
        list_vendor_applications: () => page([summary]),
        vendor_application_counts: () => counts,
        vendor_application: () => application(),
        take_vendor_application_step: () =>
          application({ stage: 'declined', decision_reason: 'Not a fit', steps: [] }),
      },
    });
    const panel = await screen.findByTestId('application-panel');
    await user.click(await within(panel).findByTestId('step-decline'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByTestId('decline-submit'));
    expect(await within(dialog).findByText('Say why it is declined.')).toBeInTheDocument();
    expect(argsOf('take_vendor_application_step')).toEqual([]);
    await user.type(within(dialog).getByTestId('decline-reason'), 'Not a fit');
    await user.click(within(dialog).getByTestId('decline-submit'));
    await waitFor(() =>
      expect(argsOf('take_vendor_application_step')).toEqual([
        { id: ID, version: 4, step: { step: 'decline', reason: 'Not a fit' } },
      ]),
    );
  });

  it('shows a vendor what is still needed and hands the application in', async () => {
    const mine = application({
      stage: 'onboarding',
      requested_items: ['proof_of_identity'],
      request_note: 'Please send the whole photo page.',
      missing_to_submit: ['proof_of_identity'],
      steps: ['submit'],
    });
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/application',
      handlers: {
        my_vendor_application: () => mine,
        take_vendor_application_step: () => ({ ...mine, stage: 'in_review', version: 5, steps: [] }),
      },
    });
    const card = await screen.findByTestId('my-application');
    expect(within(card).getByTestId('application-request')).toHaveTextContent(
      'Still needed: proof of identity.',
    );
    expect(within(card).getByTestId('application-missing')).toHaveTextContent(
      'To hand it in, add: proof of identity.',
    );
    expect(within(card).queryByTestId('document-accept')).toBeNull();
    expect(within(card).getByTestId('document-add')).toBeInTheDocument();
    expect(within(card).queryByTestId('detail-email')).toBeNull();
    await user.click(within(card).getByTestId('step-submit'));
    await waitFor(() =>
      expect(argsOf('take_vendor_application_step')).toEqual([
        { id: ID, version: 4, step: { step: 'submit' } },
      ]),
    );
  });

  it('lets a vendor who joined without an application keep their business profile', async () => {
    const profile: VendorProfile = {
      vendor_id: VENDOR,
      display_name: 'Harbour Goods',
      version: 2,
      edit: {
        business_name: 'Harbour Goods',
        legal_name: null,
        tax_id: null,
        phone: null,
        website: null,
        support_email: 'help@harbour.example',
        description: null,
        address_line1: null,
        city: null,
        postal_code: null,
        country: 'GB',
      },
      payout_currency: 'GBP',
      verification_status: 'verified',
      payouts_enabled: true,
      suspended: false,
    };
    const { user, argsOf } = renderApp({
      me: me('vendor'),
      path: '/application',
      handlers: {
        my_vendor_application: () => null,
        vendor_profile: () => profile,
        update_vendor_profile: () => 3,
      },
    });
    const card = await screen.findByTestId('my-profile');
    expect(await within(card).findByText('GBP')).toBeInTheDocument();
    await user.type(await within(card).findByTestId('profile-description'), 'Ceramics from Whitby.');
    await user.click(within(card).getByTestId('profile-save'));
    await waitFor(() =>
      expect(argsOf('update_vendor_profile')).toEqual([
        {
          vendorId: VENDOR,
          version: 2,
          edit: { ...profile.edit, description: 'Ceramics from Whitby.' },
        },
      ]),
    );
  });
});
