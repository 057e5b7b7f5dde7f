//! What a restore must give back, in numbers: every table's row count and
//! the ledger's balance per account and currency. Two databases with the
//! same fingerprint hold the same rows in every table and the same money.

use crate::store::{Store, StoreError, with_pool};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A database's row counts and ledger balances.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// Rows per table (the migrations' own bookkeeping included).
    pub tables: BTreeMap<String, i64>,
    /// The ledger's balance per account and currency, minor units.
    pub ledger: BTreeMap<(Uuid, String), i64>,
}

impl Fingerprint {
    /// Rows over every table.
    pub fn rows(&self) -> i64 {
        self.tables.values().sum()
    }

    /// The tables whose counts differ from `other`'s, with both counts.
    pub fn differences(&self, other: &Fingerprint) -> Vec<(String, Option<i64>, Option<i64>)> {
        let names: std::collections::BTreeSet<&String> = self.tables.keys().chain(other.tables.keys()).collect();
        names
            .into_iter()
            .filter_map(|t| {
                let (a, b) = (self.tables.get(t).copied(), other.tables.get(t).copied());
                (a != b).then(|| (t.clone(), a, b))
            })
            .collect()
    }
}

/// The fingerprint of the database behind `store`.
pub async fn fingerprint(store: &Store) -> Result<Fingerprint, StoreError> {
    let list = if store.pg_pool().is_some() {
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let names: Vec<String> = with_pool!(&store.db, |p| sqlx::query_scalar(list).fetch_all(p).await)?;
    let mut tables = BTreeMap::new();
    for name in names {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Corrupt(format!("a table is named “{name}”")));
        }
        let sql = format!("SELECT count(*) FROM \"{name}\"");
        let n: i64 = with_pool!(&store.db, |p| sqlx::query_scalar(&sql).fetch_one(p).await)?;
        tables.insert(name, n);
    }
    let rows: Vec<(Uuid, String, i64)> = with_pool!(&store.db, |p| sqlx::query_as(
        "SELECT account_id, CAST(currency AS TEXT), CAST(sum(amount_minor) AS BIGINT) FROM ledger_entries \
         WHERE deleted_at IS NULL GROUP BY account_id, currency"
    )
    .fetch_all(p)
    .await)?;
    let ledger = rows.into_iter().map(|(a, c, s)| ((a, c), s)).collect();
    Ok(Fingerprint { tables, ledger })
}
