-- =============================================================================
-- Marketdesk 0024, SQLite: stock as a movement log, as on PostgreSQL
-- (migration 0031 there). Here the core writes a movement and its variant's
-- running totals in one transaction; movements pulled from the server arrive
-- with the totals they left, beside the server's variant rows, so nothing
-- here adds them up a second time.
-- =============================================================================

CREATE TABLE stock_movements (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    variant_id              BLOB NOT NULL REFERENCES product_variants (id),
    product_id              BLOB NOT NULL REFERENCES products (id),
    vendor_id               BLOB NOT NULL REFERENCES users (id),
    kind                    TEXT NOT NULL,
    on_hand_delta           INTEGER NOT NULL DEFAULT 0,
    reserved_delta          INTEGER NOT NULL DEFAULT 0,
    on_hand_after           INTEGER NULL,
    reserved_after          INTEGER NULL,
    note                    TEXT NULL,
    order_id                BLOB NULL REFERENCES orders (id),
    actor_id                BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT stock_movements_version_check CHECK (version >= 1),
    CONSTRAINT stock_movements_kind_check CHECK (kind IN ('opening', 'received', 'returned', 'damaged', 'lost',
        'found', 'counted', 'correction', 'sold', 'reserved', 'released', 'cancelled')),
    CONSTRAINT stock_movements_moves_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0 OR kind = 'opening'),
    CONSTRAINT stock_movements_after_check CHECK (on_hand_after >= 0 AND reserved_after >= 0),
    CONSTRAINT stock_movements_note_check CHECK (note IS NULL OR length(note) <= 500)
) STRICT;
CREATE INDEX stock_movements_variant_idx ON stock_movements (variant_id, created_at DESC, id DESC);
CREATE INDEX stock_movements_vendor_idx ON stock_movements (vendor_id, created_at DESC);
CREATE INDEX stock_movements_order_idx ON stock_movements (order_id) WHERE order_id IS NOT NULL;

INSERT INTO stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, reserved_delta,
                             on_hand_after, reserved_after, note, created_at, updated_at)
SELECT randomblob(16), v.id, v.product_id, p.vendor_id, 'opening', v.stock_on_hand, v.stock_reserved,
       v.stock_on_hand, v.stock_reserved, 'stock when the movement log began',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM product_variants v JOIN products p ON p.id = v.product_id;
