//! Where each variant sits on the warehouse's shelves: its bin code
//! ("A-03-2"), kept by the warehouse (logistics and admins), found by SKU,
//! set one at a time at the bench or many at once from a `sku,bin` sheet.
//! Pick lists walk the bins in order ([`crate::store::warehouse`]).
//!
//! A bin is the warehouse's own record on the central server; an offline copy
//! does not queue it (the desktop and the CLI refuse it there with the reason).

use crate::domain::Timestamp;
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The longest bin code.
pub const MAX_BIN_LEN: usize = 32;
/// The most lines a bin sheet may hold.
pub const MAX_SHEET_LINES: usize = 20_000;

/// A variant as the warehouse finds it by SKU, with its bin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BinRow {
    /// The variant's id.
    pub variant_id: Uuid,
    /// Its SKU.
    pub sku: String,
    /// The vendor selling it.
    pub vendor_name: String,
    /// The product.
    pub product_name: String,
    /// The variant ("Large / Blue").
    pub variant_name: String,
    /// Its bin, when it has one.
    pub bin_location: Option<String>,
}

/// A bin code as written: trimmed and in capitals; empty means "no bin".
/// Refused unless it is 1–32 letters, digits, `.`, `/`, `-` or spaces,
/// starting with a letter or digit.
pub fn bin_code(text: &str) -> Result<Option<String>, StoreError> {
    let code = text.trim().to_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    let well_formed = code.len() <= MAX_BIN_LEN
        && code.starts_with(|c: char| c.is_ascii_alphanumeric())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " ./-".contains(c));
    if well_formed {
        Ok(Some(code))
    } else {
        Err(StoreError::Validation(format!(
            "“{}” cannot be a bin: use up to {MAX_BIN_LEN} letters, digits, dots, slashes, dashes or spaces, \
             starting with a letter or digit (A-03-2)",
            text.trim()
        )))
    }
}

/// A [`BinRow`] per live variant; the caller adds the SKU condition.
const BIN_ROWS: &str = "SELECT v.id AS variant_id, v.sku, coalesce(pr.business_name, u.display_name) AS vendor_name, \
     p.name AS product_name, v.name AS variant_name, v.bin_location \
     FROM product_variants v JOIN products p ON p.id = v.product_id JOIN users u ON u.id = p.vendor_id \
     LEFT JOIN user_profiles pr ON pr.user_id = u.id AND pr.deleted_at IS NULL \
     WHERE v.deleted_at IS NULL";

/// SKUs looked up per round trip, and bins written per statement, by a sheet.
const CHUNK: usize = 500;

/// The live variants with this SKU (one per vendor at most), with their bins.
pub async fn variants_by_sku(store: &Store, sku: &str) -> Result<Vec<BinRow>, StoreError> {
    let sku = sku.trim();
    if sku.is_empty() {
        return Err(StoreError::Validation("give the SKU to look up".into()));
    }
    let sql = format!("{BIN_ROWS} AND lower(v.sku) = lower($1) ORDER BY vendor_name, v.id");
    Ok(with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(sku).fetch_all(p).await)?)
}

/// The live variants of many SKUs at once, by SKU in lower case.
async fn variants_by_skus(store: &Store, skus: &[&str]) -> Result<HashMap<String, Vec<BinRow>>, StoreError> {
    let mut found: HashMap<String, Vec<BinRow>> = HashMap::new();
    for chunk in skus.chunks(CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("lower(${i})")).collect();
        let sql = format!("{BIN_ROWS} AND lower(v.sku) IN ({}) ORDER BY vendor_name, v.id", list.join(", "));
        let rows: Vec<BinRow> = with_pool!(&store.db, |p| {
            let mut q = sqlx::query_as(&sql);
            for sku in chunk {
                q = q.bind(*sku);
            }
            q.fetch_all(p).await
        })?;
        for row in rows {
            found.entry(row.sku.to_lowercase()).or_default().push(row);
        }
    }
    Ok(found)
}

/// Puts `variant` in bin `bin` (empty takes it out of any bin).
pub async fn set_bin(store: &Store, variant: Uuid, bin: &str) -> Result<Option<String>, StoreError> {
    let code = bin_code(bin)?;
    let mut tx = store.begin_write_tx().await?;
    write_bin(&mut tx, variant, code.as_deref(), Timestamp::now()).await?;
    tx.commit().await?;
    Ok(code)
}

async fn write_bin(tx: &mut WriteTx<'_>, variant: Uuid, code: Option<&str>, now: Timestamp) -> Result<(), StoreError> {
    let sql = "UPDATE product_variants SET bin_location = $1, version = version + 1, updated_at = $2 \
               WHERE id = $3 AND deleted_at IS NULL";
    let done = with_tx!(tx, |c| sqlx::query(sql)
        .bind(code)
        .bind(now)
        .bind(variant)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(|e| StoreError::from_write("product variant", e))?;
    if done == 0 {
        return Err(StoreError::NotFound { entity: "product variant", id: variant.to_string() });
    }
    Ok(())
}

/// Writes many variants' bins, a statement per [`CHUNK`]; any variant gone
/// meanwhile fails the whole transaction.
async fn write_bins(tx: &mut WriteTx<'_>, writes: &[(Uuid, Option<String>)], now: Timestamp) -> Result<(), StoreError> {
    for chunk in writes.chunks(CHUNK) {
        let n = chunk.len();
        // $1 the time; then each variant's id and bin for the CASE, and its id again for the IN list.
        let cases: Vec<String> = (0..n).map(|i| format!("WHEN ${} THEN ${}", 2 + 2 * i, 3 + 2 * i)).collect();
        let ids: Vec<String> = (0..n).map(|i| format!("${}", 2 + 2 * n + i)).collect();
        let sql = format!(
            "UPDATE product_variants SET bin_location = CASE id {} END, version = version + 1, updated_at = $1 \
             WHERE deleted_at IS NULL AND id IN ({})",
            cases.join(" "),
            ids.join(", ")
        );
        let done = with_tx!(tx, |c| {
            let mut q = sqlx::query(&sql).bind(now);
            for (variant, code) in chunk {
                q = q.bind(*variant).bind(code.as_deref());
            }
            for (variant, _) in chunk {
                q = q.bind(*variant);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })
        .map_err(|e| StoreError::from_write("product variant", e))?;
        if done != n as u64 {
            return Err(StoreError::NotFound {
                entity: "product variant",
                id: format!("{} of the sheet's variants (deleted meanwhile)", n as u64 - done),
            });
        }
    }
    Ok(())
}

/// One line of a bin sheet that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SheetProblem {
    /// The line's number in the sheet (1 is the first line).
    pub line: u32,
    /// What is wrong, in words.
    pub reason: String,
}

/// What a bin sheet did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BinSheetResult {
    /// Variants whose bin was written (none when any line had a problem).
    pub updated: u32,
    /// Every line that could not be taken; when there is one, nothing is written.
    pub problems: Vec<SheetProblem>,
}

