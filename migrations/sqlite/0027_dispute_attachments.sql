-- =============================================================================
-- Marketdesk 0027, SQLite: files in a dispute's thread, as on PostgreSQL
-- (migration 0034 there).
-- =============================================================================

CREATE TABLE dispute_attachments (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    dispute_id              BLOB NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    message_id              BLOB NOT NULL REFERENCES dispute_messages (id) ON DELETE CASCADE,
    file_name               TEXT NOT NULL,
    media_type              TEXT NOT NULL,
    byte_size               INTEGER NOT NULL,
    sha256                  TEXT NOT NULL,
    content                 BLOB NOT NULL,
    is_internal             INTEGER NOT NULL DEFAULT 0,
    uploaded_by             BLOB NOT NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT dispute_attachments_version_check CHECK (version >= 1),
    CONSTRAINT dispute_attachments_name_check CHECK (length(file_name) BETWEEN 1 AND 200),
    CONSTRAINT dispute_attachments_type_check CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/gif',
        'application/pdf', 'text/plain')),
    CONSTRAINT dispute_attachments_size_check CHECK (byte_size = length(content) AND byte_size BETWEEN 1 AND 10485760),
    CONSTRAINT dispute_attachments_sha256_check CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')
) STRICT;
CREATE INDEX dispute_attachments_dispute_idx ON dispute_attachments (dispute_id, created_at);
CREATE INDEX dispute_attachments_message_idx ON dispute_attachments (message_id);
