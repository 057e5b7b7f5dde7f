//! Reporting periods: which day, week, month or quarter a calendar day falls in.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How finely a report groups its rows in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// One row per calendar day.
    Day,
    /// One row per ISO week (Monday to Sunday).
    Week,
    /// One row per calendar month.
    #[default]
    Month,
    /// One row per calendar quarter.
    Quarter,
}

/// The label of the period `day` falls in: `2026-05-04`, `2026-W19`, `2026-05`, `2026-Q2`.
/// Labels of one grain sort in time order.
pub fn period_of(day: NaiveDate, grain: Grain) -> String {
    match grain {
        Grain::Day => day.format("%Y-%m-%d").to_string(),
        Grain::Week => {
            let week = day.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Grain::Month => format!("{}-{:02}", day.year(), day.month()),
        Grain::Quarter => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn labels_each_grain() {
        assert_eq!(period_of(d(2026, 5, 4), Grain::Day), "2026-05-04");
        assert_eq!(period_of(d(2026, 5, 4), Grain::Month), "2026-05");
        assert_eq!(period_of(d(2026, 5, 4), Grain::Quarter), "2026-Q2");
        assert_eq!(period_of(d(2026, 12, 31), Grain::Quarter), "2026-Q4");
        assert_eq!(period_of(d(2026, 1, 1), Grain::Quarter), "2026-Q1");
    }

    #[test]
    fn iso_weeks_cross_the_new_year() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026. 2027-01-01 is a Friday: week 53 of 2026.
        assert_eq!(period_of(d(2026, 1, 1), Grain::Week), "2026-W01");
        assert_eq!(period_of(d(2027, 1, 1), Grain::Week), "2026-W53");
        assert_eq!(period_of(d(2026, 5, 4), Grain::Week), "2026-W19");
    }
}
