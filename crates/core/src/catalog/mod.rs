//! The catalog as people run it: vendors' products and their variants, stock,
//! and the approval of products before they are sold. Row queries of the
//! catalog's tables live in `store::products`; the decisions (what may be
//! approved, what a rejection needs) live here.

pub mod review;
pub mod stock;
