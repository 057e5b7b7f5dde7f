-- =============================================================================
-- Marketdesk 0011, SQLite: shipping zones and rate tables, as on PostgreSQL
-- (migration 0018 there): zones tried in `position` order, their areas
-- (every country, a country, a region, postcodes), and each method's rate
-- table per zone and currency (flat, per kg, or weight bands). Existing
-- methods keep their single price as a per-kg table in a zone "Everywhere".
-- shipments.handed_over_at: when a parcel was handed over (for manifests).
-- =============================================================================

CREATE TABLE shipping_zones (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name                    TEXT NOT NULL,
    position                INTEGER NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT shipping_zones_version_check CHECK (version >= 1),
    CONSTRAINT shipping_zones_name_check CHECK (length(trim(name)) BETWEEN 1 AND 80),
    CONSTRAINT shipping_zones_position_check CHECK (position >= 0)
) STRICT;
CREATE UNIQUE INDEX shipping_zones_name_key ON shipping_zones (lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE shipping_zone_areas (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    zone_id                 BLOB NOT NULL REFERENCES shipping_zones (id),
    country                 TEXT NULL,
    region                  TEXT NULL,
    postcode_pattern        TEXT NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT shipping_zone_areas_version_check CHECK (version >= 1),
    CONSTRAINT shipping_zone_areas_country_check CHECK (country IS NULL OR (length(country) = 2 AND country GLOB '[A-Z][A-Z]')),
    CONSTRAINT shipping_zone_areas_everywhere_check CHECK (country IS NOT NULL OR (region IS NULL AND postcode_pattern IS NULL)),
    CONSTRAINT shipping_zone_areas_region_check CHECK (region IS NULL OR length(region) BETWEEN 1 AND 60),
    CONSTRAINT shipping_zone_areas_pattern_check CHECK (postcode_pattern IS NULL OR length(postcode_pattern) BETWEEN 1 AND 40)
) STRICT;
CREATE INDEX shipping_zone_areas_zone_id_idx ON shipping_zone_areas (zone_id) WHERE deleted_at IS NULL;

CREATE TABLE shipping_rates (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    method_id               BLOB NOT NULL REFERENCES shipping_methods (id),
    zone_id                 BLOB NOT NULL REFERENCES shipping_zones (id),
    currency                TEXT NOT NULL,
    basis                   TEXT NOT NULL,
    up_to_grams             INTEGER NULL,
    amount_minor            INTEGER NOT NULL,
    per_kg_minor            INTEGER NOT NULL DEFAULT 0,
    free_over_minor         INTEGER NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT shipping_rates_version_check CHECK (version >= 1),
    CONSTRAINT shipping_rates_basis_check CHECK (basis IN ('flat', 'weight_band', 'per_kg')),
    CONSTRAINT shipping_rates_currency_check CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT shipping_rates_amounts_check CHECK (amount_minor >= 0 AND per_kg_minor >= 0 AND (free_over_minor IS NULL OR free_over_minor > 0)),
    CONSTRAINT shipping_rates_band_check CHECK ((basis = 'weight_band') OR up_to_grams IS NULL),
    CONSTRAINT shipping_rates_up_to_check CHECK (up_to_grams IS NULL OR up_to_grams > 0),
    CONSTRAINT shipping_rates_per_kg_check CHECK (basis = 'per_kg' OR per_kg_minor = 0)
) STRICT;
CREATE UNIQUE INDEX shipping_rates_band_key ON shipping_rates (method_id, zone_id, currency, coalesce(up_to_grams, -1)) WHERE deleted_at IS NULL;
CREATE INDEX shipping_rates_zone_id_currency_idx ON shipping_rates (zone_id, currency) WHERE deleted_at IS NULL;

INSERT INTO shipping_zones (id, name, position, created_at, updated_at)
SELECT randomblob(16), 'Everywhere', 1000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE EXISTS (SELECT 1 FROM shipping_methods);
INSERT INTO shipping_zone_areas (id, zone_id, created_at, updated_at)
SELECT randomblob(16), id, created_at, created_at FROM shipping_zones WHERE name = 'Everywhere';
INSERT INTO shipping_rates (id, method_id, zone_id, currency, basis, amount_minor, per_kg_minor, created_at, updated_at)
SELECT randomblob(16), m.id, z.id, m.currency, 'per_kg', m.base_rate_minor, m.per_kg_rate_minor, z.created_at, z.created_at
  FROM shipping_methods m CROSS JOIN shipping_zones z
 WHERE z.name = 'Everywhere' AND m.deleted_at IS NULL;

ALTER TABLE shipments ADD COLUMN handed_over_at TEXT NULL;
CREATE INDEX shipments_carrier_handed_over_at_idx ON shipments (carrier, handed_over_at) WHERE handed_over_at IS NOT NULL;
