//! UPS's REST APIs: OAuth client credentials (`/security/v1/oauth/token`,
//! Basic auth), Rating (`/api/rating/{version}/{Rate|Shop}`), Shipping
//! (`/api/shipments/{version}/ship`, `…/void/cancel/{id}`), Tracking
//! (`/api/track/v1/details/{number}`, one number a call) and Address
//! Validation (`/api/addressvalidation/{version}/1`, United States and Puerto
//! Rico only). Errors come as `{"response": {"errors": [{code, message}]}}`;
//! a list of one is often sent as a bare object, so both are read.

use super::error::{CarrierError, CarrierFailure};
use super::session::{RateLimit, Session, Token, failure_of};
use super::types::{
    AddressVerdict, BoughtLabel, DayClose, LabelFile, LabelImage, LabelRequest, Party, Quote, RateRequest, TrackResult,
    TrackedEvent, kilograms,
};
use super::{CarrierApi, account::CarrierAccount};
use crate::documents::label::raster::gif_label_to_png;
use crate::domain::{Carrier, Currency, ShipmentStatus, Timestamp};
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// UPS publishes no figure per account; this stays well inside what it
/// serves a busy shipper.
pub const UPS_LIMIT: RateLimit = RateLimit { calls: 500, per: Duration::from_secs(10) };
/// The API versions called.
const RATING: &str = "v2409";
const SHIPPING: &str = "v2409";
const ADDRESS: &str = "v2";

/// A UPS account's client.
#[derive(Debug)]
pub struct Ups {
    account: CarrierAccount,
    session: Session,
    sequence: AtomicU64,
}

impl Ups {
    /// A client for `account` (its `base_url` is UPS's CIE, production, or a
    /// local fake), staying within `limit`.
    pub fn new(account: CarrierAccount, limit: RateLimit) -> Result<Self, CarrierError> {
        account.check(Carrier::Ups)?;
        Ok(Self { session: Session::new(Carrier::Ups, limit, account.timeout)?, account, sequence: AtomicU64::new(0) })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.account.base_url.trim_end_matches('/'))
    }

    async fn fetch_token(&self) -> Result<Token, CarrierError> {
        let response = self
            .session
            .http
            .post(self.url("/security/v1/oauth/token"))
            .basic_auth(&self.account.client_id, Some(&self.account.secret))
            .header("x-merchant-id", &self.account.account_number)
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| self.session.no_answer(&e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| self.session.no_answer(&e))?;
        if !status.is_success() {
            let mut e = self.error(status, &body, None);
            if e.failure == CarrierFailure::Refused {
                e.failure = CarrierFailure::Credentials;
            }
            return Err(e);
        }
        let v = self.json(&body)?;
        let token =
            v["access_token"].as_str().filter(|t| !t.is_empty()).ok_or_else(|| self.malformed("no access_token"))?;
        // UPS sends the lifetime as text ("14399").
        let lifetime = match &v["expires_in"] {
            Value::String(s) => s.trim().parse().ok(),
            other => other.as_u64(),
        };
        Ok(Token::new(token.to_owned(), Duration::from_secs(lifetime.unwrap_or(3600))))
    }

    /// Sends `body` (if any) to `path`; the answer's JSON when UPS said yes,
    /// its error otherwise. Each call carries its own `transId`.
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value, CarrierError> {
        let url = self.url(path);
        let trans_id = format!("md{:x}{:06}", std::process::id(), self.sequence.fetch_add(1, Ordering::Relaxed));
        let fetch = || self.fetch_token();
        let (status, bytes) = self
            .session
            .send(&fetch, |http| {
                let r = http
                    .request(method.clone(), &url)
                    .header("transId", &trans_id)
                    .header("transactionSrc", "marketdesk");
                match body {
                    Some(b) => r.json(b),
                    None => r,
                }
            })
            .await
            .map_err(|mut e| {
                e.transaction_id = Some(trans_id.clone());
                e
            })?;
        if !status.is_success() {
            return Err(self.error(status, &bytes, Some(&trans_id)));
        }
        self.json(&bytes).map_err(|mut e| {
            e.transaction_id = Some(trans_id.clone());
            e
        })
    }

    fn json(&self, body: &[u8]) -> Result<Value, CarrierError> {
        serde_json::from_slice(body).map_err(|e| self.malformed(&format!("the answer is not JSON ({e})")))
    }

    fn malformed(&self, what: &str) -> CarrierError {
        CarrierError::new(Carrier::Ups, CarrierFailure::NoAnswer, format!("unexpected answer: {what}"))
    }

    /// UPS's error body, kept whole, with the `transId` the call carried.
    fn error(&self, status: StatusCode, body: &[u8], trans_id: Option<&str>) -> CarrierError {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let first = one(&v["response"]["errors"]);
        let mut e = CarrierError::new(
            Carrier::Ups,
            failure_of(status),
            first["message"].as_str().map(str::to_owned).unwrap_or_else(|| format!("HTTP {status}")),
        );
        e.status = Some(status.as_u16());
        e.code = first["code"].as_str().map(str::to_owned);
        e.transaction_id = trans_id.map(str::to_owned);
        e
    }

    fn shipper(&self, p: &Party) -> Value {
        let mut s = named(p);
        s["ShipperNumber"] = json!(self.account.account_number);
        s
    }
}

