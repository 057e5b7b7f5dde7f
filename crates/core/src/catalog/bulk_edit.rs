//! One change made to every product of a filtered list at once — the whole
//! filtered set, not the page on screen: prices moved by a percentage or
//! set, filed under another category, sent for review, archived or
//! restored, or every variant's stock moved with its reason. A preview says
//! how many products and variants change, which are already so and which
//! cannot change and why, before anything is written; the apply repeats the
//! same work in one transaction, refuses when the list no longer holds what
//! was confirmed, and writes every product or none — each through the
//! editor's save, the product's steps or the stock log, so review, audit and
//! history follow as they do for one product.

use super::csv_file::money;
use super::editing::product_edit_in;
use super::import_products::row_problem;
use super::import_report::{ImportAction, ImportMode, LISTED};
use super::save::{ProductSave, save_product_in};
use super::steps::{ProductStep, take_product_step_in};
use super::stock::{StockChange, change_stock_in};
use crate::domain::product_draft::MAX_PRICE_MINOR;
use crate::domain::stock::StockMovementKind;
use crate::domain::{ProductStatus, Role, new_id};
use crate::orders::view::Reader;
use crate::store::page::{PageRequest, SortDir};
use crate::store::products::{ProductFilter, ProductSort};
use crate::store::write_tx::{Savepoint, WriteTx};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The change made to every product of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkChange {
    /// Every variant's price, and its "was" price, moved by `bps` hundredths
    /// of a percent (+1000 is 10 % up), rounded to the minor unit.
    PricePercent {
        /// The move, in basis points (−9,900 to +100,000).
        bps: i64,
    },
    /// Every variant's price set to `price`, in whole units of each
    /// product's own currency (`12.50`; `1250` for a yen product).
    PriceSet {
        /// The price as typed, a decimal in whole units.
        price: String,
    },
    /// Filed under another category.
    Category {
        /// The category.
        category_id: Uuid,
    },
    /// Sent for review, archived or restored.
    Step {
        /// The step.
        step: ProductStep,
    },
    /// Every variant's stock moved by `delta` for `reason`.
    Stock {
        /// Why (received, counted, damaged …).
        reason: StockMovementKind,
        /// Units added (negative: taken away).
        delta: i32,
        /// What to remember about it.
        note: Option<String>,
    },
}

impl BulkChange {
    /// Who may make this change: price, category and steps are the editors'
    /// (vendors on their own products, admins), stock is also logistics'.
    fn allowed(&self, role: Role) -> bool {
        match self {
            BulkChange::Stock { .. } => matches!(role, Role::Admin | Role::Vendor | Role::Logistics),
            _ => matches!(role, Role::Admin | Role::Vendor),
        }
    }

