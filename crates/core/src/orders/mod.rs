//! Orders as people run them: placed, paid, fulfilled, cancelled. Row queries
//! of the order tables live in `store::orders`; which move an order may make
//! is decided here (by `domain`'s lifecycle).

pub mod cancel;
pub mod list;
pub mod manual;
pub mod manual_quote;
pub mod status;
pub mod timeline;
pub mod view;
