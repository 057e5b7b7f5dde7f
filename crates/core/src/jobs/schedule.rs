//! Rounds due every so often (the mail outbox, Stripe's events, tracking …)
//! made into jobs once per time slot: every host enqueues the round with the
//! same dedupe key — its kind, period and the slot's start — so however many
//! workers run, the round is one job. The period is part of the key: a slot
//! of another period that happens to start at the same second is another
//! round, not one already done.

use super::queue::{NewJob, enqueue};
use crate::domain::Timestamp;
use crate::store::StoreError;
use sqlx::PgPool;
use uuid::Uuid;

/// The key of the `every_seconds` slot that `now` falls in, for `kind`.
pub fn slot_key(kind: &str, every_seconds: i64, now: Timestamp) -> String {
    let every = every_seconds.max(1);
    let start = now.as_datetime().timestamp().div_euclid(every) * every;
    format!("{kind}/{every}s@{start}")
}

/// Enqueues the round `kind` for the slot `now` falls in, unless a host did
/// already; returns the job made, if this call made it.
pub async fn enqueue_round(
    pool: &PgPool,
    kind: &str,
    every_seconds: i64,
    now: Timestamp,
) -> Result<Option<Uuid>, StoreError> {
    let job =
        NewJob { dedupe_key: Some(slot_key(kind, every_seconds, now)), ..NewJob::now(kind, serde_json::json!({})) };
    enqueue(pool, &job).await
}

#[cfg(test)]
mod tests {
    use crate::domain::Timestamp;

    #[test]
    fn one_key_per_slot() {
        let at = |t: &str| Timestamp::parse(t).unwrap();
        let a = super::slot_key("mail.round", 60, at("2026-12-07T08:00:05Z"));
        assert_eq!(a, super::slot_key("mail.round", 60, at("2026-12-07T08:00:59Z")));
        assert_ne!(a, super::slot_key("mail.round", 60, at("2026-12-07T08:01:00Z")));
        assert_ne!(a, super::slot_key("stripe.poll", 60, at("2026-12-07T08:00:05Z")));
        // 08:00:00 starts a 60 s slot and a 120 s slot: two rounds.
        assert_ne!(a, super::slot_key("mail.round", 120, at("2026-12-07T08:00:05Z")));
        assert_eq!(a, "mail.round/60s@1796630400");
    }
}
