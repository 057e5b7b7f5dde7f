//! A local stand-in for FedEx's REST APIs as FedEx documents them: OAuth
//! client credentials, Rate quotes, Ship (create with a base64 4×6 label,
//! cancel), Track (up to 30 numbers a call) and Address Validation; errors as
//! `{transactionId, errors: [{code, message}]}`. Faults are injected through
//! [`State`]: expired tokens, `429` with `Retry-After`, `500`, truncated JSON.
//! A recipient postcode of `00000` is an address FedEx cannot resolve.

pub use crate::carrier_fake::State;
use crate::carrier_fake::{Api, CarrierFake, Gate, Sold, body, gate, label};
use base64::Engine;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

/// The API key the fake accepts.
pub const CLIENT_ID: &str = "fedex-client";
/// The secret key the fake accepts.
pub const SECRET: &str = "fedex-secret";
/// The code of a shipment refused for its recipient's postcode.
pub const BAD_POSTCODE_CODE: &str = "RECIPIENTS.POSTALCODE.INVALID";
/// The code of a cancel for a number that is not (or no longer) cancellable.
pub const NOT_FOUND_CODE: &str = "TRACKING.TRACKINGNUMBER.NOTFOUND";

/// FedEx's API as the fake serves it.
pub struct Fedex;

impl Api for Fedex {
    const TOKEN_LIFETIME_SECS: u64 = 3599;
    fn handle(state: &mut State, req: &Request) -> ResponseTemplate {
        handle(state, req)
    }
}

/// The running fake.
pub type FedexFake = CarrierFake<Fedex>;

/// The bytes of the label the fake sells for `tracking` as `image_type` (`ZPLII`, `PDF`).
pub fn label_bytes(image_type: &str, tracking: &str) -> Vec<u8> {
    label("FEDEX", if image_type == "PDF" { "PDF" } else { "ZPL" }, tracking)
}

fn error(state: &mut State, status: u16, code: &str, message: &str) -> ResponseTemplate {
    let (code, message) = match (status, code) {
        (401, _) => ("NOT.AUTHORIZED.ERROR", "Access token expired. Please modify your request and try again."),
        (429, _) => (
            "TOO.MANY.REQUESTS",
            "We have received too many requests in a short duration. Please wait a while to try again.",
        ),
        (500, _) => (
            "INTERNAL.SERVER.ERROR",
            "We encountered an unexpected error and are working to resolve the issue. We apologize for any inconvenience. Please check back at a later time.",
        ),
        _ => (code, message),
    };
    let tx = state.transaction();
    ResponseTemplate::new(status)
        .set_body_json(json!({ "transactionId": tx, "errors": [{ "code": code, "message": message }] }))
}

fn ok(state: &mut State, output: Value) -> ResponseTemplate {
    let tx = state.transaction();
    ResponseTemplate::new(200).set_body_json(json!({ "transactionId": tx, "output": output }))
}

fn form(req: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&req.body).into_owned().collect()
}

fn token(state: &mut State, req: &Request) -> ResponseTemplate {
    let f = form(req);
    let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("grant_type") != Some("client_credentials")
        || get("client_id") != Some(CLIENT_ID)
        || get("client_secret") != Some(SECRET)
    {
        return error(
            state,
            401,
            "NOT.AUTHORIZED.ERROR",
            "The given client credentials were not valid. Please modify your request and try again.",
        )
        .set_body_json(json!({ "transactionId": "fx-auth", "errors": [{ "code": "NOT.AUTHORIZED.ERROR",
            "message": "The given client credentials were not valid. Please modify your request and try again." }] }));
    }
    let t = state.issue_token();
    ResponseTemplate::new(200).set_body_json(
        json!({ "access_token": t, "token_type": "bearer", "expires_in": state.token_lifetime_secs, "scope": "CXS" }),
    )
}

/// Kilograms as a price factor, in cents.
fn weight_cents(v: &Value) -> i64 {
    let kg = v["requestedPackageLineItems"][0]["weight"]["value"].as_f64().unwrap_or(0.0);
    (kg * 100.0).round() as i64
}

fn price(base_cents: i64, weight: i64) -> Value {
    let cents = base_cents + weight * 2;
    serde_json::from_str(&format!("{}.{:02}", cents / 100, cents % 100)).unwrap()
}

