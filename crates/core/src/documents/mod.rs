//! Printable documents, rendered from the core's data without any UI: the
//! vendor statement as PDF.

pub mod statement;