/// The first of a UPS "list", which is a bare object when it holds one.
fn one(v: &Value) -> &Value {
    match v {
        Value::Array(items) => items.first().unwrap_or(&Value::Null),
        other => other,
    }
}

/// A UPS "list" as a slice of values, whichever way it came.
fn many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn address(p: &Party) -> Value {
    let mut a = json!({
        "AddressLine": p.lines,
        "City": p.city,
        "PostalCode": p.postcode,
        "CountryCode": p.country,
    });
    if let Some(r) = p.region.as_deref().filter(|r| !r.is_empty()) {
        a["StateProvinceCode"] = json!(r);
    }
    a
}

fn named(p: &Party) -> Value {
    let name = p.company.as_deref().filter(|c| !c.is_empty()).unwrap_or(&p.name);
    let mut v = json!({ "Name": name, "AttentionName": p.name, "Address": address(p) });
    if !p.phone.trim().is_empty() {
        v["Phone"] = json!({ "Number": p.phone });
    }
    v
}

fn weight(grams: u32) -> Value {
    json!({ "UnitOfMeasurement": { "Code": "KGS" }, "Weight": kilograms(grams).to_string() })
}

fn money(v: &Value) -> Option<(i64, Currency)> {
    let currency = Currency::from_str(v["CurrencyCode"].as_str()?).ok()?;
    let amount = rust_decimal::Decimal::from_str(v["MonetaryValue"].as_str()?.trim()).ok()?;
    Some((currency.to_minor(amount)?, currency))
}

/// UPS's names for its service codes.
fn service_name(code: &str) -> &'static str {
    match code {
        "01" => "UPS Next Day Air",
        "02" => "UPS 2nd Day Air",
        "03" => "UPS Ground",
        "07" => "UPS Worldwide Express",
        "08" => "UPS Worldwide Expedited",
        "11" => "UPS Standard",
        "12" => "UPS 3 Day Select",
        "13" => "UPS Next Day Air Saver",
        "14" => "UPS Next Day Air Early",
        "54" => "UPS Worldwide Express Plus",
        "59" => "UPS 2nd Day Air A.M.",
        "65" => "UPS Worldwide Saver",
        _ => "UPS",
    }
}

/// What a UPS activity's status type means for the shipment.
fn status_of(kind: &str) -> Option<ShipmentStatus> {
    Some(match kind {
        "M" | "MV" => ShipmentStatus::LabelPurchased,
        "P" | "I" => ShipmentStatus::InTransit,
        "O" => ShipmentStatus::OutForDelivery,
        "D" => ShipmentStatus::Delivered,
        "X" => ShipmentStatus::Exception,
        "RS" => ShipmentStatus::Returned,
        _ => return None,
    })
}

/// UPS gives an activity's local date and time (`20261204`, `101500`) with no
/// zone; it is kept as if UTC.
fn activity_time(date: &str, time: &str) -> Option<Timestamp> {
    let t = chrono::NaiveDateTime::parse_from_str(&format!("{date}{time:0<6}"), "%Y%m%d%H%M%S").ok()?;
    Some(Timestamp::from(t.and_utc()))
}

impl CarrierApi for Ups {
    fn carrier(&self) -> Carrier {
        Carrier::Ups
    }

