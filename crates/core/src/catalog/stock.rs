//! Stock changes as people make them: by a number of units, online or
//! replayed from an offline copy; a change that takes a variant down to its
//! low-stock threshold tells its vendor, once per crossing.

use crate::domain::notifications::NotificationKind;
use crate::notifications::{Audience, Notice, notify_in};
use crate::store::StoreError;
use crate::store::products::{StockLevel, adjust_stock_in};
use crate::store::write_tx::{WriteTx, with_tx};
use uuid::Uuid;

/// Changes `variant`'s stock by `delta` inside `tx`, telling the vendor when
/// it just fell to its low-stock threshold; returns the stock on hand.
pub async fn adjust_stock(tx: &mut WriteTx<'_>, variant: Uuid, delta: i32) -> Result<i32, StoreError> {
    let after = adjust_stock_in(tx, variant, delta).await?;
    let before = StockLevel { on_hand: after.on_hand - delta, ..after };
    if after.is_low() && !before.is_low() {
        let sql = "SELECT p.vendor_id, p.id, p.name, v.sku FROM product_variants v \
                   JOIN products p ON p.id = v.product_id WHERE v.id = $1";
        let (vendor, product, name, sku): (Uuid, Uuid, String, String) =
            with_tx!(tx, |c| sqlx::query_as(sql).bind(variant).fetch_one(&mut *c).await)?;
        let notice =
            Notice::new(NotificationKind::LowStock, Audience::Person(vendor), format!("Low stock: {name} ({sku})"))
                .body(format!("{} left to sell; you asked to hear at {}.", after.free(), after.low_threshold))
                .about("products", product);
        notify_in(tx, None, &notice).await?;
    }
    Ok(after.on_hand)
}
