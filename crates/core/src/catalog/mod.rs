//! The catalog as people run it: vendors' products and their variants, the
//! editor that creates and changes them, stock, and the approval of products
//! before they are sold (with a diff of what changed since the last
//! approval). Row queries of the list live in `store::products`; the
//! decisions live here.

pub mod bulk_edit;
pub mod categories;
pub mod csv_file;
pub mod editing;
pub mod import_products;
pub mod import_report;
pub mod import_stock;
pub mod product_csv;
mod product_rows;
pub mod review;
pub mod save;
pub mod snapshot;
pub mod steps;
pub mod stock;
