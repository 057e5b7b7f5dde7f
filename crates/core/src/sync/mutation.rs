//! The writes a person can make offline, as intents: what they do, on which
//! row, and the version of it they read. The same [`apply_in`] runs a
//! mutation online, queued on the local copy, and replayed on the server, so
//! the server's rules (row-level security, CHECKs, the state machines) decide
//! again at replay.

use crate::domain::{OrderStatus, ShipmentStatus};
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One offline-capable write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mutation {
    /// Moves an order along its lifecycle.
    OrderStatus {
        /// The order.
        order: Uuid,
        /// The order's version the change was based on.
        version: i64,
        /// Its new status.
        to: OrderStatus,
    },
    /// Moves a shipment along its lifecycle by hand.
    ShipmentStatus {
        /// The shipment.
        shipment: Uuid,
        /// The shipment's version the change was based on.
        version: i64,
        /// Its new status.
        to: ShipmentStatus,
    },
    /// Changes a variant's stock on hand by a number of units (commutes with
    /// other changes, so it names no version).
    StockAdjustment {
        /// The variant.
        variant: Uuid,
        /// Units added (negative: taken away).
        delta: i32,
    },
    /// Approves or rejects a product pending review.
    ProductReview {
        /// The product.
        product: Uuid,
        /// The product's version the review was based on.
        version: i64,
        /// Approve (else reject).
        approve: bool,
        /// Why it was rejected.
        reason: Option<String>,
    },
}

/// What a mutation left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The row's new version.
    Version(i64),
    /// The variant's new stock on hand.
    Stock(i32),
}

impl Mutation {
    /// The stored name of the mutation's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Mutation::OrderStatus { .. } => "order_status",
            Mutation::ShipmentStatus { .. } => "shipment_status",
            Mutation::StockAdjustment { .. } => "stock_adjustment",
            Mutation::ProductReview { .. } => "product_review",
        }
    }

    /// The row it changes: its table and id.
    pub fn target(&self) -> (&'static str, Uuid) {
        match self {
            Mutation::OrderStatus { order, .. } => ("orders", *order),
            Mutation::ShipmentStatus { shipment, .. } => ("shipments", *shipment),
            Mutation::StockAdjustment { variant, .. } => ("product_variants", *variant),
            Mutation::ProductReview { product, .. } => ("products", *product),
        }
    }

    /// The version of the row it was based on, when it names one.
    pub fn based_on(&self) -> Option<i64> {
        match self {
            Mutation::OrderStatus { version, .. }
            | Mutation::ShipmentStatus { version, .. }
            | Mutation::ProductReview { version, .. } => Some(*version),
            Mutation::StockAdjustment { .. } => None,
        }
    }

    /// The same change based on `version` instead (a person keeping their
    /// change over a newer row).
    pub fn rebased(&self, version: i64) -> Mutation {
        let mut m = self.clone();
        match &mut m {
            Mutation::OrderStatus { version: v, .. }
            | Mutation::ShipmentStatus { version: v, .. }
            | Mutation::ProductReview { version: v, .. } => *v = version,
            Mutation::StockAdjustment { .. } => {}
        }
        m
    }

    /// The change in words for the pending list.
    pub fn summary(&self) -> String {
        match self {
            Mutation::OrderStatus { to, .. } => format!("Order marked {}", to.as_str().replace('_', " ")),
            Mutation::ShipmentStatus { to, .. } => format!("Shipment marked {}", to.as_str().replace('_', " ")),
            Mutation::StockAdjustment { delta, .. } => format!("Stock changed by {delta:+}"),
            Mutation::ProductReview { approve: true, .. } => "Product approved".into(),
            Mutation::ProductReview { approve: false, .. } => "Product rejected".into(),
        }
    }
}

/// Applies `m`, made by `actor`, inside `tx` on either engine.
pub async fn apply_in(tx: &mut WriteTx<'_>, actor: Uuid, m: &Mutation) -> Result<Outcome, StoreError> {
    Ok(match m {
        Mutation::OrderStatus { order, version, to } => {
            Outcome::Version(crate::orders::status::set_order_status_in(tx, *order, *version, *to).await?)
        }
        Mutation::ShipmentStatus { shipment, version, to } => {
            Outcome::Version(crate::logistics::shipments::set_shipment_status_in(tx, *shipment, *version, *to).await?)
        }
        Mutation::StockAdjustment { variant, delta } => {
            Outcome::Stock(crate::store::products::adjust_stock_in(tx, *variant, *delta).await?)
        }
        Mutation::ProductReview { product, version, approve, reason } => Outcome::Version(
            crate::catalog::review::review_product_in(tx, *product, *version, *approve, actor, reason.as_deref())
                .await?,
        ),
    })
}

/// Applies `m` on `store` in a transaction of its own (a session working on
/// the server, or on a copy with no server behind it).
pub async fn apply(store: &Store, actor: Uuid, m: &Mutation) -> Result<Outcome, StoreError> {
    let mut tx = store.begin_write_tx().await?;
    let outcome = apply_in(&mut tx, actor, m).await?;
    tx.commit().await?;
    Ok(outcome)
}
