//! A local stand-in for Stripe's REST API, serving the JSON shapes Stripe
//! documents for the calls Marketdesk makes (transfers, refunds), and honouring
//! `Idempotency-Key` as Stripe does: the same key with the same parameters
//! replays the first answer (`Idempotent-Replayed: true`), the same key with
//! other parameters is refused.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// What the fake has seen and how it will answer.
#[derive(Default)]
pub struct State {
    /// Idempotency key → (form parameters, status, answer).
    replies: HashMap<String, Reply>,
    /// Every transfer made, in order.
    pub transfers: Vec<Value>,
    /// Every refund made, in order.
    pub refunds: Vec<Value>,
    /// POSTs received, replays included.
    pub posts: usize,
    /// Platform balance per currency (lower-case); unlimited when absent.
    pub balance: HashMap<String, i64>,
    /// Connected accounts that cannot receive transfers yet.
    pub unverified: Vec<String>,
    /// Answer every POST with HTTP 500 (Stripe trouble).
    pub down: bool,
}

/// The first answer to an idempotency key, and the parameters it was for.
struct Reply {
    params: Vec<(String, String)>,
    status: u16,
    body: Value,
}

/// The running fake.
pub struct StripeFake {
    /// The HTTP server (its `uri()` is the client's base URL).
    pub server: MockServer,
    /// Shared state for assertions and configuration.
    pub state: Arc<Mutex<State>>,
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (status, json!({ "error": { "type": "invalid_request_error", "code": code, "message": message } }))
}

struct Responder {
    state: Arc<Mutex<State>>,
    delay: Duration,
}

impl Responder {
    fn transfer(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
        let currency = form.get("currency").cloned().unwrap_or_default();
        let destination = form.get("destination").cloned().unwrap_or_default();
        if amount <= 0 {
            return error(400, "parameter_invalid_integer", "Invalid positive integer");
        }
        if state.unverified.contains(&destination) {
            return error(
                400,
                "insufficient_capabilities_for_transfer",
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
            );
        }
        if let Some(balance) = state.balance.get_mut(&currency) {
            if *balance < amount {
                return error(
                    400,
                    "balance_insufficient",
                    "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.",
                );
            }
            *balance -= amount;
        }
        let n = state.transfers.len() + 1;
        let id = format!("tr_fake{n:06}");
        let metadata: serde_json::Map<String, Value> = form
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("metadata[").and_then(|k| k.strip_suffix(']')).map(|k| (k.to_owned(), json!(v)))
            })
            .collect();
        let t = json!({
            "id": id, "object": "transfer", "amount": amount, "amount_reversed": 0,
            "balance_transaction": format!("txn_fake{n:06}"), "created": 1_780_000_000 + n as i64,
            "currency": currency, "description": form.get("description"), "destination": destination,
            "destination_payment": format!("py_fake{n:06}"), "livemode": false, "metadata": metadata,
            "reversals": { "object": "list", "data": [], "has_more": false, "total_count": 0,
                           "url": format!("/v1/transfers/{id}/reversals") },
            "reversed": false, "source_transaction": null, "source_type": "card",
            "transfer_group": form.get("transfer_group"),
        });
        state.transfers.push(t.clone());
        (200, t)
    }

    fn refund(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
        let pi = form.get("payment_intent").cloned().unwrap_or_default();
        let n = state.refunds.len() + 1;
        let id = format!("re_fake{n:06}");
        let r = json!({
            "id": id, "object": "refund", "amount": amount, "balance_transaction": format!("txn_refund{n:06}"),
            "charge": format!("ch_for_{pi}"), "created": 1_780_000_000 + n as i64, "currency": "usd",
            "metadata": {}, "payment_intent": pi, "reason": null, "receipt_number": null,
            "source_transfer_reversal": null, "status": "succeeded", "transfer_reversal": null,
        });
        state.refunds.push(r.clone());
        (200, r)
    }
}

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let reply = |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(body).set_delay(self.delay);
        if req.method.as_str() == "GET" {
            let group = req.url.query_pairs().find(|(k, _)| k == "transfer_group").map(|(_, v)| v.into_owned());
            let data: Vec<Value> = state
                .transfers
                .iter()
                .filter(|t| group.as_deref().is_none_or(|g| t["transfer_group"] == json!(g)))
                .cloned()
                .collect();
            return reply(200, json!({ "object": "list", "data": data, "has_more": false, "url": "/v1/transfers" }));
        }
        state.posts += 1;
        if state.down {
            return reply(500, json!({ "error": { "type": "api_error", "message": "Stripe is having trouble" } }));
        }
        let params: Vec<(String, String)> =
            url::form_urlencoded::parse(&req.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let form: HashMap<String, String> = params.iter().cloned().collect();
        let key = req.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
        if let Some(Reply { params: seen, status, body }) = key.as_ref().and_then(|k| state.replies.get(k)) {
            {
                if *seen != params {
                    let (s, b) = error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    );
                    return reply(s, b);
                }
                return reply(*status, body.clone()).insert_header("Idempotent-Replayed", "true");
            }
        }
        let (status, body) = match req.url.path() {
            "/v1/transfers" => Self::transfer(&mut state, &form),
            "/v1/refunds" => Self::refund(&mut state, &form),
            other => error(404, "resource_missing", &format!("Unrecognized request URL (POST: {other})")),
        };
        if let Some(key) = key {
            state.replies.insert(key, Reply { params, status, body: body.clone() });
        }
        reply(status, body)
    }
}

impl StripeFake {
    /// Starts the fake; every answer is delayed by `delay` (to widen races).
    pub async fn start(delay: Duration) -> StripeFake {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        for p in ["/v1/transfers", "/v1/refunds"] {
            Mock::given(path(p))
                .and(method("POST"))
                .respond_with(Responder { state: state.clone(), delay })
                .mount(&server)
                .await;
        }
        Mock::given(path("/v1/transfers"))
            .and(method("GET"))
            .respond_with(Responder { state: state.clone(), delay })
            .mount(&server)
            .await;
        StripeFake { server, state }
    }

    /// How many transfers were really made.
    pub fn transfers(&self) -> usize {
        self.state.lock().unwrap().transfers.len()
    }
}
