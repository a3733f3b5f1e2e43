//! UX-testing knobs (API.md, Command line): simulated latency (`--latency-ms`, or per call the
//! `X-Mock-Delay-Ms` header, honoured only while latency or failures are on) and simulated
//! failures (`--fail-rate`), both drawn from
//! `--chaos-seed` so a run can be repeated. `app()` puts this layer on the API's resources only:
//! `/api/health` and `/api/openapi.json` are exempt so readiness probes, the client's banner and
//! API tools always work.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Latency;
use crate::error::ApiError;
use crate::rng::SplitMix64;

/// The request header that sets this call's delay in milliseconds (overrides `--latency-ms`).
pub const DELAY_HEADER: &str = "x-mock-delay-ms";

/// The longest delay a header may ask for.
pub const MAX_DELAY_MS: u64 = 60_000;

#[derive(Debug)]
pub struct Knobs {
    pub latency: Latency,
    pub fail_rate: f64,
    chaos: Mutex<SplitMix64>,
}

impl Knobs {
    pub fn new(latency: Latency, fail_rate: f64, chaos_seed: u64) -> Self {
        Self {
            latency,
            fail_rate,
            chaos: Mutex::new(SplitMix64::new(chaos_seed)),
        }
    }

    /// Whether latency or failures are on (`--latency-ms`, `--fail-rate`): only then does a
    /// call's `X-Mock-Delay-Ms` count, so a production-like run cannot be slowed by a header.
    pub fn are_on(&self) -> bool {
        !self.latency.is_off() || self.fail_rate > 0.0
    }

    fn roll(&self) -> (u64, bool) {
        let mut rng = match self.chaos.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let span = self.latency.max_ms - self.latency.min_ms;
        let delay = if span == 0 {
            self.latency.min_ms
        } else {
            self.latency.min_ms + rng.below(span as usize + 1) as u64
        };
        let fail = self.fail_rate > 0.0 && rng.unit() < self.fail_rate;
        (delay, fail)
    }
}

/// The middleware: wait, then maybe fail with 503 before any handler touches state. With the
/// knobs off it does nothing, whatever the headers say.
pub async fn apply(
    State(knobs): State<std::sync::Arc<Knobs>>,
    req: Request,
    next: Next,
) -> Response {
    if !knobs.are_on() {
        return next.run(req).await;
    }
    let header_delay = req
        .headers()
        .get(DELAY_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|ms| ms.min(MAX_DELAY_MS));
    let (rolled, fail) = knobs.roll();
    let delay = header_delay.unwrap_or(rolled);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if fail {
        return ApiError::unavailable().into_response();
    }
    next.run(req).await
}
