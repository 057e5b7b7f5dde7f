//! The stock movement log's one writer: a movement and its variant's running
//! totals change together, in the caller's transaction, on either engine.
//!
//! On PostgreSQL the log's trigger (migration 0031) adds the movement to the
//! variant's totals in the insert's own statement, as logins may no longer
//! write the totals; on SQLite this function does the same in the same
//! transaction. Either way a change that would take the units on hand below
//! zero or below what is held for orders is refused and nothing is written.

use super::StoreError;
use super::write_tx::{WriteTx, with_tx};
use crate::domain::Timestamp;
use crate::domain::stock::StockMovementKind;
use uuid::Uuid;

/// A variant's stock after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLevel {
    /// Units on the shelf.
    pub on_hand: i32,
    /// Units held for orders not yet paid.
    pub reserved: i32,
    /// At or below this many free units the variant runs low.
    pub low_threshold: i32,
}

impl StockLevel {
    /// Units free to sell.
    pub fn free(&self) -> i64 {
        i64::from(self.on_hand) - i64::from(self.reserved)
    }

    /// Whether the variant runs low.
    pub fn is_low(&self) -> bool {
        self.free() <= i64::from(self.low_threshold)
    }
}

/// One movement to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMovement {
    /// The movement's id (carried by an offline change, so its replay writes
    /// the same row).
    pub id: Uuid,
    /// The variant it moves.
    pub variant: Uuid,
    /// Why.
    pub kind: StockMovementKind,
    /// Units added to (negative: taken from) the shelf.
    pub on_hand_delta: i32,
    /// Units added to (negative: released from) what orders hold.
    pub reserved_delta: i32,
    /// What the person wrote about it.
    pub note: Option<String>,
    /// The order behind it.
    pub order: Option<Uuid>,
    /// Who made it (a login's own id is taken by the database on PostgreSQL).
    pub actor: Option<Uuid>,
}

impl NewMovement {
    /// A movement of the units on hand only, by nobody in particular yet.
    pub fn on_hand(id: Uuid, variant: Uuid, kind: StockMovementKind, delta: i32) -> Self {
        Self { id, variant, kind, on_hand_delta: delta, reserved_delta: 0, note: None, order: None, actor: None }
    }

    /// A new variant's opening stock. Its id follows from the variant's, so
    /// a product saved offline and replayed on the server logs the same row.
    pub fn opening(variant: Uuid, units: i32) -> Self {
        Self::on_hand(Uuid::new_v5(&variant, b"opening stock"), variant, StockMovementKind::Opening, units)
    }
}

/// The insert of movement `$m` with the totals it left (`None` on
/// PostgreSQL, where the log's trigger works them out), bound in order.
macro_rules! movement_row {
    ($sql:expr, $m:expr, $was:expr, $on_hand:expr, $reserved:expr, $now:expr) => {
        sqlx::query_as($sql)
            .bind($m.id)
            .bind($m.variant)
            .bind($was.product)
            .bind($was.vendor)
            .bind($m.kind.as_str())
            .bind($m.on_hand_delta)
            .bind($m.reserved_delta)
            .bind($on_hand)
            .bind($reserved)
            .bind($m.note.as_deref())
            .bind($m.order)
            .bind($m.actor)
            .bind($now)
    };
}

/// Stock of one variant before a movement, with what names it in messages.
struct Before {
    product: Uuid,
    vendor: Uuid,
    sku: String,
    level: StockLevel,
}

async fn before(tx: &mut WriteTx<'_>, variant: Uuid) -> Result<Before, StoreError> {
    let row: Option<(Uuid, Uuid, String, i32, i32, i32)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT v.product_id, p.vendor_id, v.sku, v.stock_on_hand, v.stock_reserved, v.low_stock_threshold \
         FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1 AND v.deleted_at IS NULL"
    )
    .bind(variant)
    .fetch_optional(&mut *c)
    .await)?;
    let (product, vendor, sku, on_hand, reserved, low_threshold) =
        row.ok_or_else(|| StoreError::NotFound { entity: "product variant", id: variant.to_string() })?;
    Ok(Before { product, vendor, sku, level: StockLevel { on_hand, reserved, low_threshold } })
}

/// Records `m` inside `tx` and returns the variant's stock after it. Refuses
/// (writing nothing) a change that leaves fewer units on hand than zero or
/// than are held for orders.
pub async fn record_movement_in(tx: &mut WriteTx<'_>, m: &NewMovement) -> Result<StockLevel, StoreError> {
    let was = before(tx, m.variant).await?;
    let on_hand = i64::from(was.level.on_hand) + i64::from(m.on_hand_delta);
    let reserved = i64::from(was.level.reserved) + i64::from(m.reserved_delta);
    if on_hand < 0 || reserved < 0 || on_hand < reserved {
        return Err(StoreError::Validation(format!(
            "not enough stock of {}: {} on hand, {} held for orders; cannot take {} off the shelf{}",
            was.sku,
            was.level.on_hand,
            was.level.reserved,
            -i64::from(m.on_hand_delta).min(0),
            if m.reserved_delta > 0 { format!(" and hold {}", m.reserved_delta) } else { String::new() },
        )));
    }
    let now = Timestamp::now();
    let insert = "INSERT INTO stock_movements (id, variant_id, product_id, vendor_id, kind, on_hand_delta, reserved_delta, \
                  on_hand_after, reserved_after, note, order_id, actor_id, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
                  RETURNING on_hand_after, reserved_after";
    let after: (Option<i32>, Option<i32>) = match tx {
        WriteTx::Postgres(t) => movement_row!(insert, m, was, None::<i32>, None::<i32>, now)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| refused(&was.sku, e))?,
        WriteTx::Sqlite(t) => {
            let totals: Option<(i32, i32)> = sqlx::query_as(
                "UPDATE product_variants SET stock_on_hand = stock_on_hand + $1, stock_reserved = stock_reserved + $2, \
                 version = version + 1, updated_at = $3 \
                 WHERE id = $4 AND deleted_at IS NULL AND stock_on_hand + $1 >= 0 AND stock_reserved + $2 >= 0 \
                 AND stock_on_hand + $1 >= stock_reserved + $2 RETURNING stock_on_hand, stock_reserved",
            )
            .bind(m.on_hand_delta)
            .bind(m.reserved_delta)
            .bind(now)
            .bind(m.variant)
            .fetch_optional(&mut **t)
            .await?;
            let (on_hand, reserved) = totals.ok_or_else(|| not_enough(&was.sku))?;
            movement_row!(insert, m, was, Some(on_hand), Some(reserved), now)
                .fetch_one(&mut **t)
                .await
                .map_err(|e| refused(&was.sku, e))?
        }
    };
    Ok(StockLevel {
        on_hand: after.0.unwrap_or(was.level.on_hand),
        reserved: after.1.unwrap_or(was.level.reserved),
        low_threshold: was.level.low_threshold,
    })
}

fn not_enough(sku: &str) -> StoreError {
    StoreError::Validation(format!("not enough stock of {sku} for that change: another change took it first"))
}

/// The log's refusals in words: a total going below zero (a race the check
/// before lost) or a write the database does not allow this login.
fn refused(sku: &str, e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.code().as_deref() == Some("23514")
        && db.constraint().is_none()
    {
        return not_enough(sku);
    }
    StoreError::from_write("stock movement", e)
}
