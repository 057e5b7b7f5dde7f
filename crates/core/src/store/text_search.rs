//! Full-text search, written once for both engines: the words a person types
//! become prefix queries on PostgreSQL `tsvector` expression indexes (GIN,
//! migrations 0021 and 0042) and on SQLite FTS5 tables kept by triggers
//! (migration 0014).
//!
//! Both sides cut text into words the same way: runs of letters and digits,
//! anything else separating them, compared without case. Each word typed
//! matches a word of the document it begins (so results come as people type),
//! and every word typed must match. The same search gives the same rows on
//! both engines.

use super::sql::{MAX_SEARCH, Param, Sql};
use super::{Engine, StoreError};

/// Most words one search uses; the rest of the text is ignored.
pub(crate) const MAX_WORDS: usize = 8;

/// The words of a search box, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextQuery {
    words: Vec<String>,
}

impl TextQuery {
    /// The words of `search`: `None` for an empty box, an error for text no
    /// person types (control characters, more than [`MAX_SEARCH`] characters).
    /// Text with no word in it (`%`, `--`) is a query that matches nothing.
    pub(crate) fn parse(search: Option<&str>) -> Result<Option<Self>, StoreError> {
        let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if text.chars().any(char::is_control) {
            return Err(StoreError::Validation("the search text contains control characters".into()));
        }
        if text.chars().count() > MAX_SEARCH {
            return Err(StoreError::Validation(format!("search for at most {MAX_SEARCH} characters")));
        }
        let mut words: Vec<String> = Vec::new();
        for word in words_of(text) {
            if !words.contains(&word) && words.len() < MAX_WORDS {
                words.push(word);
            }
        }
        Ok(Some(Self { words }))
    }

    /// The words, lower-case, without repeats, in the order typed.
    pub(crate) fn words(&self) -> &[String] {
        &self.words
    }
}

/// The words of `text`, lower-case.
pub(crate) fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// ASCII letters and digits, and letters of any other script: what both
/// engines' word splitters keep in a word.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphabetic())
}

/// What a search reads of a row, each with its PostgreSQL index expression
/// and its SQLite FTS5 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doc {
    /// A product's name and description (`products`).
    Product,
    /// A product's name alone (ranks name matches first).
    ProductName,
    /// A variant's SKU, name and barcode (`product_variants`).
    Variant,
    /// A person's display name (`users`): all logistics may read of people.
    PersonName,
    /// A person's display name, username and e-mail (`users`).
    PersonContacts,
}

impl Doc {
    /// The text indexed on PostgreSQL, over the columns of the row `alias`.
    fn pg_text(&self, alias: &str) -> String {
        let a = alias;
        match self {
            Doc::Product => format!("{a}.name || ' ' || {a}.description"),
            Doc::ProductName => format!("{a}.name"),
            Doc::Variant => format!("{a}.sku || ' ' || {a}.name || ' ' || coalesce({a}.barcode, '')"),
            Doc::PersonName => format!("{a}.display_name"),
            Doc::PersonContacts => format!("{a}.display_name || ' ' || {a}.username || ' ' || {a}.email"),
        }
    }

    /// The FTS5 table and the column the words are limited to (`None`: all).
    fn fts(&self) -> (&'static str, Option<&'static str>) {
        match self {
            Doc::Product => ("fts_products", None),
            Doc::ProductName => ("fts_products", Some("name")),
            Doc::Variant => ("fts_variants", None),
            Doc::PersonName => ("fts_users", Some("display_name")),
            Doc::PersonContacts => ("fts_users", None),
        }
    }
}

/// Appends a condition true when the row `alias` holds every one of `words`
/// (by prefix) in `doc`; false when there are no words.
pub(crate) fn push_match(sql: &mut Sql, engine: Engine, doc: Doc, alias: &str, words: &[String]) {
    if words.is_empty() {
        sql.push("1 = 0");
        return;
    }
    match engine {
        Engine::Postgres => {
            let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            sql.push(&format!(
                "to_tsvector('simple'::regconfig, regexp_replace({}, '[^0-9A-Za-z\\u0080-\\uffff]+', ' ', 'g')) \
                 @@ to_tsquery('simple'::regconfig, ",
                doc.pg_text(alias)
            ))
            .bind(Param::Text(query.join(" & ")))
            .push(")");
        }
        Engine::Sqlite => {
            let (table, column) = doc.fts();
            let terms: Vec<String> = words
                .iter()
                .map(|w| match column {
                    Some(c) => format!("{c} : \"{w}\"*"),
                    None => format!("\"{w}\"*"),
                })
                .collect();
            sql.push(&format!("{alias}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH "))
                .bind(Param::Text(terms.join(" AND ")))
                .push(")");
        }
    }
}