    async fn quote(&self, req: &RateRequest) -> Result<Vec<Quote>, CarrierError> {
        let mut shipment = json!({
            "Shipper": self.shipper(&req.from),
            "ShipTo": named(&req.to),
            "ShipFrom": named(&req.from),
            "Package": { "PackagingType": { "Code": "02" }, "PackageWeight": weight(req.weight_grams) },
        });
        let option = match &req.service {
            Some(code) => {
                shipment["Service"] = json!({ "Code": code });
                "Rate"
            }
            None => "Shop",
        };
        let body = json!({ "RateRequest": { "Request": { "RequestOption": option }, "Shipment": shipment } });
        let v = self.call(reqwest::Method::POST, &format!("/api/rating/{RATING}/{option}"), Some(&body)).await?;
        let rated = many(&v["RateResponse"]["RatedShipment"]);
        if rated.is_empty() {
            return Err(self.malformed("no RatedShipment"));
        }
        rated
            .into_iter()
            .map(|r| {
                let code = r["Service"]["Code"].as_str().ok_or_else(|| self.malformed("a rate without a service"))?;
                let (amount_minor, currency) =
                    money(&r["TotalCharges"]).ok_or_else(|| self.malformed(&format!("no usable price for {code}")))?;
                Ok(Quote {
                    carrier: Carrier::Ups,
                    service_code: code.to_owned(),
                    service_name: service_name(code).to_owned(),
                    amount_minor,
                    currency,
                    transit_days: r["GuaranteedDelivery"]["BusinessDaysInTransit"]
                        .as_str()
                        .and_then(|d| d.parse().ok()),
                    cheapest: false,
                    fastest: false,
                })
            })
            .collect()
    }

    async fn buy_label(&self, req: &LabelRequest) -> Result<BoughtLabel, CarrierError> {
        // UPS draws ZPL for thermal printers and GIF (not PDF) for the rest:
        // a GIF is read here and kept as a PNG, put on a page when printed.
        let format = match req.image {
            LabelImage::Zpl => "ZPL",
            LabelImage::Pdf => "GIF",
        };
        let body = json!({ "ShipmentRequest": {
            "Request": { "RequestOption": "nonvalidate" },
            "Shipment": {
                "Description": req.reference,
                "Shipper": self.shipper(&req.from),
                "ShipTo": named(&req.to),
                "ShipFrom": named(&req.from),
                "PaymentInformation": { "ShipmentCharge": {
                    "Type": "01", "BillShipper": { "AccountNumber": self.account.account_number },
                } },
                "Service": { "Code": req.service_code },
                "Package": {
                    "Packaging": { "Code": "02" },
                    "PackageWeight": weight(req.weight_grams),
                    "ReferenceNumber": { "Value": req.reference },
                },
            },
            "LabelSpecification": {
                "LabelImageFormat": { "Code": format },
                "LabelStockSize": { "Height": "6", "Width": "4" },
            },
        } });
        let v = self.call(reqwest::Method::POST, &format!("/api/shipments/{SHIPPING}/ship"), Some(&body)).await?;
        let results = &v["ShipmentResponse"]["ShipmentResults"];
        let package = one(&results["PackageResults"]);
        let tracking = package["TrackingNumber"].as_str().ok_or_else(|| self.malformed("no TrackingNumber"))?;
        let image =
            package["ShippingLabel"]["GraphicImage"].as_str().ok_or_else(|| self.malformed("no GraphicImage"))?;
        let label = base64::engine::general_purpose::STANDARD
            .decode(image)
            .map_err(|e| self.malformed(&format!("the label is not base64 ({e})")))?;
        let (label, file) = match req.image {
            LabelImage::Zpl => (label, LabelFile::Zpl),
            LabelImage::Pdf => (
                gif_label_to_png(&label).map_err(|e| self.malformed(&format!("label {tracking}: {e}")))?,
                LabelFile::Png,
            ),
        };
        Ok(BoughtLabel {
            tracking_number: tracking.to_owned(),
            shipment_id: results["ShipmentIdentificationNumber"].as_str().unwrap_or(tracking).to_owned(),
            label,
            file,
            cost: money(&results["ShipmentCharges"]["TotalCharges"]),
            transaction_id: None,
        })
    }

    async fn void_label(&self, _tracking: &str, shipment_id: &str) -> Result<(), CarrierError> {
        let path = format!("/api/shipments/{SHIPPING}/void/cancel/{shipment_id}");
        let v = self.call(reqwest::Method::DELETE, &path, None).await?;
        let status = &v["VoidShipmentResponse"]["SummaryResult"]["Status"];
        if status["Code"].as_str() == Some("1") {
            Ok(())
        } else {
            let words = status["Description"].as_str().unwrap_or("UPS did not void the shipment");
            Err(CarrierError::new(Carrier::Ups, CarrierFailure::Refused, words))
        }
    }

