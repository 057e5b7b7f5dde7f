-- =============================================================================
-- Marketdesk 0014, SQLite: full-text search, as on PostgreSQL (migration 0021
-- there): FTS5 tables over the text people search — products (name,
-- description), variants (SKU, name, barcode), people (display name, username,
-- e-mail) — each row keyed by its table row's rowid.
--
-- The unicode61 tokenizer cuts words as the core and PostgreSQL do (letters and
-- digits, case folded, accents kept); prefix indexes of 2 and 3 characters make
-- matching as people type cheap.
--
-- Triggers keep the index. The sync writes rows with INSERT OR REPLACE, whose
-- deletion of the row it replaces fires no delete trigger: so before each
-- insert the index entry of every row the insert will replace (same id, or the
-- same unique key among live rows) is removed, and the insert adds its own.
-- An update of a product or a person rewrites the row's entry whatever columns
-- it changed, so an upsert that turns into an update (the sync's for people)
-- leaves no row unindexed; a variant's entry is rewritten when its text
-- changes (stock moves, far more frequent, leave it alone; no upsert writes
-- variants).
-- =============================================================================

CREATE VIRTUAL TABLE fts_products USING fts5(
    name, description, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE VIRTUAL TABLE fts_variants USING fts5(
    sku, name, barcode, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE VIRTUAL TABLE fts_users USING fts5(
    display_name, username, email, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');

INSERT INTO fts_products (rowid, name, description) SELECT rowid, name, description FROM products;
INSERT INTO fts_variants (rowid, sku, name, barcode) SELECT rowid, sku, name, coalesce(barcode, '') FROM product_variants;
INSERT INTO fts_users (rowid, display_name, username, email) SELECT rowid, display_name, username, email FROM users;

CREATE TRIGGER fts_products_replaced BEFORE INSERT ON products BEGIN
    DELETE FROM fts_products WHERE rowid IN (
        SELECT rowid FROM products WHERE id = NEW.id
        OR (NEW.deleted_at IS NULL AND deleted_at IS NULL AND vendor_id = NEW.vendor_id AND slug = NEW.slug));
END;
CREATE TRIGGER fts_products_inserted AFTER INSERT ON products BEGIN
    INSERT INTO fts_products (rowid, name, description) VALUES (NEW.rowid, NEW.name, NEW.description);
END;
CREATE TRIGGER fts_products_updated AFTER UPDATE ON products BEGIN
    DELETE FROM fts_products WHERE rowid = OLD.rowid OR rowid = NEW.rowid;
    INSERT INTO fts_products (rowid, name, description) VALUES (NEW.rowid, NEW.name, NEW.description);
END;
CREATE TRIGGER fts_products_deleted AFTER DELETE ON products BEGIN
    DELETE FROM fts_products WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER fts_variants_replaced BEFORE INSERT ON product_variants BEGIN
    DELETE FROM fts_variants WHERE rowid IN (
        SELECT rowid FROM product_variants WHERE id = NEW.id
        OR (NEW.deleted_at IS NULL AND deleted_at IS NULL AND sku = NEW.sku));
END;
CREATE TRIGGER fts_variants_inserted AFTER INSERT ON product_variants BEGIN
    INSERT INTO fts_variants (rowid, sku, name, barcode) VALUES (NEW.rowid, NEW.sku, NEW.name, coalesce(NEW.barcode, ''));
END;
CREATE TRIGGER fts_variants_updated AFTER UPDATE OF sku, name, barcode ON product_variants BEGIN
    DELETE FROM fts_variants WHERE rowid = OLD.rowid OR rowid = NEW.rowid;
    INSERT INTO fts_variants (rowid, sku, name, barcode) VALUES (NEW.rowid, NEW.sku, NEW.name, coalesce(NEW.barcode, ''));
END;
CREATE TRIGGER fts_variants_deleted AFTER DELETE ON product_variants BEGIN
    DELETE FROM fts_variants WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER fts_users_replaced BEFORE INSERT ON users BEGIN
    DELETE FROM fts_users WHERE rowid IN (
        SELECT rowid FROM users WHERE id = NEW.id
        OR (NEW.deleted_at IS NULL AND deleted_at IS NULL AND email = NEW.email)
        OR (NEW.db_role IS NOT NULL AND db_role = NEW.db_role));
END;
CREATE TRIGGER fts_users_inserted AFTER INSERT ON users BEGIN
    INSERT INTO fts_users (rowid, display_name, username, email) VALUES (NEW.rowid, NEW.display_name, NEW.username, NEW.email);
END;
CREATE TRIGGER fts_users_updated AFTER UPDATE ON users BEGIN
    DELETE FROM fts_users WHERE rowid = OLD.rowid OR rowid = NEW.rowid;
    INSERT INTO fts_users (rowid, display_name, username, email) VALUES (NEW.rowid, NEW.display_name, NEW.username, NEW.email);
END;
CREATE TRIGGER fts_users_deleted AFTER DELETE ON users BEGIN
    DELETE FROM fts_users WHERE rowid = OLD.rowid;
END;
