//! Exponential back-off after failed sign-ins, kept by the client: the first
//! few mistakes cost nothing, then each one doubles the wait, up to a cap.

use std::time::{Duration, Instant};

/// Failed sign-ins so far and what they cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backoff {
    failures: u32,
    last_failure: Option<Instant>,
}

/// Failures that cost no wait.
const FREE: u32 = 3;
/// The longest wait.
const CAP: Duration = Duration::from_secs(300);

impl Backoff {
    /// Records a failed attempt.
    pub fn failed(&mut self) {
        self.failed_at(Instant::now());
    }

    /// Records a failed attempt made at `at`.
    pub fn failed_at(&mut self, at: Instant) {
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(at);
    }

    /// Forgets failures after a successful sign-in.
    pub fn succeeded(&mut self) {
        self.failures = 0;
        self.last_failure = None;
    }

    /// How much longer, at `now`, before another attempt is allowed.
    pub fn remaining(&self, now: Instant) -> Duration {
        match self.last_failure {
            Some(at) => self.wait().saturating_sub(now.saturating_duration_since(at)),
            None => Duration::ZERO,
        }
    }

    /// Failed attempts since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long to wait before the next attempt may be made.
    pub fn wait(&self) -> Duration {
        if self.failures < FREE {
            return Duration::ZERO;
        }
        let exponent = (self.failures - FREE).min(16);
        Duration::from_secs(1u64 << exponent).min(CAP)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_after_three_and_caps_at_five_minutes() {
        let mut b = Backoff::default();
        let mut waits = Vec::new();
        for _ in 0..14 {
            b.failed();
            waits.push(b.wait().as_secs());
        }
        assert_eq!(waits, [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        b.succeeded();
        assert_eq!(b.wait(), Duration::ZERO);
        let t0 = Instant::now();
        for _ in 0..5 {
            b.failed_at(t0);
        }
        assert_eq!(b.remaining(t0), Duration::from_secs(4));
        assert_eq!(b.remaining(t0 + Duration::from_secs(3)), Duration::from_secs(1));
        assert_eq!(b.remaining(t0 + Duration::from_secs(9)), Duration::ZERO);
    }
}
