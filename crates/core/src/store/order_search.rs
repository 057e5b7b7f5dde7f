//! The orders search box: an order number (whole or its start, with or
//! without `MD-`) or words of the customer's name, username or e-mail, as far
//! as the reader's lens lets them read people. Numbers are a range over the
//! unique number index; customers are found through the people search index
//! and then their orders through the `customer_id` index, so a search costs
//! the same at a thousand orders as at a million.

use super::order_lens::OrderLens;
use super::sql::{Param, Sql, like_pattern};
use super::text_search::{Doc, TextQuery, push_match};
use super::{Engine, StoreError};

/// The order numbers a search box's text may be the start of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberRange {
    /// The first number in range (the typed start, upper-case, with `MD-`).
    pub low: String,
    /// The first number past the range.
    pub high: String,
    /// Typed with `MD-`: only numbers are meant, not customers.
    pub explicit: bool,
}

/// The range of order numbers starting with `search`, when it can be the start
/// of one: `MD-` and up to 12 digits or hex letters (`md-00012`, `MD-4F3A`),
/// or those characters alone (`00012`, which may also be a customer's word).
pub(crate) fn number_range(search: &str) -> Option<NumberRange> {
    let text = search.trim().to_ascii_uppercase();
    let (digits, explicit) = match text.strip_prefix("MD-") {
        Some(d) => (d.to_owned(), true),
        None => (text.clone(), false),
    };
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let low = format!("MD-{digits}");
    // '/' and ':' (and '@' and 'G') surround digits (and A–F) in byte order,
    // so the end of the range is the start with its last character + 1.
    let mut high = low.clone().into_bytes();
    let last = high.last_mut()?;
    *last += 1;
    Some(NumberRange { low, high: String::from_utf8(high).ok()?, explicit })
}

/// Appends `AND (…)`: the orders (derived table `o` of [`OrderLens::select`])
/// whose number starts with `search` or whose customer holds its words.
pub(crate) fn push_order_search(
    sql: &mut Sql,
    lens: &OrderLens,
    engine: Engine,
    search: Option<&str>,
) -> Result<(), StoreError> {
    let Some(query) = TextQuery::parse(search)? else {
        return Ok(());
    };
    let text = search.unwrap_or_default();
    sql.push(" AND (");
    if let Some(range) = number_range(text) {
        sql.push("(o.number >= ").bind(Param::Text(range.low)).push(" AND o.number < ").bind(Param::Text(range.high));
        sql.push(")");
        if range.explicit {
            sql.push(")");
            return Ok(());
        }
        sql.push(" OR ");
    }
    match lens {
        OrderLens::Full | OrderLens::Warehouse => {
            let doc = if *lens == OrderLens::Full { Doc::PersonContacts } else { Doc::PersonName };
            sql.push("o.customer_id IN (SELECT u.id FROM users u WHERE ");
            push_match(sql, engine, doc, "u", query.words());
            sql.push(")");
        }
        OrderLens::Vendor(_) => {
            // A vendor's orders are few, and their customer is the name on the
            // parcel: each word is found anywhere in it.
            if query.words().is_empty() {
                sql.push("1 = 0");
            }
            for (n, word) in query.words().iter().enumerate() {
                sql.push(if n == 0 { "lower(o.customer_name) LIKE " } else { " AND lower(o.customer_name) LIKE " });
                sql.bind(Param::Text(like_pattern(word))).push(" ESCAPE '\\'");
            }
        }
    }
    sql.push(")");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> Option<(String, String, bool)> {
        number_range(s).map(|r| (r.low, r.high, r.explicit))
    }

    #[test]
    fn order_number_starts_become_ranges() {
        assert_eq!(range("md-00012"), Some(("MD-00012".into(), "MD-00013".into(), true)));
        assert_eq!(range(" MD-0000009 "), Some(("MD-0000009".into(), "MD-000000:".into(), true)));
        assert_eq!(range("md-4f3a"), Some(("MD-4F3A".into(), "MD-4F3B".into(), true)));
        assert_eq!(range("MD-00F"), Some(("MD-00F".into(), "MD-00G".into(), true)));
        assert_eq!(range("00012"), Some(("MD-00012".into(), "MD-00013".into(), false)));
        assert_eq!(range("MD-"), None);
        assert_eq!(range("MD-12g"), None);
        assert_eq!(range("smith"), None);
        assert_eq!(range("1234567890123"), None);
    }
}
