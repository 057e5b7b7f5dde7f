//! A local stand-in for Stripe's REST API, serving the JSON shapes Stripe
//! documents for the calls Marketdesk makes (transfers, refunds, connected
//! accounts and their onboarding links, customers and subscriptions, Checkout
//! Sessions (in `stripe_checkout_fake`), events), and honouring
//! `Idempotency-Key` as Stripe does: the same key with the same parameters
//! replays the first answer (`Idempotent-Replayed: true`), the same key with
//! other parameters is refused.

use crate::stripe_checkout_fake::Checkouts;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path, path_regex};
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
    /// Connected accounts made, in order (Stripe's account objects).
    pub accounts: Vec<Value>,
    /// Onboarding links made: (account, url).
    pub links: Vec<(String, String)>,
    /// Events in the order they happened (Stripe's event objects).
    pub events: Vec<Value>,
    /// The query string of every GET /v1/events, in order.
    pub event_queries: Vec<String>,
    /// Unix second before the first event.
    pub clock: i64,
    /// Customers made, in order (Stripe's customer objects).
    pub customers: Vec<Value>,
    /// Subscriptions, in the order made, as they stand now.
    pub subscriptions: Vec<Value>,
    /// Checkout Sessions.
    pub checkouts: Checkouts,
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

/// The `metadata[k]=v` form fields as Stripe echoes them: `{ "k": "v" }`.
fn metadata(form: &HashMap<String, String>) -> serde_json::Map<String, Value> {
    form.iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("metadata[").and_then(|k| k.strip_suffix(']')).map(|k| (k.to_owned(), json!(v)))
        })
        .collect()
}

/// Stripe's list of events: newest first; `ending_before` gives the page just
/// newer than that event, `starting_after` the page just older.
fn list_events(state: &State, query: &HashMap<String, String>) -> (u16, Value) {
    let limit = query.get("limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return error(400, "parameter_invalid_integer", "Invalid limit: must be between 1 and 100");
    }
    let from = query.get("created[gte]").and_then(|c| c.parse::<i64>().ok()).unwrap_or(i64::MIN);
    let all: Vec<&Value> = state.events.iter().filter(|e| e["created"].as_i64().unwrap_or(0) >= from).collect();
    let index = |id: &str| all.iter().position(|e| e["id"] == json!(id));
    let (page, more): (Vec<&Value>, bool) = if let Some(id) = query.get("ending_before") {
        let Some(at) = index(id) else { return error(400, "resource_missing", &format!("No such event: '{id}'")) };
        let newer = &all[at + 1..];
        let page = &newer[..limit.min(newer.len())];
        (page.iter().rev().copied().collect(), newer.len() > page.len())
    } else if let Some(id) = query.get("starting_after") {
        let Some(at) = index(id) else { return error(400, "resource_missing", &format!("No such event: '{id}'")) };
        let older: Vec<&Value> = all[..at].iter().rev().copied().collect();
        (older.iter().take(limit).copied().collect(), older.len() > limit)
    } else {
        let newest: Vec<&Value> = all.iter().rev().copied().collect();
        (newest.iter().take(limit).copied().collect(), newest.len() > limit)
    };
    let data: Vec<Value> = page.into_iter().cloned().collect();
    (200, json!({ "object": "list", "data": data, "has_more": more, "url": "/v1/events" }))
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
        let metadata = metadata(form);
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
            "metadata": metadata(form), "payment_intent": pi, "reason": null, "receipt_number": null,
            "source_transfer_reversal": null, "status": "succeeded", "transfer_reversal": null,
        });
        state.refunds.push(r.clone());
        (200, r)
    }
}

