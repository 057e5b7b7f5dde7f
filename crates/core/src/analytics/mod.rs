//! Business analytics: the events the central database records in the
//! transaction of each business step (migration 0039), the dashboards of the
//! marketplace's figures with their drill-downs, and the Google Analytics 4
//! outbox the worker drains.

pub mod dashboard;
pub mod drill;
pub mod events;
pub mod ga4_outbox;
