-- =============================================================================
-- Marketdesk 0035, PostgreSQL: the vendor onboarding pipeline.
-- * vendor_applications: a business that wants to sell — applied (recorded by
--   an admin) → onboarding (invited: a vendor login exists and fills in its
--   business details and documents) → in_review (submitted) → approved (its
--   details copied to the profile) → active (Stripe Connect lets it receive
--   payouts); or declined with a reason. An admin's request for what is
--   missing sends it back to onboarding with the items named.
-- * vendor_documents: the files an application is reviewed on (business
--   registration, proof of identity, tax certificate, bank statement, other),
--   each accepted or rejected by an admin with a note. Never changed by the
--   vendor once sent; a replacement is a new file.
-- * md_activate_onboarded_vendor: an approved application becomes active by
--   itself when the vendor's profile says Stripe pays them out, whichever path
--   wrote the profile (the admin's refresh or finance's event reconciliation).
-- * md_notification_defaults() gains `vendor_onboarding` (admins hear of a
--   submission, the vendor of the review's outcome).
-- Online only: none of this is in the change feed.
-- =============================================================================

CREATE TABLE vendor_applications (
    id                      uuid PRIMARY KEY,
    vendor_id               uuid NULL REFERENCES users (id),
    business_name           text NOT NULL,
    legal_name              text NULL,
    contact_name            text NOT NULL,
    email                   text NOT NULL,
    tax_id                  text NULL,
    country                 text NULL,
    payout_currency         text NULL,
    website                 text NULL,
    phone                   text NULL,
    address_line1           text NULL,
    city                    text NULL,
    postal_code             text NULL,
    stage                   text NOT NULL DEFAULT 'applied',
    requested_items         jsonb NULL,
    request_note            text NULL,
    decision_reason         text NULL,
    submitted_at            timestamptz NULL,
    reviewed_by             uuid NULL REFERENCES users (id),
    reviewed_at             timestamptz NULL,
    created_by              uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT vendor_applications_version_check CHECK (version >= 1),
    CONSTRAINT vendor_applications_stage_check CHECK (stage IN ('applied', 'onboarding', 'in_review', 'approved', 'active', 'declined')),
    CONSTRAINT vendor_applications_email_check CHECK (email = lower(email) AND email LIKE '%_@_%'),
    CONSTRAINT vendor_applications_name_check CHECK (length(btrim(business_name)) BETWEEN 1 AND 200 AND length(btrim(contact_name)) BETWEEN 1 AND 200),
    CONSTRAINT vendor_applications_country_check CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT vendor_applications_currency_check CHECK (payout_currency ~ '^[A-Z]{3}$'),
    CONSTRAINT vendor_applications_invited_check CHECK ((stage = 'applied' OR stage = 'declined') OR vendor_id IS NOT NULL),
    CONSTRAINT vendor_applications_declined_check CHECK ((stage = 'declined') = (decision_reason IS NOT NULL))
);
CREATE UNIQUE INDEX vendor_applications_vendor_key ON vendor_applications (vendor_id) WHERE vendor_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX vendor_applications_stage_idx ON vendor_applications (stage, created_at, id);

CREATE TABLE vendor_documents (
    id                      uuid PRIMARY KEY,
    application_id          uuid NOT NULL REFERENCES vendor_applications (id) ON DELETE CASCADE,
    kind                    text NOT NULL,
    file_name               text NOT NULL,
    media_type              text NOT NULL,
    byte_size               integer NOT NULL,
    sha256                  text NOT NULL,
    content                 bytea NOT NULL,
    uploaded_by             uuid NOT NULL REFERENCES users (id),
    review                  text NOT NULL DEFAULT 'pending',
    review_note             text NULL,
    reviewed_by             uuid NULL REFERENCES users (id),
    reviewed_at             timestamptz NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT vendor_documents_version_check CHECK (version >= 1),
    CONSTRAINT vendor_documents_kind_check CHECK (kind IN ('business_registration', 'proof_of_identity', 'tax_certificate', 'bank_statement', 'other')),
    CONSTRAINT vendor_documents_review_check CHECK (review IN ('pending', 'accepted', 'rejected')),
    CONSTRAINT vendor_documents_rejected_check CHECK (review <> 'rejected' OR review_note IS NOT NULL),
    CONSTRAINT vendor_documents_name_check CHECK (length(file_name) BETWEEN 1 AND 200),
    CONSTRAINT vendor_documents_type_check CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif',
        'application/pdf', 'text/plain')),
    CONSTRAINT vendor_documents_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760),
    CONSTRAINT vendor_documents_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX vendor_documents_application_idx ON vendor_documents (application_id, created_at);