impl Responder {
    fn account(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let Some(email) = form.get("email").filter(|e| e.contains('@')) else {
            return error(400, "email_invalid", "Invalid email address");
        };
        if form.get("type").map(String::as_str) != Some("express") {
            return error(400, "parameter_invalid", "The fake only makes Express accounts");
        }
        let n = state.accounts.len() + 1;
        let id = format!("acct_fake{n:06}");
        let a = json!({
            "id": id, "object": "account", "type": "express", "email": email,
            "country": form.get("country").cloned().unwrap_or_else(|| "US".into()),
            "business_profile": { "name": form.get("business_profile[name]") },
            "capabilities": { "transfers": "inactive" },
            "charges_enabled": false, "payouts_enabled": false, "details_submitted": false,
            "created": 1_780_000_000 + n as i64, "default_currency": "usd",
            "metadata": { "marketdesk_vendor": form.get("metadata[marketdesk_vendor]") },
            "requirements": { "currently_due": ["external_account", "tos_acceptance.date"],
                              "eventually_due": [], "past_due": [], "pending_verification": [],
                              "disabled_reason": "requirements.past_due", "errors": [], "alternatives": [],
                              "current_deadline": null },
        });
        state.accounts.push(a.clone());
        (200, a)
    }

    fn account_link(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let account = form.get("account").cloned().unwrap_or_default();
        if !state.accounts.iter().any(|a| a["id"] == json!(account)) {
            return error(400, "account_invalid", &format!("No such account: '{account}'"));
        }
        for url in ["refresh_url", "return_url"] {
            if !form.get(url).is_some_and(|u| u.starts_with("http")) {
                return error(400, "url_invalid", &format!("Not a valid URL: {url}"));
            }
        }
        let n = state.links.len() + 1;
        let url = format!("https://connect.stripe.com/setup/e/{account}/fake{n}");
        state.links.push((account, url.clone()));
        (200, json!({ "object": "account_link", "created": 1_780_000_000, "expires_at": 1_780_000_300, "url": url }))
    }
}

/// A price as Stripe shows it inside a subscription item.
fn price_json(price: &str) -> Value {
    json!({ "id": price, "object": "price", "active": true, "billing_scheme": "per_unit", "created": 1_780_000_000,
            "currency": "usd", "livemode": false, "lookup_key": null, "metadata": {}, "nickname": null,
            "product": format!("prod_for_{price}"), "recurring": { "interval": "month", "interval_count": 1,
            "meter": null, "usage_type": "licensed" }, "tax_behavior": "unspecified", "tiers_mode": null,
            "transform_quantity": null, "type": "recurring", "unit_amount": 2900, "unit_amount_decimal": "2900" })
}

/// The legacy plan object Stripe still nests beside the price.
fn plan_json(price: &str) -> Value {
    json!({ "id": price, "object": "plan", "active": true, "amount": 2900, "amount_decimal": "2900",
            "billing_scheme": "per_unit", "created": 1_780_000_000, "currency": "usd", "interval": "month",
            "interval_count": 1, "livemode": false, "metadata": {}, "meter": null, "nickname": null,
            "product": format!("prod_for_{price}"), "tiers_mode": null, "transform_usage": null,
            "trial_period_days": null, "usage_type": "licensed" })
}

impl Responder {
    fn customer(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let n = state.customers.len() + 1;
        let c = json!({ "id": format!("cus_fake{n:06}"), "object": "customer", "created": 1_780_000_000 + n as i64,
                        "email": form.get("email"), "name": form.get("name"), "livemode": false,
                        "metadata": metadata(form) });
        state.customers.push(c.clone());
        (200, c)
    }

