//! The mock API: `app(state) -> Router`, driven by `main.rs` and by `oneshot` tests.
//!
//! Every rule decision is the `domain` crate's: handlers parse, call the domain, persist and
//! answer (see `handlers`). Layers carry what is not a handler's business: the UX-testing knobs
//! (`knobs`), the body limit (`extract::BODY_LIMIT`), and the API's own 404 and 405 answers.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, patch, post, put};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

pub mod auth;
pub mod config;
pub mod directory;
pub mod error;
pub mod extract;
pub mod handlers;
pub mod knobs;
pub mod openapi;
pub mod persist;
pub mod rng;
pub mod seed;
pub mod state;
pub mod views;

pub use state::{AppState, StartError};

use error::ApiError;
use handlers::*;

/// The whole HTTP surface: `/api/...` plus the built client with deep links falling back to
/// its `index.html`, so `/groups` loads the app rather than a 404.
///
/// `tests/openapi.rs` reads the `.route(` lines below and checks them against
/// `openapi::document()`: keep one route per line.
pub fn app(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/health", get(health_get))
        .route("/openapi.json", get(openapi_get))
        .route("/personas", get(personas_list))
        .route("/session", post(session_create))
        .route("/me", get(me_get))
        .route("/organisations", get(organisations_search))
        .route("/targets", get(targets_list))
        .route("/shares", post(shares_create))
        .route("/shares/{id}", patch(shares_update).delete(shares_delete))
        .route("/external", get(external_list))
        .route("/external/{share_id}/enable", post(external_enable))
        .route("/external/{share_id}/disable", post(external_disable))
        .route("/agreements", get(agreements_list).post(agreements_create))
        .route("/agreements/{id}/accept", post(agreements_accept))
        .route("/agreements/{id}/refuse", post(agreements_refuse))
        .route("/folders", get(folders_list))
        .route("/covers", put(covers_update))
        .route("/requests", get(requests_list))
        .route("/requests/{id}", get(requests_get))
        .route("/requests/{id}/assignable", get(requests_assignable))
        .route("/requests/{id}/assign", post(requests_assign))
        .route("/requests/{id}/close", post(requests_close))
        .route("/requests/{id}/reopen", post(requests_reopen))
        .route("/audit", get(audit_list))
        .route("/demo/requests", post(demo_requests_create))
        .route("/demo/patients/{id}/sharing", post(demo_patients_sharing))
        .route("/demo/reset", post(demo_reset))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        // Bodies are read through `extract::ApiJson`, which turns this limit into 413 after
        // the token check (API.md order: 401 before 413).
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .with_state(state.clone());

    let router = Router::new()
        .nest("/api", api)
        .layer(axum::middleware::from_fn_with_state(
            state.knobs.clone(),
            knobs::apply,
        ));
    let router = match &state.static_dir {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router,
    };
    router.layer(request_log())
}

/// One log line per request, when its answer starts: method, path, status and time taken.
/// The path only: no query string (a search text), no header (the bearer token), no body
/// (patients' data).
fn request_log<B>() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<B>) -> tracing::Span + Clone,
    (),
    DefaultOnResponse,
> {
    TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<B>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
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
