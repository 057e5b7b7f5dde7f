//! Why a shipping action did not happen: the database, the carrier, or the
//! address — each in its own words.

use super::addresses::AddressProblem;
use crate::integrations::carriers::CarrierError;
use crate::store::StoreError;

/// A failed shipping action.
#[derive(Debug, thiserror::Error)]
pub enum ShippingError {
    /// Reading or writing the database failed, or the action is not allowed
    /// in the shipment's state.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The carrier said no, or gave no usable answer.
    #[error(transparent)]
    Carrier(#[from] CarrierError),
    /// The address cannot take a label.
    #[error("{0}")]
    Address(#[from] AddressProblem),
}
