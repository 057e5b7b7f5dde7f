//! A customer's address book: addresses added, replaced (an address is never
//! edited in place — orders and shipments point at it — so an edit writes a
//! new row and retires the old one), retired, and one chosen as the default.
//! Every address is checked as a carrier would check it before a label.

use super::{customer_row_in, may_keep};
use crate::domain::{Timestamp, new_id};
use crate::integrations::carriers::Party;
use crate::logistics::addresses::check_party;
use crate::orders::view::Reader;
use crate::store::audit::{NewAuditEntry, record_audit_in};
use crate::store::write_tx::{WriteTx, with_tx};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An address as the address book shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Address {
    /// Row id.
    pub id: Uuid,
    /// The person's own name for it (`Home`, `Office`); may be empty.
    pub label: String,
    /// Who receives parcels there.
    pub recipient_name: String,
    /// Company, if any.
    pub company: Option<String>,
    /// First street line.
    pub line1: String,
    /// Second street line.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// State or province code.
    pub region: Option<String>,
    /// Postcode.
    pub postal_code: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Telephone.
    pub phone: Option<String>,
    /// The person's default address.
    pub is_default: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it was retired (replaced or removed); `None` while in use.
    pub retired_at: Option<Timestamp>,
}

/// An address as a person types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddressInput {
    /// The person's own name for it; may be empty.
    pub label: String,
    /// Who receives parcels there.
    pub recipient_name: String,
    /// Company, if any.
    pub company: Option<String>,
    /// First street line.
    pub line1: String,
    /// Second street line.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// State or province code.
    pub region: Option<String>,
    /// Postcode.
    pub postal_code: String,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Telephone.
    pub phone: Option<String>,
    /// Make it the default address.
    pub make_default: bool,
}

/// One change to an address book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum AddressChange {
    /// A new address (the default when it is the person's first).
    Add {
        /// What was typed.
        address: AddressInput,
    },
    /// An edit: a new row in place of `id`, which is retired.
    Replace {
        /// The address edited.
        id: Uuid,
        /// Its version when read.
        version: i64,
        /// What was typed.
        address: AddressInput,
    },
    /// Takes `id` out of the book (orders that used it keep it).
    Retire {
        /// The address.
        id: Uuid,
        /// Its version when read.
        version: i64,
    },
    /// Makes `id` the default address.
    MakeDefault {
        /// The address.
        id: Uuid,
        /// Its version when read.
        version: i64,
    },
}

impl AddressChange {
    /// The address changed and the version it was read at (none for `Add`).
    pub fn target(&self) -> Option<(Uuid, i64)> {
        match self {
            AddressChange::Add { .. } => None,
            AddressChange::Replace { id, version, .. }
            | AddressChange::Retire { id, version }
            | AddressChange::MakeDefault { id, version } => Some((*id, *version)),
        }
    }

    /// The same change on `version` of its address.
    pub fn rebased(&self, to: i64) -> AddressChange {
        let mut c = self.clone();
        if let AddressChange::Replace { version, .. }
        | AddressChange::Retire { version, .. }
        | AddressChange::MakeDefault { version, .. } = &mut c
        {
            *version = to;
        }
        c
    }
}

fn optional(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

impl AddressInput {
    /// The input trimmed, the country and postcode upper-cased, once it is an
    /// address a carrier takes (the same check a label makes).
    pub fn checked(&self) -> Result<AddressInput, StoreError> {
        let a = AddressInput {
            label: self.label.trim().to_owned(),
            recipient_name: self.recipient_name.trim().to_owned(),
            company: optional(&self.company),
            line1: self.line1.trim().to_owned(),
            line2: optional(&self.line2),
            city: self.city.trim().to_owned(),
            region: optional(&self.region).map(|r| r.to_uppercase()),
            postal_code: self.postal_code.trim().to_uppercase(),
            country: self.country.trim().to_uppercase(),
            phone: optional(&self.phone),
            make_default: self.make_default,
        };
        if a.label.chars().count() > 40 {
            return Err(StoreError::Validation("an address's label is at most 40 characters".into()));
        }
        let party = Party {
            name: a.recipient_name.clone(),
            company: a.company.clone(),
            phone: a.phone.clone().unwrap_or_default(),
            lines: [Some(a.line1.clone()), a.line2.clone()].into_iter().flatten().collect(),
            city: a.city.clone(),
            region: a.region.clone(),
            postcode: a.postal_code.clone(),
            country: a.country.clone(),
        };
        check_party("recipient", &party).map_err(|p| StoreError::Validation(p.to_string()))?;
        Ok(a)
    }
}

const COLUMNS: &str = "id, label, recipient_name, company, line1, line2, city, region, postal_code, country, phone, \
     is_default, version, created_at, deleted_at AS retired_at";

/// The address book of `customer`, in use first (default on top), then
/// retired ones when `with_retired`.
pub async fn addresses_of(store: &Store, customer: Uuid, with_retired: bool) -> Result<Vec<Address>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM shipping_addresses WHERE user_id = $1 {} \
         ORDER BY deleted_at IS NOT NULL, is_default DESC, created_at DESC, id",
        if with_retired { "" } else { "AND deleted_at IS NULL" }
    );
    Ok(with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(customer).fetch_all(p).await)?)
}

