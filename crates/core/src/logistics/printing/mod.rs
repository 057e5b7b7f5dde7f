//! Printing labels and warehouse documents: to a CUPS queue over IPP (raw ZPL
//! or PDF) or straight to a networked printer's raw port. A workstation's
//! printers, its default printer per kind of document, and every job with
//! its bytes and its state are rows (`store::printing`); nothing printed is
//! ever lost without a trace.

pub mod cups;
pub mod jobs;
pub mod offline;
pub mod printers;
pub mod problem;
pub mod socket;

pub use jobs::{PrintContext, print_sheet, print_shipping_label, print_test_page, reprint, settle_open_jobs};
pub use printers::{add_printer, default_printer, find_printer, set_default_printer};
pub use problem::PrinterProblem;
