//! Stripe (<https://docs.stripe.com/api>) through async-stripe: the transfers
//! that pay vendors (Connect), the refunds that pay buyers back, and the
//! vendors' connected accounts (created, onboarded through Stripe's hosted
//! pages, and checked for whether they may receive payouts), the vendors'
//! subscriptions to the platform's plans, and the events that report what
//! happened to all of these later.
//!
//! Every money-moving call carries an idempotency key that the caller saved in
//! the database *before* the call, so a retry after a crash or a lost answer
//! finds the first result instead of moving the money twice. Transfers are also
//! tagged with a `transfer_group`, which finds them again after Stripe has
//! forgotten the key (24 hours).

use crate::domain::Currency;
use ::stripe::{IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use stripe_billing::subscription::{
    CreateSubscription, CreateSubscriptionItems, RetrieveSubscription, UpdateSubscription, UpdateSubscriptionItems,
    UpdateSubscriptionProrationBehavior,
};
use stripe_connect::account::{
    CreateAccount, CreateAccountBusinessProfile, CreateAccountCapabilities, CreateAccountCapabilitiesTransfers,
    CreateAccountType, RetrieveAccount,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_connect::transfer::{CreateTransfer, ListTransfer};
use stripe_core::customer::CreateCustomer;
use stripe_core::event::ListEvent;
use stripe_core::refund::CreateRefund;
use stripe_types::RangeQueryTs;

/// A transfer to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    /// Minor units, > 0.
    pub amount_minor: i64,
    /// Currency of the platform balance it comes from.
    pub currency: Currency,
    /// The vendor's connected account (`acct_…`).
    pub destination: String,
    /// Saved before the call; the same key always means the same transfer.
    pub idempotency_key: String,
    /// Finds the transfer again later (`payout:<id>`).
    pub group: String,
    /// Shown in the vendor's Stripe dashboard.
    pub description: String,
}

/// A transfer Stripe made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferMade {
    /// Stripe's id (`tr_…`).
    pub id: String,
    /// Minor units.
    pub amount_minor: i64,
    /// The connected account paid.
    pub destination: Option<String>,
}

/// A refund to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The PaymentIntent refunded (`pi_…`).
    pub payment_intent: String,
    /// Minor units, > 0.
    pub amount_minor: i64,
    /// Saved before the call.
    pub idempotency_key: String,
    /// Our refund row, kept in Stripe's metadata.
    pub refund_id: String,
}

/// A refund Stripe accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundMade {
    /// Stripe's id (`re_…`).
    pub id: String,
    /// `succeeded`, `pending`, `failed`, …
    pub status: String,
}

/// A vendor's connected account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConnectAccount {
    /// Where Stripe writes to the vendor.
    pub email: String,
    /// Two-letter country of the business, when known.
    pub country: Option<String>,
    /// The business's name, shown on Stripe's onboarding pages.
    pub business_name: Option<String>,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// The same key always means the same account (a retry never makes two).
    pub idempotency_key: String,
}

/// A connected account as Stripe sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectAccount {
    /// Stripe's id (`acct_…`).
    pub id: String,
    /// Whether Stripe will pay transfers out to the vendor's bank.
    pub payouts_enabled: bool,
    /// Whether the account may take charges.
    pub charges_enabled: bool,
    /// Whether the vendor finished the onboarding form.
    pub details_submitted: bool,
    /// What Stripe still needs from the vendor (`external_account`, `individual.id_number`, …).
    pub currently_due: Vec<String>,
    /// Why the account is disabled, in Stripe's code (`requirements.past_due`, `rejected.fraud`, …).
    pub disabled_reason: Option<String>,
}

/// A link to Stripe's hosted onboarding for one vendor; it works once and expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardingLink {
    /// The page to open.
    pub url: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// A vendor to make a Stripe customer of (for subscriptions to the platform's plans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    /// Where Stripe sends invoices.
    pub email: String,
    /// The business's name on invoices.
    pub name: String,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// The same key always means the same customer.
    pub idempotency_key: String,
}

/// A vendor's subscription to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    /// The vendor's customer (`cus_…`).
    pub customer: String,
    /// The plan's price (`price_…`).
    pub price: String,
    /// Our vendor's id, kept in Stripe's metadata.
    pub vendor_id: String,
    /// Days the vendor has to pay each invoice Stripe mails them.
    pub days_until_due: u32,
    /// The same key always means the same subscription.
    pub idempotency_key: String,
}

/// What to change on a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionChange {
    /// Move the item (`si_…`) to this price (prorated).
    pub price: Option<(String, String)>,
    /// End at the period's end instead of renewing (or renew again).
    pub cancel_at_period_end: Option<bool>,
    /// The same key always means the same change.
    pub idempotency_key: String,
}

