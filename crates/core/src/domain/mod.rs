//! Entities' value types and rules: money, ids, time, statuses, roles.
//!
//! Pure: nothing here does I/O or knows which database is in use.

pub mod accounts;
pub mod customer;
pub mod dispute_lifecycle;
pub mod ids;
pub mod ledger;
pub mod money;
pub mod notifications;
pub mod order_facets;
pub mod order_lifecycle;
pub mod periods;
pub mod printing;
pub mod product_draft;
pub mod shipping;
pub mod shipping_rates;
pub mod status;
pub mod stock;
pub mod time;
pub mod vendor_onboarding;

pub use ids::new_id;
pub use money::{Currency, CurrencyError, Money, allocate};
pub use order_facets::{DisputeState, FulfilmentState, PaymentState, RefundState};
pub use printing::{DocumentKind, PrintJobState, PrintLanguage, PrinterConnection};
pub use shipping::{Carrier, LabelPurchaseState};
pub use status::{
    BatchStatus, DisputeStatus, OrderStatus, PayoutStatus, ProductStatus, Role, ShipmentStatus, UserStatus,
};
pub use time::Timestamp;
