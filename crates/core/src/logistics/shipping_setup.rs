//! Shipping setup an admin manages: zones (where), methods (what is offered)
//! and each method's rate table per zone and currency (what it costs). Every
//! rule is checked here before a row is written; the database's grants let
//! only admins write.

use super::error::ShippingError;
use crate::domain::Currency;
use crate::domain::shipping_rates::{RateTable, ZoneArea};
use crate::store::shipping_zones::{MethodRate, MethodSpec, ShippingMethod, ShippingZone};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Everything shipping setup holds, for one screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShippingSetup {
    /// Zones in the order they are tried.
    pub zones: Vec<ShippingZone>,
    /// Methods, active first.
    pub methods: Vec<ShippingMethod>,
    /// Every method's tables.
    pub rates: Vec<MethodRate>,
}

/// A zone as an admin writes it: areas one per entry (`*`, `FR`, `US/CA`,
/// `FR:75*`, `US/CA:94000..94999`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ZoneSpec {
    /// Its name.
    pub name: String,
    /// Zones are tried from the lowest position up.
    pub position: i32,
    /// Its areas, as text.
    pub areas: Vec<String>,
}

fn invalid(words: impl Into<String>) -> ShippingError {
    StoreError::Validation(words.into()).into()
}

/// Zones, methods and tables together.
pub async fn shipping_setup(store: &Store) -> Result<ShippingSetup, ShippingError> {
    Ok(ShippingSetup {
        zones: store.shipping_zones().await?,
        methods: store.shipping_methods().await?,
        rates: store.shipping_rates().await?,
    })
}

/// Checks `spec` and reads its areas (blank entries are skipped, repeats kept once).
pub fn read_zone(spec: &ZoneSpec) -> Result<(String, Vec<ZoneArea>), ShippingError> {
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(invalid("a zone needs a name of 1 to 80 characters"));
    }
    if !(0..=100_000).contains(&spec.position) {
        return Err(invalid("a zone's position is between 0 and 100000"));
    }
    let mut areas: Vec<ZoneArea> = Vec::new();
    for (i, text) in spec.areas.iter().enumerate().filter(|(_, t)| !t.trim().is_empty()) {
        let area = ZoneArea::parse(text).map_err(|e| invalid(format!("area {}: {e}", i + 1)))?;
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    if areas.is_empty() {
        return Err(invalid(
            "a zone needs at least one area: a country (FR), a region (US/CA), postcodes (FR:75*) or * for everywhere",
        ));
    }
    Ok((name.to_owned(), areas))
}

/// Creates a zone, or changes the one at `id` and `version`.
pub async fn save_zone(store: &Store, id: Option<(Uuid, i64)>, spec: &ZoneSpec) -> Result<Uuid, ShippingError> {
    let (name, areas) = read_zone(spec)?;
    Ok(store.write_zone(id, &name, spec.position, &areas).await?)
}

/// Retires a zone and the tables priced in it.
pub async fn retire_zone(store: &Store, id: Uuid) -> Result<(), ShippingError> {
    Ok(store.retire_zone(id).await?)
}

/// Checks a method as written, trimmed.
pub fn read_method(spec: &MethodSpec) -> Result<MethodSpec, ShippingError> {
    let code = spec.code.trim();
    if code.len() < 2
        || code.len() > 40
        || !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(invalid("a method's code is 2 to 40 of a-z, 0-9 and _ (ups_ground)"));
    }
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(invalid("a method needs a name of 1 to 80 characters"));
    }
    let service = spec.service_code.trim();
    if service.is_empty() || service.len() > 40 {
        return Err(invalid(
            "a method needs the carrier's service code (1 to 40 characters: 03, FEDEX_GROUND, SAME_DAY)",
        ));
    }
    if !(0..=90).contains(&spec.min_days) || !(spec.min_days..=90).contains(&spec.max_days) {
        return Err(invalid("days in transit: at least 0, at most 90, and the most not below the fewest"));
    }
    Ok(MethodSpec { code: code.to_owned(), name: name.to_owned(), service_code: service.to_owned(), ..spec.clone() })
}

/// Creates a method, or changes the one at `id` and `version`.
pub async fn save_method(store: &Store, id: Option<(Uuid, i64)>, spec: &MethodSpec) -> Result<Uuid, ShippingError> {
    let spec = read_method(spec)?;
    Ok(store.write_method(id, &spec).await?)
}

/// Sets `method`'s table in `zone` for `currency`; none stops offering the
/// method there.
pub async fn set_rate_table(
    store: &Store,
    method: Uuid,
    zone: Uuid,
    currency: &str,
    table: Option<&RateTable>,
) -> Result<(), ShippingError> {
    let currency: Currency =
        currency.trim().parse().map_err(|_| invalid(format!("{currency:?} is not a currency code (EUR, USD …)")))?;
    if let Some(table) = table {
        table.check().map_err(|e| invalid(e.0))?;
    }
    if !store.shipping_methods().await?.iter().any(|m| m.id == method) {
        return Err(StoreError::NotFound { entity: "shipping method", id: method.to_string() }.into());
    }
    if !store.shipping_zones().await?.iter().any(|z| z.id == zone) {
        return Err(StoreError::NotFound { entity: "shipping zone", id: zone.to_string() }.into());
    }
    Ok(store.write_rate_table(method, zone, currency.as_str(), table).await?)
}
