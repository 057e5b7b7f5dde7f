-- =============================================================================
-- Marketdesk 0013, SQLite: packing an order into parcels, as on PostgreSQL
-- (migration 0020 there): the warehouse's boxes (inside size in mm, the empty
-- box's weight, the most it may carry), and the box and size of each parcel.
-- =============================================================================

CREATE TABLE package_presets (
    id                      BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name                    TEXT NOT NULL,
    length_mm               INTEGER NOT NULL,
    width_mm                INTEGER NOT NULL,
    height_mm               INTEGER NOT NULL,
    tare_grams              INTEGER NOT NULL DEFAULT 0,
    max_weight_grams        INTEGER NULL,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    deleted_at              TEXT NULL,
    CONSTRAINT package_presets_version_check CHECK (version >= 1),
    CONSTRAINT package_presets_name_check CHECK (length(trim(name)) BETWEEN 1 AND 60),
    CONSTRAINT package_presets_size_check CHECK (length_mm BETWEEN 1 AND 3000 AND width_mm BETWEEN 1 AND 3000 AND height_mm BETWEEN 1 AND 3000),
    CONSTRAINT package_presets_tare_check CHECK (tare_grams BETWEEN 0 AND 50000),
    CONSTRAINT package_presets_max_weight_check CHECK (max_weight_grams IS NULL OR max_weight_grams BETWEEN 1 AND 1000000)
) STRICT;
CREATE UNIQUE INDEX package_presets_name_key ON package_presets (lower(name)) WHERE deleted_at IS NULL;

ALTER TABLE shipments ADD COLUMN package_preset_id BLOB NULL REFERENCES package_presets (id);
ALTER TABLE shipments ADD COLUMN length_mm INTEGER NULL CHECK (length_mm IS NULL OR length_mm BETWEEN 1 AND 3000);
ALTER TABLE shipments ADD COLUMN width_mm INTEGER NULL CHECK (width_mm IS NULL OR width_mm BETWEEN 1 AND 3000);
ALTER TABLE shipments ADD COLUMN height_mm INTEGER NULL CHECK (height_mm IS NULL OR height_mm BETWEEN 1 AND 3000);