REVOKE ALL ON vendor_applications, vendor_documents FROM PUBLIC;
ALTER TABLE vendor_applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_applications FORCE ROW LEVEL SECURITY;
ALTER TABLE vendor_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE vendor_documents FORCE ROW LEVEL SECURITY;

GRANT SELECT ON vendor_applications TO md_admin, md_finance, md_vendor;
GRANT INSERT ON vendor_applications TO md_admin;
-- Column grants only: a table-wide UPDATE would let a login LOCK the table.
GRANT UPDATE (vendor_id, business_name, legal_name, contact_name, email, tax_id, country, payout_currency, website,
    phone, address_line1, city, postal_code, stage, requested_items, request_note, decision_reason, submitted_at,
    reviewed_by, reviewed_at, version, updated_at) ON vendor_applications TO md_admin;
GRANT UPDATE (business_name, legal_name, tax_id, country, payout_currency, website, phone, address_line1, city,
    postal_code, stage, submitted_at, version, updated_at) ON vendor_applications TO md_vendor;
CREATE POLICY vendor_applications_staff ON vendor_applications FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY vendor_applications_admin_insert ON vendor_applications FOR INSERT TO md_admin WITH CHECK (true);
CREATE POLICY vendor_applications_admin_update ON vendor_applications FOR UPDATE TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY vendor_applications_vendor ON vendor_applications FOR SELECT TO md_vendor USING (vendor_id = md_uid());
-- A vendor edits their own application while it is with them, and may hand it in.
CREATE POLICY vendor_applications_vendor_update ON vendor_applications FOR UPDATE TO md_vendor
    USING (vendor_id = md_uid() AND stage = 'onboarding')
    WITH CHECK (vendor_id = md_uid() AND stage IN ('onboarding', 'in_review'));

GRANT SELECT ON vendor_documents TO md_admin, md_vendor;
GRANT INSERT ON vendor_documents TO md_admin, md_vendor;
GRANT UPDATE (review, review_note, reviewed_by, reviewed_at, version, updated_at) ON vendor_documents TO md_admin;
CREATE POLICY vendor_documents_admin ON vendor_documents FOR SELECT TO md_admin USING (true);
CREATE POLICY vendor_documents_admin_insert ON vendor_documents FOR INSERT TO md_admin WITH CHECK (uploaded_by = md_uid());
CREATE POLICY vendor_documents_admin_review ON vendor_documents FOR UPDATE TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY vendor_documents_vendor ON vendor_documents FOR SELECT TO md_vendor
    USING (EXISTS (SELECT 1 FROM vendor_applications a WHERE a.id = application_id AND a.vendor_id = md_uid()));
CREATE POLICY vendor_documents_vendor_insert ON vendor_documents FOR INSERT TO md_vendor
    WITH CHECK (uploaded_by = md_uid() AND review = 'pending' AND review_note IS NULL AND reviewed_by IS NULL
        AND EXISTS (SELECT 1 FROM vendor_applications a WHERE a.id = application_id AND a.vendor_id = md_uid()
                    AND a.stage = 'onboarding'));

CREATE TRIGGER vendor_applications_audit AFTER INSERT OR UPDATE ON vendor_applications FOR EACH ROW EXECUTE FUNCTION md_audit_change();

CREATE FUNCTION md_activate_onboarded_vendor() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.payouts_enabled AND NEW.deleted_at IS NULL THEN
        UPDATE public.vendor_applications SET stage = 'active', version = version + 1, updated_at = now()
        WHERE vendor_id = NEW.user_id AND stage = 'approved' AND deleted_at IS NULL;
    END IF;
    RETURN NULL;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_activate_onboarded_vendor() FROM PUBLIC;
CREATE TRIGGER user_profiles_activate_onboarded AFTER INSERT OR UPDATE OF payouts_enabled ON user_profiles
    FOR EACH ROW EXECUTE FUNCTION md_activate_onboarded_vendor();