    fn subscribe(state: &mut State, form: &HashMap<String, String>) -> (u16, Value) {
        let customer = form.get("customer").cloned().unwrap_or_default();
        if !state.customers.iter().any(|c| c["id"] == json!(customer)) {
            return error(400, "resource_missing", &format!("No such customer: '{customer}'"));
        }
        let Some(price) = form.get("items[0][price]").filter(|p| p.starts_with("price_")) else {
            return error(400, "parameter_missing", "Missing required param: items[0][price].");
        };
        let n = state.subscriptions.len() + 1;
        let id = format!("sub_fake{n:06}");
        let start = 1_780_000_000 + n as i64;
        let item = json!({ "id": format!("si_fake{n:06}"), "object": "subscription_item", "created": start,
                           "current_period_start": start, "current_period_end": start + 30 * 86_400,
                           "discounts": [], "metadata": {}, "plan": plan_json(price), "price": price_json(price),
                           "quantity": 1, "subscription": id, "tax_rates": [] });
        let sub = json!({
            "id": id, "object": "subscription", "automatic_tax": { "enabled": false, "liability": null },
            "billing_cycle_anchor": start, "billing_mode": { "type": "classic" }, "billing_schedules": [],
            "cancel_at": null, "cancel_at_period_end": false, "canceled_at": null,
            "collection_method": form.get("collection_method").cloned().unwrap_or_else(|| "charge_automatically".into()),
            "created": start, "currency": "usd", "customer": customer,
            "days_until_due": form.get("days_until_due").and_then(|d| d.parse::<i64>().ok()),
            "discounts": [], "invoice_settings": { "account_tax_ids": null, "issuer": { "type": "self" } },
            "items": { "object": "list", "data": [item], "has_more": false, "url": format!("/v1/subscription_items?subscription={id}") },
            "latest_invoice": format!("in_fake{n:06}"), "livemode": false, "metadata": metadata(form),
            "start_date": start, "status": "active", "trial_end": null, "trial_start": null,
        });
        state.subscriptions.push(sub.clone());
        (200, sub)
    }