    async fn track(&self, numbers: &[String]) -> Result<Vec<TrackResult>, CarrierError> {
        let mut results = Vec::with_capacity(numbers.len());
        for number in numbers {
            let path = format!("/api/track/v1/details/{number}?locale=en_US&returnSignature=false");
            let v = match self.call(reqwest::Method::GET, &path, None).await {
                Ok(v) => v,
                Err(e) if e.status == Some(404) => {
                    results.push(TrackResult { tracking_number: number.clone(), events: Vec::new(), not_found: true });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let shipment = one(&v["trackResponse"]["shipment"]);
            let package = one(&shipment["package"]);
            let mut events: Vec<TrackedEvent> = many(&package["activity"])
                .into_iter()
                .filter_map(|a| {
                    let kind = a["status"]["type"].as_str()?;
                    let place = &a["location"]["address"];
                    let parts: Vec<&str> = ["city", "stateProvince", "countryCode"]
                        .iter()
                        .filter_map(|k| place[*k].as_str().filter(|s| !s.is_empty()))
                        .collect();
                    Some(TrackedEvent {
                        occurred_at: activity_time(a["date"].as_str()?, a["time"].as_str().unwrap_or("000000"))?,
                        status: status_of(kind)?,
                        code: a["status"]["code"].as_str().unwrap_or(kind).to_owned(),
                        description: a["status"]["description"].as_str().unwrap_or_default().to_owned(),
                        location: (!parts.is_empty()).then(|| parts.join(", ")),
                    })
                })
                .collect();
            events.sort_by_key(|e| e.occurred_at);
            results.push(TrackResult { tracking_number: number.clone(), events, not_found: false });
        }
        Ok(results)
    }

    async fn check_address(&self, a: &Party) -> Result<AddressVerdict, CarrierError> {
        if !matches!(a.country.as_str(), "US" | "PR") {
            return Ok(AddressVerdict::NotChecked);
        }
        let mut key = json!({
            "AddressLine": a.lines,
            "PoliticalDivision2": a.city,
            "PostcodePrimaryLow": a.postcode,
            "CountryCode": a.country,
        });
        if let Some(r) = a.region.as_deref() {
            key["PoliticalDivision1"] = json!(r);
        }
        let body = json!({ "XAVRequest": { "AddressKeyFormat": key } });
        let v = self.call(reqwest::Method::POST, &format!("/api/addressvalidation/{ADDRESS}/1"), Some(&body)).await?;
        let answer = &v["XAVResponse"];
        if answer.get("ValidAddressIndicator").is_some() {
            Ok(AddressVerdict::Valid)
        } else if answer.get("AmbiguousAddressIndicator").is_some() {
            Ok(AddressVerdict::Invalid {
                reason: "UPS finds several addresses that match: add the missing detail".into(),
            })
        } else if answer.get("NoCandidatesIndicator").is_some() {
            Ok(AddressVerdict::Invalid { reason: "UPS knows no such address".into() })
        } else {
            Err(self.malformed("no address indicator"))
        }
    }

    async fn close_day(&self, _date: &str) -> Result<DayClose, CarrierError> {
        Err(CarrierError::new(
            Carrier::Ups,
            CarrierFailure::Refused,
            "UPS has no end-of-day close: its driver scans the parcels at pick-up; print the manifest for the handover",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_one_may_come_bare() {
        let bare = json!({ "a": 1 });
        assert_eq!(many(&bare).len(), 1);
        assert_eq!(many(&json!([1, 2])).len(), 2);
        assert!(many(&Value::Null).is_empty());
        assert_eq!(one(&json!([{ "x": 1 }]))["x"], json!(1));
    }

    #[test]
    fn prices_and_times_are_read_exactly() {
        let m = json!({ "CurrencyCode": "USD", "MonetaryValue": "13.22" });
        assert_eq!(money(&m), Some((1322, Currency::USD)));
        assert_eq!(activity_time("20261204", "101500").unwrap().to_text().get(..19), Some("2026-12-04T10:15:00"));
        assert!(activity_time("2026-12-04", "").is_none());
    }
}
