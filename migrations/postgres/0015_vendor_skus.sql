-- =============================================================================
-- Marketdesk 0015, PostgreSQL: SKUs are unique per vendor, not across the
-- marketplace. A global unique index answered a vendor's insert with
-- "duplicate" when another vendor used the SKU, telling it what others sell;
-- and every seller names its own stock. A trigger (the vendor of a variant is
-- its product's) keeps one live variant per vendor and SKU, serialised per
-- vendor, and reports a clash as a unique violation of
-- product_variants_vendor_sku_key.
-- =============================================================================

DROP INDEX product_variants_sku_key;
CREATE INDEX product_variants_sku_idx ON product_variants (sku) WHERE deleted_at IS NULL;

CREATE FUNCTION md_check_vendor_sku() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v uuid;
BEGIN
    IF NEW.deleted_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT vendor_id INTO v FROM public.products WHERE id = NEW.product_id;
    IF v IS NULL THEN
        RETURN NEW;  -- the foreign key refuses it
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('marketdesk:sku:' || v::text, 0));
    IF EXISTS (
        SELECT 1 FROM public.product_variants pv JOIN public.products p ON p.id = pv.product_id
        WHERE pv.sku = NEW.sku AND pv.deleted_at IS NULL AND pv.id <> NEW.id AND p.vendor_id = v
    ) THEN
        RAISE EXCEPTION 'duplicate key value violates unique constraint "product_variants_vendor_sku_key"'
            USING ERRCODE = '23505', CONSTRAINT = 'product_variants_vendor_sku_key',
                  DETAIL = format('Key (sku)=(%s) already exists among this vendor''s variants.', NEW.sku);
    END IF;
    RETURN NEW;
END;
$$;
REVOKE EXECUTE ON FUNCTION md_check_vendor_sku() FROM PUBLIC;
CREATE TRIGGER product_variants_vendor_sku BEFORE INSERT OR UPDATE OF sku, product_id, deleted_at ON product_variants
    FOR EACH ROW EXECUTE FUNCTION md_check_vendor_sku();
