-- Monthly rollups: month × vendor × currency and month × category × currency
-- (see postgres/0007: a report over many months reads whole months here and only
-- the days at either end of its range from the daily grains of 0004). Months are
-- the UTC 'YYYY-MM-01' of the order's day. Kept by their own triggers, beside
-- those of 0004, in the same transaction as the change that moves them.

-- Per month × vendor × currency.
CREATE TABLE sales_monthly_vendors (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    month                   TEXT NOT NULL,
    vendor_id               BLOB NOT NULL REFERENCES users (id),
    currency                TEXT NOT NULL,
    orders                  INTEGER NOT NULL DEFAULT 0,
    units                   INTEGER NOT NULL DEFAULT 0,
    gross_minor             INTEGER NOT NULL DEFAULT 0,
    commission_minor        INTEGER NOT NULL DEFAULT 0,
    refunded_minor          INTEGER NOT NULL DEFAULT 0,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    deleted_at              TEXT NULL,
    CONSTRAINT sales_monthly_vendors_version_check CHECK (version >= 1),
    CONSTRAINT sales_monthly_vendors_month_check CHECK (length(month) = 10 AND substr(month, 8) = '-01'),
    CONSTRAINT sales_monthly_vendors_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_monthly_vendors_key UNIQUE (month, vendor_id, currency)
) STRICT;
CREATE INDEX sales_monthly_vendors_vendor_id_month_idx ON sales_monthly_vendors (vendor_id, month);

-- Per month × category × currency.
CREATE TABLE sales_monthly_categories (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    month                   TEXT NOT NULL,
    category_id             BLOB NOT NULL REFERENCES categories (id),
    currency                TEXT NOT NULL,
    units                   INTEGER NOT NULL DEFAULT 0,
    gross_minor             INTEGER NOT NULL DEFAULT 0,
    commission_minor        INTEGER NOT NULL DEFAULT 0,
    refunded_minor          INTEGER NOT NULL DEFAULT 0,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    deleted_at              TEXT NULL,
    CONSTRAINT sales_monthly_categories_version_check CHECK (version >= 1),
    CONSTRAINT sales_monthly_categories_month_check CHECK (length(month) = 10 AND substr(month, 8) = '-01'),
    CONSTRAINT sales_monthly_categories_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_monthly_categories_key UNIQUE (month, category_id, currency)
) STRICT;

-- An order enters the sold statuses: add its items.
CREATE TRIGGER orders_monthly_rollups_add AFTER UPDATE OF status, deleted_at ON orders
WHEN NEW.deleted_at IS NULL AND NEW.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
 AND NOT (OLD.deleted_at IS NULL AND OLD.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed'))
BEGIN
    INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 8) || '01', i.vendor_id, NEW.currency, 1, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (month, vendor_id, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 8) || '01', p.category_id, NEW.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (month, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;

-- An order leaves the sold statuses (cancelled, deleted): take its items out.
CREATE TRIGGER orders_monthly_rollups_remove AFTER UPDATE OF status, deleted_at ON orders
WHEN OLD.deleted_at IS NULL AND OLD.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
 AND NOT (NEW.deleted_at IS NULL AND NEW.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed'))
BEGIN
    INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 8) || '01', i.vendor_id, NEW.currency, -1, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (month, vendor_id, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 8) || '01', p.category_id, NEW.currency, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (month, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;

-- Units of a sold line refunded (or a refund corrected): adjust the refunded value.
CREATE TRIGGER order_items_monthly_rollups AFTER UPDATE OF refunded_quantity ON order_items
WHEN NEW.refunded_quantity IS NOT OLD.refunded_quantity AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO sales_monthly_vendors (month, vendor_id, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 8) || '01', NEW.vendor_id, o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (month, vendor_id, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_monthly_categories (month, category_id, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 8) || '01', p.category_id, o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (month, category_id, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;

-- The rollups start complete: the months of every order already sold.
INSERT INTO sales_monthly_vendors (month, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
SELECT substr(day, 1, 8) || '01', vendor_id, currency, sum(orders), sum(units), sum(gross_minor), sum(commission_minor), sum(refunded_minor)
FROM sales_daily_vendors
GROUP BY 1, 2, 3;
INSERT INTO sales_monthly_categories (month, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
SELECT substr(day, 1, 8) || '01', category_id, currency, sum(units), sum(gross_minor), sum(commission_minor), sum(refunded_minor)
FROM sales_daily_categories
GROUP BY 1, 2, 3;
