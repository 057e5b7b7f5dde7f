-- =============================================================================
-- Marketdesk 0034, PostgreSQL: files in a dispute's thread (photos of the
-- damage, a carrier's report, a receipt), kept on the server with the message
-- they came with. A vendor reads and adds files only in disputes they are
-- party to and never those of staff-only notes; staff read all. Files are
-- never changed or removed once sent (evidence); not in the change feed, so a
-- local copy lists messages without their files' bytes.
-- =============================================================================

CREATE TABLE dispute_attachments (
    id                      uuid PRIMARY KEY,
    dispute_id              uuid NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    message_id              uuid NOT NULL REFERENCES dispute_messages (id) ON DELETE CASCADE,
    file_name               text NOT NULL,
    media_type              text NOT NULL,
    byte_size               integer NOT NULL,
    sha256                  text NOT NULL,
    content                 bytea NOT NULL,
    is_internal             boolean NOT NULL DEFAULT false,
    uploaded_by             uuid NOT NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT dispute_attachments_version_check CHECK (version >= 1),
    CONSTRAINT dispute_attachments_name_check CHECK (length(file_name) BETWEEN 1 AND 200),
    CONSTRAINT dispute_attachments_type_check CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif',
        'application/pdf', 'text/plain')),
    CONSTRAINT dispute_attachments_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760),
    CONSTRAINT dispute_attachments_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX dispute_attachments_dispute_idx ON dispute_attachments (dispute_id, created_at);
CREATE INDEX dispute_attachments_message_idx ON dispute_attachments (message_id);

REVOKE ALL ON dispute_attachments FROM PUBLIC;
ALTER TABLE dispute_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispute_attachments FORCE ROW LEVEL SECURITY;
GRANT SELECT ON dispute_attachments TO md_admin, md_finance, md_vendor;
GRANT INSERT ON dispute_attachments TO md_admin, md_vendor;
CREATE POLICY dispute_attachments_staff ON dispute_attachments FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY dispute_attachments_admin ON dispute_attachments FOR INSERT TO md_admin WITH CHECK (uploaded_by = md_uid());
CREATE POLICY dispute_attachments_vendor ON dispute_attachments FOR SELECT TO md_vendor
    USING (md_party_to_dispute(dispute_id) AND NOT is_internal);
CREATE POLICY dispute_attachments_vendor_write ON dispute_attachments FOR INSERT TO md_vendor
    WITH CHECK (md_party_to_dispute(dispute_id) AND NOT is_internal AND uploaded_by = md_uid());