/// Appends, for each word, a condition true when product `p`'s name or
/// description, its vendor's name, or one of its live variants' SKU, name or
/// barcode holds the word.
///
/// One word (and every search on SQLite): an OR of parts an index answers
/// each (on PostgreSQL a bitmap OR of the text index, the vendor index and
/// the key; on SQLite a multi-index OR), so only matching products are read.
/// Several words on PostgreSQL: the products each word matches are found by
/// index, the sets intersected, and the few left looked up by key — planned
/// as ORs, the later words would be checked by cutting every product the
/// first word matched into words.
pub(crate) fn push_product_words(sql: &mut Sql, engine: Engine, query: &TextQuery) {
    let words = query.words();
    if words.is_empty() {
        sql.push(" AND 1 = 0");
        return;
    }
    if engine == Engine::Postgres && words.len() > 1 {
        sql.push(" AND p.id = ANY(ARRAY(");
        for (n, word) in words.iter().enumerate() {
            let word = std::slice::from_ref(word);
            sql.push(if n == 0 {
                "(SELECT x.id FROM products x WHERE "
            } else {
                " INTERSECT (SELECT x.id FROM products x WHERE "
            });
            push_match(sql, engine, Doc::Product, "x", word);
            sql.push(
                " UNION SELECT x.id FROM products x WHERE x.vendor_id = ANY(ARRAY(SELECT u.id FROM users u WHERE ",
            );
            push_match(sql, engine, Doc::PersonName, "u", word);
            sql.push(")) UNION SELECT v.product_id FROM product_variants v WHERE v.deleted_at IS NULL AND ");
            push_match(sql, engine, Doc::Variant, "v", word);
            sql.push(")");
        }
        sql.push("))");
        return;
    }
    // PostgreSQL guesses the rows of prefix queries poorly and would join a
    // subquery by scanning every product: an array made first is looked up.
    let (open, close) = match engine {
        Engine::Postgres => (" = ANY(ARRAY(", "))"),
        Engine::Sqlite => (" IN (", ")"),
    };
    for word in words {
        let word = std::slice::from_ref(word);
        sql.push(" AND (");
        push_match(sql, engine, Doc::Product, "p", word);
        sql.push(&format!(" OR p.vendor_id{open}SELECT u.id FROM users u WHERE "));
        push_match(sql, engine, Doc::PersonName, "u", word);
        sql.push(&format!(
            "{close} OR p.id{open}SELECT v.product_id FROM product_variants v WHERE v.deleted_at IS NULL AND "
        ));
        push_match(sql, engine, Doc::Variant, "v", word);
        sql.push(&format!("{close})"));
    }
}

/// An integer expression: how many of the words the name of product `p`
/// holds. Each word's names are found once through the name index, then
/// looked up per product, rather than cutting every matching name into words.
pub(crate) fn push_product_rank(sql: &mut Sql, engine: Engine, query: Option<&TextQuery>) {
    let words = query.map(TextQuery::words).unwrap_or_default();
    if words.is_empty() {
        sql.push("CAST(0 AS BIGINT)");
        return;
    }
    sql.push("CAST(");
    for (n, word) in words.iter().enumerate() {
        sql.push(if n == 0 { "(CASE WHEN " } else { " + (CASE WHEN " });
        match engine {
            Engine::Postgres => {
                sql.push("p.id IN (SELECT r.id FROM products r WHERE ");
                push_match(sql, engine, Doc::ProductName, "r", std::slice::from_ref(word));
                sql.push(")");
            }
            Engine::Sqlite => push_match(sql, engine, Doc::ProductName, "p", std::slice::from_ref(word)),
        }
        sql.push(" THEN 1 ELSE 0 END)");
    }
    sql.push(" AS BIGINT)");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        TextQuery::parse(Some(text)).unwrap().map(|q| q.words).unwrap_or_default()
    }

    #[test]
    fn text_becomes_lower_case_words_without_punctuation() {
        assert_eq!(words("  Café-au_lait 100% "), ["café", "au", "lait", "100"]);
        assert_eq!(words("buyer2@Example.com"), ["buyer2", "example", "com"]);
        assert_eq!(words("MD-0000042"), ["md", "0000042"]);
        assert_eq!(words("tee TEE tee"), ["tee"]);
        assert_eq!(words("½ €"), Vec::<String>::new());
        assert!(words("%' OR '1'='1").iter().all(|w| w.chars().all(char::is_alphanumeric)));
        assert_eq!(words("a b c d e f g h i j").len(), MAX_WORDS);
        assert_eq!(TextQuery::parse(Some("   ")).unwrap(), None);
        assert!(TextQuery::parse(Some("a\u{0}b")).is_err());
        assert!(TextQuery::parse(Some(&"x".repeat(MAX_SEARCH + 1))).is_err());
    }

    #[test]
    fn every_word_is_a_bound_prefix_query() {
        let w = words("Blue mug");
        let mut pg = Sql::default();
        push_match(&mut pg, Engine::Postgres, Doc::PersonContacts, "u", &w);
        assert_eq!(pg.params, [Param::Text("blue:* & mug:*".into())]);
        assert!(pg.text.contains("u.email") && !pg.text.contains("blue"));
        let mut lite = Sql::default();
        push_match(&mut lite, Engine::Sqlite, Doc::PersonName, "u", &w);
        assert_eq!(lite.params, [Param::Text("display_name : \"blue\"* AND display_name : \"mug\"*".into())]);
        let mut none = Sql::default();
        push_match(&mut none, Engine::Sqlite, Doc::Product, "p", &[]);
        assert_eq!(none.text, "1 = 0");
    }
}
