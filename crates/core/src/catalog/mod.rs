//! The catalog as people run it: vendors' products and their variants, the
//! editor that creates and changes them, their images, stock, buyers' reviews, and the approval of products
//! before they are sold (with a diff of what changed since the last
//! approval). Row queries of the list live in `store::products`; the
//! decisions live here.

pub mod bulk_edit;
pub mod categories;
pub mod csv_file;
pub mod customer_reviews;
pub mod editing;
pub mod image_file;
pub mod image_publishing;
pub mod images;
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
