-- =============================================================================
-- Marketdesk 0031, PostgreSQL: stock as a movement log.
-- * stock_movements: every change to a variant's units on hand or held for
--   orders — received, returned, damaged, lost, found, counted, corrected,
--   sold, reserved, released, put back by a cancellation, and the opening
--   stock — with what it left, why, the order behind it and who made it.
--   Never changed once written (nobody holds UPDATE or DELETE).
-- * product_variants.stock_on_hand / stock_reserved are the log's running
--   totals, kept by the trigger below in the movement's own statement: no
--   login writes them any more (their UPDATE grants are revoked), and a new
--   variant written by a login starts at zero — its first stock is a movement.
-- * Every variant's stock when the log began is its opening movement.
-- * Who may record: admins and logistics any variant's, a vendor only their
--   own; everyone reads what they may read of the variants (vendors: their own).
-- =============================================================================

CREATE TABLE stock_movements (
    id                      uuid PRIMARY KEY,
    variant_id              uuid NOT NULL REFERENCES product_variants (id),
    product_id              uuid NOT NULL REFERENCES products (id),
    vendor_id               uuid NOT NULL REFERENCES users (id),
    kind                    text NOT NULL,
    on_hand_delta           integer NOT NULL DEFAULT 0,
    reserved_delta          integer NOT NULL DEFAULT 0,
    on_hand_after           integer NULL,
    reserved_after          integer NULL,
    note                    text NULL,
    order_id                uuid NULL REFERENCES orders (id),
    actor_id                uuid NULL REFERENCES users (id),
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT stock_movements_version_check CHECK (version >= 1),
    CONSTRAINT stock_movements_kind_check CHECK (kind IN ('opening', 'received', 'returned', 'damaged', 'lost',
        'found', 'counted', 'correction', 'sold', 'reserved', 'released', 'cancelled')),
    CONSTRAINT stock_movements_moves_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0 OR kind = 'opening'),
    CONSTRAINT stock_movements_after_check CHECK (on_hand_after >= 0 AND reserved_after >= 0),
    CONSTRAINT stock_movements_note_check CHECK (note IS NULL OR length(note) <= 500)
);
CREATE INDEX stock_movements_variant_idx ON stock_movements (variant_id, created_at DESC, id DESC);
CREATE INDEX stock_movements_vendor_idx ON stock_movements (vendor_id, created_at DESC);
CREATE INDEX stock_movements_order_idx ON stock_movements (order_id) WHERE order_id IS NOT NULL;

INSERT INTO stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, reserved_delta,
                             on_hand_after, reserved_after, note, created_at, updated_at)
SELECT gen_random_uuid(), v.id, v.product_id, p.vendor_id, 'opening', v.stock_on_hand, v.stock_reserved,
       v.stock_on_hand, v.stock_reserved, 'stock when the movement log began', now(), now()
FROM product_variants v JOIN products p ON p.id = v.product_id;

-- Applies a movement to its variant's totals in the same statement, fills in
-- what it left, and names the product, vendor and (for a login) the person.
-- A session of the schema's owner that brings the totals itself (a bulk load
-- writing variants and their opening movements together) is trusted with them.
CREATE FUNCTION md_apply_stock_movement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_owner uuid;
    v_product uuid;
    v_on_hand integer;
    v_reserved integer;
    v_login boolean := NOT public.md_session_is_superuser() AND public.md_uid() IS NOT NULL;
BEGIN
    SELECT v.product_id, p.vendor_id INTO v_product, v_owner
    FROM public.product_variants v JOIN public.products p ON p.id = v.product_id
    WHERE v.id = NEW.variant_id;
    IF v_product IS NULL THEN
        RAISE EXCEPTION 'no such product variant: %', NEW.variant_id USING ERRCODE = '23503';
    END IF;
    IF v_login AND public.md_in_group('md_vendor') AND v_owner IS DISTINCT FROM public.md_uid() THEN
        RAISE EXCEPTION 'a vendor moves only their own stock' USING ERRCODE = '42501';
    END IF;
    NEW.product_id := v_product;
    NEW.vendor_id := v_owner;
    IF v_login THEN
        NEW.actor_id := public.md_uid();
    END IF;
    IF NOT v_login AND NEW.on_hand_after IS NOT NULL AND NEW.reserved_after IS NOT NULL THEN
        RETURN NEW;
    END IF;
    UPDATE public.product_variants
    SET stock_on_hand = stock_on_hand + NEW.on_hand_delta,
        stock_reserved = stock_reserved + NEW.reserved_delta,
        version = version + 1, updated_at = NEW.created_at
    WHERE id = NEW.variant_id AND deleted_at IS NULL
      AND stock_on_hand + NEW.on_hand_delta >= 0
      AND stock_reserved + NEW.reserved_delta >= 0
      AND stock_on_hand + NEW.on_hand_delta >= stock_reserved + NEW.reserved_delta
    RETURNING stock_on_hand, stock_reserved INTO v_on_hand, v_reserved;
    IF v_on_hand IS NULL THEN
        RAISE EXCEPTION 'not enough stock for that change (or the variant was removed)' USING ERRCODE = '23514';
    END IF;
    NEW.on_hand_after := v_on_hand;
    NEW.reserved_after := v_reserved;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION md_apply_stock_movement() FROM PUBLIC;
CREATE TRIGGER stock_movements_apply BEFORE INSERT ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION md_apply_stock_movement();
CREATE TRIGGER stock_movements_change_feed AFTER INSERT OR UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION md_record_change();

-- A login's new variant starts empty: its stock arrives as movements.
CREATE FUNCTION md_check_variant_stock_start() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.md_session_is_superuser() OR NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF NEW.stock_on_hand <> 0 OR NEW.stock_reserved <> 0 THEN
        RAISE EXCEPTION 'a new variant starts with no stock: record its opening stock as a movement'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION md_check_variant_stock_start() FROM PUBLIC;
CREATE TRIGGER product_variants_stock_start BEFORE INSERT ON product_variants
    FOR EACH ROW EXECUTE FUNCTION md_check_variant_stock_start();

REVOKE UPDATE (stock_on_hand, stock_reserved) ON product_variants FROM md_admin, md_vendor, md_logistics, md_finance;

REVOKE ALL ON stock_movements FROM PUBLIC;
ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;
GRANT SELECT ON stock_movements TO md_admin, md_vendor, md_logistics, md_finance;
GRANT INSERT ON stock_movements TO md_admin, md_vendor, md_logistics;
CREATE POLICY stock_movements_staff_read ON stock_movements FOR SELECT TO md_admin, md_logistics, md_finance
    USING (true);
CREATE POLICY stock_movements_vendor_read ON stock_movements FOR SELECT TO md_vendor
    USING (vendor_id = md_uid());
CREATE POLICY stock_movements_staff_write ON stock_movements FOR INSERT TO md_admin, md_logistics
    WITH CHECK (actor_id = md_uid());
CREATE POLICY stock_movements_vendor_write ON stock_movements FOR INSERT TO md_vendor
    WITH CHECK (vendor_id = md_uid() AND actor_id = md_uid());