CREATE OR REPLACE FUNCTION md_notification_defaults()
RETURNS TABLE (kind text, role text, channel text, enabled boolean)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    VALUES
        ('order_placed', 'vendor', 'in_app', true),
        ('order_placed', 'vendor', 'email', true),
        ('order_placed', 'vendor', 'push', true),
        ('order_cancelled', 'vendor', 'in_app', true),
        ('order_cancelled', 'vendor', 'email', false),
        ('order_cancelled', 'vendor', 'push', false),
        ('dispute_opened', 'admin', 'in_app', true),
        ('dispute_opened', 'admin', 'email', true),
        ('dispute_opened', 'admin', 'push', true),
        ('dispute_opened', 'vendor', 'in_app', true),
        ('dispute_opened', 'vendor', 'email', true),
        ('dispute_opened', 'vendor', 'push', true),
        ('dispute_answered', 'admin', 'in_app', true),
        ('dispute_answered', 'admin', 'email', false),
        ('dispute_answered', 'admin', 'push', false),
        ('dispute_answered', 'vendor', 'in_app', true),
        ('dispute_answered', 'vendor', 'email', false),
        ('dispute_answered', 'vendor', 'push', false),
        ('dispute_escalated', 'admin', 'in_app', true),
        ('dispute_escalated', 'admin', 'email', true),
        ('dispute_escalated', 'admin', 'push', true),
        ('dispute_escalated', 'vendor', 'in_app', true),
        ('dispute_escalated', 'vendor', 'email', true),
        ('dispute_escalated', 'vendor', 'push', true),
        ('dispute_overdue', 'admin', 'in_app', true),
        ('dispute_overdue', 'admin', 'email', true),
        ('dispute_overdue', 'admin', 'push', true),
        ('payout_sent', 'vendor', 'in_app', true),
        ('payout_sent', 'vendor', 'email', true),
        ('payout_sent', 'vendor', 'push', false),
        ('payout_failed', 'vendor', 'in_app', true),
        ('payout_failed', 'vendor', 'email', true),
        ('payout_failed', 'vendor', 'push', true),
        ('payout_failed', 'finance', 'in_app', true),
        ('payout_failed', 'finance', 'email', true),
        ('payout_failed', 'finance', 'push', true),
        ('product_approved', 'vendor', 'in_app', true),
        ('product_approved', 'vendor', 'email', true),
        ('product_approved', 'vendor', 'push', false),
        ('product_changes_requested', 'vendor', 'in_app', true),
        ('product_changes_requested', 'vendor', 'email', true),
        ('product_changes_requested', 'vendor', 'push', true),
        ('low_stock', 'vendor', 'in_app', true),
        ('low_stock', 'vendor', 'email', false),
        ('low_stock', 'vendor', 'push', false),
        ('label_purchase_failed', 'logistics', 'in_app', true),
        ('label_purchase_failed', 'logistics', 'email', false),
        ('label_purchase_failed', 'logistics', 'push', true),
        ('sync_conflict', 'admin', 'in_app', true),
        ('sync_conflict', 'admin', 'email', false),
        ('sync_conflict', 'admin', 'push', true),
        ('sync_conflict', 'vendor', 'in_app', true),
        ('sync_conflict', 'vendor', 'email', false),
        ('sync_conflict', 'vendor', 'push', true),
        ('sync_conflict', 'logistics', 'in_app', true),
        ('sync_conflict', 'logistics', 'email', false),
        ('sync_conflict', 'logistics', 'push', true),
        ('sync_conflict', 'finance', 'in_app', true),
        ('sync_conflict', 'finance', 'email', false),
        ('sync_conflict', 'finance', 'push', true),
        ('announcement', 'admin', 'in_app', true),
        ('announcement', 'admin', 'email', true),
        ('announcement', 'admin', 'push', false),
        ('announcement', 'vendor', 'in_app', true),
        ('announcement', 'vendor', 'email', true),
        ('announcement', 'vendor', 'push', false),
        ('announcement', 'logistics', 'in_app', true),
        ('announcement', 'logistics', 'email', true),
        ('announcement', 'logistics', 'push', false),
        ('announcement', 'finance', 'in_app', true),
        ('announcement', 'finance', 'email', true),
        ('announcement', 'finance', 'push', false),
        ('vendor_onboarding', 'admin', 'in_app', true),
        ('vendor_onboarding', 'admin', 'email', true),
        ('vendor_onboarding', 'admin', 'push', false),
        ('vendor_onboarding', 'vendor', 'in_app', true),
        ('vendor_onboarding', 'vendor', 'email', true),
        ('vendor_onboarding', 'vendor', 'push', false)
$$;
