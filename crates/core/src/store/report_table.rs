//! The shape every tabular report comes back in: typed columns, rows of
//! values and a totals row. One grid in the UI and one exporter serve every
//! report, and numbers stay exact (money as integer minor units, rates as basis
//! points) until they are shown or written.

use crate::domain::Currency;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

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

    /// The integers of column `key`, row by row (missing cells as `None`).
    pub fn ints(&self, key: &str) -> Vec<Option<i64>> {
        let Some(c) = self.column(key) else { return Vec::new() };
        self.rows.iter().map(|r| r.get(c).cloned().flatten().and_then(|v| v.as_int())).collect()
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

    #[test]
    fn values_serialise_as_plain_numbers_and_strings() {
        let row: ReportRow = vec![Some(12.into()), Some("Acme".into()), None];
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"[12,"Acme",null]"#);
        let back: ReportRow = serde_json::from_str(r#"[12,"Acme",null]"#).unwrap();
        assert_eq!(back, row);
    }
}
