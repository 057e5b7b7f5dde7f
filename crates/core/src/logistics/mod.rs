//! Logistics for the warehouse: shipments and their lifecycle, labels drawn
//! locally (`labels`: ZPL at 203/300 dpi, 4×6 PDF) and printed (`printing`:
//! CUPS over IPP, raw TCP 9100, every job recorded), addresses checked before
//! a label is bought (`addresses`), labels bought from carriers without ever
//! buying twice and voided within the carrier's window (`purchase`), and
//! parcels followed with their carrier (`tracking`). Row queries live in
//! `store::{shipments, label_purchases, tracking, printing}`; the decisions
//! live here, and carriers are reached through
//! `integrations::carriers::CarrierApi`.

pub mod addresses;
pub mod batch;
pub mod carrier_accounts;
pub mod error;
pub mod labels;
pub mod printing;
pub mod purchase;
pub mod shipments;
pub mod tracking;

pub use error::ShippingError;
