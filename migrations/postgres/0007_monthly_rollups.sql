-- Monthly rollups: month × vendor × currency and month × category × currency.
-- A report over many months reads one row per vendor (or category) per month
-- here, and only the days at either end of its range from the daily grains of
-- 0004 (1M orders over 18 months: 18k rows instead of 478k). Kept by the same
-- triggers, in the same transaction as the change that moves them.
--
-- The rollup functions of 0004 become PL/pgSQL: a multi-statement SQL function
-- is planned again at every call, PL/pgSQL keeps its plans for the session.
-- Each statement reads the order's items once, by order id, with the order's
-- day and currency looked up first.

-- Per month (first day, UTC) × vendor × currency.
CREATE TABLE sales_monthly_vendors (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    month                   date NOT NULL,
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
    CONSTRAINT sales_monthly_vendors_version_check CHECK (version >= 1),
    CONSTRAINT sales_monthly_vendors_month_check CHECK (extract(day FROM month) = 1),
    CONSTRAINT sales_monthly_vendors_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_monthly_vendors_key UNIQUE (month, vendor_id, currency)
);
CREATE INDEX sales_monthly_vendors_vendor_id_month_idx ON sales_monthly_vendors (vendor_id, month);

-- Per month × category × currency.
CREATE TABLE sales_monthly_categories (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    month                   date NOT NULL,
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
    CONSTRAINT sales_monthly_categories_version_check CHECK (version >= 1),
    CONSTRAINT sales_monthly_categories_month_check CHECK (extract(day FROM month) = 1),
    CONSTRAINT sales_monthly_categories_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT sales_monthly_categories_key UNIQUE (month, category_id, currency)
);

-- Adds (sign 1) or removes (sign -1) one order's live items at every grain.
CREATE OR REPLACE FUNCTION md_roll_order(p_order uuid, p_sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_day date;
    v_month date;
    v_currency text;
BEGIN
    SELECT (o.placed_at AT TIME ZONE 'UTC')::date, o.currency INTO v_day, v_currency FROM orders o WHERE o.id = p_order;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    v_month := date_trunc('month', v_day)::date;

    INSERT INTO sales_daily_totals AS r (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_day, v_currency, p_sign, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY i.order_id
    ON CONFLICT (day, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();

    INSERT INTO sales_daily_vendors AS r (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_day, i.vendor_id, v_currency, p_sign, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();

    INSERT INTO sales_monthly_vendors AS r (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_month, i.vendor_id, v_currency, p_sign, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (month, vendor_id, currency) DO UPDATE SET orders = r.orders + excluded.orders, units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();

    INSERT INTO sales_daily_categories AS r (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_day, p.category_id, v_currency, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (day, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();

    INSERT INTO sales_monthly_categories AS r (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_month, p.category_id, v_currency, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (month, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();

    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT v_day, i.vendor_id, p.category_id, v_currency, p_sign * sum(i.quantity), p_sign * sum(i.subtotal_minor),
           p_sign * sum(i.commission_minor), p_sign * sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = p_order AND i.deleted_at IS NULL
    GROUP BY i.vendor_id, p.category_id
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET units = r.units + excluded.units,
        gross_minor = r.gross_minor + excluded.gross_minor, commission_minor = r.commission_minor + excluded.commission_minor,
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
END;
$$;

-- Units of a sold line refunded (or a refund corrected): adjust the refunded value at every grain.
CREATE OR REPLACE FUNCTION md_roll_item_refund() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_day date;
    v_month date;
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
    v_month := date_trunc('month', v_day)::date;
    INSERT INTO sales_daily_totals AS r (day, currency, refunded_minor) VALUES (v_day, v_currency, v_delta)
    ON CONFLICT (day, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_vendors AS r (day, vendor_id, currency, refunded_minor) VALUES (v_day, NEW.vendor_id, v_currency, v_delta)
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_monthly_vendors AS r (month, vendor_id, currency, refunded_minor) VALUES (v_month, NEW.vendor_id, v_currency, v_delta)
    ON CONFLICT (month, vendor_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily_categories AS r (day, category_id, currency, refunded_minor) VALUES (v_day, v_category, v_currency, v_delta)
    ON CONFLICT (day, category_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_monthly_categories AS r (month, category_id, currency, refunded_minor) VALUES (v_month, v_category, v_currency, v_delta)
    ON CONFLICT (month, category_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    INSERT INTO sales_daily AS r (day, vendor_id, category_id, currency, refunded_minor)
    VALUES (v_day, NEW.vendor_id, v_category, v_currency, v_delta)
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET
        refunded_minor = r.refunded_minor + excluded.refunded_minor, version = r.version + 1, updated_at = now();
    RETURN NULL;
END;
$$;

-- Recomputes every rollup from the orders; the monthly grains from the daily ones.
CREATE OR REPLACE FUNCTION md_rebuild_sales_rollups() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    DELETE FROM sales_daily_totals;
    DELETE FROM sales_daily_vendors;
    DELETE FROM sales_daily_categories;
    DELETE FROM sales_daily;
    DELETE FROM sales_monthly_vendors;
    DELETE FROM sales_monthly_categories;
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
    INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT date_trunc('month', day)::date, vendor_id, currency, sum(orders), sum(units), sum(gross_minor), sum(commission_minor),
           sum(refunded_minor)
    FROM sales_daily_vendors
    GROUP BY 1, 2, 3;
    INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT date_trunc('month', day)::date, category_id, currency, sum(units), sum(gross_minor), sum(commission_minor),
           sum(refunded_minor)
    FROM sales_daily_categories
    GROUP BY 1, 2, 3;
END;
$$;

-- Synced like every marketplace table.
CREATE TRIGGER sales_monthly_vendors_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_monthly_vendors FOR EACH ROW EXECUTE FUNCTION md_record_change();
CREATE TRIGGER sales_monthly_categories_change_feed AFTER INSERT OR UPDATE OR DELETE ON sales_monthly_categories FOR EACH ROW EXECUTE FUNCTION md_record_change();

-- Read-only for people, as the daily grains: admin and finance read all of it,
-- a vendor reads its own rows of the vendor grain.
ALTER TABLE sales_monthly_vendors ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_monthly_vendors FORCE ROW LEVEL SECURITY;
ALTER TABLE sales_monthly_categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE sales_monthly_categories FORCE ROW LEVEL SECURITY;
GRANT SELECT ON sales_monthly_categories TO md_admin, md_finance;
GRANT SELECT ON sales_monthly_vendors TO md_admin, md_finance, md_vendor;
CREATE POLICY sales_monthly_categories_read ON sales_monthly_categories FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_monthly_vendors_read ON sales_monthly_vendors FOR SELECT TO md_admin, md_finance USING (true);
CREATE POLICY sales_monthly_vendors_vendor ON sales_monthly_vendors FOR SELECT TO md_vendor USING (vendor_id = md_uid());

-- The rollups start complete: the months of every order already sold.
INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
SELECT date_trunc('month', day)::date, vendor_id, currency, sum(orders), sum(units), sum(gross_minor), sum(commission_minor),
       sum(refunded_minor)
FROM sales_daily_vendors
GROUP BY 1, 2, 3;
INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
SELECT date_trunc('month', day)::date, category_id, currency, sum(units), sum(gross_minor), sum(commission_minor),
       sum(refunded_minor)
FROM sales_daily_categories
GROUP BY 1, 2, 3;
