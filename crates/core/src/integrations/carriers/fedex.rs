//! FedEx's REST APIs: OAuth (`/oauth/token`), Rate (`/rate/v1/rates/quotes`),
//! Ship (`/ship/v1/shipments`, `/ship/v1/shipments/cancel`), Track
//! (`/track/v1/trackingnumbers`, 30 numbers a call) and Address Validation
//! (`/address/v1/addresses/resolve`). Errors come as
//! `{transactionId, errors: [{code, message}]}`.

use super::error::{CarrierError, CarrierFailure};
use super::session::{RateLimit, Session, Token, failure_of};
use super::types::{
    AddressVerdict, BoughtLabel, CloseDocument, DayClose, LabelImage, LabelRequest, Party, Quote, RateRequest,
    TrackResult, TrackedEvent, kilograms,
};
use super::{CarrierApi, account::CarrierAccount};
use crate::domain::{Carrier, Currency, ShipmentStatus, Timestamp};
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::str::FromStr;
use std::time::Duration;

/// FedEx allows 1,400 transactions per 10 seconds; stay under it.
pub const FEDEX_LIMIT: RateLimit = RateLimit { calls: 1_300, per: Duration::from_secs(10) };
/// Tracking numbers FedEx takes in one call.
const TRACK_BATCH: usize = 30;

/// A FedEx account's client.
#[derive(Debug)]
pub struct Fedex {
    account: CarrierAccount,
    session: Session,
}

impl Fedex {
    /// A client for `account` (its `base_url` is FedEx's sandbox, production,
    /// or a local fake), staying within `limit`.
    pub fn new(account: CarrierAccount, limit: RateLimit) -> Result<Self, CarrierError> {
        account.check(Carrier::Fedex)?;
        Ok(Self { session: Session::new(Carrier::Fedex, limit, account.timeout)?, account })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.account.base_url.trim_end_matches('/'))
    }

    async fn fetch_token(&self) -> Result<Token, CarrierError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.account.client_id.as_str()),
            ("client_secret", self.account.secret.as_str()),
        ];
        let response = self
            .session
            .http
            .post(self.url("/oauth/token"))
            .form(&form)
            .send()
            .await
            .map_err(|e| self.session.no_answer(&e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| self.session.no_answer(&e))?;
        if !status.is_success() {
            let mut e = self.error(status, &body);
            if e.failure == CarrierFailure::Refused {
                e.failure = CarrierFailure::Credentials;
            }
            return Err(e);
        }
        let v = self.json(&body)?;
        let token =
            v["access_token"].as_str().filter(|t| !t.is_empty()).ok_or_else(|| self.malformed("no access_token"))?;
        let lifetime = v["expires_in"].as_u64().unwrap_or(3600);
        Ok(Token::new(token.to_owned(), Duration::from_secs(lifetime)))
    }

    /// Sends `body` to `path` with `method`; the answer's JSON when FedEx said
    /// yes, its error otherwise.
    async fn call(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<Value, CarrierError> {
        let url = self.url(path);
        let fetch = || self.fetch_token();
        let (status, bytes) = self
            .session
            .send(&fetch, |http| http.request(method.clone(), &url).header("X-locale", "en_US").json(body))
            .await?;
        if !status.is_success() {
            return Err(self.error(status, &bytes));
        }
        self.json(&bytes)
    }

    fn json(&self, body: &[u8]) -> Result<Value, CarrierError> {
        serde_json::from_slice(body).map_err(|e| self.malformed(&format!("the answer is not JSON ({e})")))
    }

    fn malformed(&self, what: &str) -> CarrierError {
        CarrierError::new(Carrier::Fedex, CarrierFailure::NoAnswer, format!("unexpected answer: {what}"))
    }

    /// FedEx's error body, kept whole.
    fn error(&self, status: StatusCode, body: &[u8]) -> CarrierError {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let first = &v["errors"][0];
        let mut e = CarrierError::new(
            Carrier::Fedex,
            failure_of(status),
            first["message"].as_str().map(str::to_owned).unwrap_or_else(|| format!("HTTP {status}")),
        );
        e.status = Some(status.as_u16());
        e.code = first["code"].as_str().map(str::to_owned);
        e.transaction_id = v["transactionId"].as_str().map(str::to_owned);
        e
    }

    fn account_number(&self) -> Value {
        json!({ "value": self.account.account_number })
    }
}

