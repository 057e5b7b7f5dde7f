//! Moving an order along its lifecycle.

use crate::domain::{OrderStatus, Timestamp};
use crate::store::sql::{Param, Sql};
use crate::store::versioned::update_versioned;
use crate::store::{Store, StoreError};
use uuid::Uuid;

impl Store {
    /// Moves an order to `to`, if the lifecycle allows it and the order is still at
    /// `expected_version`.
    pub async fn set_order_status(&self, id: Uuid, expected_version: i64, to: OrderStatus) -> Result<i64, StoreError> {
        let current = self.order(id).await?.order;
        if current.version == expected_version && !current.status.can_become(to) {
            return Err(StoreError::Validation(format!("an order that is {} cannot become {to}", current.status)));
        }
        let mut set = Sql::new("status = ");
        set.bind(Param::Text(to.as_str().into()));
        if to == OrderStatus::Cancelled {
            set.push(", cancelled_at = ").bind(Param::Time(Timestamp::now()));
        }
        update_versioned(&self.db, "orders", "order", id, expected_version, set).await
    }
}
