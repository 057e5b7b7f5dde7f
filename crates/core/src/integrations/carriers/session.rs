//! What both carriers' clients share: an OAuth token fetched once and shared
//! by concurrent calls (refreshed a minute before it expires, and once more if
//! the carrier says it expired anyway), a client-side limit kept under the
//! carrier's, and `429 Too Many Requests` waited out as `Retry-After` says.

use super::error::{CarrierError, CarrierFailure};
use crate::domain::Carrier;
use reqwest::{RequestBuilder, Response, StatusCode};
use std::collections::VecDeque;
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// A bearer token and when to stop using it.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) value: String,
    pub(super) refresh_at: Instant,
}

impl Token {
    /// A token the carrier says lasts `lifetime`, used until a minute (or,
    /// for a short one, a tenth of its life) before that.
    pub(super) fn new(value: String, lifetime: Duration) -> Self {
        let margin = Duration::from_secs(60).min(lifetime / 10);
        Self { value, refresh_at: Instant::now() + lifetime.saturating_sub(margin) }
    }
}

/// At most `calls` calls in any `per` window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed in the window.
    pub calls: usize,
    /// The window.
    pub per: Duration,
}

/// How many times a `429` is waited out before giving up.
const THROTTLE_RETRIES: u32 = 4;
/// The longest `Retry-After` honoured; a carrier asking for more is reported.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// One carrier account's connection: HTTP client, token and limiter.
#[derive(Debug)]
pub(super) struct Session {
    pub(super) carrier: Carrier,
    pub(super) http: reqwest::Client,
    token: Mutex<Option<Token>>,
    sent: Mutex<VecDeque<Instant>>,
    limit: RateLimit,
}

impl Session {
    pub(super) fn new(carrier: Carrier, limit: RateLimit, timeout: Duration) -> Result<Self, CarrierError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| CarrierError::new(carrier, CarrierFailure::NotConfigured, e.to_string()))?;
        Ok(Self { carrier, http, token: Mutex::new(None), sent: Mutex::new(VecDeque::new()), limit })
    }

    /// Waits until one more call stays within the limit, and counts it.
    async fn take_turn(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                while sent.front().is_some_and(|t| now.duration_since(*t) >= self.limit.per) {
                    sent.pop_front();
                }
                if sent.len() < self.limit.calls.max(1) {
                    sent.push_back(now);
                    return;
                }
                sent.front().map(|t| self.limit.per.saturating_sub(now.duration_since(*t))).unwrap_or_default()
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }

    /// The current token, fetched with `fetch` when there is none or it is
    /// due; concurrent callers wait for the one fetch.
    async fn token<F, Fut>(&self, fetch: &F) -> Result<String, CarrierError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Token, CarrierError>>,
    {
        let mut slot = self.token.lock().await;
        if let Some(t) = slot.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(t.value.clone());
        }
        let fresh = fetch().await?;
        let value = fresh.value.clone();
        *slot = Some(fresh);
        Ok(value)
    }

    /// Forgets `used` if it is still the current token (another call may
    /// already have replaced it).
    async fn forget(&self, used: &str) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|t| t.value == used) {
            *slot = None;
        }
    }

    /// Sends the request `build` makes (with the bearer token added) within
    /// the limit; a `401` gets one fresh token and one retry, a `429` is
    /// waited out as `Retry-After` says. Any other answer is returned whole
    /// for the carrier's parser; no answer at all is `NoAnswer`.
    pub(super) async fn send<F, Fut>(
        &self,
        fetch_token: &F,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<(StatusCode, Vec<u8>), CarrierError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Token, CarrierError>>,
    {
        let mut refreshed = false;
        let mut throttled = 0;
        loop {
            let token = self.token(fetch_token).await?;
            self.take_turn().await;
            let answer = build(&self.http).bearer_auth(&token).send().await;
            let response = answer.map_err(|e| self.no_answer(&e))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                self.forget(&token).await;
                continue;
            }
            if status == StatusCode::TOO_MANY_REQUESTS && throttled < THROTTLE_RETRIES {
                let wait = retry_after(&response).unwrap_or(Duration::from_secs(1 << throttled));
                if wait <= LONGEST_WAIT {
                    throttled += 1;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            let body = response.bytes().await.map_err(|e| self.no_answer(&e))?;
            return Ok((status, body.to_vec()));
        }
    }

    /// A network failure in the carrier's words.
    pub(super) fn no_answer(&self, e: &reqwest::Error) -> CarrierError {
        let what = if e.is_timeout() {
            "no answer in time".to_owned()
        } else if e.is_connect() {
            "cannot connect".to_owned()
        } else {
            "the connection failed".to_owned()
        };
        let mut err = CarrierError::new(self.carrier, CarrierFailure::NoAnswer, what);
        if e.is_connect() {
            // Nothing reached the carrier, so nothing can have happened there.
            err.failure = CarrierFailure::CarrierDown;
        }
        err
    }
}

/// The wait a `429` asks for, in seconds (the HTTP-date form is not used by
/// either carrier).
fn retry_after(response: &Response) -> Option<Duration> {
    let text = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The failure an HTTP status stands for, when the body names none better.
pub(super) fn failure_of(status: StatusCode) -> CarrierFailure {
    match status.as_u16() {
        401 | 403 => CarrierFailure::Credentials,
        429 => CarrierFailure::RateLimited,
        500..=599 => CarrierFailure::CarrierDown,
        _ => CarrierFailure::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_before_it_runs_out() {
        let long = Token::new("a".into(), Duration::from_secs(3600));
        let left = long.refresh_at.saturating_duration_since(Instant::now());
        assert!(left <= Duration::from_secs(3540) && left > Duration::from_secs(3500), "{left:?}");
        let short = Token::new("b".into(), Duration::from_secs(10));
        assert!(short.refresh_at.saturating_duration_since(Instant::now()) <= Duration::from_secs(9));
    }

    #[tokio::test]
    async fn the_limiter_spreads_calls_over_the_window() {
        let s = Session::new(
            Carrier::Fedex,
            RateLimit { calls: 3, per: Duration::from_millis(200) },
            Duration::from_secs(1),
        )
        .unwrap();
        let start = Instant::now();
        for _ in 0..7 {
            s.take_turn().await;
        }
        // Calls 4–6 wait for the first window, call 7 for the second.
        assert!(start.elapsed() >= Duration::from_millis(400), "{:?}", start.elapsed());
    }
}
