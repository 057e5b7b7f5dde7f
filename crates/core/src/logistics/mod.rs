//! Logistics for the warehouse: shipments and their tracking, labels drawn
//! locally (`labels`: ZPL at 203/300 dpi, 4×6 PDF) and printed (`printing`:
//! CUPS over IPP, raw TCP 9100, every job recorded); shipping methods and
//! rates, carriers (FedEx, UPS), pick lists, packing slips and manifests as
//! they are built. Row queries of the shipment
//! tables live in `store::shipments`; the decisions live here.

pub mod labels;
pub mod printing;
pub mod shipments;
