//! A local stand-in for UPS's REST APIs as UPS documents them: OAuth client
//! credentials (Basic auth; `expires_in` as text), Rating (`Rate` answers one
//! `RatedShipment` as a bare object, `Shop` a list), Shipping (ship with a
//! base64 ZPL or GIF label, void), Tracking (one number a call) and Address
//! Validation (US and Puerto Rico); errors as `{"response": {"errors": […]}}`.
//! Faults are injected through [`State`]. A recipient postcode of `00000` is
//! an address UPS does not know.

pub use crate::carrier_fake::State;
use crate::carrier_fake::{Api, CarrierFake, Gate, Sold, body, gate, label};
use base64::Engine;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

/// The client id the fake accepts.
pub const CLIENT_ID: &str = "ups-client";
/// The client secret the fake accepts.
pub const SECRET: &str = "ups-secret";
/// The code of a shipment refused for its recipient's postcode.
pub const BAD_POSTCODE_CODE: &str = "120802";
/// The code of a void for a shipment that cannot be voided.
pub const VOID_REFUSED_CODE: &str = "190117";
/// The code when `transId` or `transactionSrc` is missing.
pub const MISSING_HEADER_CODE: &str = "250003";

/// UPS's API as the fake serves it.
pub struct Ups;

impl Api for Ups {
    const TOKEN_LIFETIME_SECS: u64 = 14399;
    fn handle(state: &mut State, req: &Request) -> ResponseTemplate {
        handle(state, req)
    }
}

/// The running fake.
pub type UpsFake = CarrierFake<Ups>;

/// The bytes of the label the fake sells for `tracking` as `format` (`ZPL`, `GIF`).
pub fn label_bytes(format: &str, tracking: &str) -> Vec<u8> {
    label("UPS", if format == "GIF" { "GIF" } else { "ZPL" }, tracking)
}

fn error(_: &mut State, status: u16, code: &str, message: &str) -> ResponseTemplate {
    let (code, message) = match status {
        401 => ("250002", "Invalid Authentication Information."),
        429 => ("429", "Too Many Requests"),
        500 => ("9999", "An unexpected error occurred"),
        _ => (code, message),
    };
    ResponseTemplate::new(status)
        .set_body_json(json!({ "response": { "errors": [{ "code": code, "message": message }] } }))
}

fn success() -> Value {
    json!({ "ResponseStatus": { "Code": "1", "Description": "Success" } })
}

fn token(state: &mut State, req: &Request) -> ResponseTemplate {
    let expected =
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{SECRET}")));
    let auth = req.headers.get("authorization").and_then(|v| v.to_str().ok());
    let grant = url::form_urlencoded::parse(&req.body).any(|(k, v)| k == "grant_type" && v == "client_credentials");
    if auth != Some(expected.as_str()) || !grant {
        return ResponseTemplate::new(401).set_body_json(
            json!({ "response": { "errors": [{ "code": "10401", "message": "ClientId is Invalid" }] } }),
        );
    }
    let t = state.issue_token();
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer", "issued_at": "1780000000000", "client_id": CLIENT_ID, "access_token": t,
        "expires_in": state.token_lifetime_secs.to_string(), "refresh_count": "0", "status": "approved",
    }))
}

fn kilograms(package: &Value) -> f64 {
    package["PackageWeight"]["Weight"].as_str().and_then(|w| w.parse().ok()).unwrap_or(0.0)
}

fn money(base_cents: i64, kg: f64) -> Value {
    let cents = base_cents + (kg * 200.0).round() as i64;
    json!({ "CurrencyCode": "USD", "MonetaryValue": format!("{}.{:02}", cents / 100, cents % 100) })
}

fn rate(state: &mut State, req: &Request, option: &str) -> ResponseTemplate {
    let b = body(req);
    let s = &b["RateRequest"]["Shipment"];
    if s["ShipTo"]["Address"]["PostalCode"] == "00000" {
        return error(state, 400, BAD_POSTCODE_CODE, "Invalid ShipTo postal code");
    }
    let kg = kilograms(&s["Package"]);
    let all = [("03", 1102, "3"), ("02", 2875, "2"), ("01", 5320, "1")];
    let rated: Vec<Value> = all
        .iter()
        .filter(|(code, ..)| option == "Shop" || s["Service"]["Code"] == *code)
        .map(|(code, base, days)| {
            json!({ "Service": { "Code": code, "Description": "" }, "TotalCharges": money(*base, kg),
            "GuaranteedDelivery": { "BusinessDaysInTransit": days } })
        })
        .collect();
    let rated = match rated.len() {
        0 => {
            return error(state, 400, "111210", "The requested service is unavailable between the selected locations.");
        }
        1 => rated.into_iter().next().unwrap_or(Value::Null),
        _ => Value::Array(rated),
    };
    ResponseTemplate::new(200)
        .set_body_json(json!({ "RateResponse": { "Response": success(), "RatedShipment": rated } }))
}

