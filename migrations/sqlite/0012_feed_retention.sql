-- =============================================================================
-- Marketdesk 0012, SQLite: the change feed's retention, as on PostgreSQL
-- (migration 0019 there): each copy's check-in (how far it has pulled, when it
-- was last seen) and the floor below which the feed was pruned. A SQLite file
-- is never a sync server; the tables keep both engines' schemas alike.
-- =============================================================================

CREATE TABLE sync_clients (
    client_id               TEXT NOT NULL,
    user_id                 BLOB NOT NULL REFERENCES users (id),
    cursor_txid             INTEGER NOT NULL,
    seen_at                 TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    PRIMARY KEY (client_id, user_id),
    CONSTRAINT sync_clients_cursor_check CHECK (cursor_txid >= 0)
) STRICT;
CREATE INDEX sync_clients_seen_at_idx ON sync_clients (seen_at);

CREATE TABLE sync_feed_floor (
    only_row                INTEGER PRIMARY KEY NOT NULL DEFAULT 1,
    floor_txid              INTEGER NOT NULL DEFAULT 0,
    pruned_at               TEXT NULL,
    CONSTRAINT sync_feed_floor_only_row_check CHECK (only_row = 1)
) STRICT;
INSERT INTO sync_feed_floor (only_row) VALUES (1);
