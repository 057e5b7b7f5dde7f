//! Either carrier's client behind one value, so code serving shipments of
//! any carrier holds one `CarrierClient`.

use super::CarrierApi;
use super::account::CarrierAccount;
use super::error::{CarrierError, CarrierFailure};
use super::fedex::{FEDEX_LIMIT, Fedex};
use super::types::{AddressVerdict, BoughtLabel, DayClose, LabelRequest, Party, Quote, RateRequest, TrackResult};
use super::ups::{UPS_LIMIT, Ups};
use crate::domain::Carrier;

/// Either carrier's client, so one value serves a shipment of any carrier.
#[derive(Debug)]
pub enum CarrierClient {
    /// FedEx.
    Fedex(Fedex),
    /// UPS.
    Ups(Ups),
}

impl CarrierClient {
    /// The client for `account`, under the carrier's own rate limit.
    pub fn new(account: CarrierAccount) -> Result<Self, CarrierError> {
        match account.carrier {
            Carrier::Fedex => Ok(CarrierClient::Fedex(Fedex::new(account, FEDEX_LIMIT)?)),
            Carrier::Ups => Ok(CarrierClient::Ups(Ups::new(account, UPS_LIMIT)?)),
            other => Err(CarrierError::new(other, CarrierFailure::NotConfigured, "it sells no labels")),
        }
    }
}

impl CarrierApi for CarrierClient {
    fn carrier(&self) -> Carrier {
        match self {
            CarrierClient::Fedex(c) => c.carrier(),
            CarrierClient::Ups(c) => c.carrier(),
        }
    }

    async fn quote(&self, req: &RateRequest) -> Result<Vec<Quote>, CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.quote(req).await,
            CarrierClient::Ups(c) => c.quote(req).await,
        }
    }

    async fn buy_label(&self, req: &LabelRequest) -> Result<BoughtLabel, CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.buy_label(req).await,
            CarrierClient::Ups(c) => c.buy_label(req).await,
        }
    }

    async fn void_label(&self, tracking: &str, shipment_id: &str) -> Result<(), CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.void_label(tracking, shipment_id).await,
            CarrierClient::Ups(c) => c.void_label(tracking, shipment_id).await,
        }
    }

    async fn close_day(&self, date: &str) -> Result<DayClose, CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.close_day(date).await,
            CarrierClient::Ups(c) => c.close_day(date).await,
        }
    }

    async fn track(&self, numbers: &[String]) -> Result<Vec<TrackResult>, CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.track(numbers).await,
            CarrierClient::Ups(c) => c.track(numbers).await,
        }
    }

    async fn check_address(&self, address: &Party) -> Result<AddressVerdict, CarrierError> {
        match self {
            CarrierClient::Fedex(c) => c.check_address(address).await,
            CarrierClient::Ups(c) => c.check_address(address).await,
        }
    }
}