fn rates(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let shipment = &b["requestedShipment"];
    if shipment["recipient"]["address"]["postalCode"] == "00000" {
        return error(state, 400, BAD_POSTCODE_CODE, "Recipient postal code or routing code is invalid.");
    }
    let w = weight_cents(shipment);
    let services = [
        ("FEDEX_GROUND", "FedEx Ground®", 1207, "THREE_DAYS"),
        ("FEDEX_2_DAY", "FedEx 2Day®", 3560, "TWO_DAYS"),
        ("PRIORITY_OVERNIGHT", "FedEx Priority Overnight®", 6895, "ONE_DAY"),
    ];
    let only = shipment["serviceType"].as_str();
    let details: Vec<Value> = services
        .iter()
        .filter(|(code, ..)| only.is_none_or(|o| o == *code))
        .map(|(code, name, base, days)| {
            json!({ "serviceType": code, "serviceName": name,
                    "ratedShipmentDetails": [{ "rateType": "ACCOUNT", "totalNetCharge": price(*base, w), "currency": "USD" }],
                    "commit": { "transitDays": { "minimumTransitTime": days } } })
        })
        .collect();
    ok(state, json!({ "rateReplyDetails": details }))
}

fn ship(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let s = &b["requestedShipment"];
    if s["recipients"][0]["address"]["postalCode"] == "00000" {
        return error(state, 400, BAD_POSTCODE_CODE, "Recipient postal code or routing code is invalid.");
    }
    if s["serviceType"].as_str().is_none_or(str::is_empty) {
        return error(state, 400, "SERVICE.TYPE.INVALID", "Invalid service type. Please correct and try again.");
    }
    if weight_cents(s) <= 0 {
        return error(state, 400, "WEIGHT.VALUE.INVALID", "Package weight is missing or invalid.");
    }
    let tracking = format!("7949{:08}", state.sold.len() + 1);
    let image = s["labelSpecification"]["imageType"].as_str().unwrap_or("PDF").to_owned();
    let encoded = base64::engine::general_purpose::STANDARD.encode(label_bytes(&image, &tracking));
    state.sold.push(Sold {
        tracking: tracking.clone(),
        shipment_id: tracking.clone(),
        voided: false,
        scans: Vec::new(),
    });
    state.ship_requests.push(b.clone());
    let references = s["requestedPackageLineItems"][0]["customerReferences"].clone();
    ok(
        state,
        json!({ "transactionShipments": [{
            "masterTrackingNumber": tracking, "serviceType": s["serviceType"], "shipDatestamp": s["shipDatestamp"],
            "pieceResponses": [{ "trackingNumber": tracking, "customerReferences": references,
                "packageDocuments": [{ "contentType": "LABEL", "copiesToPrint": 1, "docType": image, "encodedLabel": encoded }] }],
            "completedShipmentDetail": { "shipmentRating": { "shipmentRateDetails": [
                { "rateType": "PAYOR_ACCOUNT_SHIPMENT", "totalNetCharge": price(1207, weight_cents(s)), "currency": "USD" }] } },
        }] }),
    )
}

fn cancel(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let tracking = b["trackingNumber"].as_str().unwrap_or_default().to_owned();
    match state.parcel(&tracking) {
        Some(p) if !p.voided => {
            p.voided = true;
            state.voided.push(tracking);
            ok(
                state,
                json!({ "cancelledShipment": true, "cancelledHistory": true, "message": "Shipment is successfully cancelled" }),
            )
        }
        _ => {
            error(state, 400, NOT_FOUND_CODE, "Tracking number cannot be found or the shipment was already cancelled.")
        }
    }
}

fn track(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let asked: Vec<String> = b["trackingInfo"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["trackingNumberInfo"]["trackingNumber"].as_str().map(str::to_owned))
        .collect();
    if asked.len() > 30 {
        return error(state, 400, "TRACKING.TRACKINGNUMBER.LIMITEXCEEDED", "At most 30 tracking numbers per request.");
    }
    let results: Vec<Value> = asked
        .iter()
        .map(|n| match state.parcel(n) {
            None => json!({ "trackingNumber": n, "trackResults": [{ "trackingNumberInfo": { "trackingNumber": n },
                "error": { "code": NOT_FOUND_CODE, "message": "Tracking number cannot be found. Please correct the tracking number and try again." } }] }),
            Some(p) => {
                let scans: Vec<Value> = p
                    .scans
                    .iter()
                    .rev()
                    .map(|(code, words, when)| json!({ "date": when, "eventType": code, "eventDescription": words,
                        "derivedStatusCode": code, "scanLocation": { "city": "MEMPHIS", "stateOrProvinceCode": "TN", "countryCode": "US" } }))
                    .collect();
                let latest = p.scans.last().map_or(json!({ "code": "OC", "derivedCode": "OC", "statusByLocale": "Label created", "description": "Shipment information sent to FedEx" }),
                    |(c, w, _)| json!({ "code": c, "derivedCode": c, "statusByLocale": w, "description": w }));
                json!({ "trackingNumber": n, "trackResults": [{ "trackingNumberInfo": { "trackingNumber": n },
                    "latestStatusDetail": latest, "scanEvents": scans }] })
            }
        })
        .collect();
    ok(state, json!({ "completeTrackResults": results }))
}

