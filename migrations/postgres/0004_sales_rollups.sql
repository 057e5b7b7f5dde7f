-- Sales rollups: what revenue reports read instead of scanning every order item.
-- Kept by triggers in the same transaction as the change that moves them: an
-- order entering or leaving a sold status adds or removes its items; a refund
-- of units adds refunded value. `md_rebuild_sales_rollups()` recomputes them
-- from scratch (after bulk loads, which bypass triggers, and on demand).
-- Sold statuses: paid, processing, partially_shipped, shipped, delivered,
-- refunded, partially_refunded, disputed (as in the core's reports).

-- Money and units per day (UTC) × vendor × category × currency.
CREATE TABLE sales_daily (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
    vendor_id               uuid NOT NULL REFERENCES users (id),
    category_id             uuid NOT NULL REFERENCES categories (id),
    currency                text NOT NULL,
    units                   bigint NOT NULL DEFAULT 0,
    gross_minor             bigint NOT NULL DEFAULT 0,
    commission_minor        bigint NOT NULL DEFAULT 0,
    refunded_minor          bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT sales_daily_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_key UNIQUE (day, vendor_id, category_id, currency)
);
CREATE INDEX sales_daily_vendor_id_day_idx ON sales_daily (vendor_id, day);

-- Orders with at least one sold item of the vendor, per day × vendor × currency.
CREATE TABLE sales_daily_vendor_orders (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
    vendor_id               uuid NOT NULL REFERENCES users (id),
    currency                text NOT NULL,
    orders                  bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT sales_daily_vendor_orders_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_vendor_orders_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_vendor_orders_key UNIQUE (day, vendor_id, currency)
);
CREATE INDEX sales_daily_vendor_orders_vendor_id_day_idx ON sales_daily_vendor_orders (vendor_id, day);

-- Sold orders per day × currency.
CREATE TABLE sales_daily_orders (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
    currency                text NOT NULL,
    orders                  bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT sales_daily_orders_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_orders_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_orders_key UNIQUE (day, currency)
);

CREATE FUNCTION md_is_sold(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded',
                      'partially_refunded', 'disputed')
$$;

-- Adds (sign 1) or removes (sign -1) one order's sold items.
CREATE FUNCTION md_roll_order(p_order uuid, p_sign integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, p.category_id, o.currency,
           p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor), p_sign * sum(i.commission_minor),
           p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.id = p_order
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET
        units = r.units + excluded.units, gross_minor = r.gross_minor + excluded.gross_minor,
        commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor,
        version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_vendor_orders AS r (day, vendor_id, currency, orders)
    SELECT DISTINCT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, o.currency, p_sign
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    WHERE o.id = p_order
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET
        orders = r.orders + excluded.orders, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_orders AS r (day, currency, orders)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, p_sign FROM orders o
    WHERE o.id = p_order AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.deleted_at IS NULL)
    ON CONFLICT (day, currency) DO UPDATE SET
        orders = r.orders + excluded.orders, version = r.version + 1, updated_at = now();
$$;

CREATE FUNCTION md_roll_order_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF OLD.deleted_at IS NULL AND md_is_sold(OLD.status) AND NOT (NEW.deleted_at IS NULL AND md_is_sold(NEW.status)) THEN
        PERFORM md_roll_order(NEW.id, -1);
    ELSIF NEW.deleted_at IS NULL AND md_is_sold(NEW.status) AND NOT (OLD.deleted_at IS NULL AND md_is_sold(OLD.status)) THEN
        PERFORM md_roll_order(NEW.id, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER orders_sales_rollups AFTER UPDATE OF status, deleted_at ON orders
    FOR EACH ROW EXECUTE FUNCTION md_roll_order_status();

CREATE FUNCTION md_roll_item_refund() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, NEW.vendor_id, p.category_id, o.currency,
           (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND md_is_sold(o.status) AND NEW.deleted_at IS NULL
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    RETURN NULL;
END;
$$;
CREATE TRIGGER order_items_sales_rollups AFTER UPDATE OF refunded_quantity ON order_items
    FOR EACH ROW WHEN (NEW.refunded_quantity IS DISTINCT FROM OLD.refunded_quantity)
    EXECUTE FUNCTION md_roll_item_refund();

-- Recomputes every rollup from the orders (after bulk loads; `marketdesk rollups rebuild`).
CREATE FUNCTION md_rebuild_sales_rollups() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DELETE FROM sales_daily;
    DELETE FROM sales_daily_vendor_orders;
    DELETE FROM sales_daily_orders;
    INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, p.category_id, o.currency, sum(i.quantity),
           sum(i.subtotal_minor), sum(i.commission_minor), sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2, 3, 4;
    INSERT INTO sales_daily_vendor_orders (day, vendor_id, currency, orders)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, o.currency, count(DISTINCT o.id)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2, 3;
    INSERT INTO sales_daily_orders (day, currency, orders)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, count(*)
    FROM orders o
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
      AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.deleted_at IS NULL)
    GROUP BY 1, 2;
$$;

-- Synced like every marketplace table.
CREATE TRIGGER sales_daily_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_daily_vendor_orders_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily_vendor_orders FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_daily_orders_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily_orders FOR EACH ROW EXECUTE FUNCTION md_record_change();

-- Read-only for people: written only by the triggers and the rebuild above.
ALTER TABLE sales_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_vendor_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_vendor_orders FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_orders FORCE ROW LEVEL SECURITY;
GRANT SELECT ON sales_daily, sales_daily_vendor_orders TO md_admin, md_finance, md_vendor;
GRANT SELECT ON sales_daily_orders TO md_admin, md_finance;
CREATE POLICY sales_daily_read ON sales_daily FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_vendor ON sales_daily FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY sales_daily_vendor_orders_read ON sales_daily_vendor_orders FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_vendor_orders_vendor ON sales_daily_vendor_orders FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY sales_daily_orders_read ON sales_daily_orders FOR SELECT TO md_admin, md_finance USING (true);
REVOKE ALL ON FUNCTION md_roll_order(uuid, integer), md_rebuild_sales_rollups() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_rebuild_sales_rollups() TO md_admin, md_finance;
