-- =============================================================================
-- Marketdesk 0030, PostgreSQL: the product editor and its review.
-- * products.options: the options a product comes in and their values, in
--   the order shown ([{"name": "Size", "values": ["S", "M"]}]); each variant's
--   own values stay in product_variants.options.
-- * products.approved_snapshot: the product and its variants as an admin last
--   approved them, written by the approval, so a later edit is reviewed as a
--   field-by-field diff. Vendors never write it (no column grant; a vendor's
--   insert has it cleared by the trigger below).
-- * product_variants.length_mm / width_mm / height_mm: the packed size, for
--   carriers' rates and box choice.
-- * A live product edited by its vendor goes back to review unless the
--   platform setting catalog.review_live_edits is false: a vendor may keep a
--   product approved only when it was approved and the setting is off, never
--   approve one, and never change what buyers see of a live product's
--   variants (SKU, name, prices, barcode, options, weight, size, removal)
--   behind review while the setting is on. Stock is not reviewed.
-- =============================================================================

ALTER TABLE products ADD COLUMN options jsonb NULL;
ALTER TABLE products ADD COLUMN approved_snapshot jsonb NULL;
ALTER TABLE product_variants ADD COLUMN length_mm integer NULL;
ALTER TABLE product_variants ADD COLUMN width_mm integer NULL;
ALTER TABLE product_variants ADD COLUMN height_mm integer NULL;
ALTER TABLE product_variants ADD CONSTRAINT product_variants_dimensions_check CHECK (
    (length_mm IS NULL OR length_mm BETWEEN 1 AND 3000)
    AND (width_mm IS NULL OR width_mm BETWEEN 1 AND 3000)
    AND (height_mm IS NULL OR height_mm BETWEEN 1 AND 3000));

-- Update grants are column by column (migration 0013), so each new column is
-- granted to whoever writes it.
GRANT UPDATE (options) ON products TO md_admin, md_vendor;
GRANT UPDATE (approved_snapshot) ON products TO md_admin;
GRANT UPDATE (length_mm, width_mm, height_mm) ON product_variants TO md_admin, md_vendor;
GRANT SELECT (length_mm, width_mm, height_mm) ON product_variants TO md_logistics;

-- Whether a vendor's edit of a live product goes back to review (the default).
CREATE FUNCTION md_review_live_edits() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce((SELECT CAST(value AS text) <> 'false' FROM public.platform_settings
                     WHERE key = 'catalog.review_live_edits' AND deleted_at IS NULL), true)
$$;
REVOKE ALL ON FUNCTION md_review_live_edits() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_review_live_edits() TO md_admin, md_vendor, md_logistics, md_finance;

DROP POLICY products_vendor_update ON products;
CREATE POLICY products_vendor_update ON products FOR UPDATE TO md_vendor
    USING (vendor_id = md_uid())
    WITH CHECK (vendor_id = md_uid() AND (status IN ('draft', 'pending_review', 'archived')
                OR (status = 'approved' AND NOT md_review_live_edits())));

CREATE FUNCTION md_check_product_write() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.md_session_is_superuser() OR NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER')
       OR NOT public.md_in_group('md_vendor') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.approved_snapshot := NULL;
        RETURN NEW;
    END IF;
    IF NEW.status = 'approved' AND OLD.status <> 'approved' THEN
        RAISE EXCEPTION 'only an admin approves a product' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION md_check_product_write() FROM PUBLIC;
CREATE TRIGGER products_check_write BEFORE INSERT OR UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION md_check_product_write();

CREATE FUNCTION md_check_variant_write() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_status text;
BEGIN
    IF public.md_session_is_superuser() OR NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER')
       OR NOT public.md_in_group('md_vendor') THEN
        RETURN NEW;
    END IF;
    SELECT status INTO v_status FROM public.products WHERE id = NEW.product_id;
    IF v_status IS DISTINCT FROM 'approved' OR NOT public.md_review_live_edits() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' OR (NEW.sku, NEW.name, NEW.price_minor, NEW.compare_at_price_minor, NEW.currency,
            NEW.barcode, NEW.options, NEW.weight_grams, NEW.length_mm, NEW.width_mm, NEW.height_mm,
            NEW.product_id, NEW.is_active, NEW.deleted_at)
        IS DISTINCT FROM (OLD.sku, OLD.name, OLD.price_minor, OLD.compare_at_price_minor, OLD.currency,
            OLD.barcode, OLD.options, OLD.weight_grams, OLD.length_mm, OLD.width_mm, OLD.height_mm,
            OLD.product_id, OLD.is_active, OLD.deleted_at) THEN
        RAISE EXCEPTION 'a live product''s variants change through review: send the product for review first'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION md_check_variant_write() FROM PUBLIC;
CREATE TRIGGER product_variants_check_write BEFORE INSERT OR UPDATE ON product_variants
    FOR EACH ROW EXECUTE FUNCTION md_check_variant_write();
