-- =============================================================================
-- Marketdesk 0020, SQLite: where each variant sits in the warehouse, as on
-- PostgreSQL (migration 0027 there). The shape of a bin code (upper-case
-- letters, digits, . / - and spaces) is checked by the core; here its length.
-- =============================================================================

ALTER TABLE product_variants ADD COLUMN bin_location TEXT NULL
    CHECK (bin_location IS NULL OR length(bin_location) BETWEEN 1 AND 32);
CREATE INDEX product_variants_bin_location_idx ON product_variants (bin_location) WHERE deleted_at IS NULL;
