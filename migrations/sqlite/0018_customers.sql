-- =============================================================================
-- Marketdesk 0018, SQLite: staff notes about a customer, as on PostgreSQL
-- (migration 0025 there). The server's other two rules stay on the server:
-- one default address per person and no new order for a blocked customer are
-- checked by the core here, because the local copy takes the server's rows as
-- they come (a blocked customer's past orders, a new default that arrives
-- before the old one is cleared) and must not refuse them.
-- =============================================================================

CREATE TABLE customer_notes (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    customer_id             BLOB NOT NULL REFERENCES users (id),
    author_id               BLOB NOT NULL REFERENCES users (id),
    body                    TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT customer_notes_version_check CHECK (version >= 1),
    CONSTRAINT customer_notes_body_check CHECK (length(trim(body)) BETWEEN 1 AND 2000)
) STRICT;
CREATE INDEX customer_notes_customer_id_created_at_idx ON customer_notes (customer_id, created_at);
