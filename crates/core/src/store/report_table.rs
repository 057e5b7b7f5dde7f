//! The shape every tabular report comes back in: typed columns, rows of
//! values and a totals row. One grid in the UI and one exporter serve every
//! report, and numbers stay exact (money as integer minor units, rates as basis
//! points) until they are shown or written.

use super::StoreError;
use super::page::SortDir;
use crate::domain::Currency;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How a column's values are read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Free text (names, labels, ids).
    Text,
    /// A whole number (orders, units, people).
    Count,
    /// Minor units of the table's currency.
    Money,
    /// Basis points: 1234 is 12.34 %.
    Percent,
}

/// One column of a report table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportColumn {
    /// Stable key (for the UI's sorting and tests).
    pub key: String,
    /// Heading shown to people and written in exports.
    pub label: String,
    /// How to read the values.
    pub kind: ColumnKind,
}

/// One cell: text for text columns, an integer for the others; `null` when empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(untagged)]
pub enum ReportValue {
    /// Counts, minor units and basis points.
    Int(i64),
    /// Text.
    Text(String),
}

impl ReportValue {
    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            ReportValue::Int(v) => Some(*v),
            ReportValue::Text(_) => None,
        }
    }
}

impl From<i64> for ReportValue {
    fn from(v: i64) -> Self {
        ReportValue::Int(v)
    }
}

impl From<String> for ReportValue {
    fn from(v: String) -> Self {
        ReportValue::Text(v)
    }
}

impl From<&str> for ReportValue {
    fn from(v: &str) -> Self {
        ReportValue::Text(v.to_owned())
    }
}

/// A row of cells, one per column.
pub type ReportRow = Vec<Option<ReportValue>>;

/// A finished report: what the grid shows and the exporter writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportTable {
    /// Title shown above the grid and used as the export's sheet name.
    pub title: String,
    /// The currency of every money column (`None` when there is none).
    pub currency: Option<Currency>,
    /// The columns, in order.
    pub columns: Vec<ReportColumn>,
    /// The rows, in the report's order.
    pub rows: Vec<ReportRow>,
    /// Sums (or overall rates) of the whole report, when they mean something.
    pub totals: Option<ReportRow>,
    /// How the figures were obtained or what to read them with.
    pub note: String,
}

impl ReportTable {
    /// An empty table with these `(key, label, kind)` columns.
    pub fn new(title: &str, currency: Option<Currency>, columns: &[(&str, &str, ColumnKind)]) -> Self {
        ReportTable {
            title: title.to_owned(),
            currency,
            columns: columns
                .iter()
                .map(|(key, label, kind)| ReportColumn { key: (*key).into(), label: (*label).into(), kind: *kind })
                .collect(),
            rows: Vec::new(),
            totals: None,
            note: String::new(),
        }
    }

    /// The index of the column with `key`.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Puts the rows in `sort`'s order: numbers by value, text
    /// case-insensitively with digit runs compared as numbers ("item 9" before
    /// "item 10"), numbers before text, empty cells last in either direction,
    /// and ties in the report's own order. The totals row stays apart. A key
    /// the table does not have is refused.
    pub fn sort_by(&mut self, sort: &ReportSort) -> Result<(), StoreError> {
        let at = self
            .column(&sort.key)
            .ok_or_else(|| StoreError::Validation(format!("this report has no column “{}” to sort by", sort.key)))?;
        self.rows.sort_by(|a, b| match (a.get(at).cloned().flatten(), b.get(at).cloned().flatten()) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let order = compare_values(&x, &y);
                if sort.dir == SortDir::Asc { order } else { order.reverse() }
            }
        });
        Ok(())
    }

    /// The integers of column `key`, row by row (missing cells as `None`).
    pub fn ints(&self, key: &str) -> Vec<Option<i64>> {
        let Some(c) = self.column(key) else { return Vec::new() };
        self.rows.iter().map(|r| r.get(c).cloned().flatten().and_then(|v| v.as_int())).collect()
    }
}

/// How a person asked a report's rows to be ordered: by one column's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReportSort {
    /// The column's key.
    pub key: String,
    /// Smallest or largest first.
    pub dir: SortDir,
}

