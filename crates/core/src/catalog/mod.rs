//! The catalog as people run it: vendors' products and their variants, the
//! editor that creates and changes them, stock, and the approval of products
//! before they are sold (with a diff of what changed since the last
//! approval). Row queries of the list live in `store::products`; the
//! decisions live here.

pub mod categories;
pub mod editing;
pub mod review;
pub mod save;
pub mod snapshot;
pub mod steps;
pub mod stock;
