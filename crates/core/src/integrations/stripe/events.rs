//! The platform's events, listed page by page: how reconciliation learns what
//! happened to transfers, refunds, accounts and subscriptions after the call.

use super::client::explain;
use super::{GatewayError, StripeGateway};
use std::future::Future;
use stripe_core::event::ListEvent;
use stripe_types::RangeQueryTs;

/// Which page of Stripe's events to list (Stripe lists newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsPage {
    /// The page just newer than this event (`evt_…`): how a poll moves forward.
    pub ending_before: Option<String>,
    /// The page just older than this event: how a first poll walks back.
    pub starting_after: Option<String>,
    /// Only events created at or after this Unix second.
    pub created_from: Option<i64>,
    /// At most this many (Stripe allows 1–100).
    pub limit: u8,
}

/// One event as Stripe recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct StripeEvent {
    /// Stripe's id (`evt_…`), the same on every delivery.
    pub id: String,
    /// What happened (`transfer.reversed`, `refund.updated`, …).
    pub kind: String,
    /// When (Unix seconds).
    pub created: i64,
    /// The connected account it happened on, for Connect events.
    pub account: Option<String>,
    /// The object as it was then, in Stripe's JSON.
    pub object: serde_json::Value,
}

/// A page of events, newest first, and whether more lie beyond it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventList {
    /// The events.
    pub events: Vec<StripeEvent>,
    /// Whether Stripe has more in the direction asked.
    pub has_more: bool,
}

/// The platform's events, listed page by page: how reconciliation learns what, as Marketdesk needs them.
pub trait Events: Send + Sync {
    /// One page of the platform's events.
    fn events(&self, page: &EventsPage) -> impl Future<Output = Result<EventList, GatewayError>> + Send;
}

impl Events for StripeGateway {
    async fn events(&self, page: &EventsPage) -> Result<EventList, GatewayError> {
        let mut call = ListEvent::new().limit(i64::from(page.limit.clamp(1, 100)));
        if let Some(id) = &page.ending_before {
            call = call.ending_before(id.clone());
        }
        if let Some(id) = &page.starting_after {
            call = call.starting_after(id.clone());
        }
        if let Some(from) = page.created_from {
            call = call.created(RangeQueryTs::gte(from));
        }
        let list = call.send(&self.client).await.map_err(explain)?;
        let events = list.data.into_iter().map(stripe_event).collect::<Result<_, _>>()?;
        Ok(EventList { events, has_more: list.has_more })
    }
}

fn stripe_event(e: stripe_shared::Event) -> Result<StripeEvent, GatewayError> {
    // async-stripe keeps the object as a miniserde value; the handlers read serde_json.
    let text = miniserde::json::to_string(&e.data.object);
    let object = serde_json::from_str(&text)
        .map_err(|err| GatewayError::Unavailable(format!("event {} carried unreadable JSON: {err}", e.id)))?;
    Ok(StripeEvent {
        id: e.id.to_string(),
        kind: e.type_.as_str().to_owned(),
        created: e.created,
        account: e.account,
        object,
    })
}
