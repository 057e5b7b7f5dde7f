//! Suspending a vendor and reactivating them. A suspended vendor cannot sign
//! in, their live products are hidden (no new order takes them: the core's
//! `place_order` refuses the line), and their payouts are held — never
//! proposed, and a payout already in an approved batch fails as "held", its
//! amount staying owed. Nothing is lost: reactivation restores all of it.

use super::{admin_only, begin, online, pg};
use crate::domain::Currency;
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::{Store, StoreError};
use serde::Serialize;
use uuid::Uuid;

/// What a suspension does to a vendor, for the confirmation and afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SuspensionImpact {
    /// The vendor.
    pub vendor_id: Uuid,
    /// Their name.
    pub vendor_name: String,
    /// Whether they are suspended now.
    pub suspended: bool,
    /// Their approved products, hidden while suspended.
    pub live_products: i64,
    /// Their payouts in batches not executed yet, which would fail as held.
    pub payouts_waiting: i64,
    /// What the marketplace owes them per currency (held while suspended).
    pub owed: Vec<(Currency, i64)>,
}

/// What suspending `vendor` does (or does, when suspended already).
pub async fn suspension_impact(store: &Store, actor: Reader, vendor: Uuid) -> Result<SuspensionImpact, StoreError> {
    admin_only(actor, "suspend vendors")?;
    let pool = online(store)?;
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT display_name, role, status FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(vendor)
            .fetch_optional(pool)
            .await?;
    let (vendor_name, suspended) = match row {
        Some((name, role, status)) if role == "vendor" => (name, status == "suspended"),
        Some((name, ..)) => return Err(StoreError::Validation(format!("{name} is not a vendor"))),
        None => return Err(StoreError::NotFound { entity: "vendor", id: vendor.to_string() }),
    };
    let live_products: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM products WHERE vendor_id = $1 AND status = 'approved' AND deleted_at IS NULL",
    )
    .bind(vendor)
    .fetch_one(pool)
    .await?;
    let payouts_waiting: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM payouts WHERE vendor_id = $1 AND status IN ('pending', 'approved', 'processing') \
         AND deleted_at IS NULL",
    )
    .bind(vendor)
    .fetch_one(pool)
    .await?;
    let owed = store
        .vendor_balances(None, Some(vendor))
        .await?
        .into_iter()
        .filter(|b| b.owed_minor != 0)
        .map(|b| (b.currency, b.owed_minor))
        .collect();
    Ok(SuspensionImpact { vendor_id: vendor, vendor_name, suspended, live_products, payouts_waiting, owed })
}

/// Suspends `vendor` (`suspend`) or reactivates them, with the reason kept in
/// the audit trail; returns what it does.
pub async fn set_vendor_suspended(
    store: &Store,
    actor: Reader,
    vendor: Uuid,
    suspend: bool,
    reason: &str,
) -> Result<SuspensionImpact, StoreError> {
    let before = suspension_impact(store, actor, vendor).await?;
    let reason = reason.trim();
    if suspend && reason.is_empty() {
        return Err(StoreError::Validation("say why the vendor is suspended".into()));
    }
    if reason.chars().count() > 500 {
        return Err(StoreError::Validation("a reason has at most 500 characters".into()));
    }
    if before.suspended == suspend {
        return Err(StoreError::Validation(format!(
            "{} is {} already",
            before.vendor_name,
            if suspend { "suspended" } else { "active" }
        )));
    }
    let mut tx = begin(store).await?;
    let login: Option<String> =
        sqlx::query_scalar("SELECT db_role FROM users WHERE id = $1").bind(vendor).fetch_one(pg(&mut tx)?).await?;
    // A vendor with a login has it closed (and their sessions ended) by the
    // database; one who never signed in has only their status to change.
    let sql = if login.is_some() {
        "SELECT md_set_user_active($1, $2)"
    } else {
        "UPDATE users SET status = CASE WHEN $2 THEN 'active' ELSE 'suspended' END, version = version + 1, \
         updated_at = now() WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(vendor)
        .bind(!suspend)
        .execute(pg(&mut tx)?)
        .await
        .map_err(|e| StoreError::from_write("vendor", e))?;
    let details = serde_json::json!({
        "reason": reason,
        "live_products": before.live_products,
        "payouts_waiting": before.payouts_waiting,
    });
    let action = if suspend { "vendor.suspended" } else { "vendor.reactivated" };
    audit_row_in(&mut tx, (actor.id, actor.role), action, ("users", vendor), details).await?;
    tx.commit().await?;
    Ok(SuspensionImpact { suspended: suspend, ..before })
}
