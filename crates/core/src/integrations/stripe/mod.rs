//! Stripe (<https://docs.stripe.com/api>) through async-stripe: the transfers
//! that pay vendors (Connect), the refunds that pay buyers back, and the
//! vendors' connected accounts (created, onboarded through Stripe's hosted
//! pages, and checked for whether they may receive payouts), the vendors'
//! subscriptions to the platform's plans, the payment pages of orders taken
//! by hand, and the events that report what happened to all of these later.
//!
//! Every money-moving call carries an idempotency key that the caller saved in
//! the database *before* the call, so a retry after a crash or a lost answer
//! finds the first result instead of moving the money twice. Transfers are also
//! tagged with a `transfer_group`, which finds them again after Stripe has
//! forgotten the key (24 hours).
//!
//! One module per capability, each with a narrow trait (`Transfers`,
//! `Refunds`, `ConnectAccounts`, `Billing`, `CheckoutSessions`, `Events`), so a use case's
//! signature shows what it may touch at Stripe; [`StripeGateway`] implements
//! them all, and test fakes implement only what a test needs.

mod billing;
mod checkout;
mod client;
mod connect;
mod events;
mod refunds;
mod transfers;
pub mod webhook;

pub use billing::{Billing, NewCustomer, NewSubscription, SubscriptionChange, SubscriptionState};
pub use checkout::{CheckoutLine, CheckoutMade, CheckoutRequest, CheckoutSessions};
pub use client::{GatewayError, STRIPE_API, StripeGateway, vendor_words};
pub use connect::{ConnectAccount, ConnectAccounts, NewConnectAccount, OnboardingLink};
pub use events::{EventList, Events, EventsPage, StripeEvent};
pub use refunds::{RefundMade, RefundRequest, Refunds};
pub use transfers::{TransferMade, TransferRequest, Transfers};
