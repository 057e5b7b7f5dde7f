//! Dispute analytics for the platform: live disputes by stage and age (and
//! how many are past their time), time from opening to resolution, and
//! outcomes by vendor and kind — on either engine, from the same rows the
//! list reads.

use crate::domain::dispute_lifecycle::{DisputeKind, DisputeOutcome, Stage, stage};
use crate::domain::{DisputeStatus, Timestamp};
use crate::store::{Store, StoreError, with_pool};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Age bands of a live dispute, in days since it was opened.
pub const AGE_BANDS: [(i64, &str); 5] =
    [(1, "under 1 day"), (3, "1–3 days"), (7, "3–7 days"), (14, "7–14 days"), (i64::MAX, "14 days or more")];

/// Live disputes of one stage in one age band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgeCell {
    /// Whose turn it is.
    pub stage: Stage,
    /// The band (see [`AGE_BANDS`]).
    pub band: String,
    /// How many.
    pub count: u32,
}

/// Outcomes of one vendor's disputes of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutcomeRow {
    /// The vendor (none: disputes about whole orders).
    pub vendor_id: Option<Uuid>,
    /// Their name.
    pub vendor_name: String,
    /// What the disputes were about.
    pub kind: DisputeKind,
    /// How they ended.
    pub resolution: DisputeOutcome,
    /// How many.
    pub count: i64,
}

/// The platform's dispute figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DisputeAnalytics {
    /// Live disputes by stage and age band (bands with none left out).
    pub live: Vec<AgeCell>,
    /// Live disputes past their stage's time.
    pub overdue: u32,
    /// Disputes ended since `since`.
    pub ended: u32,
    /// Median hours from opening to the outcome.
    pub median_hours: Option<i64>,
    /// The 90th percentile of those hours.
    pub p90_hours: Option<i64>,
    /// Outcomes since `since` by vendor and kind, most frequent first (at most 200).
    pub outcomes: Vec<OutcomeRow>,
}

#[derive(sqlx::FromRow)]
struct Live {
    status: DisputeStatus,
    opened_at: Timestamp,
    stage_due_at: Option<Timestamp>,
    overdue_at: Option<Timestamp>,
}

/// The figures at `now`, outcomes counted from `since`.
pub async fn dispute_analytics(
    store: &Store,
    now: Timestamp,
    since: Timestamp,
) -> Result<DisputeAnalytics, StoreError> {
    let live_sql = "SELECT status, opened_at, stage_due_at, overdue_at FROM disputes \
                    WHERE status NOT IN ('resolved', 'closed') AND deleted_at IS NULL";
    let live: Vec<Live> = with_pool!(&store.db, |p| sqlx::query_as(live_sql).fetch_all(p).await)?;
    let mut cells: Vec<AgeCell> = Vec::new();
    let mut overdue = 0;
    for d in &live {
        let Some(s) = stage(d.status) else { continue };
        if d.overdue_at.is_some() || d.stage_due_at.is_some_and(|due| due < now) {
            overdue += 1;
        }
        let days = (now.unix_micros() - d.opened_at.unix_micros()).max(0) / 86_400_000_000;
        let band = AGE_BANDS.iter().find(|(upto, _)| days < *upto).map_or("", |(_, name)| name);
        match cells.iter_mut().find(|c| c.stage == s && c.band == band) {
            Some(c) => c.count += 1,
            None => cells.push(AgeCell { stage: s, band: band.into(), count: 1 }),
        }
    }
    cells.sort_by_key(|c| (c.stage.as_str(), AGE_BANDS.iter().position(|(_, n)| *n == c.band)));
    let ended_sql = "SELECT opened_at, resolved_at FROM disputes WHERE resolved_at IS NOT NULL AND resolved_at >= $1 \
                     AND status IN ('resolved', 'closed') AND deleted_at IS NULL";
    let ended: Vec<(Timestamp, Timestamp)> =
        with_pool!(&store.db, |p| sqlx::query_as(ended_sql).bind(since).fetch_all(p).await)?;
    let mut hours: Vec<i64> =
        ended.iter().map(|(o, r)| (r.unix_micros() - o.unix_micros()).max(0) / 3_600_000_000).collect();
    hours.sort_unstable();
    let pick = |q: usize| (!hours.is_empty()).then(|| hours[(hours.len() - 1) * q / 100]);
    let outcomes_sql = "SELECT d.vendor_id, coalesce((SELECT u.display_name FROM users u WHERE u.id = d.vendor_id), '') \
                        AS vendor_name, d.kind, d.resolution, count(*) AS count FROM disputes d \
                        WHERE d.resolution IS NOT NULL AND d.resolved_at >= $1 AND d.deleted_at IS NULL \
                        GROUP BY d.vendor_id, d.kind, d.resolution ORDER BY count(*) DESC, d.vendor_id, d.kind, d.resolution LIMIT 200";
    let outcomes: Vec<OutcomeRow> =
        with_pool!(&store.db, |p| sqlx::query_as(outcomes_sql).bind(since).fetch_all(p).await)?;
    Ok(DisputeAnalytics {
        live: cells,
        overdue,
        ended: u32::try_from(ended.len()).unwrap_or(u32::MAX),
        median_hours: pick(50),
        p90_hours: pick(90),
        outcomes,
    })
}
