-- =============================================================================
-- Marketdesk 0018, PostgreSQL: shipping zones and rate tables.
-- * shipping_zones: named groups of destinations, tried in `position` order;
--   the first zone with an area covering an address is that address's zone.
-- * shipping_zone_areas: every country (country NULL), a country, a region of
--   it, or postcodes in it (a prefix `75*`, a range `94000..94999`, or one
--   code); the pattern's grammar is checked by the core (`ZoneArea`).
-- * shipping_rates: a method's rate table in one zone and currency: one `flat`
--   row, one `per_kg` row (amount = base, per_kg_minor), or `weight_band`
--   rows by rising `up_to_grams` (NULL = no limit, last band only). A table is
--   replaced whole: the old rows are retired (deleted_at) in the same
--   transaction as the new ones are written.
-- * shipping_methods.base_rate_minor, per_kg_rate_minor and currency were a
--   single price for the whole world; every existing method becomes a per-kg
--   table with that price in a zone "Everywhere" (last in order), and rate
--   shopping reads only the tables from here on.
-- * shipments.handed_over_at: when the parcel was handed over to its carrier
--   (what an end-of-day manifest lists).
-- Admins manage zones and tables; every group reads them (vendors see what
-- their parcels cost, logistics shops rates, finance reads shipping income).
-- =============================================================================

CREATE TABLE shipping_zones (
    id                      uuid PRIMARY KEY,
    name                    text NOT NULL,
    position                integer NOT NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT shipping_zones_version_check CHECK (version >= 1),
    CONSTRAINT shipping_zones_name_check CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    CONSTRAINT shipping_zones_position_check CHECK (position >= 0)
);
CREATE UNIQUE INDEX shipping_zones_name_key ON shipping_zones (lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE shipping_zone_areas (
    id                      uuid PRIMARY KEY,
    zone_id                 uuid NOT NULL REFERENCES shipping_zones (id),
    country                 char(2) NULL,
    region                  text NULL,
    postcode_pattern        text NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT shipping_zone_areas_version_check CHECK (version >= 1),
    CONSTRAINT shipping_zone_areas_country_check CHECK (country IS NULL OR country ~ '^[A-Z]{2}$'),
    CONSTRAINT shipping_zone_areas_everywhere_check CHECK (country IS NOT NULL OR (region IS NULL AND postcode_pattern IS NULL)),
    CONSTRAINT shipping_zone_areas_region_check CHECK (region IS NULL OR length(region) BETWEEN 1 AND 60),
    CONSTRAINT shipping_zone_areas_pattern_check CHECK (postcode_pattern IS NULL OR length(postcode_pattern) BETWEEN 1 AND 40)
);
CREATE INDEX shipping_zone_areas_zone_id_idx ON shipping_zone_areas (zone_id) WHERE deleted_at IS NULL;

CREATE TABLE shipping_rates (
    id                      uuid PRIMARY KEY,
    method_id               uuid NOT NULL REFERENCES shipping_methods (id),
    zone_id                 uuid NOT NULL REFERENCES shipping_zones (id),
    currency                char(3) NOT NULL,
    basis                   text NOT NULL,
    up_to_grams             integer NULL,
    amount_minor            bigint NOT NULL,
    per_kg_minor            bigint NOT NULL DEFAULT 0,
    free_over_minor         bigint NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT shipping_rates_version_check CHECK (version >= 1),
    CONSTRAINT shipping_rates_basis_check CHECK (basis IN ('flat', 'weight_band', 'per_kg')),
    CONSTRAINT shipping_rates_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT shipping_rates_amounts_check CHECK (amount_minor >= 0 AND per_kg_minor >= 0 AND (free_over_minor IS NULL OR free_over_minor > 0)),
    CONSTRAINT shipping_rates_band_check CHECK ((basis = 'weight_band') OR up_to_grams IS NULL),
    CONSTRAINT shipping_rates_up_to_check CHECK (up_to_grams IS NULL OR up_to_grams > 0),
    CONSTRAINT shipping_rates_per_kg_check CHECK (basis = 'per_kg' OR per_kg_minor = 0)
);
CREATE UNIQUE INDEX shipping_rates_band_key ON shipping_rates (method_id, zone_id, currency, coalesce(up_to_grams, -1)) WHERE deleted_at IS NULL;
CREATE INDEX shipping_rates_zone_id_currency_idx ON shipping_rates (zone_id, currency) WHERE deleted_at IS NULL;

CREATE TRIGGER shipping_zones_change_feed AFTER INSERT OR UPDATE OR DELETE ON shipping_zones FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER shipping_zone_areas_change_feed AFTER INSERT OR UPDATE OR DELETE ON shipping_zone_areas FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER shipping_rates_change_feed AFTER INSERT OR UPDATE OR DELETE ON shipping_rates FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON shipping_zones, shipping_zone_areas, shipping_rates FROM PUBLIC;
ALTER TABLE shipping_zones ENABLE ROW LEVEL SECURITY;
ALTER TABLE shipping_zones FORCE ROW LEVEL SECURITY;
ALTER TABLE shipping_zone_areas ENABLE ROW LEVEL SECURITY;
ALTER TABLE shipping_zone_areas FORCE ROW LEVEL SECURITY;
ALTER TABLE shipping_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE shipping_rates FORCE ROW LEVEL SECURITY;

-- UPDATE is granted per column, never on the table (that would allow LOCK TABLE; see 0013).
GRANT SELECT ON shipping_zones, shipping_zone_areas, shipping_rates TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT ON shipping_zones, shipping_zone_areas, shipping_rates TO md_admin;
GRANT UPDATE (name, position, version, updated_at, deleted_at) ON shipping_zones TO md_admin;
GRANT UPDATE (version, updated_at, deleted_at) ON shipping_zone_areas TO md_admin;
GRANT UPDATE (version, updated_at, deleted_at) ON shipping_rates TO md_admin;
CREATE POLICY shipping_zones_read ON shipping_zones FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY shipping_zones_admin ON shipping_zones FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY shipping_zone_areas_read ON shipping_zone_areas FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY shipping_zone_areas_admin ON shipping_zone_areas FOR ALL TO md_admin USING (true) WITH CHECK (true);
CREATE POLICY shipping_rates_read ON shipping_rates FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY shipping_rates_admin ON shipping_rates FOR ALL TO md_admin USING (true) WITH CHECK (true);

-- Every existing method keeps its price, everywhere, as a per-kg table.
INSERT INTO shipping_zones (id, name, position)
SELECT gen_random_uuid(), 'Everywhere', 1000 WHERE EXISTS (SELECT 1 FROM shipping_methods);
INSERT INTO shipping_zone_areas (id, zone_id)
SELECT gen_random_uuid(), id FROM shipping_zones WHERE name = 'Everywhere';
INSERT INTO shipping_rates (id, method_id, zone_id, currency, basis, amount_minor, per_kg_minor)
SELECT gen_random_uuid(), m.id, z.id, m.currency, 'per_kg', m.base_rate_minor, m.per_kg_rate_minor
  FROM shipping_methods m CROSS JOIN shipping_zones z
 WHERE z.name = 'Everywhere' AND m.deleted_at IS NULL;

ALTER TABLE shipments ADD COLUMN handed_over_at timestamptz NULL;
CREATE INDEX shipments_carrier_handed_over_at_idx ON shipments (carrier, handed_over_at) WHERE handed_over_at IS NOT NULL;
GRANT UPDATE (handed_over_at) ON shipments TO md_logistics;
