//! UX-testing knobs (API.md, Command line): simulated latency (`--latency-ms`, or per call the
//! `X-Mock-Delay-Ms` header, honoured only while latency or failures are on) and simulated
//! failures (`--fail-rate`), both drawn from
//! `--chaos-seed` so a run can be repeated. `app()` puts this layer on the API's resources only:
//! `/api/health` and `/api/openapi.json` are exempt so readiness probes, the client's banner and
//! API tools always work.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use axum::http::StatusCode;

use crate::config::Latency;
use crate::error::ApiError;
use crate::rng::SplitMix64;
use crate::state::AppState;

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

/// The knobs that apply to a call: its sandbox's own when the caller is a participant whose
/// sandbox has some (K2), else the server's; `None` for a participant's sandbox without its
/// own (a sandbox's calls are slowed only by its own knobs, API.md "Research studies").
pub fn for_call(state: &AppState, headers: &axum::http::HeaderMap) -> Option<Arc<Knobs>> {
    let world = crate::auth::bearer(headers)
        .and_then(|t| state.sessions.session(t))
        .map(|(_, world)| world)
        .unwrap_or_default();
    if world.starts_with("sb:") {
        state.space(&world).and_then(|s| s.own_knobs())
    } else {
        Some(state.knobs.clone())
    }
}

/// The middleware: wait, then maybe fail with 503 before any handler touches state. With the
/// knobs off it does nothing, whatever the headers say. A participant's refused calls
/// (4xx but 401) are counted in its running attempt (API.md "Counting").
pub async fn apply(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let participant = crate::auth::bearer(req.headers())
        .and_then(|t| state.sessions.session(t))
        .and_then(|(_, world)| world.strip_prefix("sb:").map(str::to_owned))
        .and_then(|id| state.research.participant(&id));
    let knobs = for_call(&state, req.headers());
    let response = match knobs {
        Some(knobs) if knobs.are_on() => delayed(&knobs, req, next).await,
        _ => next.run(req).await,
    };
    if let Some(p) = participant {
        let status = response.status();
        if status.is_client_error() && status != StatusCode::UNAUTHORIZED {
            p.refused_call().await;
        }
    }
    response
}

async fn delayed(knobs: &Knobs, req: Request, next: Next) -> Response {
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
