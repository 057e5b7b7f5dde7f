//! The Checkout Sessions part of the Stripe fake: `POST /v1/checkout/sessions`
//! as Stripe documents it for one-time payments (`mode=payment`, lines with
//! inline `price_data`), its refusals in Stripe's words, and what happens on
//! the page afterwards — the customer pays, or the link expires — as the
//! events Stripe sends.

use serde_json::{Value, json};
use std::collections::HashMap;

/// The Checkout Sessions the fake has made and what each was made with.
#[derive(Default)]
pub struct Checkouts {
    /// Every session, in the order made, as it stands now.
    pub sessions: Vec<Value>,
    /// The lines each session was made with (description, quantity, amount).
    pub lines: HashMap<String, Vec<Value>>,
    /// The metadata each session gives the PaymentIntent it makes.
    intent_metadata: HashMap<String, Value>,
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    (status, json!({ "error": { "type": "invalid_request_error", "code": code, "message": message } }))
}

fn now() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    i64::try_from(secs).unwrap_or(0)
}

fn nested(form: &HashMap<String, String>, prefix: &str) -> serde_json::Map<String, Value> {
    form.iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).and_then(|k| k.strip_suffix(']')).map(|k| (k.to_owned(), json!(v))))
        .collect()
}

impl Checkouts {
    /// Answers `POST /v1/checkout/sessions`.
    pub(crate) fn create(&mut self, form: &HashMap<String, String>) -> (u16, Value) {
        if form.get("mode").map(String::as_str) != Some("payment") {
            return error(400, "parameter_missing", "Missing required param: mode.");
        }
        let Some(success_url) =
            form.get("success_url").filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        else {
            return error(400, "url_invalid", "Not a valid URL");
        };
        let created = now();
        let expires_at: i64 = form.get("expires_at").and_then(|e| e.parse().ok()).unwrap_or(created + 86_400);
        if expires_at > created + 86_400 || expires_at < created + 1_800 {
            return error(
                400,
                "parameter_invalid_integer",
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
            );
        }
        let mut total: i64 = 0;
        let mut currency: Option<String> = None;
        let mut lines = Vec::new();
        for i in 0.. {
            let field = |name: &str| form.get(&format!("line_items[{i}]{name}"));
            let Some(qty) = field("[quantity]") else { break };
            let (Some(cur), Some(amount), Some(name)) = (
                field("[price_data][currency]"),
                field("[price_data][unit_amount]"),
                field("[price_data][product_data][name]"),
            ) else {
                return error(
                    400,
                    "parameter_missing",
                    &format!("Missing required param: line_items[{i}][price_data]."),
                );
            };
            let (Ok(qty), Ok(amount)) = (qty.parse::<i64>(), amount.parse::<i64>()) else {
                return error(400, "parameter_invalid_integer", "Invalid integer");
            };
            if currency.get_or_insert_with(|| cur.clone()) != cur {
                return error(400, "currency_mismatch", "All line items must have the same currency.");
            }
            total += qty * amount;
            lines.push(json!({ "description": name, "quantity": qty, "amount_total": qty * amount, "currency": cur }));
        }
        if lines.is_empty() {
            return error(400, "parameter_missing", "Missing required param: line_items.");
        }
        let n = self.sessions.len() + 1;
        let id = format!("cs_test_fake{n:06}");
        let s = json!({
            "id": id, "object": "checkout.session", "amount_subtotal": total, "amount_total": total,
            "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
            "cancel_url": null, "client_reference_id": form.get("client_reference_id"), "created": created,
            "currency": currency, "custom_fields": [],
            "custom_text": { "after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null },
            "customer": null, "customer_email": form.get("customer_email"), "expires_at": expires_at, "livemode": false,
            "metadata": nested(form, "metadata["), "mode": "payment", "payment_intent": null,
            "payment_method_types": ["card"], "payment_status": "unpaid", "shipping_options": [], "status": "open",
            "success_url": success_url, "ui_mode": "hosted",
            "url": format!("https://checkout.stripe.com/c/pay/{id}"),
        });
        self.sessions.push(s.clone());
        self.lines.insert(id.clone(), lines);
        self.intent_metadata.insert(id, Value::Object(nested(form, "payment_intent_data[metadata][")));
        (200, s)
    }

    /// The customer pays on the page of `session` by card: the session is
    /// complete and paid, and Stripe makes the PaymentIntent (with the metadata
    /// asked for). Returns the session and the PaymentIntent, as their events carry them.
    pub(crate) fn pay(&mut self, session: &str) -> (Value, Value) {
        self.complete(session, true)
    }

    /// The customer finishes the page of `session` with a bank debit: the
    /// session is complete but unpaid and its PaymentIntent processing until
    /// the bank answers. Returns the session and the PaymentIntent.
    pub(crate) fn debit(&mut self, session: &str) -> (Value, Value) {
        self.complete(session, false)
    }

    fn complete(&mut self, session: &str, paid: bool) -> (Value, Value) {
        let n = self.sessions.iter().position(|s| s["id"] == json!(session)).expect("no such session");
        let pi = format!("pi_fake_cs{:06}", n + 1);
        let metadata = self.intent_metadata.get(session).cloned().unwrap_or_else(|| json!({}));
        let s = &mut self.sessions[n];
        s["status"] = json!("complete");
        s["payment_status"] = json!(if paid { "paid" } else { "unpaid" });
        s["payment_intent"] = json!(pi);
        let intent = json!({
            "id": pi, "object": "payment_intent", "amount": s["amount_total"],
            "amount_received": if paid { s["amount_total"].clone() } else { json!(0) },
            "currency": s["currency"], "created": now(), "status": if paid { "succeeded" } else { "processing" },
            "metadata": metadata,
        });
        (s.clone(), intent)
    }

    /// The session of a page finished with a bank debit, as it stands.
    pub(crate) fn session(&self, session: &str) -> Value {
        self.sessions.iter().find(|s| s["id"] == json!(session)).cloned().expect("no such session")
    }

    /// The page of `session` expires unpaid; returns the session as its event carries it.
    pub(crate) fn expire(&mut self, session: &str) -> Value {
        let s = self.sessions.iter_mut().find(|s| s["id"] == json!(session)).expect("no such session");
        s["status"] = json!("expired");
        s["url"] = Value::Null;
        s.clone()
    }
}
