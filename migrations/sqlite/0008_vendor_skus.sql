-- =============================================================================
-- Marketdesk 0008, SQLite: SKUs are unique per vendor, as on PostgreSQL
-- (migration 0015 there), so a local copy holds two vendors' variants that
-- share a SKU. Triggers keep one live variant per vendor and SKU and abort a
-- clash with SQLite's own wording for a unique key, which the store reports
-- as a duplicate.
-- =============================================================================

DROP INDEX product_variants_sku_key;
CREATE INDEX product_variants_sku_idx ON product_variants (sku) WHERE deleted_at IS NULL;

CREATE TRIGGER product_variants_vendor_sku_insert BEFORE INSERT ON product_variants
WHEN NEW.deleted_at IS NULL AND EXISTS (
    SELECT 1 FROM product_variants pv JOIN products p ON p.id = pv.product_id
    WHERE pv.sku = NEW.sku AND pv.deleted_at IS NULL AND pv.id <> NEW.id
      AND p.vendor_id = (SELECT vendor_id FROM products WHERE id = NEW.product_id)
)
BEGIN
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: product_variants_vendor_sku_key');
END;

CREATE TRIGGER product_variants_vendor_sku_update BEFORE UPDATE OF sku, product_id, deleted_at ON product_variants
WHEN NEW.deleted_at IS NULL AND EXISTS (
    SELECT 1 FROM product_variants pv JOIN products p ON p.id = pv.product_id
    WHERE pv.sku = NEW.sku AND pv.deleted_at IS NULL AND pv.id <> NEW.id
      AND p.vendor_id = (SELECT vendor_id FROM products WHERE id = NEW.product_id)
)
BEGIN
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: product_variants_vendor_sku_key');
END;
