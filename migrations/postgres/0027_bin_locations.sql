-- =============================================================================
-- Marketdesk 0027, PostgreSQL: where each variant sits in the warehouse.
-- * product_variants.bin_location: the shelf code a picker walks to
--   ("A-03-2"), upper-case letters, digits and . / - or spaces, at most 32.
--   Pick lists are ordered by it, so a picker walks the aisles once.
-- * The warehouse keeps it: logistics may change this column (and the row's
--   version stamp) and nothing else of a variant; admins may too. Vendors read
--   it but do not set it: the shelves are the warehouse's.
-- =============================================================================

ALTER TABLE product_variants ADD COLUMN bin_location text NULL;
ALTER TABLE product_variants ADD CONSTRAINT product_variants_bin_location_check CHECK (
    bin_location IS NULL OR (length(bin_location) BETWEEN 1 AND 32 AND bin_location ~ '^[A-Z0-9][A-Z0-9 ./-]*$'));
CREATE INDEX product_variants_bin_location_idx ON product_variants (bin_location) WHERE deleted_at IS NULL;

GRANT SELECT (bin_location) ON product_variants TO md_logistics;
GRANT UPDATE (bin_location, version, updated_at) ON product_variants TO md_admin, md_logistics;
CREATE POLICY product_variants_logistics_bins ON product_variants FOR UPDATE TO md_logistics
    USING (true) WITH CHECK (true);