async fn live_address_in(tx: &mut WriteTx<'_>, customer: Uuid, id: Uuid, seen: i64) -> Result<Address, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM shipping_addresses WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL");
    let found: Option<Address> =
        with_tx!(tx, |c| sqlx::query_as(&sql).bind(id).bind(customer).fetch_optional(&mut *c).await)?;
    let a = found.ok_or_else(|| StoreError::NotFound { entity: "address", id: id.to_string() })?;
    if a.version != seen {
        return Err(StoreError::VersionConflict {
            entity: "address",
            id: id.to_string(),
            expected: seen,
            actual: a.version,
        });
    }
    Ok(a)
}

/// Clears the default mark of every address of `customer`.
async fn clear_defaults_in(tx: &mut WriteTx<'_>, customer: Uuid, now: Timestamp) -> Result<(), StoreError> {
    let sql = "UPDATE shipping_addresses SET is_default = false, version = version + 1, updated_at = $1 \
               WHERE user_id = $2 AND is_default AND deleted_at IS NULL";
    with_tx!(tx, |c| sqlx::query(sql).bind(now).bind(customer).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("address", e))
}

async fn has_default_in(tx: &mut WriteTx<'_>, customer: Uuid) -> Result<bool, StoreError> {
    let sql = "SELECT count(*) FROM shipping_addresses WHERE user_id = $1 AND is_default AND deleted_at IS NULL";
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(sql).bind(customer).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

async fn insert_in(
    tx: &mut WriteTx<'_>,
    customer: Uuid,
    a: &AddressInput,
    default: bool,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    let id = new_id();
    let sql = "INSERT INTO shipping_addresses (id, user_id, label, recipient_name, company, line1, line2, city, region, \
               postal_code, country, phone, is_default, version, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)";
    with_tx!(tx, |c| sqlx::query(sql)
        .bind(id)
        .bind(customer)
        .bind(&a.label)
        .bind(&a.recipient_name)
        .bind(&a.company)
        .bind(&a.line1)
        .bind(&a.line2)
        .bind(&a.city)
        .bind(&a.region)
        .bind(&a.postal_code)
        .bind(&a.country)
        .bind(&a.phone)
        .bind(default)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .map_err(|e| StoreError::from_write("address", e))?;
    Ok(id)
}

async fn retire_in(tx: &mut WriteTx<'_>, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
    let sql = "UPDATE shipping_addresses SET deleted_at = $1, is_default = false, version = version + 1, updated_at = $1 \
               WHERE id = $2";
    with_tx!(tx, |c| sqlx::query(sql).bind(now).bind(id).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("address", e))
}

async fn mark_default_in(tx: &mut WriteTx<'_>, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
    let sql = "UPDATE shipping_addresses SET is_default = true, version = version + 1, updated_at = $1 WHERE id = $2";
    with_tx!(tx, |c| sqlx::query(sql).bind(now).bind(id).execute(&mut *c).await.map(|_| ()))
        .map_err(|e| StoreError::from_write("address", e))
}

/// After the default was retired: the newest address left takes its place.
async fn promote_newest_in(tx: &mut WriteTx<'_>, customer: Uuid, now: Timestamp) -> Result<(), StoreError> {
    let sql = "SELECT id FROM shipping_addresses WHERE user_id = $1 AND deleted_at IS NULL \
               ORDER BY created_at DESC, id DESC LIMIT 1";
    let next: Option<Uuid> = with_tx!(tx, |c| sqlx::query_scalar(sql).bind(customer).fetch_optional(&mut *c).await)?;
    match next {
        Some(id) => mark_default_in(tx, id, now).await,
        None => Ok(()),
    }
}

/// Applies `change` to `customer`'s address book for `actor` (an admin),
/// inside `tx`, with an audit entry; returns the id of the address that now
/// stands (the new row for an add or an edit).
pub async fn change_address_in(
    tx: &mut WriteTx<'_>,
    actor: Reader,
    customer: Uuid,
    change: &AddressChange,
) -> Result<Uuid, StoreError> {
    may_keep(actor, "change a customer's addresses")?;
    customer_row_in(tx, customer).await?;
    let now = Timestamp::now();
    let (action, id) = match change {
        AddressChange::Add { address } => {
            let a = address.checked()?;
            let default = a.make_default || !has_default_in(tx, customer).await?;
            if default {
                clear_defaults_in(tx, customer, now).await?;
            }
            ("customer.address_added", insert_in(tx, customer, &a, default, now).await?)
        }
        AddressChange::Replace { id, version, address } => {
            let a = address.checked()?;
            let old = live_address_in(tx, customer, *id, *version).await?;
            retire_in(tx, old.id, now).await?;
            let default = a.make_default || old.is_default;
            if default {
                clear_defaults_in(tx, customer, now).await?;
            }
            ("customer.address_replaced", insert_in(tx, customer, &a, default, now).await?)
        }
        AddressChange::Retire { id, version } => {
            let old = live_address_in(tx, customer, *id, *version).await?;
            retire_in(tx, old.id, now).await?;
            if old.is_default {
                promote_newest_in(tx, customer, now).await?;
            }
            ("customer.address_retired", old.id)
        }
        AddressChange::MakeDefault { id, version } => {
            let old = live_address_in(tx, customer, *id, *version).await?;
            if !old.is_default {
                clear_defaults_in(tx, customer, now).await?;
                mark_default_in(tx, old.id, now).await?;
            }
            ("customer.address_default", old.id)
        }
    };
    let entry = NewAuditEntry {
        actor_id: Some(actor.id),
        actor_role: Some(actor.role.as_str().into()),
        action: action.into(),
        entity_table: Some("shipping_addresses".into()),
        entity_id: Some(id),
        details: Some(serde_json::json!({ "customer": customer })),
    };
    record_audit_in(tx, &entry).await?;
    Ok(id)
}