    fn change(state: &mut State, id: &str, form: &HashMap<String, String>) -> (u16, Value) {
        let Some(sub) = state.subscriptions.iter_mut().find(|s| s["id"] == json!(id)) else {
            return error(404, "resource_missing", &format!("No such subscription: '{id}'"));
        };
        if let Some(price) = form.get("items[0][price]") {
            if form.get("items[0][id]") != sub["items"]["data"][0]["id"].as_str().map(str::to_owned).as_ref() {
                return error(400, "resource_missing", "No such subscription item");
            }
            sub["items"]["data"][0]["price"] = price_json(price);
            sub["items"]["data"][0]["plan"] = plan_json(price);
        }
        if let Some(end) = form.get("cancel_at_period_end") {
            sub["cancel_at_period_end"] = json!(end == "true");
        }
        (200, sub.clone())
    }
}

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let reply = |status: u16, body: Value| ResponseTemplate::new(status).set_body_json(body).set_delay(self.delay);
        if req.method.as_str() == "GET" && req.url.path().starts_with("/v1/accounts/") {
            let id = req.url.path().trim_start_matches("/v1/accounts/");
            return match state.accounts.iter().find(|a| a["id"] == json!(id)) {
                Some(a) => reply(200, a.clone()),
                None => {
                    let (s, b) = error(404, "resource_missing", &format!("No such account: '{id}'"));
                    reply(s, b)
                }
            };
        }
        if req.method.as_str() == "GET" && req.url.path().starts_with("/v1/subscriptions/") {
            let id = req.url.path().trim_start_matches("/v1/subscriptions/");
            return match state.subscriptions.iter().find(|s| s["id"] == json!(id)) {
                Some(sub) => reply(200, sub.clone()),
                None => {
                    let (s, b) = error(404, "resource_missing", &format!("No such subscription: '{id}'"));
                    reply(s, b)
                }
            };
        }
        if req.method.as_str() == "GET" && req.url.path() == "/v1/events" {
            state.event_queries.push(req.url.query().unwrap_or_default().to_owned());
            let query: HashMap<String, String> =
                req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let (s, b) = list_events(&state, &query);
            return reply(s, b);
        }
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
            "/v1/accounts" => Self::account(&mut state, &form),
            "/v1/account_links" => Self::account_link(&mut state, &form),
            "/v1/customers" => Self::customer(&mut state, &form),
            "/v1/subscriptions" => Self::subscribe(&mut state, &form),
            "/v1/checkout/sessions" => state.checkouts.create(&form),
            p if p.starts_with("/v1/subscriptions/") => {
                Self::change(&mut state, p.trim_start_matches("/v1/subscriptions/"), &form)
            }
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
        for p in [
            "/v1/transfers",
            "/v1/refunds",
            "/v1/accounts",
            "/v1/account_links",
            "/v1/customers",
            "/v1/subscriptions",
            "/v1/checkout/sessions",
        ] {
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
        Mock::given(path_regex("^/v1/subscriptions/sub_[A-Za-z0-9]+$"))
            .respond_with(Responder { state: state.clone(), delay })
            .mount(&server)
            .await;
        Mock::given(path("/v1/events"))
            .and(method("GET"))
            .respond_with(Responder { state: state.clone(), delay })
            .mount(&server)
            .await;
        Mock::given(path_regex("^/v1/accounts/acct_[A-Za-z0-9]+$"))
            .and(method("GET"))
            .respond_with(Responder { state: state.clone(), delay })
            .mount(&server)
            .await;
        StripeFake { server, state }
    }

    /// The vendor finished Stripe's onboarding: the account may now receive payouts.
    pub fn complete_onboarding(&self, account: &str) {
        let mut state = self.state.lock().unwrap();
        if let Some(a) = state.accounts.iter_mut().find(|a| a["id"] == json!(account)) {
            a["charges_enabled"] = json!(true);
            a["payouts_enabled"] = json!(true);
            a["details_submitted"] = json!(true);
            a["capabilities"]["transfers"] = json!("active");
            a["requirements"]["currently_due"] = json!([]);
            a["requirements"]["disabled_reason"] = Value::Null;
        }
    }

    /// Records that `kind` happened to `object` (Stripe's JSON) and returns the event;
    /// events are one second apart, in the order pushed.
    pub fn push_event(&self, kind: &str, object: Value) -> Value {
        let mut state = self.state.lock().unwrap();
        if state.clock == 0 {
            // A day ago, so a first poll (which reaches back 30 days) finds them.
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            state.clock = i64::try_from(now).unwrap() - 86_400;
        }
        let n = state.events.len() + 1;
        let e = json!({
            "id": format!("evt_fake{n:06}"), "object": "event", "api_version": "2025-03-31.basil",
            "created": state.clock + n as i64, "data": { "object": object }, "livemode": false,
            "pending_webhooks": 1, "request": { "id": null, "idempotency_key": null }, "type": kind,
        });
        state.events.push(e.clone());
        e
    }

    /// Every Checkout Session made, in order, as it stands now.
    pub fn sessions(&self) -> Vec<Value> {
        self.state.lock().unwrap().checkouts.sessions.clone()
    }

    /// The lines a Checkout Session was made with (description, quantity, amount).
    pub fn checkout_lines(&self, session: &str) -> Vec<Value> {
        self.state.lock().unwrap().checkouts.lines.get(session).cloned().unwrap_or_default()
    }

    /// The customer pays on the page of `session` by card: Stripe sends
    /// `payment_intent.succeeded` (unless `intent_event` is false) then
    /// `checkout.session.completed`. Returns the PaymentIntent's id.
    pub fn pay_checkout(&self, session: &str, intent_event: bool) -> String {
        let (s, intent) = self.state.lock().unwrap().checkouts.pay(session);
        if intent_event {
            self.push_event("payment_intent.succeeded", intent.clone());
        }
        self.push_event("checkout.session.completed", s);
        intent["id"].as_str().unwrap_or_default().to_owned()
    }

    /// The customer finishes the page of `session` with a bank debit:
    /// `checkout.session.completed`, unpaid. Returns the PaymentIntent's id.
    pub fn debit_checkout(&self, session: &str) -> String {
        let (s, intent) = self.state.lock().unwrap().checkouts.debit(session);
        self.push_event("checkout.session.completed", s);
        intent["id"].as_str().unwrap_or_default().to_owned()
    }

    /// The bank refuses the debit started on the page of `session`:
    /// `checkout.session.async_payment_failed`.
    pub fn fail_debit(&self, session: &str) {
        let s = self.state.lock().unwrap().checkouts.session(session);
        self.push_event("checkout.session.async_payment_failed", s);
    }

    /// The page of `session` expires unpaid: `checkout.session.expired`.
    pub fn expire_checkout(&self, session: &str) {
        let s = self.state.lock().unwrap().checkouts.expire(session);
        self.push_event("checkout.session.expired", s);
    }

    /// How many transfers were really made.
    pub fn transfers(&self) -> usize {
        self.state.lock().unwrap().transfers.len()
    }
}
