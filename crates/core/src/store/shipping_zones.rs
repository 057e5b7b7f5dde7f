//! `shipping_zones`, `shipping_zone_areas`, `shipping_methods` and
//! `shipping_rates`: the rows of shipping setup. A zone's areas and a
//! method's rate table are each replaced whole, old rows retired in the same
//! transaction as the new ones are written; what is allowed is decided in
//! `logistics::shipping_setup`.

use super::BeginWrite;
use super::{Store, StoreError, with_pool};
use crate::domain::shipping_rates::{RatePlan, RateTable, WeightBand, ZoneArea};
use crate::domain::{Carrier, Timestamp, new_id};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A shipping zone with its areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShippingZone {
    /// Row id.
    pub id: Uuid,
    /// What admins call it ("EU", "Central Paris").
    pub name: String,
    /// Zones are tried from the lowest position up.
    pub position: i32,
    /// Where it applies.
    pub areas: Vec<ZoneArea>,
    /// The areas as people write them (`*`, `FR`, `US/CA:94000..94999`).
    pub area_texts: Vec<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A shipping method (a service people choose: "UPS Ground", "City courier").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShippingMethod {
    /// Row id.
    pub id: Uuid,
    /// Short unique code (`ups_ground`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Who carries it.
    pub carrier: Carrier,
    /// The carrier's service code (`03`, `FEDEX_GROUND`, `SAME_DAY`).
    pub service_code: String,
    /// Fewest days in transit.
    pub min_days: i32,
    /// Most days in transit.
    pub max_days: i32,
    /// Whether it is offered.
    pub is_active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A method as an admin describes it, before it is checked and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MethodSpec {
    /// Short unique code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Who carries it.
    pub carrier: Carrier,
    /// The carrier's service code.
    pub service_code: String,
    /// Fewest days in transit.
    pub min_days: i32,
    /// Most days in transit.
    pub max_days: i32,
    /// Whether it is offered.
    pub is_active: bool,
}

/// One method's rate table in one zone and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MethodRate {
    /// The method.
    pub method_id: Uuid,
    /// The zone.
    pub zone_id: Uuid,
    /// The table's currency.
    pub currency: String,
    /// The table.
    pub table: RateTable,
}

#[derive(sqlx::FromRow)]
struct RateRow {
    method_id: Uuid,
    zone_id: Uuid,
    currency: String,
    basis: String,
    up_to_grams: Option<i32>,
    amount_minor: i64,
    per_kg_minor: i64,
    free_over_minor: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ZoneRow {
    id: Uuid,
    name: String,
    position: i32,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    zone_id: Uuid,
    country: Option<String>,
    region: Option<String>,
    postcode_pattern: Option<String>,
}

/// Folds rate rows (ordered by method, zone, currency, band) into tables.
fn fold_rates(rows: Vec<RateRow>) -> Vec<MethodRate> {
    let mut out: Vec<MethodRate> = Vec::new();
    for r in rows {
        let same = out.last().is_some_and(|m: &MethodRate| {
            m.method_id == r.method_id && m.zone_id == r.zone_id && m.currency == r.currency
        });
        if same
            && r.basis == "weight_band"
            && let Some(MethodRate { table: RateTable { plan: RatePlan::WeightBands { bands }, .. }, .. }) =
                out.last_mut()
        {
            bands.push(WeightBand { up_to_grams: r.up_to_grams, amount_minor: r.amount_minor });
            continue;
        }
        let plan = match r.basis.as_str() {
            "flat" => RatePlan::Flat { amount_minor: r.amount_minor },
            "per_kg" => RatePlan::PerKg { base_minor: r.amount_minor, per_kg_minor: r.per_kg_minor },
            _ => RatePlan::WeightBands {
                bands: vec![WeightBand { up_to_grams: r.up_to_grams, amount_minor: r.amount_minor }],
            },
        };
        out.push(MethodRate {
            method_id: r.method_id,
            zone_id: r.zone_id,
            currency: r.currency,
            table: RateTable { plan, free_over_minor: r.free_over_minor },
        });
    }
    out
}

/// The rows a table is stored as: (basis, up_to_grams, amount, per_kg).
fn table_rows(table: &RateTable) -> Vec<(&'static str, Option<i32>, i64, i64)> {
    match &table.plan {
        RatePlan::Flat { amount_minor } => vec![("flat", None, *amount_minor, 0)],
        RatePlan::PerKg { base_minor, per_kg_minor } => vec![("per_kg", None, *base_minor, *per_kg_minor)],
        RatePlan::WeightBands { bands } => {
            bands.iter().map(|b| ("weight_band", b.up_to_grams, b.amount_minor, 0)).collect()
        }
    }
}

const METHOD_COLUMNS: &str = "id, code, name, carrier, service_code, min_days, max_days, is_active, version";
const RATE_COLUMNS: &str =
    "method_id, zone_id, currency, basis, up_to_grams, amount_minor, per_kg_minor, free_over_minor FROM shipping_rates";

impl Store {
    /// Every live zone with its areas, in the order they are tried.
    pub async fn shipping_zones(&self) -> Result<Vec<ShippingZone>, StoreError> {
        let zones: Vec<ZoneRow> = with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT id, name, position, version FROM shipping_zones WHERE deleted_at IS NULL \
                 ORDER BY position, lower(name), id",
            )
            .fetch_all(p)
            .await
        })?;
        let areas: Vec<AreaRow> = with_pool!(&self.db, |p| {
            sqlx::query_as(
                "SELECT a.zone_id, a.country, a.region, a.postcode_pattern FROM shipping_zone_areas a \
                 JOIN shipping_zones z ON z.id = a.zone_id AND z.deleted_at IS NULL \
                 WHERE a.deleted_at IS NULL ORDER BY a.zone_id, a.country, a.region, a.postcode_pattern",
            )
            .fetch_all(p)
            .await
        })?;
        Ok(zones
            .into_iter()
            .map(|z| {
                let own: Vec<ZoneArea> = areas
                    .iter()
                    .filter(|a| a.zone_id == z.id)
                    .map(|a| ZoneArea {
                        country: a.country.clone(),
                        region: a.region.clone(),
                        postcode_pattern: a.postcode_pattern.clone(),
                    })
                    .collect();
                ShippingZone {
                    area_texts: own.iter().map(ToString::to_string).collect(),
                    areas: own,
                    id: z.id,
                    name: z.name,
                    position: z.position,
                    version: z.version,
                }
            })
            .collect())
    }

    /// Creates a zone (`id` none) or renames, moves and re-draws one at
    /// `version`; its areas are replaced by `areas` in the same transaction.
    pub(crate) async fn write_zone(
        &self,
        id: Option<(Uuid, i64)>,
        name: &str,
        position: i32,
        areas: &[ZoneArea],
    ) -> Result<Uuid, StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let zone = match id {
                None => {
                    let zone = new_id();
                    sqlx::query(
                        "INSERT INTO shipping_zones (id, name, position, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, 1, $4, $4)",
                    )
                    .bind(zone)
                    .bind(name)
                    .bind(position)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("shipping zone", e))?;
                    zone
                }
                Some((zone, version)) => {
                    let changed = sqlx::query(
                        "UPDATE shipping_zones SET name = $3, position = $4, version = version + 1, updated_at = $5 \
                         WHERE id = $1 AND version = $2 AND deleted_at IS NULL",
                    )
                    .bind(zone)
                    .bind(version)
                    .bind(name)
                    .bind(position)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("shipping zone", e))?
                    .rows_affected();
                    if changed == 0 {
                        let actual: Option<i64> = sqlx::query_scalar(
                            "SELECT version FROM shipping_zones WHERE id = $1 AND deleted_at IS NULL",
                        )
                        .bind(zone)
                        .fetch_optional(&mut *tx)
                        .await?;
                        return Err(match actual {
                            Some(actual) => StoreError::VersionConflict {
                                entity: "shipping zone",
                                id: zone.to_string(),
                                expected: version,
                                actual,
                            },
                            None => StoreError::NotFound { entity: "shipping zone", id: zone.to_string() },
                        });
                    }
                    sqlx::query(
                        "UPDATE shipping_zone_areas SET deleted_at = $2, version = version + 1, updated_at = $2 \
                         WHERE zone_id = $1 AND deleted_at IS NULL",
                    )
                    .bind(zone)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    zone
                }
            };
            for area in areas {
                sqlx::query(
                    "INSERT INTO shipping_zone_areas (id, zone_id, country, region, postcode_pattern, version, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                )
                .bind(new_id())
                .bind(zone)
                .bind(&area.country)
                .bind(&area.region)
                .bind(&area.postcode_pattern)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write("shipping zone area", e))?;
            }
            tx.commit().await?;
            Ok(zone)
        })
    }

    /// Retires a zone with its areas and every rate table in it, together.
    pub(crate) async fn retire_zone(&self, zone: Uuid) -> Result<(), StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            let retired = sqlx::query(
                "UPDATE shipping_zones SET deleted_at = $2, version = version + 1, updated_at = $2 \
                 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(zone)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if retired == 0 {
                return Err(StoreError::NotFound { entity: "shipping zone", id: zone.to_string() });
            }
            for table in ["shipping_zone_areas", "shipping_rates"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET deleted_at = $2, version = version + 1, updated_at = $2 \
                     WHERE zone_id = $1 AND deleted_at IS NULL"
                ))
                .bind(zone)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every live method, active first, by name.
    pub async fn shipping_methods(&self) -> Result<Vec<ShippingMethod>, StoreError> {
        let sql = format!(
            "SELECT {METHOD_COLUMNS} FROM shipping_methods WHERE deleted_at IS NULL \
             ORDER BY is_active DESC, lower(name), id"
        );
        Ok(with_pool!(&self.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?)
    }

    /// Creates a method (`id` none) or changes one at `version`. The method's
    /// single world price of old (`base_rate_minor`, `currency`) is left at
    /// nothing (`0 XXX`, ISO 4217's "no currency"): prices live in rate tables.
    pub(crate) async fn write_method(&self, id: Option<(Uuid, i64)>, spec: &MethodSpec) -> Result<Uuid, StoreError> {
        let now = Timestamp::now();
        match id {
            None => {
                let method = new_id();
                let sql = "INSERT INTO shipping_methods (id, code, name, carrier, service_code, base_rate_minor, \
                           currency, per_kg_rate_minor, min_days, max_days, is_active, version, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, $5, 0, 'XXX', 0, $6, $7, $8, 1, $9, $9)";
                with_pool!(&self.db, |p| {
                    sqlx::query(sql)
                        .bind(method)
                        .bind(&spec.code)
                        .bind(&spec.name)
                        .bind(spec.carrier)
                        .bind(&spec.service_code)
                        .bind(spec.min_days)
                        .bind(spec.max_days)
                        .bind(spec.is_active)
                        .bind(now)
                        .execute(p)
                        .await
                        .map(|r| r.rows_affected())
                })
                .map_err(|e| StoreError::from_write("shipping method", e))?;
                Ok(method)
            }
            Some((method, version)) => {
                let sql = "UPDATE shipping_methods SET code = $3, name = $4, carrier = $5, service_code = $6, \
                           min_days = $7, max_days = $8, is_active = $9, version = version + 1, updated_at = $10 \
                           WHERE id = $1 AND version = $2 AND deleted_at IS NULL";
                let n = with_pool!(&self.db, |p| {
                    sqlx::query(sql)
                        .bind(method)
                        .bind(version)
                        .bind(&spec.code)
                        .bind(&spec.name)
                        .bind(spec.carrier)
                        .bind(&spec.service_code)
                        .bind(spec.min_days)
                        .bind(spec.max_days)
                        .bind(spec.is_active)
                        .bind(now)
                        .execute(p)
                        .await
                        .map(|r| r.rows_affected())
                })
                .map_err(|e| StoreError::from_write("shipping method", e))?;
                if n == 0 {
                    let actual: Option<i64> = with_pool!(&self.db, |p| {
                        sqlx::query_scalar("SELECT version FROM shipping_methods WHERE id = $1 AND deleted_at IS NULL")
                            .bind(method)
                            .fetch_optional(p)
                            .await
                    })?;
                    return Err(match actual {
                        Some(actual) => StoreError::VersionConflict {
                            entity: "shipping method",
                            id: method.to_string(),
                            expected: version,
                            actual,
                        },
                        None => StoreError::NotFound { entity: "shipping method", id: method.to_string() },
                    });
                }
                Ok(method)
            }
        }
    }

    /// Every live rate table, by method, zone and currency (bands lightest first).
    pub async fn shipping_rates(&self) -> Result<Vec<MethodRate>, StoreError> {
        let sql = format!(
            "SELECT {RATE_COLUMNS} WHERE deleted_at IS NULL \
             ORDER BY method_id, zone_id, currency, coalesce(up_to_grams, 2147483647)"
        );
        let rows: Vec<RateRow> = with_pool!(&self.db, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(fold_rates(rows))
    }

    /// The live rate tables of `zone` in `currency`, for active methods only.
    pub(crate) async fn zone_rates(&self, zone: Uuid, currency: &str) -> Result<Vec<MethodRate>, StoreError> {
        let sql = "SELECT r.method_id, r.zone_id, r.currency, r.basis, r.up_to_grams, r.amount_minor, \
             r.per_kg_minor, r.free_over_minor FROM shipping_rates r JOIN shipping_methods m ON m.id = r.method_id \
             WHERE r.zone_id = $1 AND r.currency = $2 AND r.deleted_at IS NULL AND m.deleted_at IS NULL \
             AND m.is_active ORDER BY r.method_id, r.zone_id, r.currency, coalesce(r.up_to_grams, 2147483647)";
        let rows: Vec<RateRow> =
            with_pool!(&self.db, |p| sqlx::query_as(sql).bind(zone).bind(currency).fetch_all(p).await)?;
        Ok(fold_rates(rows))
    }

    /// Replaces `method`'s table in `zone` and `currency` with `table` (none:
    /// the method is no longer offered there), in one transaction.
    pub(crate) async fn write_rate_table(
        &self,
        method: Uuid,
        zone: Uuid,
        currency: &str,
        table: Option<&RateTable>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        with_pool!(&self.db, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "UPDATE shipping_rates SET deleted_at = $4, version = version + 1, updated_at = $4 \
                 WHERE method_id = $1 AND zone_id = $2 AND currency = $3 AND deleted_at IS NULL",
            )
            .bind(method)
            .bind(zone)
            .bind(currency)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some(table) = table {
                for (basis, up_to, amount, per_kg) in table_rows(table) {
                    sqlx::query(
                        "INSERT INTO shipping_rates (id, method_id, zone_id, currency, basis, up_to_grams, \
                         amount_minor, per_kg_minor, free_over_minor, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
                    )
                    .bind(new_id())
                    .bind(method)
                    .bind(zone)
                    .bind(currency)
                    .bind(basis)
                    .bind(up_to)
                    .bind(amount)
                    .bind(per_kg)
                    .bind(table.free_over_minor)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write("shipping rate", e))?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
