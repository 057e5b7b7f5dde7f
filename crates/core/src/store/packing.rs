//! `package_presets` and the rows packing reads and writes: an order's lines
//! with what is left to pack of each, and the parcels (`shipments` with their
//! `shipment_items`) a packing creates. What may be packed is decided in
//! `logistics::packing`.

use super::sql::Sql;
use super::versioned::update_versioned;
use super::write_tx::{WriteTx, with_tx};
use super::{Store, StoreError, with_pool};
use crate::domain::{Carrier, Currency, OrderStatus, Timestamp, new_id};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A box the warehouse packs into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackagePreset {
    /// Row id.
    pub id: Uuid,
    /// What the bench calls it ("Small box", "Mailer bag").
    pub name: String,
    /// Inside length, millimetres.
    pub length_mm: i32,
    /// Inside width, millimetres.
    pub width_mm: i32,
    /// Inside height, millimetres.
    pub height_mm: i32,
    /// The empty box's weight, grams.
    pub tare_grams: i32,
    /// The most it may carry, box included, grams (`None`: no limit).
    pub max_weight_grams: Option<i32>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A box as people describe it, before it is checked and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PresetSpec {
    /// Its name.
    pub name: String,
    /// Inside length, millimetres.
    pub length_mm: i32,
    /// Inside width, millimetres.
    pub width_mm: i32,
    /// Inside height, millimetres.
    pub height_mm: i32,
    /// The empty box's weight, grams.
    pub tare_grams: i32,
    /// The most it may carry, grams.
    pub max_weight_grams: Option<i32>,
}

/// One order line as packing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PackLine {
    /// The order line.
    pub order_item_id: Uuid,
    /// Whose item it is.
    pub vendor_id: Uuid,
    /// The vendor's name (empty when the reader may not see it).
    pub vendor_name: String,
    /// SKU.
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Units ordered.
    pub quantity: i32,
    /// Units refunded (never packed).
    pub refunded_quantity: i32,
    /// Units already in a parcel that is not cancelled.
    pub packed: i32,
    /// One unit's weight, grams.
    pub unit_weight_grams: i32,
    /// Units still to pack: ordered, less refunded, less packed.
    #[sqlx(default)]
    pub left: i32,
}

/// Fills in what is left of each line.
fn with_left(mut lines: Vec<PackLine>) -> Vec<PackLine> {
    for l in &mut lines {
        l.left = (l.quantity - l.refunded_quantity - l.packed).max(0);
    }
    lines
}

/// What packing needs to know of the order itself.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderToPack {
    /// The order.
    pub id: Uuid,
    /// Its number.
    pub number: String,
    /// Its status.
    pub status: OrderStatus,
    /// Its version.
    pub version: i64,
    /// Its currency.
    pub currency: Currency,
    /// Where it goes.
    pub shipping_address_id: Option<Uuid>,
    /// The chosen method's carrier, if the order has a method.
    pub carrier: Option<Carrier>,
    /// The chosen method's service code.
    pub service_code: Option<String>,
    /// The chosen method.
    pub shipping_method_id: Option<Uuid>,
}

/// A parcel to write: one vendor's units, in one box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParcel {
    /// Whose items.
    pub vendor_id: Uuid,
    /// The box, with its size.
    pub preset: Option<PackagePreset>,
    /// Items and weight, box included.
    pub weight_grams: i32,
    /// Order lines and units.
    pub items: Vec<(Uuid, i32)>,
}

const PRESET_COLUMNS: &str = "id, name, length_mm, width_mm, height_mm, tare_grams, max_weight_grams, version";

const LINES: &str = "SELECT i.id AS order_item_id, i.vendor_id, \
     coalesce((SELECT u.display_name FROM users u WHERE u.id = i.vendor_id), '') AS vendor_name, \
     i.sku, i.product_name, i.quantity, i.refunded_quantity, \
     CAST(coalesce((SELECT sum(si.quantity) FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id \
        WHERE si.order_item_id = i.id AND si.deleted_at IS NULL AND s.deleted_at IS NULL AND s.status <> 'cancelled'), 0) AS INTEGER) AS packed, \
     coalesce((SELECT v.weight_grams FROM product_variants v WHERE v.id = i.variant_id), 0) AS unit_weight_grams \
     FROM order_items i WHERE i.order_id = $1 AND i.deleted_at IS NULL ORDER BY i.created_at, i.id";

const ORDER: &str = "SELECT o.id, o.number, o.status, o.version, o.currency, o.shipping_address_id, \
     m.carrier, m.service_code, o.shipping_method_id \
     FROM orders o LEFT JOIN shipping_methods m ON m.id = o.shipping_method_id \
     WHERE o.id = $1 AND o.deleted_at IS NULL";

impl Store {
    /// The boxes not retired, by name.
    pub async fn package_presets(&self) -> Result<Vec<PackagePreset>, StoreError> {
        let sql =
            format!("SELECT {PRESET_COLUMNS} FROM package_presets WHERE deleted_at IS NULL ORDER BY lower(name), id");
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
    }

