-- =============================================================================
-- 0042: product names alone, searchable by index.
--
-- The products list ranks a product higher for each word of the search its
-- name holds. That was worked out by cutting every matching product's name
-- into words as the rows were read (about 60 ms for a common word at 100,000
-- products); with this index each word's names are found once and looked up
-- per row (crates/core/src/store/text_search.rs repeats the expression).
-- =============================================================================

CREATE INDEX products_name_search_idx ON products USING gin (
    to_tsvector('simple'::regconfig, regexp_replace(name, '[^0-9A-Za-z\u0080-\uffff]+', ' ', 'g')));