fn ship(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let s = &b["ShipmentRequest"]["Shipment"];
    if s["ShipTo"]["Address"]["PostalCode"] == "00000" {
        return error(state, 400, BAD_POSTCODE_CODE, "Invalid ShipTo postal code");
    }
    if s["Service"]["Code"].as_str().is_none_or(str::is_empty) {
        return error(state, 400, "120100", "Missing or invalid service code");
    }
    let format =
        b["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"].as_str().unwrap_or("GIF").to_owned();
    let n = state.sold.len() + 1;
    let tracking = format!("1Z999AA1{n:010}");
    let shipment_id = format!("1Z999AA1{n:010}");
    let bytes = if format == "GIF" && state.blank_gif_next > 0 {
        state.blank_gif_next -= 1;
        crate::gif_label::blank()
    } else {
        label_bytes(&format, &tracking)
    };
    let image = base64::engine::general_purpose::STANDARD.encode(bytes);
    state.sold.push(Sold {
        tracking: tracking.clone(),
        shipment_id: shipment_id.clone(),
        voided: false,
        scans: Vec::new(),
    });
    state.ship_requests.push(b.clone());
    let kg = kilograms(&s["Package"]);
    ResponseTemplate::new(200).set_body_json(json!({ "ShipmentResponse": {
        "Response": { "ResponseStatus": { "Code": "1", "Description": "Success" }, "TransactionReference": { "CustomerContext": "" } },
        "ShipmentResults": {
            "ShipmentCharges": { "TotalCharges": money(1102, kg) },
            "BillingWeight": { "UnitOfMeasurement": { "Code": "KGS" }, "Weight": format!("{:.1}", kg.ceil()) },
            "ShipmentIdentificationNumber": shipment_id,
            "PackageResults": { "TrackingNumber": tracking, "ShippingLabel": { "ImageFormat": { "Code": format }, "GraphicImage": image } },
        },
    } }))
}

fn void(state: &mut State, id: &str) -> ResponseTemplate {
    match state.parcel(id) {
        Some(p) if !p.voided => {
            p.voided = true;
            let tracking = p.tracking.clone();
            state.voided.push(tracking);
            ResponseTemplate::new(200).set_body_json(json!({ "VoidShipmentResponse": { "Response": success(),
                "SummaryResult": { "Status": { "Code": "1", "Description": "Voided" } } } }))
        }
        _ => error(state, 400, VOID_REFUSED_CODE, "The shipment cannot be voided: it is unknown or already voided"),
    }
}

fn track(state: &mut State, number: &str) -> ResponseTemplate {
    let Some(p) = state.parcel(number) else {
        return error(state, 404, "TW0001", "Tracking Information Not Found");
    };
    let activity: Vec<Value> = p
        .scans
        .iter()
        .rev()
        .map(|(kind, words, when)| {
            let t = chrono::DateTime::parse_from_rfc3339(when).expect("RFC 3339 scan time");
            json!({ "location": { "address": { "city": "ATLANTA", "stateProvince": "GA", "countryCode": "US" } },
                    "status": { "type": kind, "description": words, "code": kind, "statusCode": "000" },
                    "date": t.format("%Y%m%d").to_string(), "time": t.format("%H%M%S").to_string() })
        })
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({ "trackResponse": { "shipment": [{ "inquiryNumber": number,
        "package": [{ "trackingNumber": p.tracking, "activity": activity }] }] } }))
}

fn validate(req: &Request) -> ResponseTemplate {
    let b = body(req);
    let key = &b["XAVRequest"]["AddressKeyFormat"];
    let answer = if key["PostcodePrimaryLow"] == "00000" {
        json!({ "Response": success(), "NoCandidatesIndicator": "" })
    } else {
        json!({ "Response": success(), "ValidAddressIndicator": "", "Candidate": { "AddressKeyFormat": key } })
    };
    ResponseTemplate::new(200).set_body_json(json!({ "XAVResponse": answer }))
}

fn handle(state: &mut State, req: &Request) -> ResponseTemplate {
    let path = req.url.path().to_owned();
    let method = req.method.as_str().to_owned();
    if path == "/security/v1/oauth/token" && method == "POST" {
        return token(state, req);
    }
    if let Gate::Answer(r) = gate(state, req, error) {
        return r;
    }
    if !req.headers.contains_key("transid") || !req.headers.contains_key("transactionsrc") {
        return error(state, 400, MISSING_HEADER_CODE, "Missing transId or transactionSrc header");
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), parts.as_slice()) {
        ("POST", ["api", "rating", _, option]) => rate(state, req, option),
        ("POST", ["api", "shipments", _, "ship"]) => ship(state, req),
        ("DELETE", ["api", "shipments", _, "void", "cancel", id]) => void(state, id),
        ("GET", ["api", "track", "v1", "details", number]) => track(state, number),
        ("POST", ["api", "addressvalidation", _, _]) => validate(req),
        _ => error(state, 404, "404", "Resource not found"),
    }
}
