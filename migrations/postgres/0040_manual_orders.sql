-- =============================================================================
-- Marketdesk 0040, PostgreSQL: orders taken by hand, stock held until payment,
-- and rollups that count an order however it arrives.
-- * md_create_manual_order: an admin's phone or e-mail order, written in one
--   statement by the database itself — prices, currency and commission come
--   from the catalog and the vendor's terms, never from the client — pending,
--   with a Stripe payment waiting for its Checkout Session and its units held
--   (`reserved` movements) so nobody else sells them meanwhile.
-- * payments gain the Checkout Session that collects the money (id, link,
--   expiry); md_attach_checkout records it for an admin, nothing else.
-- * An order leaving `pending` for a sold status turns what it held into
--   units sold (`sold` movements: off the shelf, out of the hold), whoever
--   marks it paid — Stripe's event through finance, a storefront, a person.
-- * An order line written into an order that is already sold (an order
--   inserted paid with its lines) is added to the sales rollups: until now
--   they moved only when an order's status changed, so such an order was in
--   the raw reports and missing from the rollup ones.
-- =============================================================================

ALTER TABLE payments ADD COLUMN checkout_session_id text NULL;
ALTER TABLE payments ADD COLUMN checkout_url text NULL;
ALTER TABLE payments ADD COLUMN checkout_expires_at timestamptz NULL;
ALTER TABLE payments ADD CONSTRAINT payments_checkout_session_id_key UNIQUE (checkout_session_id);

