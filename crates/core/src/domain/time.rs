//! Instants in UTC, stored the same way on both engines.
//!
//! PostgreSQL keeps `timestamptz`; SQLite keeps fixed-width text
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ`, which sorts lexically in time order and is
//! understood by SQLite's date functions. Precision is microseconds on both, so a
//! value read back equals the value written.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// A UTC instant with microsecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Timestamp(DateTime<Utc>);

/// The text layout used for SQLite columns and COPY rows.
pub const TEXT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl Timestamp {
    /// The current instant, truncated to microseconds.
    pub fn now() -> Self {
        Self::from(Utc::now())
    }

    /// The instant as a chrono value.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Microseconds since the Unix epoch.
    pub fn unix_micros(&self) -> i64 {
        self.0.timestamp_micros()
    }

    /// Milliseconds since the Unix epoch (what a UUIDv7 carries).
    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// The instant from microseconds since the Unix epoch; `None` when out of range.
    pub fn from_unix_micros(micros: i64) -> Option<Self> {
        DateTime::from_timestamp_micros(micros).map(Self)
    }

    /// This instant `days` whole days earlier (saturating at the earliest instant).
    pub fn minus_days(&self, days: i64) -> Self {
        Self(
            self.0
                .checked_sub_signed(chrono::Duration::days(days.clamp(0, 100_000)))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        )
    }

    /// The fixed-width text form (`2025-01-31T09:30:00.000000Z`).
    pub fn to_text(&self) -> String {
        self.0.format(TEXT_FORMAT).to_string()
    }

    /// Parses the text form, or any RFC 3339 instant.
    pub fn parse(text: &str) -> Result<Self, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|t| Self::from(t.with_timezone(&Utc)))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.trunc_subsecs(6))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips_and_sorts_in_time_order() {
        let a = Timestamp::from_unix_micros(1_700_000_000_000_000).unwrap();
        let b = Timestamp::from_unix_micros(1_700_000_000_000_001).unwrap();
        let c = Timestamp::from_unix_micros(1_700_000_001_000_000).unwrap();
        assert_eq!(a.to_text(), "2023-11-14T22:13:20.000000Z");
        assert_eq!(Timestamp::parse(&b.to_text()).unwrap(), b);
        assert!(a.to_text() < b.to_text() && b.to_text() < c.to_text());
    }

    #[test]
    fn nanoseconds_are_dropped() {
        let t = DateTime::from_timestamp(1, 123_456_789).unwrap();
        assert_eq!(Timestamp::from(t).unix_micros(), 1_123_456);
    }
}
