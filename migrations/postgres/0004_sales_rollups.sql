-- Sales rollups: what revenue reports read instead of scanning every order item.
-- Kept by triggers in the same transaction as the change that moves them: an
-- order entering or leaving a sold status adds or removes its items; a refund
-- of units adds refunded value. `md_rebuild_sales_rollups()` recomputes them
-- from scratch (after bulk loads, which bypass triggers, and on demand).
-- Sold statuses: paid, processing, partially_shipped, shipped, delivered,
-- refunded, partially_refunded, disputed (as in the core's reports). Four
-- grains, so each report reads the smallest table that answers it:
-- day × currency (headline figures), day × vendor, day × category, and
-- day × vendor × category (a vendor's categories). `orders` counts sold orders
-- with at least one item in the row's scope.

-- Per day (UTC) × currency.
CREATE TABLE sales_daily_totals (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
    currency                text NOT NULL,
    orders                  bigint NOT NULL DEFAULT 0,
    units                   bigint NOT NULL DEFAULT 0,
    gross_minor             bigint NOT NULL DEFAULT 0,
    commission_minor        bigint NOT NULL DEFAULT 0,
    refunded_minor          bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT sales_daily_totals_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_totals_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_totals_key UNIQUE (day, currency)
);

-- Per day × vendor × currency.
CREATE TABLE sales_daily_vendors (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
    vendor_id               uuid NOT NULL REFERENCES users (id),
    currency                text NOT NULL,
    orders                  bigint NOT NULL DEFAULT 0,
    units                   bigint NOT NULL DEFAULT 0,
    gross_minor             bigint NOT NULL DEFAULT 0,
    commission_minor        bigint NOT NULL DEFAULT 0,
    refunded_minor          bigint NOT NULL DEFAULT 0,
    version                 bigint NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz NULL,
    CONSTRAINT sales_daily_vendors_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_vendors_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_vendors_key UNIQUE (day, vendor_id, currency)
);
CREATE INDEX sales_daily_vendors_vendor_id_day_idx ON sales_daily_vendors (vendor_id, day);

-- Per day × category × currency.
CREATE TABLE sales_daily_categories (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day                     date NOT NULL,
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
    CONSTRAINT sales_daily_categories_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_categories_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_daily_categories_key UNIQUE (day, category_id, currency)
);

-- Per day × vendor × category × currency.
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

CREATE FUNCTION md_is_sold(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded',
                      'partially_refunded', 'disputed')
$$;

-- Adds (sign 1) or removes (sign -1) one order's sold items.
CREATE FUNCTION md_roll_order(p_order uuid, p_sign integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    INSERT INTO sales_daily_totals AS r (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, p_sign, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.id = p_order
    GROUP BY (o.placed_at AT TIME ZONE 'UTC')::date, o.currency
    ON CONFLICT (day, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_vendors AS r (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, o.currency, p_sign, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.id = p_order
    GROUP BY (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, o.currency
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_categories AS r (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, p.category_id, o.currency, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.id = p_order
    GROUP BY (o.placed_at AT TIME ZONE 'UTC')::date, p.category_id, o.currency
    ON CONFLICT (day, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, p.category_id, o.currency, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.id = p_order
    GROUP BY (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, p.category_id, o.currency
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
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

-- Units of a sold line refunded (or a refund corrected): adjust the refunded value at every grain.
CREATE FUNCTION md_roll_item_refund() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_day date;
    v_currency text;
    v_category uuid;
    v_delta bigint := (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor;
BEGIN
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, p.category_id INTO v_day, v_currency, v_category
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND md_is_sold(o.status);
    IF NOT FOUND OR NEW.deleted_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO sales_daily_totals AS r (day, currency, refunded_minor) VALUES (v_day, v_currency, v_delta)
    ON CONFLICT (day, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_vendors AS r (day, vendor_id, currency, refunded_minor) VALUES (v_day, NEW.vendor_id, v_currency, v_delta)
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_categories AS r (day, category_id, currency, refunded_minor) VALUES (v_day, v_category, v_currency, v_delta)
    ON CONFLICT (day, category_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, refunded_minor)
    VALUES (v_day, NEW.vendor_id, v_category, v_currency, v_delta)
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
    DELETE FROM sales_daily_totals;
    DELETE FROM sales_daily_vendors;
    DELETE FROM sales_daily_categories;
    DELETE FROM sales_daily;
    INSERT INTO sales_daily_totals (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency, count(DISTINCT o.id), sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2;
    INSERT INTO sales_daily_vendors (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, o.currency, count(DISTINCT o.id), sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2, 3;
    INSERT INTO sales_daily_categories (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, p.category_id, o.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2, 3;
    INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, i.vendor_id, p.category_id, o.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM orders o JOIN order_items i ON i.order_id = o.id AND i.deleted_at IS NULL
    JOIN products p ON p.id = i.product_id
    WHERE o.deleted_at IS NULL AND md_is_sold(o.status)
    GROUP BY 1, 2, 3, 4;
$$;

-- Synced like every marketplace table.
CREATE TRIGGER sales_daily_totals_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily_totals FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_daily_vendors_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily_vendors FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_daily_categories_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily_categories FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_daily_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_daily FOR EACH ROW EXECUTE FUNCTION md_record_change();

-- Read-only for people: written only by the triggers and the rebuild above.
-- Admin and finance read all of it; a vendor reads its own rows of the vendor grains.
ALTER TABLE sales_daily_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_totals FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_vendors ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_vendors FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily_categories FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_daily FORCE ROW LEVEL SECURITY;
GRANT SELECT ON sales_daily_totals, sales_daily_categories TO md_admin, md_finance;
GRANT SELECT ON sales_daily_vendors, sales_daily TO md_admin, md_finance, md_vendor;
CREATE POLICY sales_daily_totals_read ON sales_daily_totals FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_categories_read ON sales_daily_categories FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_vendors_read ON sales_daily_vendors FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_vendors_vendor ON sales_daily_vendors FOR SELECT TO md_vendor USING (vendor_id = md_uid());
CREATE POLICY sales_daily_read ON sales_daily FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_daily_vendor ON sales_daily FOR SELECT TO md_vendor USING (vendor_id = md_uid());
REVOKE ALL ON FUNCTION md_roll_order(uuid, integer), md_roll_order_status(), md_roll_item_refund(),
    md_rebuild_sales_rollups() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION md_rebuild_sales_rollups() TO md_admin, md_finance;
