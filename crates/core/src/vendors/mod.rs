//! Vendors as the marketplace takes them on and keeps them: the onboarding
//! pipeline (an application, its documents, an admin's review naming what is
//! missing, approval, then Stripe Connect until the vendor is active) and
//! suspension, which hides a vendor's live products and holds their payouts.
//!
//! Online only, like the management of people: inviting a vendor makes a
//! database login, documents are kept on the server, and an admin's decision
//! must reach every desktop at once.

pub mod applications;
pub mod details;
pub mod documents;
pub mod profile;
pub mod review;
pub mod suspension;

use crate::domain::Role;
use crate::domain::vendor_onboarding::OnboardingParty;
use crate::orders::view::Reader;
use crate::store::write_tx::WriteTx;
use crate::store::{Store, StoreError};
use sqlx::{PgConnection, PgPool};

/// The central database's pool, or why onboarding cannot run here.
pub(crate) fn online(store: &Store) -> Result<&PgPool, StoreError> {
    store.pg_pool().ok_or_else(|| {
        StoreError::OnlineOnly("vendor onboarding runs on the marketplace's server: connect first".into())
    })
}

/// A write transaction on the central database.
pub(crate) async fn begin(store: &Store) -> Result<WriteTx<'static>, StoreError> {
    Ok(WriteTx::Postgres(online(store)?.begin().await?))
}

/// The PostgreSQL connection of `tx`.
pub(crate) fn pg<'a>(tx: &'a mut WriteTx<'_>) -> Result<&'a mut PgConnection, StoreError> {
    match tx {
        WriteTx::Postgres(t) => Ok(&mut *t),
        WriteTx::Sqlite(_) => Err(StoreError::OnlineOnly("vendor onboarding runs on the marketplace's server".into())),
    }
}

/// The pipeline's party `actor` acts as.
pub(crate) fn party(actor: Reader) -> OnboardingParty {
    if actor.role == Role::Admin { OnboardingParty::Admin } else { OnboardingParty::Vendor }
}

/// Refuses anyone but an admin to `what`.
pub(crate) fn admin_only(actor: Reader, what: &str) -> Result<(), StoreError> {
    if actor.role == Role::Admin { Ok(()) } else { Err(StoreError::AccessDenied(format!("only an admin may {what}"))) }
}

/// Refuses anyone but admins and vendors to `what`.
pub(crate) fn admin_or_vendor(actor: Reader, what: &str) -> Result<(), StoreError> {
    if matches!(actor.role, Role::Admin | Role::Vendor) {
        Ok(())
    } else {
        Err(StoreError::AccessDenied(format!("only admins and vendors {what}")))
    }
}
