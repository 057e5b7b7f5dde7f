-- Sales rollups: what revenue reports read instead of scanning every order item
-- (see postgres/0004 for the design: four grains, kept by triggers in the same
-- transaction as the change that moves them; the core's `rebuild_sales_rollups`
-- recomputes them from scratch). Days are UTC 'YYYY-MM-DD' text. Row ids are
-- random 16-byte blobs: rollup rows are derived, keyed by their natural key.

-- Per day (UTC) × currency.
CREATE TABLE sales_daily_totals (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    day                     TEXT NOT NULL,
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
    CONSTRAINT sales_daily_totals_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_totals_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_daily_totals_key UNIQUE (day, currency)
) STRICT;

-- Per day × vendor × currency.
CREATE TABLE sales_daily_vendors (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    day                     TEXT NOT NULL,
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
    CONSTRAINT sales_daily_vendors_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_vendors_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_daily_vendors_key UNIQUE (day, vendor_id, currency)
) STRICT;
CREATE INDEX sales_daily_vendors_vendor_id_day_idx ON sales_daily_vendors (vendor_id, day);

-- Per day × category × currency.
CREATE TABLE sales_daily_categories (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    day                     TEXT NOT NULL,
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
    CONSTRAINT sales_daily_categories_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_categories_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_daily_categories_key UNIQUE (day, category_id, currency)
) STRICT;

-- Per day × vendor × category × currency.
CREATE TABLE sales_daily (
    id                      BLOB PRIMARY KEY NOT NULL DEFAULT (randomblob(16)) CHECK (length(id) = 16),
    day                     TEXT NOT NULL,
    vendor_id               BLOB NOT NULL REFERENCES users (id),
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
    CONSTRAINT sales_daily_version_check CHECK (version >= 1),
    CONSTRAINT sales_daily_currency_check CHECK (length(currency) = 3 AND currency = upper(currency) AND currency GLOB '[A-Z][A-Z][A-Z]'),
    CONSTRAINT sales_daily_key UNIQUE (day, vendor_id, category_id, currency)
) STRICT;
CREATE INDEX sales_daily_vendor_id_day_idx ON sales_daily (vendor_id, day);

-- An order enters the sold statuses: add its items.
CREATE TRIGGER orders_sales_rollups_add AFTER UPDATE OF status, deleted_at ON orders
WHEN NEW.deleted_at IS NULL AND NEW.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
 AND NOT (OLD.deleted_at IS NULL AND OLD.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed'))
BEGIN
    INSERT INTO sales_daily_totals (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), NEW.currency, 1, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.order_id
    ON CONFLICT (day, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_vendors (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), i.vendor_id, NEW.currency, 1, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_categories (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), p.category_id, NEW.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (day, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), i.vendor_id, p.category_id, NEW.currency, sum(i.quantity), sum(i.subtotal_minor), sum(i.commission_minor),
           sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id, p.category_id
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;

-- An order leaves the sold statuses (cancelled, deleted): take its items out.
CREATE TRIGGER orders_sales_rollups_remove AFTER UPDATE OF status, deleted_at ON orders
WHEN OLD.deleted_at IS NULL AND OLD.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
 AND NOT (NEW.deleted_at IS NULL AND NEW.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed'))
BEGIN
    INSERT INTO sales_daily_totals (day, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), NEW.currency, -1, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.order_id
    ON CONFLICT (day, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_vendors (day, vendor_id, currency, orders, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), i.vendor_id, NEW.currency, -1, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET orders = orders + excluded.orders, units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_categories (day, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), p.category_id, NEW.currency, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY p.category_id
    ON CONFLICT (day, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily (day, vendor_id, category_id, currency, units, gross_minor, commission_minor, refunded_minor)
    SELECT substr(NEW.placed_at, 1, 10), i.vendor_id, p.category_id, NEW.currency, -sum(i.quantity), -sum(i.subtotal_minor), -sum(i.commission_minor),
           -sum(i.refunded_quantity * i.unit_price_minor)
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id AND i.deleted_at IS NULL
    GROUP BY i.vendor_id, p.category_id
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET units = units + excluded.units,
        gross_minor = gross_minor + excluded.gross_minor, commission_minor = commission_minor + excluded.commission_minor,
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;

-- Units of a sold line refunded (or a refund corrected): adjust the refunded value at every grain.
CREATE TRIGGER order_items_sales_rollups AFTER UPDATE OF refunded_quantity ON order_items
WHEN NEW.refunded_quantity IS NOT OLD.refunded_quantity AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO sales_daily_totals (day, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 10), o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (day, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_vendors (day, vendor_id, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 10), NEW.vendor_id, o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (day, vendor_id, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily_categories (day, category_id, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 10), p.category_id, o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (day, category_id, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
    INSERT INTO sales_daily (day, vendor_id, category_id, currency, refunded_minor)
    SELECT substr(o.placed_at, 1, 10), NEW.vendor_id, p.category_id, o.currency, (NEW.refunded_quantity - OLD.refunded_quantity) * NEW.unit_price_minor
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.deleted_at IS NULL AND o.status IN ('paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'refunded', 'partially_refunded', 'disputed')
    ON CONFLICT (day, vendor_id, category_id, currency) DO UPDATE SET
        refunded_minor = refunded_minor + excluded.refunded_minor, version = version + 1, updated_at = excluded.updated_at;
END;
