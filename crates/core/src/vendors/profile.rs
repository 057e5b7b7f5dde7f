//! A vendor's business profile once they sell: the details buyers and the
//! marketplace see (name, legal name, tax id, contact, address, description),
//! read and edited by the vendor themselves or an admin, on the version read.
//! The payout currency and the Stripe account are the marketplace's to set
//! (the database grants vendors no write on them); verification and payouts
//! come from Stripe.

use super::details::{country, email, optional, tax_id, website};
use super::{admin_or_vendor, begin, online, pg};
use crate::domain::Role;
use crate::orders::view::Reader;
use crate::store::audit::audit_row_in;
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest description.
pub const MAX_DESCRIPTION: usize = 4000;

/// What a vendor's profile says, as its editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorProfile {
    /// The vendor.
    pub vendor_id: Uuid,
    /// Their sign-in's display name.
    pub display_name: String,
    /// The profile's version (0 when there is no profile yet).
    pub version: i64,
    /// The editable part.
    #[sqlx(flatten)]
    pub edit: ProfileEdit,
    /// Payout currency (set by the marketplace).
    pub payout_currency: Option<String>,
    /// unverified, pending, verified or rejected.
    pub verification_status: String,
    /// Whether Stripe pays them out.
    pub payouts_enabled: bool,
    /// Whether they are suspended.
    pub suspended: bool,
}

/// The part of a profile its vendor may change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProfileEdit {
    /// The name buyers see.
    pub business_name: Option<String>,
    /// Registered legal name.
    pub legal_name: Option<String>,
    /// Tax or VAT number.
    pub tax_id: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Where buyers write to.
    pub support_email: Option<String>,
    /// What they sell, for their storefront page.
    pub description: Option<String>,
    /// Street and number.
    pub address_line1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country (ISO 3166 alpha-2).
    pub country: Option<String>,
}

fn description(value: &Option<String>) -> Result<Option<String>, StoreError> {
    let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_DESCRIPTION {
        return Err(StoreError::Validation(format!("the description has at most {MAX_DESCRIPTION} characters")));
    }
    Ok(Some(v.to_owned()))
}

impl ProfileEdit {
    /// The edit cleaned and checked, or the first wrong field, named.
    pub fn checked(&self) -> Result<ProfileEdit, StoreError> {
        let e = ProfileEdit {
            business_name: optional("business name", &self.business_name)?,
            legal_name: optional("legal name", &self.legal_name)?,
            tax_id: tax_id(optional("tax id", &self.tax_id)?)?,
            phone: optional("telephone", &self.phone)?,
            website: website(optional("web site", &self.website)?)?,
            support_email: optional("support e-mail", &self.support_email)?.map(email).transpose()?,
            description: description(&self.description)?,
            address_line1: optional("street", &self.address_line1)?,
            city: optional("city", &self.city)?,
            postal_code: optional("postal code", &self.postal_code)?,
            country: country(optional("country", &self.country)?)?,
        };
        if e.business_name.is_none() {
            return Err(StoreError::Validation("a vendor needs a business name".into()));
        }
        Ok(e)
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds `e` as `$1` to `$11`, in the order of its fields.
fn bind_edit<'q>(q: PgQuery<'q>, e: &'q ProfileEdit) -> PgQuery<'q> {
    q.bind(&e.business_name)
        .bind(&e.legal_name)
        .bind(&e.tax_id)
        .bind(&e.phone)
        .bind(&e.website)
        .bind(&e.support_email)
        .bind(&e.description)
        .bind(&e.address_line1)
        .bind(&e.city)
        .bind(&e.postal_code)
        .bind(&e.country)
}

fn may_see(reader: Reader, vendor: Uuid) -> Result<(), StoreError> {
    admin_or_vendor(reader, "see vendor profiles")?;
    if reader.role == Role::Vendor && reader.id != vendor {
        return Err(StoreError::NotFound { entity: "vendor", id: vendor.to_string() });
    }
    Ok(())
}

/// `vendor`'s profile for `reader` (an admin, or the vendor themselves).
pub async fn vendor_profile(store: &Store, reader: Reader, vendor: Uuid) -> Result<VendorProfile, StoreError> {
    may_see(reader, vendor)?;
    let found: Option<VendorProfile> = sqlx::query_as(
        "SELECT u.id AS vendor_id, u.display_name, coalesce(p.version, 0) AS version, \
         coalesce(p.business_name, u.display_name) AS business_name, p.legal_name, p.tax_id, p.phone, p.website, \
         p.support_email, p.description, p.address_line1, p.city, p.postal_code, p.country, p.payout_currency::text AS payout_currency, \
         coalesce(p.verification_status, 'unverified') AS verification_status, \
         coalesce(p.payouts_enabled, false) AS payouts_enabled, u.status = 'suspended' AS suspended \
         FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id AND p.deleted_at IS NULL \
         WHERE u.id = $1 AND u.role = 'vendor' AND u.deleted_at IS NULL",
    )
    .bind(vendor)
    .fetch_optional(online(store)?)
    .await?;
    found.ok_or(StoreError::NotFound { entity: "vendor", id: vendor.to_string() })
}

/// Saves `edit` as `vendor`'s profile for `actor`, on the version read (0:
/// no profile yet — an admin makes it); returns the new version.
pub async fn update_vendor_profile(
    store: &Store,
    actor: Reader,
    vendor: Uuid,
    version: i64,
    edit: &ProfileEdit,
) -> Result<i64, StoreError> {
    may_see(actor, vendor)?;
    let e = edit.checked()?;
    let mut tx = begin(store).await?;
    let sets = "business_name = $1, legal_name = $2, tax_id = $3, phone = $4, website = $5, support_email = $6, \
                description = $7, address_line1 = $8, city = $9, postal_code = $10, country = $11";
    let written = if version == 0 {
        if actor.role != Role::Admin {
            return Err(StoreError::Validation("your profile is made by the marketplace: ask an admin".into()));
        }
        let sql = "INSERT INTO user_profiles (business_name, legal_name, tax_id, phone, website, support_email, \
                   description, address_line1, city, postal_code, country, id, user_id) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (user_id) DO NOTHING";
        bind_edit(sqlx::query(sql), &e).bind(crate::domain::new_id()).bind(vendor).execute(pg(&mut tx)?).await
    } else {
        let sql = format!(
            "UPDATE user_profiles SET {sets}, version = version + 1, updated_at = now() \
             WHERE user_id = $12 AND version = $13 AND deleted_at IS NULL"
        );
        bind_edit(sqlx::query(&sql), &e).bind(vendor).bind(version).execute(pg(&mut tx)?).await
    }
    .map_err(|e| StoreError::from_write("vendor profile", e))?;
    if written.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            entity: "vendor profile",
            id: vendor.to_string(),
            expected: version,
            actual: version + 1,
        });
    }
    let details = serde_json::json!({ "business": e.business_name });
    audit_row_in(&mut tx, (actor.id, actor.role), "vendor.profile_changed", ("users", vendor), details).await?;
    tx.commit().await?;
    Ok(version + 1)
}