-- One sold line added to every grain; the order is counted once per grain
-- that has an `orders` column (its first line in the order, and in the vendor's part).
CREATE FUNCTION md_roll_item_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_day date;
    v_currency text;
    v_category uuid;
    v_first integer;
    v_first_of_vendor integer;
    v_refunded bigint := NEW.refunded_quantity * NEW.unit_price_minor;
BEGIN
    IF NEW.deleted_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, p.category_id INTO v_day, v_currency, v_category
    FROM public.orders o JOIN public.products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND public.md_is_sold(o.status);
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT CASE WHEN EXISTS (SELECT 1 FROM public.order_items i WHERE i.order_id = NEW.order_id AND i.id <> NEW.id
                                 AND i.deleted_at IS NULL) THEN 0 ELSE 1 END,
           CASE WHEN EXISTS (SELECT 1 FROM public.order_items i WHERE i.order_id = NEW.order_id AND i.id <> NEW.id
                                 AND i.vendor_id = NEW.vendor_id AND i.deleted_at IS NULL) THEN 0 ELSE 1 END
    INTO v_first, v_first_of_vendor;
    INSERT INTO public.sales_daily_totals AS r (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    VALUES (v_day, v_currency, v_first, NEW.quantity, NEW.subtotal_minor, NEW.commission_minor, v_refunded)
    ON CONFLICT (day, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO public.sales_daily_vendors AS r (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    VALUES (v_day, NEW.vendor_id, v_currency, v_first_of_vendor, NEW.quantity, NEW.subtotal_minor, NEW.commission_minor, v_refunded)
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO public.sales_daily_categories AS r (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    VALUES (v_day, v_category, v_currency, NEW.quantity, NEW.subtotal_minor, NEW.commission_minor, v_refunded)
    ON CONFLICT (day, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO public.sales_daily AS r (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    VALUES (v_day, NEW.vendor_id, v_category, v_currency, NEW.quantity, NEW.subtotal_minor, NEW.commission_minor, v_refunded)
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION md_roll_item_insert() FROM PUBLIC;
CREATE TRIGGER order_items_sales_rollups_insert AFTER INSERT ON order_items
    FOR EACH ROW EXECUTE FUNCTION md_roll_item_insert();

-- Paid at last: each open line's held units leave the hold and the shelf.
-- Units the order never held are taken from the shelf as far as it has them
-- (an oversold line says so in its movement's note).
CREATE FUNCTION md_sell_held_stock() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    l record;
    v_held integer;
    v_take integer;
BEGIN
    FOR l IN
        SELECT i.variant_id, sum(i.quantity)::integer AS qty, v.stock_on_hand, v.stock_reserved
        FROM public.order_items i JOIN public.product_variants v ON v.id = i.variant_id
        WHERE i.order_id = NEW.id AND i.deleted_at IS NULL AND i.status <> 'cancelled' AND v.deleted_at IS NULL
        GROUP BY i.variant_id, v.stock_on_hand, v.stock_reserved
        ORDER BY i.variant_id
    LOOP
        v_held := least(l.qty, l.stock_reserved);
        v_take := least(l.qty, l.stock_on_hand);
        CONTINUE WHEN v_held = 0 AND v_take = 0;
        INSERT INTO public.stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, reserved_delta,
                                            note, order_id, created_at, updated_at)
        VALUES (gen_random_uuid(), l.variant_id, l.variant_id, l.variant_id, 'sold', -v_take, -v_held,
                CASE WHEN v_take < l.qty THEN format('oversold: %s of %s units were on the shelf', v_take, l.qty) END,
                NEW.id, now(), now());
    END LOOP;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION md_sell_held_stock() FROM PUBLIC;
CREATE TRIGGER orders_sell_held_stock AFTER UPDATE OF status ON orders
    FOR EACH ROW WHEN (OLD.status = 'pending' AND NEW.status IS DISTINCT FROM OLD.status AND md_is_sold(NEW.status))
    EXECUTE FUNCTION md_sell_held_stock();

-- An admin's order taken by hand. `p_lines` is `[{"variant": uuid, "quantity": n}, …]`;
-- repeated variants are added up. Refuses (22023, in words) an unknown or
-- blocked customer, a variant that is not for sale, another currency, a
-- suspended vendor, more units than are free. Each line's commission is the
-- vendor's own rate, else their plan's, else the platform's default, rounded
-- half to even as every commission. Returns the order's total.
CREATE FUNCTION md_create_manual_order(p_order uuid, p_number text, p_customer uuid, p_currency text, p_lines jsonb,
                                       p_shipping bigint, p_payment uuid) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    c record;
    l record;
    v_variants uuid[];
    v_qtys integer[];
    v_default integer;
    v_subtotal bigint := 0;
    v_now timestamptz := now();
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only admins take orders by hand' USING ERRCODE = '42501';
    END IF;
    SELECT u.role, u.status, u.display_name INTO c FROM public.users u WHERE u.id = p_customer AND u.deleted_at IS NULL;
    IF NOT FOUND OR c.role <> 'customer' THEN
        RAISE EXCEPTION 'no such customer' USING ERRCODE = '22023';
    ELSIF c.status = 'suspended' THEN
        RAISE EXCEPTION '% is blocked: their new orders are refused until the block is lifted', c.display_name
            USING ERRCODE = '22023';
    END IF;
    IF p_shipping IS NULL OR p_shipping < 0 THEN
        RAISE EXCEPTION 'shipping cannot be negative' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_lines) IS DISTINCT FROM 'array' OR jsonb_array_length(p_lines) = 0 THEN
        RAISE EXCEPTION 'an order needs at least one line' USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(g.variant ORDER BY g.variant), array_agg(g.qty ORDER BY g.variant) INTO v_variants, v_qtys
    FROM (SELECT (e->>'variant')::uuid AS variant, sum((e->>'quantity')::integer)::integer AS qty
          FROM jsonb_array_elements(p_lines) e GROUP BY 1) g;
    SELECT coalesce((SELECT (s.value #>> '{}')::integer FROM public.platform_settings s
                     WHERE s.key = 'commission.default_bps' AND s.deleted_at IS NULL), 1000)
    INTO v_default;
    FOR l IN
        SELECT m.variant, m.qty, v.sku, v.price_minor, v.currency, v.stock_on_hand - v.stock_reserved AS free,
               v.is_active AND v.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status = 'approved' AS for_sale,
               u.status AS vendor_status
        FROM unnest(v_variants, v_qtys) AS m(variant, qty)
        LEFT JOIN public.product_variants v ON v.id = m.variant
        LEFT JOIN public.products p ON p.id = v.product_id
        LEFT JOIN public.users u ON u.id = p.vendor_id
        ORDER BY v.sku
    LOOP
        IF l.sku IS NULL THEN
            RAISE EXCEPTION 'no such product variant: %', l.variant USING ERRCODE = '22023';
        ELSIF l.qty IS NULL OR l.qty < 1 THEN
            RAISE EXCEPTION 'SKU %: every line needs a quantity of at least 1', l.sku USING ERRCODE = '22023';
        ELSIF NOT l.for_sale THEN
            RAISE EXCEPTION 'SKU % is not for sale (not approved, archived or switched off)', l.sku USING ERRCODE = '22023';
        ELSIF l.vendor_status = 'suspended' THEN
            RAISE EXCEPTION 'SKU % is sold by a suspended vendor', l.sku USING ERRCODE = '22023';
        ELSIF l.currency <> p_currency THEN
            RAISE EXCEPTION 'SKU % is priced in %, the order is in %', l.sku, l.currency, p_currency USING ERRCODE = '22023';
        ELSIF l.qty > l.free THEN
            RAISE EXCEPTION 'SKU %: % asked, % free to sell', l.sku, l.qty, greatest(l.free, 0) USING ERRCODE = '22023';
        END IF;
        v_subtotal := v_subtotal + l.qty::bigint * l.price_minor;
    END LOOP;
    INSERT INTO public.orders (id, number, customer_id, status, currency, subtotal_minor, shipping_minor, tax_minor,
                               discount_minor, total_minor, shipping_address_id, placed_at, version, created_at, updated_at)
    SELECT p_order, p_number, p_customer, 'pending', p_currency, v_subtotal, p_shipping, 0, 0, v_subtotal + p_shipping,
           (SELECT a.id FROM public.shipping_addresses a WHERE a.user_id = p_customer AND a.deleted_at IS NULL
            ORDER BY a.is_default DESC, a.created_at LIMIT 1),
           v_now, 1, v_now, v_now;
    INSERT INTO public.order_items (id, order_id, vendor_id, product_id, variant_id, sku, product_name, variant_name,
                                    quantity, unit_price_minor, currency, subtotal_minor, tax_minor, commission_bps,
                                    commission_minor, status, refunded_quantity, version, created_at, updated_at)
    SELECT gen_random_uuid(), p_order, p.vendor_id, p.id, v.id, v.sku, p.name, v.name, m.qty, v.price_minor, p_currency,
           m.qty * v.price_minor, 0, b.bps,
           r.q + CASE WHEN r.rest * 2 > 10000 OR (r.rest * 2 = 10000 AND r.q % 2 = 1) THEN 1 ELSE 0 END,
           'pending', 0, 1, v_now, v_now
    FROM unnest(v_variants, v_qtys) AS m(variant, qty)
    JOIN public.product_variants v ON v.id = m.variant
    JOIN public.products p ON p.id = v.product_id
    LEFT JOIN public.user_profiles up ON up.user_id = p.vendor_id AND up.deleted_at IS NULL
    CROSS JOIN LATERAL (
        SELECT least(greatest(coalesce(up.commission_bps,
            (SELECT sp.commission_bps FROM public.subscriptions s JOIN public.subscription_plans sp ON sp.id = s.plan_id
             WHERE s.vendor_id = p.vendor_id AND s.status IN ('active', 'trialing', 'past_due') AND s.deleted_at IS NULL
             ORDER BY s.created_at DESC LIMIT 1),
            v_default), 0), 10000) AS bps) b
    CROSS JOIN LATERAL (SELECT (m.qty * v.price_minor * b.bps) / 10000 AS q,
                               (m.qty * v.price_minor * b.bps) % 10000 AS rest) r;
    INSERT INTO public.stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, reserved_delta,
                                        note, order_id, created_at, updated_at)
    SELECT gen_random_uuid(), m.variant, m.variant, m.variant, 'reserved', 0, m.qty, 'held for an order taken by hand',
           p_order, v_now, v_now
    FROM unnest(v_variants, v_qtys) AS m(variant, qty) ORDER BY m.variant;
    INSERT INTO public.payments (id, order_id, provider, provider_payment_id, status, amount_minor, currency,
                                 version, created_at, updated_at)
    VALUES (p_payment, p_order, 'stripe', NULL, 'requires_payment', v_subtotal + p_shipping, p_currency, 1, v_now, v_now);
    RETURN v_subtotal + p_shipping;
END $$;
REVOKE ALL ON FUNCTION md_create_manual_order(uuid, text, uuid, text, jsonb, bigint, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_create_manual_order(uuid, text, uuid, text, jsonb, bigint, uuid) TO md_admin;

-- The Checkout Session Stripe made for a payment still waiting for its money.
CREATE FUNCTION md_attach_checkout(p_payment uuid, p_session text, p_url text, p_expires timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT public.md_in_group('md_admin') THEN
        RAISE EXCEPTION 'only admins send payment links' USING ERRCODE = '42501';
    END IF;
    IF p_session !~ '^cs_[A-Za-z0-9_]+$' OR p_url !~ '^https?://' THEN
        RAISE EXCEPTION 'not a Checkout Session' USING ERRCODE = '22023';
    END IF;
    UPDATE public.payments SET checkout_session_id = p_session, checkout_url = p_url, checkout_expires_at = p_expires,
        failure_reason = NULL, status = 'requires_payment', version = version + 1, updated_at = now()
    WHERE id = p_payment AND provider = 'stripe' AND provider_payment_id IS NULL
      AND status IN ('requires_payment', 'cancelled') AND deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM public.orders o WHERE o.id = order_id AND o.status = 'pending' AND o.deleted_at IS NULL);
    RETURN FOUND;
END $$;
REVOKE ALL ON FUNCTION md_attach_checkout(uuid, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_attach_checkout(uuid, text, text, timestamptz) TO md_admin;
