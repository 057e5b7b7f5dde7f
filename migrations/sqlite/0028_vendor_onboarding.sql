-- =============================================================================
-- Marketdesk 0028, SQLite: the vendor onboarding pipeline's tables, as on
-- PostgreSQL (migration 0035 there). Onboarding runs against the server only;
-- the tables exist here so both engines keep one schema.
-- =============================================================================

CREATE TABLE vendor_applications (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    vendor_id               BLOB NULL REFERENCES users (id),
    business_name           TEXT NOT NULL,
    legal_name              TEXT NULL,
    contact_name            TEXT NOT NULL,
    email                   TEXT NOT NULL,
    tax_id                  TEXT NULL,
    country                 TEXT NULL,
    payout_currency         TEXT NULL,
    website                 TEXT NULL,
    phone                   TEXT NULL,
    address_line1           TEXT NULL,
    city                    TEXT NULL,
    postal_code             TEXT NULL,
    stage                   TEXT NOT NULL DEFAULT 'applied',
    requested_items         TEXT NULL,
    request_note            TEXT NULL,
    decision_reason         TEXT NULL,
    submitted_at            TEXT NULL,
    reviewed_by             BLOB NULL REFERENCES users (id),
    reviewed_at             TEXT NULL,
    created_by              BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT vendor_applications_version_check CHECK (version >= 1),
    CONSTRAINT vendor_applications_stage_check CHECK (stage IN ('applied', 'onboarding', 'in_review', 'approved', 'active', 'declined')),
    CONSTRAINT vendor_applications_email_check CHECK (email = lower(email) AND email LIKE '%_@_%'),
    CONSTRAINT vendor_applications_invited_check CHECK ((stage = 'applied' OR stage = 'declined') OR vendor_id IS NOT NULL),
    CONSTRAINT vendor_applications_declined_check CHECK ((stage = 'declined') = (decision_reason IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX vendor_applications_vendor_key ON vendor_applications (vendor_id) WHERE vendor_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX vendor_applications_stage_idx ON vendor_applications (stage, created_at, id);

CREATE TABLE vendor_documents (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    application_id          BLOB NOT NULL REFERENCES vendor_applications (id) ON DELETE CASCADE,
    kind                    TEXT NOT NULL,
    file_name               TEXT NOT NULL,
    media_type              TEXT NOT NULL,
    byte_size               INTEGER NOT NULL,
    sha256                  TEXT NOT NULL,
    content                 BLOB NOT NULL,
    uploaded_by             BLOB NOT NULL REFERENCES users (id),
    review                  TEXT NOT NULL DEFAULT 'pending',
    review_note             TEXT NULL,
    reviewed_by             BLOB NULL REFERENCES users (id),
    reviewed_at             TEXT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT vendor_documents_version_check CHECK (version >= 1),
    CONSTRAINT vendor_documents_kind_check CHECK (kind IN ('business_registration', 'proof_of_identity', 'tax_certificate', 'bank_statement', 'other')),
    CONSTRAINT vendor_documents_review_check CHECK (review IN ('pending', 'accepted', 'rejected')),
    CONSTRAINT vendor_documents_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760)
) STRICT;
CREATE INDEX vendor_documents_application_idx ON vendor_documents (application_id, created_at);