/// A subscription as Stripe sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionState {
    /// Stripe's id (`sub_…`).
    pub id: String,
    /// Stripe's status (`active`, `incomplete`, `past_due`, `canceled`, …).
    pub status: String,
    /// Ends at the period's end.
    pub cancel_at_period_end: bool,
    /// Its one item (`si_…`).
    pub item: Option<String>,
    /// The item's price (`price_…`).
    pub price: Option<String>,
    /// The current period (Unix seconds).
    pub period: Option<(i64, i64)>,
}

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

/// Why a call to the payment provider did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The provider answered and said no; the same call will keep failing.
    /// The text is for the person affected ("Connect account not verified").
    #[error("{reason}")]
    Refused {
        /// Stripe's error code, when it gave one.
        code: Option<String>,
        /// Plain words.
        reason: String,
    },
    /// No answer, or a server error: the call may or may not have happened.
    /// Retrying with the same idempotency key is safe.
    #[error("Stripe could not be reached or failed: {0}")]
    Unavailable(String),
    /// No key is configured on this machine.
    #[error("Stripe is not set up: add its secret key in Settings (or `marketdesk secret set stripe`)")]
    NotConfigured,
}

/// What Marketdesk needs from a payment provider.
pub trait PaymentGateway: Send + Sync {
    /// Creates a transfer to a connected account (or returns the one already
    /// made with the same idempotency key).
    fn transfer(&self, req: &TransferRequest) -> impl Future<Output = Result<TransferMade, GatewayError>> + Send;
    /// The transfer tagged with `group`, if Stripe has one.
    fn find_transfer(&self, group: &str) -> impl Future<Output = Result<Option<TransferMade>, GatewayError>> + Send;
    /// Refunds (part of) a payment.
    fn refund(&self, req: &RefundRequest) -> impl Future<Output = Result<RefundMade, GatewayError>> + Send;
    /// Creates a vendor's connected account (Express, transfers requested).
    fn create_account(
        &self,
        req: &NewConnectAccount,
    ) -> impl Future<Output = Result<ConnectAccount, GatewayError>> + Send;
    /// A fresh onboarding link for `account`; Stripe sends the vendor to
    /// `return_url` when done and to `refresh_url` when the link has expired.
    fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> impl Future<Output = Result<OnboardingLink, GatewayError>> + Send;
    /// The connected account `id` as Stripe sees it now.
    fn account(&self, id: &str) -> impl Future<Output = Result<ConnectAccount, GatewayError>> + Send;
    /// One page of the platform's events.
    fn events(&self, page: &EventsPage) -> impl Future<Output = Result<EventList, GatewayError>> + Send;
    /// Makes a vendor a Stripe customer; returns the customer (`cus_…`).
    fn create_customer(&self, req: &NewCustomer) -> impl Future<Output = Result<String, GatewayError>> + Send;
    /// Starts a subscription billed by invoices Stripe mails to the vendor.
    fn create_subscription(
        &self,
        req: &NewSubscription,
    ) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
    /// The subscription `id` as Stripe sees it now.
    fn subscription(&self, id: &str) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
    /// Changes the subscription `id`.
    fn change_subscription(
        &self,
        id: &str,
        change: &SubscriptionChange,
    ) -> impl Future<Output = Result<SubscriptionState, GatewayError>> + Send;
}

/// The real Stripe client.
#[derive(Clone)]
pub struct StripeGateway {
    client: ::stripe::Client,
}

impl std::fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StripeGateway { .. }")
    }
}

/// Stripe's API address; tests point the client at a local fake instead.
pub const STRIPE_API: &str = "https://api.stripe.com/";

impl StripeGateway {
    /// A client for `secret_key` (`sk_…`) against `base` (normally [`STRIPE_API`]).
    pub fn new(secret_key: &str, base: &str) -> Result<Self, GatewayError> {
        if secret_key.trim().is_empty() {
            return Err(GatewayError::NotConfigured);
        }
        let client = ::stripe::ClientBuilder::new(secret_key.trim())
            .url(base)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        Ok(StripeGateway { client })
    }

    /// The gateway configured on this machine: the key from the
    /// `MARKETDESK_STRIPE_SECRET_KEY` variable or the keychain, the address from
    /// `MARKETDESK_STRIPE_API` (for a test double) or Stripe's own.
    pub fn from_environment() -> Result<Self, GatewayError> {
        let key = match std::env::var("MARKETDESK_STRIPE_SECRET_KEY") {
            Ok(k) if !k.trim().is_empty() => k,
            _ => {
                let account = crate::secrets::integration("stripe").map(|i| i.account).unwrap_or_default();
                crate::secrets::get(account).ok().flatten().ok_or(GatewayError::NotConfigured)?
            }
        };
        let base = std::env::var("MARKETDESK_STRIPE_API").unwrap_or_else(|_| STRIPE_API.to_owned());
        Self::new(&key, &base)
    }

