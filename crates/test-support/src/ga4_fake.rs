//! A local Google Analytics 4 Measurement Protocol: `POST /mp/collect` and
//! the validation server `POST /debug/mp/collect`, both taking
//! `measurement_id` and `api_secret` in the query and one client's events in
//! the body. The validation server checks the documented rules and answers
//! `{"validationMessages": [...]}` with Google's field paths and codes; the
//! collect endpoint answers `204` to anything (as Google's does) and keeps
//! what it was sent. Faults: the next N calls answer `503`.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Event names Google keeps for itself.
const RESERVED_EVENTS: [&str; 15] = [
    "ad_activeview",
    "ad_click",
    "ad_exposure",
    "ad_query",
    "adunit_exposure",
    "app_clear_data",
    "app_install",
    "app_remove",
    "error",
    "first_open",
    "first_visit",
    "in_app_purchase",
    "notification_open",
    "session_start",
    "user_engagement",
];
/// Parameter and property prefixes Google keeps for itself.
const RESERVED_PREFIXES: [&str; 3] = ["google_", "ga_", "firebase_"];

/// What the fake saw and how it answers.
#[derive(Debug, Default)]
pub struct State {
    /// The next N calls answer `503`.
    pub fail_next: usize,
    /// Bodies put to the validation server.
    pub validated: Vec<Value>,
    /// Bodies sent to `/mp/collect` (what would reach reports).
    pub collected: Vec<Value>,
    /// Query strings seen, in order.
    pub queries: Vec<String>,
}

/// The fake and its state.
pub struct Ga4Fake {
    /// The server (its `uri()` is the client's base).
    pub server: MockServer,
    /// What it saw.
    pub state: Arc<Mutex<State>>,
}

/// Starts a fake.
pub async fn start() -> Ga4Fake {
    let server = MockServer::start().await;
    let state = Arc::new(Mutex::new(State::default()));
    Mock::given(any()).respond_with(Answer(Arc::clone(&state))).mount(&server).await;
    Ga4Fake { server, state }
}

struct Answer(Arc<Mutex<State>>);

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 40
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn message(path: &str, description: String, code: &str) -> Value {
    json!({ "fieldPath": path, "description": description, "validationCode": code })
}

/// Google's documented rules for one request body.
pub fn validate(body: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match body.get("client_id").and_then(Value::as_str) {
        Some(c) if !c.is_empty() => {}
        _ => out.push(message("client_id", "Measurement requires a client_id.".into(), "VALUE_REQUIRED")),
    }
    let Some(events) = body.get("events").and_then(Value::as_array) else {
        out.push(message("events", "Measurement requires events.".into(), "VALUE_REQUIRED"));
        return out;
    };
    if events.len() > 25 {
        out.push(message(
            "events",
            format!("A request has {} events, the limit is 25.", events.len()),
            "EXCEEDED_MAX_ENTITIES",
        ));
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64);
    for (i, e) in events.iter().enumerate() {
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        if !valid_name(name) {
            out.push(message(
                "events",
                format!(
                    "Event at index: [{i}] has invalid name [{name}]. Names must start with an alphabetic character."
                ),
                "NAME_INVALID",
            ));
        } else if RESERVED_EVENTS.contains(&name) {
            out.push(message("events", format!("Event at index: [{i}] has reserved name [{name}]."), "NAME_RESERVED"));
        }
        if let Some(t) = e.get("timestamp_micros").and_then(Value::as_i64)
            && (t < now - 72 * 3_600_000_000 || t > now + 60_000_000)
        {
            out.push(message(
                &format!("events[{i}].timestamp_micros"),
                "Timestamps may be at most 72 hours in the past.".into(),
                "VALUE_OUT_OF_BOUNDS",
            ));
        }
        let params = e.get("params").and_then(Value::as_object).cloned().unwrap_or_default();
        if params.len() > 25 {
            out.push(message(&format!("events[{i}].params"), "Too many parameters.".into(), "EXCEEDED_MAX_ENTITIES"));
        }
        for (key, value) in &params {
            let at = format!("events[{i}].params.{key}");
            if !valid_name(key) {
                out.push(message(&at, format!("Parameter name [{key}] is invalid."), "NAME_INVALID"));
            }
            if RESERVED_PREFIXES.iter().any(|p| key.starts_with(p)) {
                out.push(message(&at, format!("Parameter name [{key}] uses a reserved prefix."), "NAME_RESERVED"));
            }
            if value.as_str().is_some_and(|s| s.chars().count() > 100) {
                out.push(message(&at, "Parameter values are at most 100 characters.".into(), "VALUE_OUT_OF_BOUNDS"));
            }
        }
        if params.contains_key("value") && !params.get("currency").is_some_and(Value::is_string) {
            out.push(message(
                &format!("events[{i}].params.currency"),
                "Currency is required with a value.".into(),
                "VALUE_REQUIRED",
            ));
        }
        if params.get("value").is_some_and(|v| !v.is_number()) {
            out.push(message(&format!("events[{i}].params.value"), "Value must be a number.".into(), "VALUE_INVALID"));
        }
        for (j, item) in params.get("items").and_then(Value::as_array).into_iter().flatten().enumerate() {
            if item.get("item_id").is_none() && item.get("item_name").is_none() {
                out.push(message(
                    &format!("events[{i}].params.items[{j}]"),
                    "An item needs an item_id or an item_name.".into(),
                    "VALUE_REQUIRED",
                ));
            }
            if item.get("price").is_some_and(|p| !p.is_number()) {
                out.push(message(
                    &format!("events[{i}].params.items[{j}].price"),
                    "Price must be a number.".into(),
                    "VALUE_INVALID",
                ));
            }
        }
    }
    if let Some(props) = body.get("user_properties").and_then(Value::as_object) {
        for (key, value) in props {
            if !valid_name(key) || RESERVED_PREFIXES.iter().any(|p| key.starts_with(p)) {
                out.push(message(
                    &format!("user_properties.{key}"),
                    format!("User property [{key}] is invalid."),
                    "NAME_INVALID",
                ));
            }
            if value.get("value").is_none() {
                out.push(message(
                    &format!("user_properties.{key}"),
                    "A user property needs a value.".into(),
                    "VALUE_REQUIRED",
                ));
            }
        }
    }
    out
}

impl Respond for Answer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        state.queries.push(request.url.query().unwrap_or_default().to_owned());
        if state.fail_next > 0 {
            state.fail_next -= 1;
            return ResponseTemplate::new(503).set_body_string("Service Unavailable");
        }
        let query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        let has = |k: &str| query.iter().any(|(q, v)| q == k && !v.is_empty());
        if request.method.as_str() != "POST" || !has("measurement_id") || !has("api_secret") {
            return ResponseTemplate::new(400).set_body_string("measurement_id and api_secret are required");
        }
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return ResponseTemplate::new(400).set_body_string("the body is not JSON");
        };
        match request.url.path() {
            "/debug/mp/collect" => {
                let messages = validate(&body);
                state.validated.push(body);
                ResponseTemplate::new(200).set_body_json(json!({ "validationMessages": messages }))
            }
            "/mp/collect" => {
                state.collected.push(body);
                ResponseTemplate::new(204)
            }
            _ => ResponseTemplate::new(404),
        }
    }
}
