//! What the FedEx and UPS fakes share: OAuth tokens that can be made to
//! expire, faults injected into the next calls (`429` with `Retry-After`,
//! `500`, a truncated body), a log of every call, and parcels remembered with
//! their scans so tracking can answer.

use serde_json::Value;
use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A parcel a fake sold, with the scans pushed for it (newest last).
#[derive(Debug, Clone)]
pub struct Sold {
    /// Its tracking number.
    pub tracking: String,
    /// The carrier's shipment id (UPS's shipment identification number).
    pub shipment_id: String,
    /// Voided since.
    pub voided: bool,
    /// (code, description, RFC 3339 time).
    pub scans: Vec<(String, String, String)>,
}

/// The state of a carrier fake: how it answers and what it saw.
#[derive(Debug, Default)]
pub struct State {
    /// `expires_in` of the tokens issued.
    pub token_lifetime_secs: u64,
    /// Tokens issued so far.
    pub tokens_issued: usize,
    /// Tokens that still work.
    pub valid_tokens: HashSet<String>,
    /// The next N API calls answer `429`.
    pub throttle_next: usize,
    /// The `Retry-After` a `429` carries.
    pub retry_after_secs: u64,
    /// `429`s answered.
    pub throttled: usize,
    /// The next N API calls answer `500`.
    pub fail_next: usize,
    /// The next N API calls answer `200` with a truncated body.
    pub malformed_next: usize,
    /// The next N labels sold as GIF are blank pictures.
    pub blank_gif_next: usize,
    /// Faults hit only calls whose path starts with this (any call when none).
    pub fault_path: Option<String>,
    /// Every request seen: (method, path).
    pub calls: Vec<(String, String)>,
    /// When each request arrived.
    pub call_times: Vec<std::time::Instant>,
    /// The bodies of ship calls that sold a label.
    pub ship_requests: Vec<Value>,
    /// Tracking numbers voided, in order.
    pub voided: Vec<String>,
    /// Parcels sold.
    pub sold: Vec<Sold>,
    /// Transaction counter.
    pub transactions: usize,
    /// How many of `sold` an end-of-day close has taken (FedEx Ground).
    pub closed: usize,
    /// The dates closed, in order.
    pub day_closes: Vec<String>,
}

impl State {
    pub(crate) fn new(token_lifetime_secs: u64) -> Self {
        Self { token_lifetime_secs, retry_after_secs: 1, ..Self::default() }
    }

    pub(crate) fn transaction(&mut self) -> String {
        self.transactions += 1;
        format!("fx-tx-{:06}", self.transactions)
    }

    pub(crate) fn issue_token(&mut self) -> String {
        self.tokens_issued += 1;
        let token = format!("tok-{}-{}", self.tokens_issued, std::process::id());
        self.valid_tokens.insert(token.clone());
        token
    }

    /// The most requests that arrived within any `window`.
    pub fn busiest(&self, window: Duration) -> usize {
        let mut most = 0;
        let mut first = 0;
        for (i, t) in self.call_times.iter().enumerate() {
            while t.duration_since(self.call_times[first]) > window {
                first += 1;
            }
            most = most.max(i + 1 - first);
        }
        most
    }

    pub(crate) fn parcel(&mut self, tracking: &str) -> Option<&mut Sold> {
        self.sold.iter_mut().find(|s| s.tracking == tracking || s.shipment_id == tracking)
    }
}

/// A fault or refusal decided before the vendor's handler runs.
pub(crate) enum Gate {
    /// Answer this.
    Answer(ResponseTemplate),
    /// Go on to the handler.
    Pass,
}

