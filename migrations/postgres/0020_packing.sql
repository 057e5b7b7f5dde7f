-- =============================================================================
-- Marketdesk 0020, PostgreSQL: packing an order into parcels.
-- * package_presets: the warehouse's boxes — inside dimensions in millimetres,
--   the empty box's weight, and the most it may carry. Admins and logistics
--   keep them; every group reads them (a vendor sees what its parcels went in).
-- * shipments.package_preset_id, length_mm, width_mm, height_mm: the box a
--   parcel was packed in and its size (carriers price by dimensional weight);
--   a packed parcel's weight_grams includes the box.
-- =============================================================================

CREATE TABLE package_presets (
    id                      uuid PRIMARY KEY,
    name                    text NOT NULL,
    length_mm               integer NOT NULL,
    width_mm                integer NOT NULL,
    height_mm               integer NOT NULL,
    tare_grams              integer NOT NULL DEFAULT 0,
    max_weight_grams        integer NULL,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT package_presets_version_check CHECK (version >= 1),
    CONSTRAINT package_presets_name_check CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    CONSTRAINT package_presets_size_check CHECK (length_mm BETWEEN 1 AND 3000 AND width_mm BETWEEN 1 AND 3000 AND height_mm BETWEEN 1 AND 3000),
    CONSTRAINT package_presets_tare_check CHECK (tare_grams BETWEEN 0 AND 50000),
    CONSTRAINT package_presets_max_weight_check CHECK (max_weight_grams IS NULL OR max_weight_grams BETWEEN 1 AND 1000000)
);
CREATE UNIQUE INDEX package_presets_name_key ON package_presets (lower(name)) WHERE deleted_at IS NULL;
CREATE TRIGGER package_presets_change_feed AFTER INSERT OR UPDATE OR DELETE ON package_presets FOR EACH ROW EXECUTE FUNCTION md_record_change();

REVOKE ALL ON package_presets FROM PUBLIC;
ALTER TABLE package_presets ENABLE ROW LEVEL SECURITY;
ALTER TABLE package_presets FORCE ROW LEVEL SECURITY;
-- UPDATE is granted per column, never on the table (that would allow LOCK TABLE; see 0013).
GRANT SELECT ON package_presets TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT ON package_presets TO md_admin, md_logistics;
GRANT UPDATE (name, length_mm, width_mm, height_mm, tare_grams, max_weight_grams, version, updated_at, deleted_at)
    ON package_presets TO md_admin, md_logistics;
CREATE POLICY package_presets_read ON package_presets FOR SELECT TO md_admin, md_vendor, md_logistics, md_finance USING (true);
CREATE POLICY package_presets_keep ON package_presets FOR ALL TO md_admin, md_logistics USING (true) WITH CHECK (true);

ALTER TABLE shipments ADD COLUMN package_preset_id uuid NULL REFERENCES package_presets (id);
ALTER TABLE shipments ADD COLUMN length_mm integer NULL;
ALTER TABLE shipments ADD COLUMN width_mm integer NULL;
ALTER TABLE shipments ADD COLUMN height_mm integer NULL;
ALTER TABLE shipments ADD CONSTRAINT shipments_size_check CHECK (
    (length_mm IS NULL AND width_mm IS NULL AND height_mm IS NULL)
    OR (length_mm BETWEEN 1 AND 3000 AND width_mm BETWEEN 1 AND 3000 AND height_mm BETWEEN 1 AND 3000));
GRANT UPDATE (package_preset_id, length_mm, width_mm, height_mm) ON shipments TO md_logistics;
