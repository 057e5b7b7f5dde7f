//! Stock changes as people record them — received, returned, counted, found,
//! damaged, lost, corrected — online or replayed from an offline copy, each a
//! movement in the log; a change that takes a variant down to its low-stock
//! threshold tells its vendor, once per crossing. And a variant's history:
//! its movements, newest first, with what each left.

use crate::domain::notifications::NotificationKind;
use crate::domain::stock::StockMovementKind;
use crate::domain::{Role, Timestamp};
use crate::notifications::{Audience, Notice, notify_in};
use crate::orders::view::Reader;
use crate::store::page::{SortKey, SortValue, finish_query, into_page};
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::stock_movements::{NewMovement, StockLevel, record_movement_in};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Page, PageRequest, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A stock change a person records by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StockChange {
    /// The movement's id, made where the change was asked for so a replay
    /// writes the same row.
    pub movement: Uuid,
    /// The variant.
    pub variant: Uuid,
    /// Why the stock changed.
    pub kind: StockMovementKind,
    /// Units added (negative: taken away).
    pub delta: i32,
    /// What the person wrote about it.
    pub note: Option<String>,
}

/// Records `change` by `actor` inside `tx`, telling the vendor when the
/// variant just fell to its low-stock threshold; returns the stock on hand.
pub async fn change_stock_in(tx: &mut WriteTx<'_>, actor: Uuid, change: &StockChange) -> Result<i32, StoreError> {
    let note = change.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    change.kind.check_by_hand(change.delta, note).map_err(|e| StoreError::Validation(e.to_string()))?;
    let movement = NewMovement {
        note: note.map(str::to_owned),
        actor: Some(actor),
        ..NewMovement::on_hand(change.movement, change.variant, change.kind, change.delta)
    };
    let after = record_movement_in(tx, &movement).await?;
    let before = StockLevel { on_hand: after.on_hand - change.delta, ..after };
    if after.is_low() && !before.is_low() {
        let sql = "SELECT p.vendor_id, p.id, p.name, v.sku FROM product_variants v \
                   JOIN products p ON p.id = v.product_id WHERE v.id = $1";
        let (vendor, product, name, sku): (Uuid, Uuid, String, String) =
            with_tx!(tx, |c| sqlx::query_as(sql).bind(change.variant).fetch_one(&mut *c).await)?;
        let notice =
            Notice::new(NotificationKind::LowStock, Audience::Person(vendor), format!("Low stock: {name} ({sku})"))
                .body(format!("{} left to sell; you asked to hear at {}.", after.free(), after.low_threshold))
                .about("products", product);
        notify_in(tx, None, &notice).await?;
    }
    Ok(after.on_hand)
}

/// One movement of a variant's stock as its history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StockMovement {
    /// Row id.
    pub id: Uuid,
    /// Why the stock moved.
    pub kind: StockMovementKind,
    /// Units added to (negative: taken from) the shelf.
    pub on_hand_delta: i32,
    /// Units added to (negative: released from) what orders hold.
    pub reserved_delta: i32,
    /// Units on the shelf after it.
    pub on_hand_after: Option<i32>,
    /// Units held for orders after it.
    pub reserved_after: Option<i32>,
    /// What the person wrote.
    pub note: Option<String>,
    /// The order behind it.
    pub order_id: Option<Uuid>,
    /// That order's number, when the reader may see it.
    pub order_number: Option<String>,
    /// Who made it, when the reader may see them.
    pub actor_name: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// How a variant's history is sorted (by time; newest first by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StockHistorySort {
    /// By when the movement was made.
    #[default]
    CreatedAt,
}

impl SortKey for StockHistorySort {
    fn name(&self) -> &'static str {
        "created_at"
    }
    fn column(&self) -> &'static str {
        "m.created_at"
    }
}

/// The vendor selling `variant`.
pub async fn variant_vendor(store: &Store, variant: Uuid) -> Result<Uuid, StoreError> {
    let owner: Option<Uuid> = with_pool!(&store.db, |p| sqlx::query_scalar(
        "SELECT p.vendor_id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1"
    )
    .bind(variant)
    .fetch_optional(p)
    .await)?;
    owner.ok_or_else(|| StoreError::NotFound { entity: "product variant", id: variant.to_string() })
}

/// A page of `variant`'s movements, optionally of one kind. Vendors read
/// their own variants' only; customers none.
pub async fn stock_history(
    store: &Store,
    reader: Reader,
    variant: Uuid,
    kind: Option<StockMovementKind>,
    page: &PageRequest<StockHistorySort>,
) -> Result<Page<StockMovement>, StoreError> {
    let owner = variant_vendor(store, variant).await?;
    match reader.role {
        Role::Customer => {
            return Err(StoreError::AccessDenied("customers do not read stock movements".into()));
        }
        Role::Vendor if owner != reader.id => {
            return Err(StoreError::NotFound { entity: "product variant", id: variant.to_string() });
        }
        _ => {}
    }
    let mut sql = Sql::new(
        "SELECT m.id, m.kind, m.on_hand_delta, m.reserved_delta, m.on_hand_after, m.reserved_after, m.note, m.order_id, \
         o.number AS order_number, u.display_name AS actor_name, m.created_at \
         FROM stock_movements m LEFT JOIN orders o ON o.id = m.order_id LEFT JOIN users u ON u.id = m.actor_id \
         WHERE m.deleted_at IS NULL AND m.variant_id = ",
    );
    sql.bind(Param::Uuid(variant));
    if let Some(kind) = kind {
        sql.push(" AND m.kind = ").bind(Param::Text(kind.as_str().into()));
    }
    finish_query(&mut sql, page, "m.id")?;
    let rows: Vec<StockMovement> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
    Ok(into_page(rows, page, |m: &StockMovement| (SortValue::from(m.created_at), m.id)))
}
