//! What a dispute covers: the order lines of its vendor (or its one line, or
//! the whole order), what is left of each to give back, and the refund an
//! outcome plans — units per line and what they return to the buyer.

use crate::finance::postings::{Returned, SoldLine};
use crate::finance::refunds::RefundLine;
use crate::store::StoreError;
use crate::store::write_tx::{WriteTx, with_tx};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One order line a dispute covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeLine {
    /// The order line.
    pub id: Uuid,
    /// Its vendor.
    pub vendor_id: Uuid,
    /// What was sold.
    pub sku: String,
    /// Its name at the time of sale.
    pub product_name: String,
    /// Units sold.
    pub quantity: i32,
    /// Units already refunded.
    pub refunded_quantity: i32,
    /// quantity × unit price, minor units.
    pub subtotal_minor: i64,
    /// Tax on the line, minor units.
    pub tax_minor: i64,
}

impl ScopeLine {
    /// Units left to give back.
    pub fn left(&self) -> u32 {
        u32::try_from(self.quantity - self.refunded_quantity).unwrap_or(0)
    }

    /// What `units` more of this line return to the buyer.
    pub fn refund_minor(&self, units: u32) -> i64 {
        if units == 0 {
            return 0;
        }
        let line = SoldLine {
            vendor_id: self.vendor_id,
            quantity: u32::try_from(self.quantity).unwrap_or(0),
            subtotal_minor: self.subtotal_minor,
            tax_minor: self.tax_minor,
            commission_minor: 0,
        };
        let already = u32::try_from(self.refunded_quantity).unwrap_or(0);
        Returned { line, quantity: units, already_refunded: already }.to_buyer_minor()
    }
}

/// An order's open lines (`$1` the order), in the order they were bought.
pub(crate) const OPEN_LINES_SQL: &str = "SELECT id, vendor_id, sku, product_name, quantity, refunded_quantity, \
     subtotal_minor, tax_minor FROM order_items WHERE order_id = $1 AND deleted_at IS NULL AND status <> 'cancelled' \
     ORDER BY created_at, id";

/// Whether a dispute with this vendor and line covers `l`.
pub(crate) fn covers(vendor: Option<Uuid>, item: Option<Uuid>, l: &ScopeLine) -> bool {
    vendor.is_none_or(|v| l.vendor_id == v) && item.is_none_or(|i| l.id == i)
}

/// The lines of `order` a dispute with this vendor and line covers.
pub async fn scope_lines(
    tx: &mut WriteTx<'_>,
    order: Uuid,
    vendor: Option<Uuid>,
    item: Option<Uuid>,
) -> Result<Vec<ScopeLine>, StoreError> {
    let lines: Vec<ScopeLine> = with_tx!(tx, |c| sqlx::query_as(OPEN_LINES_SQL).bind(order).fetch_all(&mut *c).await)?;
    Ok(lines.into_iter().filter(|l| covers(vendor, item, l)).collect())
}

/// A refund an outcome plans: the units of each line and what they return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPlan {
    /// Units per line.
    pub lines: Vec<RefundLine>,
    /// What they return to the buyer, minor units.
    pub amount_minor: i64,
}

/// Plans a refund of everything left in `scope` (`asked` empty) or of the
/// units asked for, each of a line in scope and within what is left.
pub fn plan_refund(scope: &[ScopeLine], asked: &[RefundLine], full: bool) -> Result<RefundPlan, StoreError> {
    let mut lines = Vec::new();
    let mut amount = 0;
    if full {
        for l in scope.iter().filter(|l| l.left() > 0) {
            lines.push(RefundLine { order_item_id: l.id, quantity: l.left() });
            amount += l.refund_minor(l.left());
        }
    } else {
        for a in asked {
            let Some(l) = scope.iter().find(|l| l.id == a.order_item_id) else {
                return Err(StoreError::Validation("a line to refund is not one this dispute is about".into()));
            };
            if lines.iter().any(|x: &RefundLine| x.order_item_id == a.order_item_id) {
                return Err(StoreError::Validation(format!("{} is named twice", l.sku)));
            }
            if a.quantity == 0 || a.quantity > l.left() {
                return Err(StoreError::Validation(format!(
                    "{} has {} unit(s) left to refund, not {}",
                    l.sku,
                    l.left(),
                    a.quantity
                )));
            }
            lines.push(*a);
            amount += l.refund_minor(a.quantity);
        }
    }
    if lines.is_empty() {
        return Err(StoreError::Validation(if full {
            "nothing is left to refund on these lines".into()
        } else {
            "choose the lines and units to refund".into()
        }));
    }
    Ok(RefundPlan { lines, amount_minor: amount })
}