    /// Stores a new box (checked by the caller); returns it.
    pub async fn insert_package_preset(&self, spec: &PresetSpec) -> Result<PackagePreset, StoreError> {
        let id = new_id();
        let now = Timestamp::now();
        with_pool!(&self.db, |p| sqlx::query(
            "INSERT INTO package_presets (id, name, length_mm, width_mm, height_mm, tare_grams, max_weight_grams, \
             version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)"
        )
        .bind(id)
        .bind(spec.name.trim())
        .bind(spec.length_mm)
        .bind(spec.width_mm)
        .bind(spec.height_mm)
        .bind(spec.tare_grams)
        .bind(spec.max_weight_grams)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("box", e))?;
        Ok(PackagePreset {
            id,
            name: spec.name.trim().to_owned(),
            length_mm: spec.length_mm,
            width_mm: spec.width_mm,
            height_mm: spec.height_mm,
            tare_grams: spec.tare_grams,
            max_weight_grams: spec.max_weight_grams,
            version: 1,
        })
    }

    /// Retires a box still at `version` (parcels packed in it keep it).
    pub async fn retire_package_preset(&self, id: Uuid, version: i64) -> Result<i64, StoreError> {
        let mut set = Sql::new("deleted_at = ");
        set.bind(super::sql::Param::Time(Timestamp::now()));
        update_versioned(&self.db, "package_presets", "box", id, version, set).await
    }

    /// The lines of order `id` with what is left to pack of each.
    pub async fn pack_lines(&self, id: Uuid) -> Result<Vec<PackLine>, StoreError> {
        Ok(with_left(with_pool!(&self.db, |p| sqlx::query_as(LINES).bind(id).fetch_all(p).await)?))
    }

    /// Order `id` as packing needs it.
    pub async fn order_to_pack(&self, id: Uuid) -> Result<OrderToPack, StoreError> {
        let row: Option<OrderToPack> =
            with_pool!(&self.db, |p| sqlx::query_as(ORDER).bind(id).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound { entity: "order", id: id.to_string() })
    }
}

/// [`Store::order_to_pack`] inside a transaction, the order row locked on
/// PostgreSQL (SQLite's writer holds the whole file) so two benches packing
/// the same order take turns.
pub(crate) async fn lock_order_to_pack(tx: &mut WriteTx<'_>, id: Uuid) -> Result<OrderToPack, StoreError> {
    let row: Option<OrderToPack> = match tx {
        WriteTx::Postgres(t) => {
            let locked = format!("{ORDER} FOR UPDATE OF o");
            sqlx::query_as(&locked).bind(id).fetch_optional(&mut **t).await?
        }
        WriteTx::Sqlite(t) => sqlx::query_as(ORDER).bind(id).fetch_optional(&mut **t).await?,
    };
    row.ok_or(StoreError::NotFound { entity: "order", id: id.to_string() })
}

/// [`Store::pack_lines`] inside a transaction.
pub(crate) async fn pack_lines_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<Vec<PackLine>, StoreError> {
    Ok(with_left(with_tx!(tx, |c| sqlx::query_as(LINES).bind(id).fetch_all(&mut *c).await)?))
}

/// The box `id`, if it is not retired.
pub(crate) async fn preset_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<Option<PackagePreset>, StoreError> {
    let sql = format!("SELECT {PRESET_COLUMNS} FROM package_presets WHERE id = $1 AND deleted_at IS NULL");
    Ok(with_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Writes one pending parcel of `order` with its items; returns its id.
pub(crate) async fn insert_parcel(
    tx: &mut WriteTx<'_>,
    order: &OrderToPack,
    ship_to: Uuid,
    parcel: &NewParcel,
) -> Result<Uuid, StoreError> {
    let id = new_id();
    let now = Timestamp::now();
    let carrier = order.carrier.unwrap_or(Carrier::Local);
    let service = order.service_code.clone().unwrap_or_else(|| "STANDARD".into());
    let size = parcel.preset.as_ref().map(|b| (b.length_mm, b.width_mm, b.height_mm));
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO shipments (id, order_id, vendor_id, shipping_method_id, carrier, service_code, status, \
         ship_to_address_id, weight_grams, cost_minor, currency, package_preset_id, length_mm, width_mm, height_mm, \
         version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, 0, $9, $10, $11, $12, $13, 1, $14, $14)"
    )
    .bind(id)
    .bind(order.id)
    .bind(parcel.vendor_id)
    .bind(order.shipping_method_id)
    .bind(carrier.as_str())
    .bind(service)
    .bind(ship_to)
    .bind(parcel.weight_grams)
    .bind(order.currency.as_str())
    .bind(parcel.preset.as_ref().map(|b| b.id))
    .bind(size.map(|s| s.0))
    .bind(size.map(|s| s.1))
    .bind(size.map(|s| s.2))
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e| StoreError::from_write("parcel", e))?;
    for (item, quantity) in &parcel.items {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO shipment_items (id, shipment_id, order_item_id, quantity, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $5)"
        )
        .bind(new_id())
        .bind(id)
        .bind(*item)
        .bind(*quantity)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .map_err(|e| StoreError::from_write("parcel", e))?;
    }
    Ok(id)
}
