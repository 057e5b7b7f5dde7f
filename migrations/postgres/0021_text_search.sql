-- =============================================================================
-- Marketdesk 0021, PostgreSQL: full-text search. Expression GIN indexes over
-- the text people search: products (name, description), variants (SKU, name,
-- barcode), and people (display name alone, which every staff role may read;
-- and display name, username and e-mail, for the roles that may read those).
--
-- Text is cut into words as the core cuts a search box: anything but ASCII
-- letters and digits and other scripts' characters becomes a space, then the
-- 'simple' configuration lower-cases each word (no stemming, no stop words).
-- The core's queries repeat these expressions exactly, so the planner uses the
-- indexes (crates/core/src/store/text_search.rs). No column is added: nothing
-- changes for the sync or the local copy, which indexes the same text in FTS5.
-- =============================================================================

CREATE INDEX products_text_search_idx ON products USING gin (
    to_tsvector('simple'::regconfig, regexp_replace(name || ' ' || description, '[^0-9A-Za-z\u0080-\uffff]+', ' ', 'g')));

CREATE INDEX product_variants_text_search_idx ON product_variants USING gin (
    to_tsvector('simple'::regconfig,
                regexp_replace(sku || ' ' || name || ' ' || coalesce(barcode, ''), '[^0-9A-Za-z\u0080-\uffff]+', ' ', 'g')));

CREATE INDEX users_name_search_idx ON users USING gin (
    to_tsvector('simple'::regconfig, regexp_replace(display_name, '[^0-9A-Za-z\u0080-\uffff]+', ' ', 'g')));

CREATE INDEX users_contacts_search_idx ON users USING gin (
    to_tsvector('simple'::regconfig,
                regexp_replace(display_name || ' ' || username || ' ' || email, '[^0-9A-Za-z\u0080-\uffff]+', ' ', 'g')));
