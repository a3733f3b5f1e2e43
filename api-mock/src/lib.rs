//! The mock API: `app(state) -> Router`, driven by `main.rs` and by `oneshot` tests.
//!
//! Every rule decision is the `domain` crate's: handlers parse, call the domain, persist and
//! answer (see `handlers`). Layers carry what is not a handler's business: the UX-testing knobs
//! (`knobs`), the body limit (`extract::BODY_LIMIT`), and the API's own 404 and 405 answers.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::response::IntoResponse;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

pub mod auth;
pub mod backup;
pub mod config;
pub mod db;
pub mod directory;
#[cfg(feature = "embed-client")]
pub mod embedded;
pub mod error;
pub mod extract;
pub mod gate;
pub mod knobs;
pub mod live;
pub mod openapi;
pub mod persist;
pub mod rng;
pub mod routes;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod views;

pub use state::{AppState, StartError};

use error::ApiError;

/// The whole HTTP surface: `/api/...` (one router per resource, `routes`) plus the built
/// client (`static_files`: precompressed, cached by content hash) with deep links falling
/// back to its `index.html`, and the request log around everything.
pub fn app(state: Arc<AppState>) -> Router {
    app_with_gate(state, None)
}

/// [`app`], with every page and call behind the demo's password when `gate` is given
/// (`--password-file`; the gate's own answers are in the request log too).
pub fn app_with_gate(state: Arc<AppState>, gate: Option<Arc<gate::Gate>>) -> Router {
    // Every resource gets the test-mode knobs (latency, failures); `routes::service` (health,
    // OpenAPI) does not.
    let (resources, _) = routes::resources().split_for_parts();
    let resources = resources
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.knobs.clone(),
            knobs::apply,
        ));
    let (service, _) = routes::service().split_for_parts();
    let api = service
        .method_not_allowed_fallback(api_method_not_allowed)
        .merge(resources)
        // Bodies are read through `extract::ApiJson`, which turns this limit into 413 after
        // the token check (API.md order: 401 before 413).
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        // JSON answers compressed by `Accept-Encoding` (brotli, else gzip; tower-http skips
        // answers under 32 bytes and event streams): a page of 200 requests goes from about
        // 100 KB to a few KB (docs/PERFORMANCE.md, scripts/page-bench).
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            stamp_last_event,
        ))
        .with_state(state.clone());
    let router = Router::new().nest("/api", api);
    // `--static DIR` wins over a client carried inside the binary (`embed-client`).
    let router = match &state.static_dir {
        Some(dir) => with_static(router, dir),
        None => with_embedded(router),
    };
    let router = match gate {
        Some(gate) => gate::protect(router, gate),
        None => router,
    };
    router.layer(request_log())
}

/// The header that tells a client the number of the server's latest live-update event as of
/// the state its answer was read from (SPEC E1, E3).
pub const LAST_EVENT_HEADER: &str = "x-last-event-id";

/// Stamps every `/api` answer with the number of the latest event, read BEFORE the handler
/// reads the state: events are numbered after their change is published, so the answer holds
/// every change up to that number (and maybe later ones). A tab opens its first stream from
/// the lowest number its first reads carried, so a change made between those reads and the
/// stream's opening is replayed instead of lost; a replayed event only reloads a screen.
async fn stamp_last_event(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let last = state.live.last_id();
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(LAST_EVENT_HEADER, axum::http::HeaderValue::from(last));
    response
}

/// Serves the built client from `dir` for every path the API does not answer (`static_files`).
fn with_static(router: Router, dir: &Path) -> Router {
    router.fallback_service(static_files::service(dir))
}

#[cfg(feature = "embed-client")]
fn with_embedded(router: Router) -> Router {
    router.fallback_service(embedded::service())
}

#[cfg(not(feature = "embed-client"))]
fn with_embedded(router: Router) -> Router {
    router
}

/// One log line per request, when its answer starts: method, path, status and time taken.
/// The path is the route's template where one matched (`/api/demo/patients/{id}/sharing`: the
/// demo's patient ids carry names), else the path alone: no query string (a search text), no
/// header (the bearer token), no body (patients' data).
fn request_log<B>() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<B>) -> tracing::Span + Clone,
    (),
    DefaultOnResponse,
> {
    TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<B>| {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map_or_else(|| req.uri().path(), MatchedPath::as_str);
            tracing::info_span!("request", method = %req.method(), path = %path)
        })
        .on_request(())
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(LatencyUnit::Micros),
        )
}

async fn api_not_found() -> impl IntoResponse {
    ApiError::not_found()
}

async fn api_method_not_allowed() -> impl IntoResponse {
    ApiError::method_not_allowed()
}