/// Applies the token check and the injected faults to an API call, in the
/// vendor's error shape (`error(status, code, message)`).
pub(crate) fn gate(
    state: &mut State,
    req: &Request,
    error: fn(&mut State, u16, &str, &str) -> ResponseTemplate,
) -> Gate {
    let bearer = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::to_owned);
    if !bearer.is_some_and(|t| state.valid_tokens.contains(&t)) {
        return Gate::Answer(error(state, 401, "auth", "expired"));
    }
    if state.fault_path.as_deref().is_some_and(|p| !req.url.path().starts_with(p)) {
        return Gate::Pass;
    }
    if state.throttle_next > 0 {
        state.throttle_next -= 1;
        state.throttled += 1;
        let secs = state.retry_after_secs.to_string();
        return Gate::Answer(error(state, 429, "throttle", "").insert_header("Retry-After", secs.as_str()));
    }
    if state.fail_next > 0 {
        state.fail_next -= 1;
        return Gate::Answer(error(state, 500, "down", ""));
    }
    if state.malformed_next > 0 {
        state.malformed_next -= 1;
        return Gate::Answer(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"transactionId":"x","output":{"transactionSh"#, "application/json"),
        );
    }
    Gate::Pass
}

/// A carrier's API as a fake serves it.
pub trait Api: Send + Sync + 'static {
    /// The `expires_in` of its tokens.
    const TOKEN_LIFETIME_SECS: u64;
    /// Answers one request.
    fn handle(state: &mut State, req: &Request) -> ResponseTemplate;
}

/// A running fake of the carrier `A`.
pub struct CarrierFake<A: Api> {
    /// The HTTP server.
    pub server: MockServer,
    /// What it saw and how it answers.
    pub state: Arc<Mutex<State>>,
    api: PhantomData<A>,
}

impl<A: Api> CarrierFake<A> {
    /// Starts the fake; every answer comes after `latency`.
    pub async fn start(latency: Duration) -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::new(A::TOKEN_LIFETIME_SECS)));
        let responder = Responder { state: state.clone(), latency, handle: A::handle };
        Mock::given(any()).respond_with(responder).mount(&server).await;
        Self { server, state, api: PhantomData }
    }

    /// The base URL to point the client at.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Makes every token issued so far stop working (the carrier answers `401`).
    pub fn expire_tokens_now(&self) {
        self.state.lock().unwrap().valid_tokens.clear();
    }

    /// Calls seen whose path starts with `prefix`.
    pub fn calls_to(&self, prefix: &str) -> usize {
        self.state.lock().unwrap().calls.iter().filter(|(_, p)| p.starts_with(prefix)).count()
    }

    /// Tracking numbers sold, in order.
    pub fn tracking_numbers(&self) -> Vec<String> {
        self.state.lock().unwrap().sold.iter().map(|s| s.tracking.clone()).collect()
    }

    /// Adds a scan to a sold parcel: the carrier's status code (FedEx `PU`,
    /// `IT`, `OD`, `DL`, `DE`; UPS `P`, `I`, `O`, `D`, `X`, `RS`), its words,
    /// and when (RFC 3339).
    pub fn push_scan(&self, tracking: &str, code: &str, description: &str, when_rfc3339: &str) {
        let mut s = self.state.lock().unwrap();
        let p = s.parcel(tracking).unwrap_or_else(|| panic!("{tracking} was not sold by the fake"));
        p.scans.push((code.into(), description.into(), when_rfc3339.into()));
    }
}

/// A wiremock responder over shared state: `handle` answers every request,
/// after `latency`.
struct Responder {
    state: Arc<Mutex<State>>,
    latency: Duration,
    handle: fn(&mut State, &Request) -> ResponseTemplate,
}

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        state.calls.push((req.method.to_string(), req.url.path().to_owned()));
        state.call_times.push(std::time::Instant::now());
        (self.handle)(&mut state, req).set_delay(self.latency)
    }
}

/// A ZPL, PDF or GIF "label" naming `carrier` and `tracking`, as base64 and bytes.
pub(crate) fn label(carrier: &str, format: &str, tracking: &str) -> Vec<u8> {
    match format {
        "PDF" => format!("%PDF-1.4 fake {carrier} label {tracking}\n%%EOF\n").into_bytes(),
        "GIF" => crate::gif_label::gif(tracking),
        _ => format!("^XA^FO50,50^A0N,40,40^FDFAKE {carrier} {tracking}^FS^XZ").into_bytes(),
    }
}

/// The JSON body of `req`, or `Null`.
pub(crate) fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}
