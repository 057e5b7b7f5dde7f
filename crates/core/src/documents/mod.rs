//! Documents from data, without any UI: the vendor statement as PDF,
//! spreadsheets (CSV, XLSX) of rows, shipping labels (ZPL, PDF), and warehouse
//! sheets (pick lists, packing slips, manifests) as PDF. A document takes data and writes bytes;
//! it never reads the store.

pub mod label;
pub(crate) mod pdf_page;
pub(crate) mod pdf_text;
pub mod sheet;
pub mod spreadsheet;
pub mod statement;
