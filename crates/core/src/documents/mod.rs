//! Documents from data, without any UI: the vendor statement as PDF and
//! spreadsheets (CSV, XLSX) of rows. A document takes data and writes bytes;
//! it never reads the store.

pub mod spreadsheet;
pub mod statement;
