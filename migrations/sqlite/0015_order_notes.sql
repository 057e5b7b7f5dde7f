-- =============================================================================
-- Marketdesk 0015, SQLite: internal notes on an order, as on PostgreSQL
-- (migration 0022 there): written by staff, never edited, shown in the
-- order's timeline.
-- =============================================================================

CREATE TABLE order_notes (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    order_id                BLOB NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id               BLOB NOT NULL REFERENCES users (id),
    body                    TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT order_notes_version_check CHECK (version >= 1),
    CONSTRAINT order_notes_body_check CHECK (length(trim(body)) BETWEEN 1 AND 2000)
) STRICT;
CREATE INDEX order_notes_order_id_created_at_idx ON order_notes (order_id, created_at);
