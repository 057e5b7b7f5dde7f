//! Carriers that sell labels over their REST APIs — FedEx
//! (<https://developer.fedex.com/api/en-us/catalog.html>) and UPS
//! (<https://developer.ups.com/catalog>) — behind one trait, [`CarrierApi`]:
//! quotes, buying a 4×6 label (ZPL or PDF), voiding it, tracking, checking
//! an address, and closing the day (FedEx Ground). Each client keeps an OAuth token shared by its concurrent
//! calls, stays under the carrier's rate limit, waits out `429`s, and turns the
//! carrier's error bodies into one [`CarrierError`] that keeps the carrier's
//! code and transaction id.
//!
//! Buying is never retried here: a call that got no usable answer is
//! reported as such (`CarrierFailure::NoAnswer`), and the caller — which
//! recorded the attempt before calling — decides what that means.

mod account;
mod client;
mod error;
mod fedex;
mod session;
mod types;
mod ups;

pub use account::{CarrierAccount, CarrierSettings};
pub use client::CarrierClient;
pub use error::{CarrierError, CarrierFailure};
pub use fedex::Fedex;
pub use session::RateLimit;
pub use types::{
    AddressVerdict, BoughtLabel, CloseDocument, DayClose, LabelFile, LabelImage, LabelRequest, Party, Quote,
    RateRequest, TrackResult, TrackedEvent,
};
pub use ups::Ups;

use std::future::Future;

/// What Marketdesk asks of a carrier that sells labels.
pub trait CarrierApi: Send + Sync {
    /// Which carrier this is.
    fn carrier(&self) -> crate::domain::Carrier;
    /// Prices for a parcel, one per service the carrier offers on that route
    /// (or only `req.service`, when given).
    fn quote(&self, req: &RateRequest) -> impl Future<Output = Result<Vec<Quote>, CarrierError>> + Send;
    /// Buys one label. Never retried after the request may have reached the
    /// carrier: such a failure is `NoAnswer`.
    fn buy_label(&self, req: &LabelRequest) -> impl Future<Output = Result<BoughtLabel, CarrierError>> + Send;
    /// Takes back an unused label (its tracking number, and the carrier's
    /// shipment id where it differs).
    fn void_label(&self, tracking: &str, shipment_id: &str) -> impl Future<Output = Result<(), CarrierError>> + Send;
    /// What the carrier knows of these parcels (as many calls as the carrier
    /// needs: FedEx takes 30 numbers a call, UPS one).
    fn track(&self, numbers: &[String]) -> impl Future<Output = Result<Vec<TrackResult>, CarrierError>> + Send;
    /// Whether the carrier can deliver to `address`.
    fn check_address(&self, address: &Party) -> impl Future<Output = Result<AddressVerdict, CarrierError>> + Send;
    /// Closes the shipping day `date` (`YYYY-MM-DD`) where the carrier needs
    /// it (FedEx Ground's end of day) and returns the documents it hands back
    /// (the Ground manifest the driver signs). A carrier with no such step
    /// refuses, saying so.
    fn close_day(&self, date: &str) -> impl Future<Output = Result<DayClose, CarrierError>> + Send;
}
