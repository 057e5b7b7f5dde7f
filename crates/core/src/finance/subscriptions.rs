//! Vendors' subscriptions to the platform's plans, billed by Stripe: an admin
//! subscribes a vendor to a plan (Stripe mails the vendor each invoice to pay),
//! moves them to another plan (prorated), or sets the subscription to end with
//! its period (or to renew again). What Stripe does afterwards (invoices paid,
//! renewals, cancellations) comes back through its events
//! ([`super::stripe_events`]). The plan sets the vendor's commission override.
//!
//! Online only: Stripe is called with the platform's key, on staff machines.

use crate::domain::{Currency, Timestamp, new_id};
use crate::integrations::stripe::{
    Billing, GatewayError, NewCustomer, NewSubscription, SubscriptionChange, SubscriptionState,
};
use crate::store::sql::{Sql, bind_as, search_pattern};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Days a vendor has to pay an invoice, unless `subscriptions.days_until_due` says otherwise.
pub const DEFAULT_DAYS_UNTIL_DUE: u32 = 14;

/// A plan vendors may subscribe to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Plan {
    /// Plan id.
    pub id: Uuid,
    /// Short code (`growth`).
    pub code: String,
    /// Name shown to people.
    pub name: String,
    /// Price per interval, minor units.
    pub price_minor: i64,
    /// Currency of the price.
    pub currency: Currency,
    /// `month` or `year`.
    pub interval: String,
    /// The commission the plan's vendors pay, basis points, when it overrides the default.
    pub commission_bps: Option<i64>,
    /// Stripe's price for it; a plan without one cannot be billed.
    pub stripe_price_id: Option<String>,
    /// Offered to vendors now.
    pub is_active: bool,
}

/// One vendor and their subscription, for the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorPlan {
    /// The vendor (a user id).
    pub vendor_id: Uuid,
    /// Business name, else display name.
    pub vendor_name: String,
    /// Where Stripe mails invoices.
    pub email: String,
    /// The live subscription's plan, if any.
    pub plan_code: Option<String>,
    /// Its name.
    pub plan_name: Option<String>,
    /// `trialing`, `active`, `past_due`, `incomplete`, `unpaid`.
    pub status: Option<String>,
    /// Ends with the current period instead of renewing.
    pub cancel_at_period_end: bool,
    /// When the current period ends.
    pub current_period_end: Option<Timestamp>,
    /// Stripe's subscription (`sub_…`), when billed through Stripe.
    pub stripe_subscription_id: Option<String>,
    /// Row version, for changes made at once by two people.
    pub version: Option<i64>,
}

/// Which vendors the admin's list shows; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorPlanFilter {
    /// Text found in the vendor's name (business name, else display name) or email (case-insensitive).
    pub search: Option<String>,
    /// Only the vendors in this state.
    pub show: Option<PlanShow>,
}

/// A state of a vendor's subscription the admin's list can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PlanShow {
    /// No live subscription.
    NoPlan,
    /// A live subscription set to end with its period.
    Ending,
    /// Stripe waits for the vendor to pay an invoice (`past_due`, `unpaid`, `incomplete`).
    NeedsPayment,
}

impl PlanShow {
    /// The condition on the live subscription `s` (trusted SQL text).
    fn condition(self) -> &'static str {
        match self {
            PlanShow::NoPlan => " AND s.id IS NULL",
            PlanShow::Ending => " AND s.id IS NOT NULL AND s.cancel_at_period_end = true",
            PlanShow::NeedsPayment => " AND s.status IN ('past_due', 'unpaid', 'incomplete')",
        }
    }
}

/// How many vendors are on one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanCount {
    /// The plan's code.
    pub plan_code: String,
    /// Vendors with a live subscription to it.
    pub vendors: u64,
}

/// The admin's list of vendors and their plans, with the counts of every vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VendorPlanList {
    /// The vendors the filter lets through, by name.
    pub vendors: Vec<VendorPlan>,
    /// Every vendor, whatever the filter.
    pub total: u64,
    /// Vendors with a live subscription, whatever the filter.
    pub on_plan: u64,
    /// Vendors with a live subscription per plan, whatever the filter; plans no vendor is on are left out.
    pub by_plan: Vec<PlanCount>,
}

const SELECT_VENDOR_PLAN: &str = "SELECT u.id AS vendor_id, coalesce(pr.business_name, u.display_name) AS vendor_name, \
     u.email, p.code AS plan_code, p.name AS plan_name, s.status, coalesce(s.cancel_at_period_end, false) AS cancel_at_period_end, \
     s.current_period_end, s.stripe_subscription_id, s.version \
     FROM users u LEFT JOIN user_profiles pr ON pr.user_id = u.id \
     LEFT JOIN subscriptions s ON s.vendor_id = u.id AND s.status <> 'cancelled' AND s.deleted_at IS NULL \
     LEFT JOIN subscription_plans p ON p.id = s.plan_id \
     WHERE u.role = 'vendor' AND u.deleted_at IS NULL";

