-- =============================================================================
-- Marketdesk 0010, SQLite: labels bought from carriers, as on PostgreSQL
-- (migration 0017 there).
-- * shipments.status gains `printed` and `handed_over`. SQLite cannot alter a
--   CHECK, and rebuilding the table inside the migration's transaction would
--   cascade-delete the parcels' items and tracking events with the old table.
--   The CHECK only widens (every stored row still passes), which changes
--   nothing on disk, so the table's stored definition is edited in place as
--   SQLite's ALTER TABLE documentation describes for such changes; creating
--   label_purchases in the same transaction bumps the schema cookie, so every
--   open connection reloads the schema.
-- * label_purchases: every attempt to buy a label, before the carrier is
--   called; at most one open attempt per shipment.
-- =============================================================================

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
       'status IN (''pending'', ''label_purchased'', ''in_transit'',',
       'status IN (''pending'', ''label_purchased'', ''printed'', ''handed_over'', ''in_transit'',')
 WHERE type = 'table' AND name = 'shipments';
PRAGMA writable_schema = RESET;

CREATE TABLE label_purchases (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    shipment_id             BLOB NOT NULL REFERENCES shipments (id),
    carrier                 TEXT NOT NULL,
    service_code            TEXT NOT NULL,
    reference               TEXT NOT NULL,
    label_format            TEXT NOT NULL,
    state                   TEXT NOT NULL DEFAULT 'attempting',
    requested_by            BLOB NULL REFERENCES users (id),
    tracking_number         TEXT NULL,
    label_id                BLOB NULL REFERENCES shipping_labels (id),
    cost_minor              INTEGER NULL,
    currency                TEXT NULL,
    carrier_transaction_id  TEXT NULL,
    error_code              TEXT NULL,
    error_message           TEXT NULL,
    resolution              TEXT NULL,
    resolved_by             BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT label_purchases_version_check CHECK (version >= 1),
    CONSTRAINT label_purchases_carrier_check CHECK (carrier IN ('fedex', 'ups', 'local', 'pickup')),
    CONSTRAINT label_purchases_label_format_check CHECK (label_format IN ('zpl', 'pdf')),
    CONSTRAINT label_purchases_state_check CHECK (state IN ('attempting', 'purchased', 'failed', 'uncertain', 'voided')),
    CONSTRAINT label_purchases_reference_check CHECK (length(reference) BETWEEN 1 AND 40),
    CONSTRAINT label_purchases_cost_minor_check CHECK (cost_minor IS NULL OR cost_minor >= 0),
    CONSTRAINT label_purchases_currency_check CHECK (currency IS NULL OR (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]')),
    CONSTRAINT label_purchases_label_check CHECK ((state = 'purchased') <= (label_id IS NOT NULL)),
    CONSTRAINT label_purchases_failure_check CHECK ((state IN ('failed', 'uncertain')) <= (error_message IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX label_purchases_open_key ON label_purchases (shipment_id) WHERE state IN ('attempting', 'uncertain');
CREATE INDEX label_purchases_shipment_id_created_at_idx ON label_purchases (shipment_id, created_at);
CREATE INDEX label_purchases_state_updated_at_idx ON label_purchases (state, updated_at) WHERE state IN ('attempting', 'uncertain');

