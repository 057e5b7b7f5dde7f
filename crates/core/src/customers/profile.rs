//! One customer as staff read them: the row, the address book (admins only:
//! finance reads no addresses), what they spent and got back per currency,
//! how many disputes are live, and the notes about them. Their orders are
//! the orders list narrowed to them.

use super::addresses::{Address, addresses_of};
use super::list::{Customer, customer_columns};
use super::may_read;
use super::notes::{CustomerNote, notes_of};
use crate::domain::{Currency, Role, Timestamp};
use crate::orders::view::Reader;
use crate::store::reports::SOLD;
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a customer spent and got back in one currency, minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LifetimeValue {
    /// The currency.
    pub currency: Currency,
    /// Orders paid for (whatever happened after).
    pub orders: i64,
    /// What those orders came to.
    pub spent_minor: i64,
    /// What was refunded to them.
    pub refunded_minor: i64,
    /// Spent less refunded.
    pub net_minor: i64,
}

/// A customer's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerProfile {
    /// The customer.
    pub customer: Customer,
    /// Their addresses in use, the default first (empty for finance).
    pub addresses: Vec<Address>,
    /// Whether the reader may see and change addresses.
    pub may_keep: bool,
    /// Lifetime value per currency, largest net first.
    pub lifetime: Vec<LifetimeValue>,
    /// Their first order.
    pub first_order_at: Option<Timestamp>,
    /// Disputes about their orders that have not ended.
    pub live_disputes: i64,
    /// Notes about them, newest first.
    pub notes: Vec<CustomerNote>,
}

/// Spent and refunded per currency for `customer`.
pub(crate) async fn lifetime_of(store: &Store, customer: Uuid) -> Result<Vec<LifetimeValue>, StoreError> {
    let spent_sql = format!(
        "SELECT o.currency, count(*), CAST(coalesce(sum(o.total_minor), 0) AS bigint) FROM orders o \
         WHERE o.customer_id = $1 AND o.status IN {SOLD} GROUP BY o.currency"
    );
    let spent: Vec<(Currency, i64, i64)> =
        with_pool!(&store.db, |p| sqlx::query_as(&spent_sql).bind(customer).fetch_all(p).await)?;
    let refunded_sql = "SELECT r.currency, CAST(coalesce(sum(r.amount_minor), 0) AS bigint) FROM refunds r \
                        JOIN orders o ON o.id = r.order_id \
                        WHERE o.customer_id = $1 AND r.status = 'succeeded' AND r.deleted_at IS NULL GROUP BY r.currency";
    let refunded: Vec<(Currency, i64)> =
        with_pool!(&store.db, |p| sqlx::query_as(refunded_sql).bind(customer).fetch_all(p).await)?;
    let mut by: BTreeMap<Currency, LifetimeValue> = BTreeMap::new();
    let blank = |currency| LifetimeValue { currency, orders: 0, spent_minor: 0, refunded_minor: 0, net_minor: 0 };
    for (currency, orders, minor) in spent {
        let v = by.entry(currency).or_insert_with(|| blank(currency));
        v.orders = orders;
        v.spent_minor = minor;
    }
    for (currency, minor) in refunded {
        by.entry(currency).or_insert_with(|| blank(currency)).refunded_minor = minor;
    }
    let mut values: Vec<LifetimeValue> = by
        .into_values()
        .map(|mut v| {
            v.net_minor = v.spent_minor.saturating_sub(v.refunded_minor);
            v
        })
        .collect();
    values.sort_by(|a, b| b.net_minor.cmp(&a.net_minor).then(a.currency.cmp(&b.currency)));
    Ok(values)
}

/// The customer `id` as `reader` (an admin or finance) may read them.
pub async fn customer_profile(store: &Store, reader: Reader, id: Uuid) -> Result<CustomerProfile, StoreError> {
    may_read(reader)?;
    let sql = format!(
        "SELECT {} FROM users u WHERE u.id = $1 AND u.role = 'customer' AND u.deleted_at IS NULL",
        customer_columns()
    );
    let found: Option<Customer> = with_pool!(&store.db, |p| sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    let customer = found.ok_or(StoreError::NotFound { entity: "customer", id: id.to_string() })?;
    let may_keep = reader.role == Role::Admin;
    let addresses = if may_keep { addresses_of(store, id, false).await? } else { Vec::new() };
    let first_sql = "SELECT min(placed_at) FROM orders WHERE customer_id = $1";
    let first_order_at: Option<Timestamp> =
        with_pool!(&store.db, |p| sqlx::query_scalar(first_sql).bind(id).fetch_one(p).await)?;
    let disputes_sql = "SELECT count(*) FROM disputes d JOIN orders o ON o.id = d.order_id \
                        WHERE o.customer_id = $1 AND d.deleted_at IS NULL AND d.status NOT IN ('resolved', 'closed')";
    let live_disputes: i64 = with_pool!(&store.db, |p| sqlx::query_scalar(disputes_sql).bind(id).fetch_one(p).await)?;
    Ok(CustomerProfile {
        customer,
        addresses,
        may_keep,
        lifetime: lifetime_of(store, id).await?,
        first_order_at,
        live_disputes,
        notes: notes_of(store, id).await?,
    })
}