/// Every vendor, and those with a live subscription.
const COUNT_VENDOR_PLANS: &str = "SELECT count(*) AS total, count(s.id) AS on_plan FROM users u \
     LEFT JOIN subscriptions s ON s.vendor_id = u.id AND s.status <> 'cancelled' AND s.deleted_at IS NULL \
     WHERE u.role = 'vendor' AND u.deleted_at IS NULL";

/// Vendors with a live subscription, per plan.
const COUNT_BY_PLAN: &str = "SELECT p.code, count(*) AS vendors FROM users u \
     JOIN subscriptions s ON s.vendor_id = u.id AND s.status <> 'cancelled' AND s.deleted_at IS NULL \
     JOIN subscription_plans p ON p.id = s.plan_id \
     WHERE u.role = 'vendor' AND u.deleted_at IS NULL GROUP BY p.code ORDER BY p.code";

/// Our status for Stripe's subscription status; `None` for one we do not know.
pub fn status_of(stripe: &str) -> Option<&'static str> {
    Some(match stripe {
        "trialing" => "trialing",
        "active" => "active",
        "past_due" | "paused" => "past_due",
        "incomplete" => "incomplete",
        "unpaid" => "unpaid",
        "canceled" | "incomplete_expired" => "cancelled",
        _ => return None,
    })
}

fn online_only() -> StoreError {
    StoreError::OnlineOnly("subscriptions are billed through Stripe: connect to the marketplace server".into())
}

fn gateway_error(e: GatewayError) -> StoreError {
    match e {
        GatewayError::Refused { reason, .. } => StoreError::Validation(format!("Stripe refused: {reason}")),
        GatewayError::Unavailable(why) => StoreError::Busy(format!("Stripe did not answer ({why}); try again")),
        GatewayError::NotConfigured => StoreError::Validation(GatewayError::NotConfigured.to_string()),
    }
}

fn at(secs: i64) -> Result<Timestamp, StoreError> {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(Timestamp::from)
        .ok_or_else(|| StoreError::Corrupt(format!("Stripe's period bound {secs} is not a time")))
}

/// The live subscription as the three changes below need it.
#[derive(sqlx::FromRow)]
struct Live {
    id: Uuid,
    plan_code: String,
    stripe_subscription_id: Option<String>,
    version: i64,
}

impl Store {
    /// The plans, those offered first, cheapest first.
    pub async fn subscription_plans(&self) -> Result<Vec<Plan>, StoreError> {
        let sql = "SELECT id, code, name, price_minor, currency, interval, CAST(commission_bps AS BIGINT) AS commission_bps, \
                   stripe_price_id, is_active FROM subscription_plans WHERE deleted_at IS NULL \
                   ORDER BY is_active DESC, price_minor, code";
        Ok(with_pool!(&self.db, |p| sqlx::query_as(sql).fetch_all(p).await)?)
    }

    /// The vendors `filter` lets through and their live subscription, by name,
    /// with how many vendors there are and are on a plan (of every vendor).
    pub async fn vendor_plans(&self, filter: &VendorPlanFilter) -> Result<VendorPlanList, StoreError> {
        let mut sql = Sql::new(SELECT_VENDOR_PLAN);
        if let Some(pattern) = search_pattern(filter.search.as_deref())? {
            sql.push(" AND (lower(coalesce(pr.business_name, u.display_name)) LIKE ").bind(pattern.clone());
            sql.push(" ESCAPE '\\' OR lower(u.email) LIKE ").bind(pattern);
            sql.push(" ESCAPE '\\')");
        }
        if let Some(show) = filter.show {
            sql.push(show.condition());
        }
        sql.push(" ORDER BY lower(coalesce(pr.business_name, u.display_name)), u.id");
        let vendors: Vec<VendorPlan> =
            with_pool!(&self.db, |p| bind_as(sqlx::query_as(&sql.text), &sql.params).fetch_all(p).await)?;
        let (total, on_plan): (i64, i64) =
            with_pool!(&self.db, |p| sqlx::query_as(COUNT_VENDOR_PLANS).fetch_one(p).await)?;
        let by_plan: Vec<(String, i64)> = with_pool!(&self.db, |p| sqlx::query_as(COUNT_BY_PLAN).fetch_all(p).await)?;
        Ok(VendorPlanList {
            vendors,
            total: u64::try_from(total).unwrap_or(0),
            on_plan: u64::try_from(on_plan).unwrap_or(0),
            by_plan: by_plan
                .into_iter()
                .map(|(plan_code, n)| PlanCount { plan_code, vendors: u64::try_from(n).unwrap_or(0) })
                .collect(),
        })
    }