    /// Checks the change itself, before any product is read.
    fn check(&self) -> Result<(), StoreError> {
        let bad = |m: &str| Err(StoreError::Validation(m.into()));
        match self {
            BulkChange::PricePercent { bps } if !(-9_900..=100_000).contains(bps) || *bps == 0 => {
                bad("a price change is from −99 % to +1,000 %, and not zero")
            }
            BulkChange::PriceSet { price } => match money(price, 3) {
                Ok(m) if (0..=MAX_PRICE_MINOR).contains(&m) => Ok(()),
                Ok(_) => bad("a price is from 0 to 10,000,000"),
                Err(m) => Err(StoreError::Validation(m)),
            },
            BulkChange::Stock { reason, delta, note } => {
                reason.check_by_hand(*delta, note.as_deref()).map_err(|e| StoreError::Validation(e.to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// `minor` moved by `bps` basis points, rounded half away from zero.
pub fn moved_by(minor: i64, bps: i64) -> i64 {
    let scaled = i128::from(minor) * i128::from(10_000 + bps);
    let rounded = (scaled + 5_000 * scaled.signum()) / 10_000;
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// What the change does to one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkOutcome {
    /// The product.
    pub product_id: Uuid,
    /// Its name.
    pub name: String,
    /// Changed, already so, or refused.
    pub action: ImportAction,
    /// In words: the prices before and after, why it cannot change …
    pub detail: String,
}

/// The preview or the result of a bulk change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkReport {
    /// Preview or apply.
    pub mode: ImportMode,
    /// Whether it was written.
    pub applied: bool,
    /// Products the filter matches (what an apply must confirm).
    pub matched: u64,
    /// Products that change.
    pub changed: u64,
    /// Variants that change (prices, stock).
    pub variants: u64,
    /// Products already as asked (or a step that does not apply to them).
    pub unchanged: u64,
    /// Products that cannot change; any one keeps the apply from writing.
    pub refused: u64,
    /// What happens to each product: those refused first, then the rest
    /// (the first [`LISTED`]).
    pub outcomes: Vec<BulkOutcome>,
}

/// Every product `reader` sees in `filter`, oldest first: (id, name, status).
async fn matching(store: &Store, filter: &ProductFilter) -> Result<Vec<(Uuid, String, ProductStatus)>, StoreError> {
    let mut page = PageRequest { sort: ProductSort::CreatedAt, dir: SortDir::Asc, after: None, limit: 500 };
    let mut out = Vec::new();
    loop {
        let list = store.list_products(filter, &page).await?;
        out.extend(list.items.into_iter().map(|p| (p.id, p.name, p.status)));
        match list.next_cursor {
            Some(next) => page.after = Some(next),
            None => return Ok(out),
        }
    }
}

/// Makes `change` on product `id` inside `tx`; `Ok(None)` when it is
/// already so, else the variants changed and the words for it.
async fn change_one(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    id: Uuid,
    change: &BulkChange,
) -> Result<Option<(u64, String)>, StoreError> {
    match change {
        BulkChange::PricePercent { .. } | BulkChange::PriceSet { .. } | BulkChange::Category { .. } => {
            let edit = product_edit_in(tx, id).await?;
            if edit.status == ProductStatus::Archived {
                return Ok(None);
            }
            let mut draft = edit.draft.clone();
            let mut moved = 0;
            match change {
                BulkChange::PricePercent { bps } => {
                    for v in &mut draft.variants {
                        v.price_minor = moved_by(v.price_minor, *bps);
                        v.compare_at_price_minor = v.compare_at_price_minor.map(|c| moved_by(c, *bps));
                    }
                }
                BulkChange::PriceSet { price } => {
                    let minor = money(price, draft.currency.minor_digits())
                        .map_err(|m| StoreError::Validation(format!("in {}: {m}", draft.currency)))?;
                    draft.variants.iter_mut().for_each(|v| v.price_minor = minor);
                }
                BulkChange::Category { category_id } => draft.category_id = *category_id,
                _ => {}
            }
            for (a, b) in edit.draft.variants.iter().zip(&draft.variants) {
                moved += u64::from(a.price_minor != b.price_minor);
            }
            if draft == edit.draft {
                return Ok(None);
            }
            let words = match change {
                BulkChange::Category { .. } => "filed under the new category".to_owned(),
                _ => {
                    let (low, high) = (
                        draft.variants.iter().map(|v| v.price_minor).min().unwrap_or(0),
                        draft.variants.iter().map(|v| v.price_minor).max().unwrap_or(0),
                    );
                    let price = |m: i64| super::product_csv::major(m, draft.currency.minor_digits());
                    let range = if low == high { price(low) } else { format!("{}–{}", price(low), price(high)) };
                    format!("{moved} price{} now {range} {}", if moved == 1 { "" } else { "s" }, draft.currency)
                }
            };
            let save = ProductSave { product_id: id, version: Some(edit.version), draft };
            save_product_in(tx, actor, &save).await?;
            Ok(Some((moved, words)))
        }
        BulkChange::Step { step } => {
            let edit = product_edit_in(tx, id).await?;
            let to = match step.target(edit.status) {
                Ok(to) => to,
                Err(_) => return Ok(None),
            };
            take_product_step_in(tx, actor, id, edit.version, *step).await?;
            Ok(Some((0, format!("now {}", to.as_str().replace('_', " ")))))
        }
        BulkChange::Stock { reason, delta, note } => {
            let edit = product_edit_in(tx, id).await?;
            for v in &edit.draft.variants {
                let c =
                    StockChange { movement: new_id(), variant: v.id, kind: *reason, delta: *delta, note: note.clone() };
                change_stock_in(tx, actor.id, &c).await?;
            }
            let n = edit.draft.variants.len() as u64;
            Ok(Some((n, format!("{reason} {delta:+} on {n} variant{}", if n == 1 { "" } else { "s" }))))
        }
    }
}

/// Previews (`mode` DryRun) or makes (Apply) `change` on every product
/// `actor` sees in `filter`. An apply gives `expected`, the number of
/// products the preview matched, and is refused when the list holds another
/// number now; it writes every product or, when any is refused, none.
pub async fn bulk_edit(
    store: &Store,
    actor: Reader,
    filter: &ProductFilter,
    change: &BulkChange,
    mode: ImportMode,
    expected: Option<u64>,
) -> Result<BulkReport, StoreError> {
    if !change.allowed(actor.role) {
        return Err(StoreError::AccessDenied("this bulk change is not yours to make".into()));
    }
    change.check()?;
    let mut filter = filter.clone();
    if actor.role == Role::Vendor {
        filter.vendor_id = Some(actor.id);
    }
    let products = matching(store, &filter).await?;
    let matched = products.len() as u64;
    if mode == ImportMode::Apply && expected != Some(matched) {
        return Err(StoreError::Validation(format!(
            "the list changed since the preview: {matched} products match now, {} were confirmed; preview again",
            expected.map_or("none".to_owned(), |n| n.to_string())
        )));
    }
    let mut report = BulkReport {
        mode,
        applied: false,
        matched,
        changed: 0,
        variants: 0,
        unchanged: 0,
        refused: 0,
        outcomes: Vec::new(),
    };
    let (mut refused, mut rest) = (Vec::new(), Vec::new());
    let mut tx = store.begin_write_tx().await?;
    tx.plan_for_growth().await?;
    for (id, name, status) in products {
        tx.savepoint(Savepoint::Set, "bulk_edit").await?;
        let (action, detail) = match change_one(&mut tx, actor, id, change).await {
            Ok(Some((variants, words))) => {
                tx.savepoint(Savepoint::Release, "bulk_edit").await?;
                report.changed += 1;
                report.variants += variants;
                (ImportAction::Update, words)
            }
            Ok(None) => {
                tx.savepoint(Savepoint::Release, "bulk_edit").await?;
                report.unchanged += 1;
                let words = if status == ProductStatus::Archived && !matches!(change, BulkChange::Step { .. }) {
                    "archived: left as it is (restore it to edit it)".to_owned()
                } else {
                    format!("already so ({})", status.as_str().replace('_', " "))
                };
                (ImportAction::Unchanged, words)
            }
            Err(e) if row_problem(&e) => {
                tx.savepoint(Savepoint::RollBack, "bulk_edit").await?;
                tx.savepoint(Savepoint::Release, "bulk_edit").await?;
                report.refused += 1;
                (ImportAction::Refused, e.to_string())
            }
            Err(e) => return Err(e),
        };
        let outcome = BulkOutcome { product_id: id, name, action, detail };
        if action == ImportAction::Refused { refused.push(outcome) } else { rest.push(outcome) }
    }
    report.outcomes = refused.into_iter().chain(rest).take(LISTED).collect();
    if mode == ImportMode::Apply && report.refused == 0 {
        tx.commit().await?;
        report.applied = true;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_move_by_whole_minor_units() {
        assert_eq!(moved_by(1999, 1000), 2199);
        assert_eq!(moved_by(1995, -1000), 1796);
        assert_eq!(moved_by(5, 1000), 6);
        assert_eq!(moved_by(1, -5000), 1);
        assert_eq!(moved_by(0, 5000), 0);
    }

    #[test]
    fn a_change_is_checked_before_any_product() {
        assert!(BulkChange::PricePercent { bps: 0 }.check().is_err());
        assert!(BulkChange::PricePercent { bps: -10_000 }.check().is_err());
        assert!(BulkChange::PriceSet { price: "-1".into() }.check().is_err());
        assert!(BulkChange::PriceSet { price: "12.5".into() }.check().is_ok());
        assert!(BulkChange::PriceSet { price: "$12".into() }.check().is_err());
        let wrong_way = BulkChange::Stock { reason: StockMovementKind::Received, delta: -2, note: None };
        assert!(wrong_way.check().is_err());
        assert!(!BulkChange::Category { category_id: Uuid::nil() }.allowed(Role::Logistics));
        assert!(wrong_way.allowed(Role::Logistics));
        assert!(!wrong_way.allowed(Role::Finance));
    }
}