fn address(p: &Party) -> Value {
    let mut a = json!({
        "streetLines": p.lines,
        "city": p.city,
        "postalCode": p.postcode,
        "countryCode": p.country,
    });
    if let Some(r) = p.region.as_deref().filter(|r| !r.is_empty()) {
        a["stateOrProvinceCode"] = json!(r);
    }
    a
}

fn party(p: &Party) -> Value {
    let mut contact = json!({ "personName": p.name, "phoneNumber": p.phone });
    if let Some(c) = p.company.as_deref().filter(|c| !c.is_empty()) {
        contact["companyName"] = json!(c);
    }
    json!({ "contact": contact, "address": address(p) })
}

/// FedEx takes the weight as a JSON number of kilograms (three decimals at
/// most, so the number is exact).
fn weight(grams: u32) -> Value {
    let value: Value = serde_json::from_str(&kilograms(grams).to_string()).unwrap_or(Value::Null);
    json!({ "units": "KG", "value": value })
}

/// A FedEx amount (a JSON number such as `14.57`) in minor units, exactly.
fn money(amount: &Value, currency: &Value) -> Option<(i64, Currency)> {
    let currency = Currency::from_str(currency.as_str()?).ok()?;
    let text = match amount {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let value = rust_decimal::Decimal::from_str(&text).ok()?;
    Some((currency.to_minor(value)?, currency))
}

fn transit_days(word: Option<&str>) -> Option<u32> {
    const DAYS: [&str; 10] = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN"];
    let word = word?.strip_suffix("_DAYS").or_else(|| word?.strip_suffix("_DAY"))?;
    DAYS.iter().position(|d| *d == word).map(|i| i as u32 + 1)
}

/// What a FedEx status code means for the shipment.
fn status_of(code: &str) -> Option<ShipmentStatus> {
    Some(match code {
        "OC" => ShipmentStatus::LabelPurchased,
        "PU" | "IT" | "AR" | "DP" | "AF" | "IX" | "CC" | "PL" | "HL" => ShipmentStatus::InTransit,
        "OD" => ShipmentStatus::OutForDelivery,
        "DL" => ShipmentStatus::Delivered,
        "DE" | "SE" | "DY" | "CD" | "CA" => ShipmentStatus::Exception,
        "RS" | "RP" => ShipmentStatus::Returned,
        _ => return None,
    })
}

fn location(v: &Value) -> Option<String> {
    let parts: Vec<&str> = ["city", "stateOrProvinceCode", "countryCode"]
        .iter()
        .filter_map(|k| v[*k].as_str().filter(|s| !s.is_empty()))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl CarrierApi for Fedex {
    fn carrier(&self) -> Carrier {
        Carrier::Fedex
    }

    async fn quote(&self, req: &RateRequest) -> Result<Vec<Quote>, CarrierError> {
        let mut shipment = json!({
            "shipper": { "address": address(&req.from) },
            "recipient": { "address": address(&req.to) },
            "pickupType": "DROPOFF_AT_FEDEX_LOCATION",
            "rateRequestType": ["ACCOUNT"],
            "requestedPackageLineItems": [{ "weight": weight(req.weight_grams) }],
        });
        if let Some(s) = &req.service {
            shipment["serviceType"] = json!(s);
        }
        let body = json!({ "accountNumber": self.account_number(), "requestedShipment": shipment });
        let v = self.call(reqwest::Method::POST, "/rate/v1/rates/quotes", &body).await?;
        let details =
            v["output"]["rateReplyDetails"].as_array().ok_or_else(|| self.malformed("no rateReplyDetails"))?;
        let mut quotes = Vec::new();
        for d in details {
            let Some(service) = d["serviceType"].as_str() else { continue };
            let rated = d["ratedShipmentDetails"].as_array().and_then(|r| r.first());
            let Some((amount_minor, currency)) = rated.and_then(|r| money(&r["totalNetCharge"], &r["currency"])) else {
                return Err(self.malformed(&format!("no usable price for {service}")));
            };
            quotes.push(Quote {
                carrier: Carrier::Fedex,
                service_code: service.to_owned(),
                service_name: d["serviceName"].as_str().unwrap_or(service).to_owned(),
                amount_minor,
                currency,
                transit_days: transit_days(d["commit"]["transitDays"]["minimumTransitTime"].as_str())
                    .or_else(|| transit_days(d["operationalDetail"]["transitTime"].as_str())),
                cheapest: false,
                fastest: false,
            });
        }
        Ok(quotes)
    }

    async fn buy_label(&self, req: &LabelRequest) -> Result<BoughtLabel, CarrierError> {
        let image = match req.image {
            LabelImage::Zpl => "ZPLII",
            LabelImage::Pdf => "PDF",
        };
        let body = json!({
            "labelResponseOptions": "LABEL",
            "accountNumber": self.account_number(),
            "requestedShipment": {
                "shipper": party(&req.from),
                "recipients": [party(&req.to)],
                "shipDatestamp": req.ship_date,
                "serviceType": req.service_code,
                "packagingType": "YOUR_PACKAGING",
                "pickupType": "USE_SCHEDULED_PICKUP",
                "shippingChargesPayment": { "paymentType": "SENDER" },
                "labelSpecification": { "imageType": image, "labelStockType": "STOCK_4X6" },
                "requestedPackageLineItems": [{
                    "weight": weight(req.weight_grams),
                    "customerReferences": [{ "customerReferenceType": "CUSTOMER_REFERENCE", "value": req.reference }],
                }],
            },
        });
        let v = self.call(reqwest::Method::POST, "/ship/v1/shipments", &body).await?;
        let shipment = &v["output"]["transactionShipments"][0];
        let piece = &shipment["pieceResponses"][0];
        let tracking = piece["trackingNumber"].as_str().ok_or_else(|| self.malformed("no trackingNumber"))?;
        let encoded =
            piece["packageDocuments"][0]["encodedLabel"].as_str().ok_or_else(|| self.malformed("no encodedLabel"))?;
        let label = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| self.malformed(&format!("the label is not base64 ({e})")))?;
        let rate = &shipment["completedShipmentDetail"]["shipmentRating"]["shipmentRateDetails"][0];
        Ok(BoughtLabel {
            tracking_number: tracking.to_owned(),
            shipment_id: shipment["masterTrackingNumber"].as_str().unwrap_or(tracking).to_owned(),
            label,
            file: req.image.into(),
            cost: money(&rate["totalNetCharge"], &rate["currency"]),
            transaction_id: v["transactionId"].as_str().map(str::to_owned),
        })
    }

    async fn void_label(&self, tracking: &str, _shipment_id: &str) -> Result<(), CarrierError> {
        let body = json!({
            "accountNumber": self.account_number(),
            "trackingNumber": tracking,
            "deletionControl": "DELETE_ALL_PACKAGES",
        });
        let v = self.call(reqwest::Method::PUT, "/ship/v1/shipments/cancel", &body).await?;
        if v["output"]["cancelledShipment"].as_bool() == Some(true) {
            Ok(())
        } else {
            let message = v["output"]["message"].as_str().unwrap_or("FedEx did not cancel the shipment");
            Err(CarrierError::new(Carrier::Fedex, CarrierFailure::Refused, message))
        }
    }

    async fn track(&self, numbers: &[String]) -> Result<Vec<TrackResult>, CarrierError> {
        let mut results = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(TRACK_BATCH) {
            let info: Vec<Value> =
                chunk.iter().map(|n| json!({ "trackingNumberInfo": { "trackingNumber": n } })).collect();
            let body = json!({ "includeDetailedScans": true, "trackingInfo": info });
            let v = self.call(reqwest::Method::POST, "/track/v1/trackingnumbers", &body).await?;
            let complete = v["output"]["completeTrackResults"]
                .as_array()
                .ok_or_else(|| self.malformed("no completeTrackResults"))?;
            for c in complete {
                let number = c["trackingNumber"].as_str().unwrap_or_default().to_owned();
                let result = &c["trackResults"][0];
                let mut events: Vec<TrackedEvent> = result["scanEvents"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        let code = e["derivedStatusCode"].as_str().or(e["eventType"].as_str())?;
                        Some(TrackedEvent {
                            occurred_at: Timestamp::parse(e["date"].as_str()?).ok()?,
                            status: status_of(code)?,
                            code: e["eventType"].as_str().unwrap_or(code).to_owned(),
                            description: e["eventDescription"].as_str().unwrap_or_default().to_owned(),
                            location: location(&e["scanLocation"]),
                        })
                    })
                    .collect();
                events.sort_by_key(|e| e.occurred_at);
                results.push(TrackResult { tracking_number: number, events, not_found: !result["error"].is_null() });
            }
        }
        Ok(results)
    }

    async fn check_address(&self, a: &Party) -> Result<AddressVerdict, CarrierError> {
        let body = json!({ "addressesToValidate": [{ "address": address(a) }] });
        let v = self.call(reqwest::Method::POST, "/address/v1/addresses/resolve", &body).await?;
        let resolved = &v["output"]["resolvedAddresses"][0];
        if resolved.is_null() {
            return Err(self.malformed("no resolvedAddresses"));
        }
        if resolved["attributes"]["Resolved"].as_str() == Some("true") {
            return Ok(AddressVerdict::Valid);
        }
        let reason = resolved["customerMessages"][0]["message"]
            .as_str()
            .unwrap_or("FedEx cannot resolve this address")
            .to_owned();
        Ok(AddressVerdict::Invalid { reason })
    }

    async fn close_day(&self, date: &str) -> Result<DayClose, CarrierError> {
        let body = json!({
            "closeReqType": "GCDR",
            "accountNumber": self.account_number(),
            "groundServiceCategory": "GROUND",
            "closeDate": date,
            "closeDocumentSpecification": { "closeDocumentTypes": ["MANIFEST"] },
        });
        let v = self.call(reqwest::Method::PUT, "/ship/v1/endofday/", &body).await?;
        let docs = v["output"]["closeDocuments"].as_array().ok_or_else(|| self.malformed("no closeDocuments"))?;
        let mut documents = Vec::with_capacity(docs.len());
        for d in docs {
            let mut parts: Vec<(i64, Vec<u8>)> = Vec::new();
            for part in d["parts"].as_array().into_iter().flatten() {
                let image =
                    part["image"].as_str().ok_or_else(|| self.malformed("a close document part without image"))?;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(image)
                    .map_err(|e| self.malformed(&format!("a close document is not base64 ({e})")))?;
                parts.push((part["documentPartSequenceNumber"].as_i64().unwrap_or(0), bytes));
            }
            parts.sort_by_key(|(n, _)| *n);
            documents.push(CloseDocument {
                kind: d["type"].as_str().unwrap_or("MANIFEST").to_owned(),
                content: parts.into_iter().flat_map(|(_, b)| b).collect(),
            });
        }
        Ok(DayClose { documents, transaction_id: v["transactionId"].as_str().map(str::to_owned) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_exactly() {
        assert_eq!(money(&json!(14.57), &json!("USD")), Some((1457, Currency::USD)));
        assert_eq!(money(&json!("38.10"), &json!("USD")), Some((3810, Currency::USD)));
        assert_eq!(money(&json!(14.575), &json!("USD")), None);
        assert_eq!(money(&json!(14.57), &json!("dollars")), None);
    }

    #[test]
    fn transit_words_become_days() {
        assert_eq!(transit_days(Some("THREE_DAYS")), Some(3));
        assert_eq!(transit_days(Some("ONE_DAY")), Some(1));
        assert_eq!(transit_days(Some("UNKNOWN")), None);
    }
}
