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
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

pub mod auth;
pub mod config;
pub mod db;
pub mod directory;
pub mod error;
pub mod extract;
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
        .with_state(state.clone());
    let router = Router::new().nest("/api", api);
    let router = match &state.static_dir {
        Some(dir) => with_static(router, dir),
        None => router,
    };
    router.layer(request_log())
}

/// Serves the built client from `dir` for every path the API does not answer (`static_files`).
fn with_static(router: Router, dir: &Path) -> Router {
    router.fallback_service(static_files::service(dir))
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