    fn strategy(key: &str) -> Result<RequestStrategy, GatewayError> {
        let key = IdempotencyKey::new(key)
            .map_err(|e| GatewayError::Refused { code: None, reason: format!("unusable idempotency key: {e}") })?;
        Ok(RequestStrategy::Idempotent(key))
    }
}

/// Sends a money-moving request under the idempotency key its caller saved
/// first, so a retry gets Stripe's first answer instead of a second effect.
trait Idempotent: StripeRequest {
    async fn idempotent(&self, client: &::stripe::Client, key: &str) -> Result<Self::Output, GatewayError>
    where
        Self::Output: miniserde::Deserialize,
    {
        self.customize().request_strategy(StripeGateway::strategy(key)?).send(client).await.map_err(explain)
    }
}

impl<R: StripeRequest> Idempotent for R {}

fn currency(c: Currency) -> Result<stripe_types::Currency, GatewayError> {
    c.as_str()
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| GatewayError::Refused { code: None, reason: format!("Stripe does not take {c}") })
}

/// Stripe's error, in the words of the person it affects.
fn explain(err: StripeError) -> GatewayError {
    match err {
        StripeError::Stripe(api, status) if (400..500).contains(&status) && status != 429 && status != 409 => {
            let code = api.code.as_ref().map(|c| c.to_string());
            let message = api.message.clone().unwrap_or_default();
            GatewayError::Refused { reason: vendor_words(code.as_deref(), &message), code }
        }
        StripeError::Stripe(api, status) => {
            GatewayError::Unavailable(format!("HTTP {status}: {}", api.message.clone().unwrap_or_default()))
        }
        StripeError::Timeout => GatewayError::Unavailable("no answer within 30 seconds".into()),
        other => GatewayError::Unavailable(other.to_string()),
    }
}

/// Turns a Stripe refusal into what finance and the vendor are told.
pub fn vendor_words(code: Option<&str>, message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    match code {
        Some("balance_insufficient" | "insufficient_funds") => "Platform balance too low".into(),
        Some("account_invalid" | "account_closed") => "Connect account not usable (closed or invalid)".into(),
        _ if lower.contains("capabilit") || lower.contains("payouts_enabled") || lower.contains("not verified") => {
            "Connect account not verified".into()
        }
        Some("charge_already_refunded") => "Already refunded in full".into(),
        Some("amount_too_large") => "More than is left to refund".into(),
        _ if message.is_empty() => "Stripe refused without a reason".into(),
        _ => message.to_owned(),
    }
}

fn made(t: stripe_shared::Transfer) -> TransferMade {
    TransferMade {
        id: t.id.to_string(),
        amount_minor: t.amount,
        destination: t.destination.map(|d| d.id().to_string()),
    }
}

fn connect_account(a: stripe_shared::Account) -> ConnectAccount {
    let requirements = a.requirements.as_ref();
    ConnectAccount {
        id: a.id.to_string(),
        payouts_enabled: a.payouts_enabled.unwrap_or(false),
        charges_enabled: a.charges_enabled.unwrap_or(false),
        details_submitted: a.details_submitted.unwrap_or(false),
        currently_due: requirements.and_then(|r| r.currently_due.clone()).unwrap_or_default(),
        disabled_reason: requirements.and_then(|r| r.disabled_reason.as_ref()).map(|d| d.as_str().to_owned()),
    }
}

impl PaymentGateway for StripeGateway {
    async fn transfer(&self, req: &TransferRequest) -> Result<TransferMade, GatewayError> {
        let metadata = HashMap::from([("marketdesk_group".to_owned(), req.group.clone())]);
        let call = CreateTransfer::new(currency(req.currency)?, req.destination.clone())
            .amount(req.amount_minor)
            .transfer_group(req.group.clone())
            .description(req.description.clone())
            .metadata(metadata);
        let t = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(made(t))
    }

    async fn find_transfer(&self, group: &str) -> Result<Option<TransferMade>, GatewayError> {
        let list = ListTransfer::new().transfer_group(group).limit(1).send(&self.client).await.map_err(explain)?;
        Ok(list.data.into_iter().next().map(made))
    }