/// Reads a `sku,bin` sheet (a header line `sku,bin` is skipped; `#` lines and
/// blank lines too) and, when every line is good, writes every bin in one
/// transaction. A SKU two vendors share needs a third column, the vendor's
/// name. Any bad line — an unknown or ambiguous SKU, a malformed bin, a SKU
/// given twice — is reported with its number and nothing is written.
pub async fn apply_bin_sheet(store: &Store, sheet: &str) -> Result<BinSheetResult, StoreError> {
    let lines: Vec<&str> = sheet.lines().collect();
    if lines.len() > MAX_SHEET_LINES {
        return Err(StoreError::Validation(format!("a bin sheet takes at most {MAX_SHEET_LINES} lines; split it")));
    }
    let mut problems = Vec::new();
    // Every line read first, so the SKUs are looked up together.
    let mut wanted: Vec<(u32, &str, Option<String>, Option<&str>)> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = (i + 1) as u32;
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') || (i == 0 && text.to_lowercase().starts_with("sku,")) {
            continue;
        }
        let cells: Vec<&str> = text.split(',').map(str::trim).collect();
        let (sku, bin, vendor) = match cells.as_slice() {
            [sku, bin] => (*sku, *bin, None),
            [sku, bin, vendor] => (*sku, *bin, Some(*vendor)),
            _ => {
                problems
                    .push(SheetProblem { line, reason: "write sku,bin (and the vendor when two share a SKU)".into() });
                continue;
            }
        };
        if sku.is_empty() {
            problems.push(SheetProblem { line, reason: "give the SKU to look up".into() });
            continue;
        }
        match bin_code(bin) {
            Ok(code) => wanted.push((line, sku, code, vendor)),
            Err(e) => problems.push(SheetProblem { line, reason: e.to_string() }),
        }
    }
    let mut skus: Vec<&str> = wanted.iter().map(|(_, sku, _, _)| *sku).collect();
    // Exact duplicates only: how case folds is each engine's `lower()`.
    skus.sort_unstable();
    skus.dedup();
    let found = variants_by_skus(store, &skus).await?;
    let mut writes: Vec<(Uuid, Option<String>)> = Vec::new();
    let mut seen = HashSet::new();
    for (line, sku, code, vendor) in wanted {
        let rows = found.get(&sku.to_lowercase()).map_or(&[][..], Vec::as_slice);
        let matching: Vec<&BinRow> =
            rows.iter().filter(|r| vendor.is_none_or(|v| r.vendor_name.eq_ignore_ascii_case(v))).collect();
        match matching.as_slice() {
            [one] if !seen.insert(one.variant_id) => {
                problems.push(SheetProblem { line, reason: format!("{sku} is given twice in this sheet") });
            }
            [one] => writes.push((one.variant_id, code)),
            [] => problems.push(SheetProblem {
                line,
                reason: match vendor {
                    Some(v) => format!("no live variant has SKU {sku} at {v}"),
                    None => format!("no live variant has SKU {sku}"),
                },
            }),
            _ => problems.push(SheetProblem {
                line,
                reason: format!("{} vendors sell SKU {sku}: add the vendor's name as a third column", matching.len()),
            }),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Ok(BinSheetResult { updated: 0, problems });
    }
    let mut tx = store.begin_write_tx().await?;
    write_bins(&mut tx, &writes, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(BinSheetResult { updated: writes.len() as u32, problems })
}

#[cfg(test)]
mod tests {
    use super::bin_code;
    use crate::store::warehouse::walk_order;

    #[test]
    fn bins_are_walked_with_their_numbers_compared_as_numbers() {
        let mut bins = vec!["B-1", "A-10", "A-2", "A-2-3", "10", "9"];
        bins.sort_by_key(|b| walk_order(b));
        assert_eq!(bins, ["9", "10", "A-2", "A-2-3", "A-10", "B-1"]);
    }

    #[test]
    fn bin_codes_are_trimmed_capitalised_and_checked() {
        assert_eq!(bin_code("  a-03-2 ").unwrap().as_deref(), Some("A-03-2"));
        assert_eq!(bin_code("   ").unwrap(), None);
        assert_eq!(bin_code("Z9/shelf 2.1").unwrap().as_deref(), Some("Z9/SHELF 2.1"));
        for bad in ["-A1", "A_1", "Ä1", "A1;DROP", &"A".repeat(33)] {
            assert!(bin_code(bad).is_err(), "{bad}");
        }
    }
}
