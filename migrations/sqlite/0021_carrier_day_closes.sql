-- =============================================================================
-- Marketdesk 0021, SQLite: closing the shipping day with a carrier, as on
-- PostgreSQL (migration 0028 there): each FedEx Ground end-of-day close with
-- the manifest FedEx handed back, kept for reprints.
-- =============================================================================

CREATE TABLE carrier_day_closes (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    carrier                 TEXT NOT NULL,
    close_date              TEXT NOT NULL,
    parcels                 INTEGER NOT NULL,
    manifest                BLOB NOT NULL,
    transaction_id          TEXT NULL,
    closed_by               BLOB NULL REFERENCES users (id),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT carrier_day_closes_version_check CHECK (version >= 1),
    CONSTRAINT carrier_day_closes_carrier_check CHECK (carrier IN ('fedex')),
    CONSTRAINT carrier_day_closes_date_check CHECK (close_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CONSTRAINT carrier_day_closes_parcels_check CHECK (parcels >= 0),
    CONSTRAINT carrier_day_closes_manifest_check CHECK (length(manifest) <= 10485760)
) STRICT;
CREATE INDEX carrier_day_closes_day_idx ON carrier_day_closes (carrier, close_date DESC, created_at DESC);
