//! `analytics`: the dashboards of the marketplace's figures (a period beside
//! the one before), the rows behind a figure, the recorded business events,
//! and Google Analytics 4 — turned on or off, checked against Google's
//! validation server, and its outbox sent once — through the same core
//! functions as the desktop's dashboard.

use super::Result;
use super::catalog_files::reader;
use chrono::NaiveDate;
use clap::Subcommand;
use marketdesk_core::analytics::dashboard::{DashboardQuery, MetricKey, MetricUnit, dashboard, scope_for};
use marketdesk_core::analytics::drill::drill;
use marketdesk_core::analytics::events::{EventFilter, list_events};
use marketdesk_core::analytics::ga4_outbox::{self, configure};
use marketdesk_core::domain::{Currency, Role};
use marketdesk_core::integrations::ga4::{self, Event, Ga4, Payload};
use marketdesk_core::store::location::{self, Location};
use std::process::ExitCode;
use uuid::Uuid;

/// What `analytics` does.
#[derive(Debug, Subcommand)]
pub enum AnalyticsAction {
    /// The figures of a period beside the period of the same length before it.
    Dashboard {
        /// First day (YYYY-MM-DD, UTC, inclusive).
        #[arg(long, value_parser = crate::day, allow_hyphen_values = true)]
        from: NaiveDate,
        /// Last day (inclusive).
        #[arg(long, value_parser = crate::day, allow_hyphen_values = true)]
        to: NaiveDate,
        /// Amounts in this currency.
        #[arg(long, default_value = "USD")]
        currency: String,
        /// One vendor's own figures (a vendor always sees only its own).
        #[arg(long)]
        vendor: Option<Uuid>,
        /// Print the rows behind this figure instead (orders, revenue,
        /// average_order_value, approval_conversion, fulfilment_hours,
        /// dispute_rate, payout_success, active_vendors, active_customers).
        #[arg(long)]
        drill: Option<String>,
        /// Rows of the drill-down (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// As this person (admin, finance or vendor).
        #[arg(long = "as")]
        r#as: String,
    },
    /// The recorded business events, newest first.
    Events {
        /// Only events of this name (order_paid, payout_sent, login …).
        #[arg(long)]
        name: Option<String>,
        /// Only events in this Google Analytics state (queued, sent, skipped, failed).
        #[arg(long)]
        state: Option<String>,
        /// How many (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// As this admin or finance person.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Turns Google Analytics 4 on or off for the marketplace.
    Ga4 {
        /// on or off.
        state: String,
        /// The web stream's measurement id (G-…).
        #[arg(long)]
        measurement_id: Option<String>,
        /// As this admin.
        #[arg(long = "as")]
        r#as: String,
    },
    /// Puts a sample purchase to Google's validation server with this
    /// machine's API secret and prints what it says.
    Ga4Check,
    /// Sends the Google Analytics outbox once (what the worker's round does).
    Ga4Send,
}

fn money(minor: i64, currency: Currency) -> String {
    let d = rust_decimal::Decimal::new(minor, currency.minor_digits());
    format!("{d} {currency}")
}

fn written(value: Option<i64>, unit: MetricUnit, currency: Currency) -> String {
    match (value, unit) {
        (None, _) => "—".into(),
        (Some(v), MetricUnit::Count) => v.to_string(),
        (Some(v), MetricUnit::Money) => money(v, currency),
        (Some(v), MetricUnit::Ratio) => format!("{}.{:02} %", v / 100, (v % 100).abs()),
        (Some(v), MetricUnit::Hours) => format!("{v} h"),
    }
}

async fn ga4_client(store: &marketdesk_core::store::Store) -> Result<Ga4> {
    let settings = ga4_outbox::settings(store).await?;
    let id = settings.measurement_id.ok_or("no measurement id: `marketdesk analytics ga4 on --measurement-id G-…`")?;
    let secret = ga4::api_secret_from_environment()
        .ok_or("no API secret: set MARKETDESK_GA4_API_SECRET or `marketdesk secret set ga4`")?;
    Ok(Ga4::new(&ga4::base_from_environment(), &id, &secret)?)
}

/// Runs one `analytics` action.
pub async fn run(loc: &Location, action: AnalyticsAction) -> Result<ExitCode> {
    let store = location::open(loc, false).await?;
    let mut code = ExitCode::SUCCESS;
    match action {
        AnalyticsAction::Dashboard { from, to, currency, vendor, drill: metric, limit, r#as } => {
            let currency: Currency = currency.parse().map_err(|e| format!("--currency {currency}: {e}"))?;
            let who = reader(&store, &r#as).await?;
            let q = scope_for(&who, &DashboardQuery { from, to, currency, vendor_id: vendor })?;
            if let Some(metric) = metric {
                let key: MetricKey = serde_json::from_value(serde_json::Value::String(metric.clone()))
                    .map_err(|_| format!("--drill {metric}: no such figure"))?;
                let page = drill(&store, &q, key, 0, limit).await?;
                println!("{} row(s) behind {metric}:", page.total);
                for r in &page.rows {
                    let amount = r.amount_minor.map(|a| money(a, currency)).unwrap_or_default();
                    let at = r.at.map(|t| t.to_text()).unwrap_or_default();
                    println!("{}  {:<28} {:<32} {amount:>16}  {at}", r.id, r.label, r.detail);
                }
            } else {
                let d = dashboard(&store, &q).await?;
                println!(
                    "{} to {} beside {} to {} ({currency})",
                    d.query.from, d.query.to, d.previous_from, d.previous_to
                );
                for m in &d.metrics {
                    let change =
                        m.change_bps.map(|c| format!("{:+}.{:02} %", c / 100, (c % 100).abs())).unwrap_or_default();
                    println!(
                        "{:<22} {:>20}  was {:>18}  {change:>10}  ({})",
                        m.label,
                        written(m.value, m.unit, currency),
                        written(m.previous, m.unit, currency),
                        m.basis
                    );
                }
            }
        }
        AnalyticsAction::Events { name, state, limit, r#as } => {
            let who = reader(&store, &r#as).await?;
            if !matches!(who.role, Role::Admin | Role::Finance) {
                return Err("the business events are for admins and finance".into());
            }
            let events =
                list_events(&store, &EventFilter { name, ga_state: state, ..EventFilter::default() }, limit).await?;
            if events.is_empty() {
                println!("No events match.");
            }
            for e in &events {
                let facts = e.properties.as_ref().map(|p| p.0.to_string()).unwrap_or_default();
                println!(
                    "{}  {:<18} {:<9} {:<8} {facts}",
                    e.occurred_at,
                    e.name,
                    e.actor_role.as_deref().unwrap_or("—"),
                    e.ga_state
                );
            }
        }
        AnalyticsAction::Ga4 { state, measurement_id, r#as } => {
            if reader(&store, &r#as).await?.role != Role::Admin {
                return Err("only an admin turns Google Analytics on or off".into());
            }
            let on = match state.as_str() {
                "on" => true,
                "off" => false,
                other => return Err(format!("{other}: say on or off").into()),
            };
            let s = configure(&store, on, measurement_id.as_deref()).await?;
            let id = s.measurement_id.unwrap_or_else(|| "no stream".into());
            println!("Google Analytics 4 is {} ({id}).", if s.enabled { "on" } else { "off" });
        }
        AnalyticsAction::Ga4Check => {
            let ga = ga4_client(&store).await?;
            let mut params = serde_json::Map::new();
            params.insert("currency".into(), serde_json::json!("USD"));
            params.insert("value".into(), serde_json::json!(1));
            params.insert("transaction_id".into(), serde_json::json!("marketdesk-check"));
            let payload = Payload {
                client_id: "marketdesk.check".into(),
                user_id: None,
                user_properties: serde_json::Map::new(),
                events: vec![Event {
                    name: "purchase".into(),
                    params,
                    timestamp_micros: marketdesk_core::domain::Timestamp::now().unix_micros(),
                }],
            };
            let messages = ga.validate(&payload).await?;
            if messages.is_empty() {
                println!("Google's validation server took a sample purchase for {}.", ga.measurement_id());
            }
            for m in &messages {
                println!("{} at {} ({})", m.description, m.field_path, m.validation_code);
                code = ExitCode::FAILURE;
            }
        }
        AnalyticsAction::Ga4Send => {
            let ga = ga4_client(&store).await?;
            let r = ga4_outbox::forward_due(&store, &ga, 1000).await?;
            println!("{} sent, {} to retry, {} refused, {} too old", r.sent, r.retrying, r.failed, r.skipped);
            if let Some(problem) = r.problem {
                println!("{problem}");
                code = ExitCode::FAILURE;
            }
        }
    }
    store.close().await;
    Ok(code)
}
