//! The marketplace's buyers as records: a searchable list with what each has
//! bought, a profile with the address book, lifetime value per currency and
//! staff notes, blocking (the database then refuses a blocked customer's new
//! orders), and an export of everything held about one person. Admins keep
//! the records; finance reads them and writes notes; vendors and logistics
//! read no customer records here (they see the addresses their parcels go to).

pub mod addresses;
pub mod export;
pub mod list;
pub mod notes;
pub mod profile;
pub mod status;

use crate::domain::Role;
use crate::orders::view::Reader;
use crate::store::StoreError;
use crate::store::write_tx::{WriteTx, with_tx};
use uuid::Uuid;

/// Refuses anyone but admins and finance.
pub(crate) fn may_read(reader: Reader) -> Result<(), StoreError> {
    match reader.role {
        Role::Admin | Role::Finance => Ok(()),
        other => Err(StoreError::AccessDenied(format!("a {other} does not read customer records"))),
    }
}

/// Refuses anyone but admins.
pub(crate) fn may_keep(reader: Reader, what: &str) -> Result<(), StoreError> {
    if reader.role == Role::Admin { Ok(()) } else { Err(StoreError::AccessDenied(format!("only an admin may {what}"))) }
}

/// The customer `id`'s version and stored status, read inside `tx`; anyone
/// who is not a customer is "not found".
pub(crate) async fn customer_row_in(tx: &mut WriteTx<'_>, id: Uuid) -> Result<(i64, String), StoreError> {
    let sql = "SELECT version, status FROM users WHERE id = $1 AND role = 'customer' AND deleted_at IS NULL";
    let row: Option<(i64, String)> = with_tx!(tx, |c| sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?;
    row.ok_or_else(|| StoreError::NotFound { entity: "customer", id: id.to_string() })
}
