//! Logistics for the warehouse: shipments and their tracking, and labels
//! drawn locally (`labels`: ZPL at 203/300 dpi, 4×6 PDF); shipping methods
//! and rates, carriers (FedEx, UPS), printing, pick lists, packing slips and
//! manifests as they are built. Row queries of the shipment
//! tables live in `store::shipments`; the decisions live here.

pub mod labels;
pub mod shipments;