    async fn refund(&self, req: &RefundRequest) -> Result<RefundMade, GatewayError> {
        let metadata = HashMap::from([("marketdesk_refund".to_owned(), req.refund_id.clone())]);
        let call =
            CreateRefund::new().payment_intent(req.payment_intent.clone()).amount(req.amount_minor).metadata(metadata);
        let r = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(RefundMade { id: r.id.to_string(), status: r.status.unwrap_or_else(|| "pending".into()) })
    }

    async fn create_account(&self, req: &NewConnectAccount) -> Result<ConnectAccount, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.transfers = Some(CreateAccountCapabilitiesTransfers { requested: Some(true) });
        let mut call = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .email(req.email.clone())
            .capabilities(capabilities)
            .metadata(metadata);
        if let Some(country) = &req.country {
            call = call.country(country.clone());
        }
        if let Some(name) = &req.business_name {
            let mut profile = CreateAccountBusinessProfile::new();
            profile.name = Some(name.clone());
            call = call.business_profile(profile);
        }
        let a = call.idempotent(&self.client, &req.idempotency_key).await?;
        Ok(connect_account(a))
    }

    async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<OnboardingLink, GatewayError> {
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(explain)?;
        Ok(OnboardingLink { url: link.url, expires_at: link.expires_at })
    }

    async fn account(&self, id: &str) -> Result<ConnectAccount, GatewayError> {
        let a = RetrieveAccount::new(id).send(&self.client).await.map_err(explain)?;
        Ok(connect_account(a))
    }

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

    async fn create_customer(&self, req: &NewCustomer) -> Result<String, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let c = CreateCustomer::new()
            .email(req.email.clone())
            .name(req.name.clone())
            .metadata(metadata)
            .idempotent(&self.client, &req.idempotency_key)
            .await?;
        Ok(c.id.to_string())
    }

    async fn create_subscription(&self, req: &NewSubscription) -> Result<SubscriptionState, GatewayError> {
        let metadata = HashMap::from([("marketdesk_vendor".to_owned(), req.vendor_id.clone())]);
        let mut item = CreateSubscriptionItems::new();
        item.price = Some(req.price.clone());
        item.quantity = Some(1);
        let s = CreateSubscription::new()
            .customer(req.customer.clone())
            .items(vec![item])
            .collection_method(stripe_shared::SubscriptionCollectionMethod::SendInvoice)
            .days_until_due(req.days_until_due)
            .metadata(metadata)
            .idempotent(&self.client, &req.idempotency_key)
            .await?;
        Ok(subscription_state(s))
    }

    async fn subscription(&self, id: &str) -> Result<SubscriptionState, GatewayError> {
        let s = RetrieveSubscription::new(id).send(&self.client).await.map_err(explain)?;
        Ok(subscription_state(s))
    }

    async fn change_subscription(
        &self,
        id: &str,
        change: &SubscriptionChange,
    ) -> Result<SubscriptionState, GatewayError> {
        let mut call = UpdateSubscription::new(id);
        if let Some((item, price)) = &change.price {
            let mut moved = UpdateSubscriptionItems::new();
            moved.id = Some(item.clone());
            moved.price = Some(price.clone());
            call = call.items(vec![moved]).proration_behavior(UpdateSubscriptionProrationBehavior::CreateProrations);
        }
        if let Some(cancel) = change.cancel_at_period_end {
            call = call.cancel_at_period_end(cancel);
        }
        let s = call.idempotent(&self.client, &change.idempotency_key).await?;
        Ok(subscription_state(s))
    }
}

fn subscription_state(s: stripe_shared::Subscription) -> SubscriptionState {
    let item = s.items.data.first();
    SubscriptionState {
        id: s.id.to_string(),
        status: s.status.as_str().to_owned(),
        cancel_at_period_end: s.cancel_at_period_end,
        item: item.map(|i| i.id.to_string()),
        price: item.map(|i| i.price.id.to_string()),
        period: item.map(|i| (i.current_period_start, i.current_period_end)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_put_in_the_vendors_words() {
        assert_eq!(
            vendor_words(Some("balance_insufficient"), "You have insufficient funds"),
            "Platform balance too low"
        );
        assert_eq!(
            vendor_words(
                None,
                "Your destination account needs to have at least one of the following capabilities enabled: transfers"
            ),
            "Connect account not verified"
        );
        assert_eq!(vendor_words(Some("other"), "Something specific"), "Something specific");
        assert_eq!(vendor_words(None, ""), "Stripe refused without a reason");
    }

    #[test]
    fn a_blank_key_is_not_configured() {
        assert_eq!(StripeGateway::new("  ", STRIPE_API).unwrap_err(), GatewayError::NotConfigured);
    }
}
