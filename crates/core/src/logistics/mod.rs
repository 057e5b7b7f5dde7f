//! Logistics for the warehouse: shipments and their lifecycle, labels drawn
//! locally (`labels`: ZPL at 203/300 dpi, 4×6 PDF) and printed (`printing`:
//! CUPS over IPP, raw TCP 9100, every job recorded), addresses checked before
//! a label is bought (`addresses`), labels bought from carriers without ever
//! buying twice and voided within the carrier's window (`purchase`),
//! parcels followed with their carrier (`tracking`), shipping zones, methods
//! and rate tables (`shipping_setup`) and rate shopping across them and the
//! carriers (`rates`), and the warehouse's sheets: pick lists, packing slips
//! and manifests (`warehouse_documents`), packing an order into parcels
//! in the warehouse's boxes (`packing`), the bins variants sit in (`bins`),
//! and closing the shipping day with FedEx Ground (`day_close`). Row queries live in
//! `store::{shipments, label_purchases, tracking, printing, packing}`; the decisions
//! live here, and carriers are reached through
//! `integrations::carriers::CarrierApi`.

pub mod addresses;
pub mod batch;
pub mod bins;
pub mod carrier_accounts;
pub mod day_close;
pub mod error;
pub mod labels;
pub mod local_label;
pub mod packing;
pub mod printing;
pub mod purchase;
pub mod rates;
pub mod shipments;
pub mod shipping_setup;
pub mod tracking;
pub mod warehouse_documents;

pub use error::ShippingError;