    /// One vendor and their live subscription.
    pub async fn vendor_plan(&self, vendor: Uuid) -> Result<VendorPlan, StoreError> {
        let sql = format!("{SELECT_VENDOR_PLAN} AND u.id = $1");
        let found: Option<VendorPlan> =
            with_pool!(&self.db, |p| sqlx::query_as(&sql).bind(vendor).fetch_optional(p).await)?;
        found.ok_or_else(|| StoreError::NotFound { entity: "vendor", id: vendor.to_string() })
    }

    /// Subscribes a vendor with no live subscription to `plan` through Stripe
    /// (making them a Stripe customer first if needed). Stripe mails each
    /// invoice; the subscription is `incomplete` until the first is paid.
    pub async fn subscribe_vendor<G: Billing>(
        &self,
        gateway: &G,
        vendor: Uuid,
        plan: &str,
    ) -> Result<VendorPlan, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let (plan_id, price) = self.billable_plan(plan).await?;
        let current = self.vendor_plan(vendor).await?;
        if let Some(code) = &current.plan_code {
            return Err(StoreError::Validation(format!(
                "{} already subscribes to {code}: change the plan instead",
                current.vendor_name
            )));
        }
        let customer: Option<String> =
            sqlx::query_scalar("SELECT stripe_customer_id FROM user_profiles WHERE user_id = $1")
                .bind(vendor)
                .fetch_optional(pool)
                .await?
                .flatten();
        let customer = match customer {
            Some(c) => c,
            None => {
                let made = gateway
                    .create_customer(&NewCustomer {
                        email: current.email.clone(),
                        name: current.vendor_name.clone(),
                        vendor_id: vendor.to_string(),
                        idempotency_key: format!("marketdesk-customer-{vendor}"),
                    })
                    .await
                    .map_err(gateway_error)?;
                sqlx::query(
                    "INSERT INTO user_profiles (id, user_id, stripe_customer_id, version, created_at, updated_at) \
                     VALUES ($1, $2, $3, 1, now(), now()) ON CONFLICT (user_id) DO UPDATE \
                     SET stripe_customer_id = excluded.stripe_customer_id, version = user_profiles.version + 1, \
                     updated_at = excluded.updated_at WHERE user_profiles.stripe_customer_id IS NULL",
                )
                .bind(new_id())
                .bind(vendor)
                .bind(&made)
                .execute(pool)
                .await
                .map_err(|e| StoreError::from_write("vendor profile", e))?;
                made
            }
        };
        // The n-th subscription of this vendor: a retry asks Stripe with the same key.
        let earlier: i64 = sqlx::query_scalar("SELECT count(*) FROM subscriptions WHERE vendor_id = $1")
            .bind(vendor)
            .fetch_one(pool)
            .await?;
        let days = self
            .setting_text("subscriptions.days_until_due")
            .await?
            .and_then(|d| d.trim().parse::<u32>().ok())
            .filter(|d| (1..=90).contains(d))
            .unwrap_or(DEFAULT_DAYS_UNTIL_DUE);
        let state = gateway
            .create_subscription(&NewSubscription {
                customer,
                price,
                vendor_id: vendor.to_string(),
                days_until_due: days,
                idempotency_key: format!("marketdesk-subscribe-{vendor}-{earlier}"),
            })
            .await
            .map_err(gateway_error)?;
        let status = status_of(&state.status)
            .ok_or_else(|| StoreError::Corrupt(format!("Stripe's subscription status “{}”", state.status)))?;
        let (start, end) = match state.period {
            Some((s, e)) => (at(s)?, at(e)?),
            None => (Timestamp::now(), Timestamp::now()),
        };
        sqlx::query(
            "INSERT INTO subscriptions (id, vendor_id, plan_id, status, stripe_subscription_id, current_period_start, \
             current_period_end, cancel_at_period_end, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, now(), now()) ON CONFLICT (stripe_subscription_id) DO NOTHING",
        )
        .bind(new_id())
        .bind(vendor)
        .bind(plan_id)
        .bind(status)
        .bind(&state.id)
        .bind(start)
        .bind(end)
        .bind(state.cancel_at_period_end)
        .execute(pool)
        .await
        .map_err(|e| StoreError::from_write("subscription", e))?;
        self.vendor_plan(vendor).await
    }

    /// Moves a vendor's Stripe subscription to `plan`, prorated.
    pub async fn change_vendor_plan<G: Billing>(
        &self,
        gateway: &G,
        vendor: Uuid,
        plan: &str,
        expected_version: i64,
    ) -> Result<VendorPlan, StoreError> {
        let (plan_id, price) = self.billable_plan(plan).await?;
        let live = self.live_subscription(vendor, expected_version).await?;
        if live.plan_code == plan {
            return Err(StoreError::Validation(format!("the vendor is on {plan} already")));
        }
        let sub = live.stripe_subscription_id.clone().unwrap_or_default();
        let now = gateway.subscription(&sub).await.map_err(gateway_error)?;
        let item = now.item.clone().ok_or_else(|| {
            StoreError::Validation(format!("Stripe's subscription {sub} has no item to move to another price"))
        })?;
        let state = gateway
            .change_subscription(
                &sub,
                &SubscriptionChange {
                    price: Some((item, price)),
                    cancel_at_period_end: None,
                    idempotency_key: format!("marketdesk-plan-{sub}-{plan}-v{}", live.version),
                },
            )
            .await
            .map_err(gateway_error)?;
        self.store_change(live, Some(plan_id), &state).await?;
        self.vendor_plan(vendor).await
    }

    /// Sets a vendor's Stripe subscription to end with its period (`end`), or to renew again.
    pub async fn set_vendor_plan_ending<G: Billing>(
        &self,
        gateway: &G,
        vendor: Uuid,
        end: bool,
        expected_version: i64,
    ) -> Result<VendorPlan, StoreError> {
        let live = self.live_subscription(vendor, expected_version).await?;
        let sub = live.stripe_subscription_id.clone().unwrap_or_default();
        let state = gateway
            .change_subscription(
                &sub,
                &SubscriptionChange {
                    price: None,
                    cancel_at_period_end: Some(end),
                    idempotency_key: format!("marketdesk-ending-{sub}-{end}-v{}", live.version),
                },
            )
            .await
            .map_err(gateway_error)?;
        self.store_change(live, None, &state).await?;
        self.vendor_plan(vendor).await
    }

    /// An offered plan with a Stripe price: its id and the price.
    async fn billable_plan(&self, code: &str) -> Result<(Uuid, String), StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let found: Option<(Uuid, bool, Option<String>)> = sqlx::query_as(
            "SELECT id, is_active, stripe_price_id FROM subscription_plans WHERE code = $1 AND deleted_at IS NULL",
        )
        .bind(code)
        .fetch_optional(pool)
        .await?;
        match found {
            None => Err(StoreError::NotFound { entity: "plan", id: code.to_owned() }),
            Some((_, false, _)) => Err(StoreError::Validation(format!("plan {code} is not offered any more"))),
            Some((_, true, None)) => {
                Err(StoreError::Validation(format!("plan {code} has no Stripe price: set its price id first")))
            }
            Some((id, true, Some(price))) => Ok((id, price)),
        }
    }

    async fn live_subscription(&self, vendor: Uuid, expected_version: i64) -> Result<Live, StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let live: Option<Live> = sqlx::query_as(
            "SELECT s.id, p.code AS plan_code, s.stripe_subscription_id, s.version FROM subscriptions s \
             JOIN subscription_plans p ON p.id = s.plan_id WHERE s.vendor_id = $1 AND s.status <> 'cancelled' \
             AND s.deleted_at IS NULL",
        )
        .bind(vendor)
        .fetch_optional(pool)
        .await?;
        let live = live.ok_or_else(|| StoreError::Validation("the vendor has no subscription to change".into()))?;
        if live.version != expected_version {
            return Err(StoreError::VersionConflict {
                entity: "subscription",
                id: live.id.to_string(),
                expected: expected_version,
                actual: live.version,
            });
        }
        if live.stripe_subscription_id.is_none() {
            return Err(StoreError::Validation(
                "this subscription is not billed through Stripe; end it and subscribe the vendor again".into(),
            ));
        }
        Ok(live)
    }

    async fn store_change(&self, live: Live, plan: Option<Uuid>, s: &SubscriptionState) -> Result<(), StoreError> {
        let pool = self.pg_pool().ok_or_else(online_only)?;
        let status = status_of(&s.status)
            .ok_or_else(|| StoreError::Corrupt(format!("Stripe's subscription status “{}”", s.status)))?;
        let changed = sqlx::query(
            "UPDATE subscriptions SET plan_id = coalesce($3, plan_id), status = $4, cancel_at_period_end = $5, \
             version = version + 1, updated_at = now() WHERE id = $1 AND version = $2",
        )
        .bind(live.id)
        .bind(live.version)
        .bind(plan)
        .bind(status)
        .bind(s.cancel_at_period_end)
        .execute(pool)
        .await
        .map_err(|e| StoreError::from_write("subscription", e))?
        .rows_affected();
        if changed == 0 {
            // Stripe has the change; an event applied meanwhile moved the row on. The next event settles it.
            tracing::info!(subscription = %live.id, "subscription row moved on while Stripe was asked");
        }
        Ok(())
    }
}
