//! Logistics for the warehouse: shipments and their tracking today; shipping
//! methods and rates, carriers (FedEx, UPS), labels, printing, pick lists,
//! packing slips and manifests as they are built. Row queries of the shipment
//! tables live in `store::shipments`; the decisions live here.

pub mod shipments;