fn resolve(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    let a = &b["addressesToValidate"][0]["address"];
    let resolved = a["postalCode"] != "00000";
    let messages = if resolved {
        json!([])
    } else {
        json!([{ "code": "STANDARDIZED.ADDRESS.NOTFOUND", "message": "Standardized address is not found." }])
    };
    ok(
        state,
        json!({ "resolvedAddresses": [{ "streetLinesToken": a["streetLines"], "city": a["city"],
            "stateOrProvinceCode": a["stateOrProvinceCode"], "postalCode": a["postalCode"], "countryCode": a["countryCode"],
            "classification": "BUSINESS", "attributes": { "Resolved": resolved.to_string(), "DPV": resolved.to_string() },
            "customerMessages": messages }] }),
    )
}

/// Ground End of Day Close: the Ground labels sold and not voided since the
/// last close, listed on a plain-text manifest (split in two parts, as FedEx
/// may), base64 in `closeDocuments[].parts[].image`.
fn end_of_day(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = body(req);
    if b["closeReqType"] != "GCDR" || b["groundServiceCategory"] != "GROUND" {
        return error(state, 400, "CLOSEREQTYPE.INVALID", "Close request type is invalid.");
    }
    let date = b["closeDate"].as_str().unwrap_or_default().to_owned();
    if chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_err() {
        return error(state, 400, "CLOSEDATE.INVALID", "Close date is invalid. Please provide a valid date.");
    }
    let open: Vec<String> =
        state.sold[state.closed..].iter().filter(|s| !s.voided).map(|s| s.tracking.clone()).collect();
    state.closed = state.sold.len();
    state.day_closes.push(date.clone());
    let mut manifest = format!(
        "FEDEX GROUND PICKUP MANIFEST\nCLOSE DATE {date}\nACCOUNT {}\n",
        b["accountNumber"]["value"].as_str().unwrap_or_default()
    );
    for t in &open {
        manifest.push_str(&format!("{t}\n"));
    }
    manifest.push_str(&format!("TOTAL PACKAGES {}\n", open.len()));
    let (head, tail) = manifest.split_at(manifest.len() / 2);
    let part = |n: i64, text: &str| {
        json!({
            "documentPartSequenceNumber": n,
            "image": base64::engine::general_purpose::STANDARD.encode(text),
        })
    };
    ok(
        state,
        json!({ "closeDocuments": [{
            "type": "MANIFEST", "shippingDocumentDisposition": "RETURNED", "resolution": 0, "copiesToPrint": 1,
            // Sent out of order: the client puts the parts in sequence.
            "parts": [part(2, tail), part(1, head)],
        }] }),
    )
}

fn handle(state: &mut State, req: &Request) -> ResponseTemplate {
    let path = req.url.path().to_owned();
    let method = req.method.as_str().to_owned();
    if path == "/oauth/token" && method == "POST" {
        return token(state, req);
    }
    if let Gate::Answer(r) = gate(state, req, error) {
        return r;
    }
    match (method.as_str(), path.as_str()) {
        ("POST", "/rate/v1/rates/quotes") => rates(state, req),
        ("POST", "/ship/v1/shipments") => ship(state, req),
        ("PUT", "/ship/v1/shipments/cancel") => cancel(state, req),
        ("POST", "/track/v1/trackingnumbers") => track(state, req),
        ("POST", "/address/v1/addresses/resolve") => resolve(state, req),
        ("PUT", "/ship/v1/endofday/") => end_of_day(state, req),
        _ => error(state, 404, "NOT.FOUND.ERROR", "The resource you requested is no longer available."),
    }
}
