//! The customers list: searched by name or e-mail, narrowed by status and
//! country, sorted and paged in the database, each row with how many orders
//! the person placed and when the last one was.

use super::may_read;
use crate::domain::Timestamp;
use crate::domain::customer::CustomerStatus;
use crate::orders::view::Reader;
use crate::store::page::{SortKey, SortValue, finish_query, into_page};
use crate::store::sql::{Param, Sql, bind_as};
use crate::store::text_search::{Doc, TextQuery, push_match};
use crate::store::{Page, PageRequest, Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A customer as the list shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Customer {
    /// Their users row id.
    pub id: Uuid,
    /// Their e-mail address.
    pub email: String,
    /// Their name.
    pub display_name: String,
    /// Whether they may order.
    pub status: CustomerStatus,
    /// When they signed up.
    pub created_at: Timestamp,
    /// Orders placed, whatever became of them.
    pub order_count: i64,
    /// When they last ordered.
    pub last_order_at: Option<Timestamp>,
    /// Optimistic-concurrency version of their row.
    pub version: i64,
}

/// Narrows the customers list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomerFilter {
    /// Words found in the name, sign-in name or e-mail (each word typed
    /// begins a word there).
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<CustomerStatus>,
    /// Only people with a live address in this country (ISO 3166 alpha-2).
    pub country: Option<String>,
}

/// How the customers list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    /// By sign-up time.
    #[default]
    CreatedAt,
    /// By e-mail address.
    Email,
    /// By name.
    Name,
}

impl SortKey for CustomerSort {
    fn name(&self) -> &'static str {
        match self {
            CustomerSort::CreatedAt => "created_at",
            CustomerSort::Email => "email",
            CustomerSort::Name => "name",
        }
    }
    fn column(&self) -> &'static str {
        match self {
            CustomerSort::CreatedAt => "u.created_at",
            CustomerSort::Email => "u.email",
            CustomerSort::Name => "u.display_name",
        }
    }
}

/// The select list of a customer row (`u` the users row).
pub(crate) fn customer_columns() -> String {
    format!(
        "u.id, u.email, u.display_name, {} AS status, u.created_at, \
         (SELECT count(*) FROM orders o WHERE o.customer_id = u.id) AS order_count, \
         (SELECT max(o.placed_at) FROM orders o WHERE o.customer_id = u.id) AS last_order_at, u.version",
        CustomerStatus::SQL
    )
}

/// A page of customers, for admins and finance.
pub async fn list_customers(
    store: &Store,
    reader: Reader,
    filter: &CustomerFilter,
    page: &PageRequest<CustomerSort>,
) -> Result<Page<Customer>, StoreError> {
    may_read(reader)?;
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM users u WHERE u.role = 'customer' AND u.deleted_at IS NULL",
        customer_columns()
    ));
    if let Some(status) = filter.status {
        sql.push(" AND u.status = ").bind(Param::Text(status.user_status().into()));
    }
    if let Some(country) = filter.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let country = country.to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(StoreError::Validation(format!("“{country}” is not a two-letter country code")));
        }
        sql.push(" AND EXISTS (SELECT 1 FROM shipping_addresses a WHERE a.user_id = u.id AND a.deleted_at IS NULL AND a.country = ")
            .bind(Param::Text(country))
            .push(")");
    }
    if let Some(query) = TextQuery::parse(filter.search.as_deref())? {
        sql.push(" AND ");
        push_match(&mut sql, store.engine(), Doc::PersonContacts, "u", query.words());
    }
    finish_query(&mut sql, page, "u.id")?;
    let rows: Vec<Customer> =
        with_pool!(&store.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
    Ok(into_page(rows, page, |c: &Customer| {
        let v = match page.sort {
            CustomerSort::CreatedAt => SortValue::from(c.created_at),
            CustomerSort::Email => SortValue::Text(c.email.clone()),
            CustomerSort::Name => SortValue::Text(c.display_name.clone()),
        };
        (v, c.id)
    }))
}