/// Numbers before text; numbers by value, text in [`natural_order`].
fn compare_values(a: &ReportValue, b: &ReportValue) -> Ordering {
    match (a, b) {
        (ReportValue::Int(x), ReportValue::Int(y)) => x.cmp(y),
        (ReportValue::Int(_), ReportValue::Text(_)) => Ordering::Less,
        (ReportValue::Text(_), ReportValue::Int(_)) => Ordering::Greater,
        (ReportValue::Text(x), ReportValue::Text(y)) => natural_order(x, y),
    }
}

/// Text as people read it in a list: letters case-insensitively, runs of
/// digits by their value.
pub fn natural_order(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        digits.push(c);
                    }
                    digits
                };
                let (m, n) = (run(&mut x), run(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                let order = c.to_lowercase().cmp(d.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// `part / whole` in basis points, rounded half to even; `None` when `whole` is zero.
pub fn ratio_bps(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let bps = Decimal::from(part) * Decimal::from(10_000) / Decimal::from(whole);
    bps.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven).try_into().ok()
}

/// `total / count` rounded half to even (an average in minor units); `None` for no items.
pub fn average(total: i64, count: i64) -> Option<i64> {
    if count == 0 {
        return None;
    }
    (Decimal::from(total) / Decimal::from(count))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
        .try_into()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages_round_half_to_even() {
        assert_eq!(ratio_bps(1, 3), Some(3333));
        assert_eq!(ratio_bps(1, 20_000), Some(0)); // 0.5 bp → 0
        assert_eq!(ratio_bps(3, 20_000), Some(2)); // 1.5 bp → 2
        assert_eq!(ratio_bps(5, 0), None);
        assert_eq!(average(5, 2), Some(2));
        assert_eq!(average(7, 2), Some(4));
        assert_eq!(average(-7, 2), Some(-4));
        assert_eq!(average(1, 0), None);
    }

    fn sorted(dir: SortDir, key: &str) -> Vec<String> {
        let mut t = ReportTable::new(
            "t",
            None,
            &[("vendor", "Vendor", ColumnKind::Text), ("gross", "Gross", ColumnKind::Money)],
        );
        for (name, gross) in [("b", Some(10)), ("a", None), ("C", Some(9)), ("d", Some(100))] {
            t.rows.push(vec![Some(name.into()), gross.map(ReportValue::Int)]);
        }
        t.totals = Some(vec![None, Some(119.into())]);
        t.sort_by(&ReportSort { key: key.into(), dir }).unwrap();
        assert_eq!(t.totals, Some(vec![None, Some(119.into())]), "the totals stay apart");
        t.rows
            .iter()
            .map(|r| match &r[0] {
                Some(ReportValue::Text(s)) => s.clone(),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn rows_sort_numbers_as_numbers_and_text_in_order_with_empty_cells_last_both_ways() {
        assert_eq!(sorted(SortDir::Asc, "gross"), ["C", "b", "d", "a"]);
        assert_eq!(sorted(SortDir::Desc, "gross"), ["d", "b", "C", "a"]);
        assert_eq!(sorted(SortDir::Asc, "vendor"), ["a", "b", "C", "d"]);
        let mut t = ReportTable::new("t", None, &[("vendor", "Vendor", ColumnKind::Text)]);
        assert!(matches!(
            t.sort_by(&ReportSort { key: "nope".into(), dir: SortDir::Asc }),
            Err(StoreError::Validation(_))
        ));
    }

    #[test]
    fn text_sorts_naturally_and_ties_keep_the_reports_order() {
        assert_eq!(natural_order("item 9", "item 10"), Ordering::Less);
        assert_eq!(natural_order("Item 010", "item 10"), Ordering::Equal);
        assert_eq!(natural_order("acme", "Acme Ltd"), Ordering::Less);
        let mut t = ReportTable::new("t", None, &[("k", "K", ColumnKind::Text), ("n", "N", ColumnKind::Count)]);
        for (k, n) in [("x", 1), ("X", 2), ("x", 3)] {
            t.rows.push(vec![Some(k.into()), Some(n.into())]);
        }
        t.sort_by(&ReportSort { key: "k".into(), dir: SortDir::Desc }).unwrap();
        assert_eq!(t.ints("n"), [Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn values_serialise_as_plain_numbers_and_strings() {
        let row: ReportRow = vec![Some(12.into()), Some("Acme".into()), None];
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"[12,"Acme",null]"#);
        let back: ReportRow = serde_json::from_str(r#"[12,"Acme",null]"#).unwrap();
        assert_eq!(back, row);
    }
}
