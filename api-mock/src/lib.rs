//! The mock API: `app(state) -> Router`, driven by `main.rs` and by `oneshot` tests.
//!
//! Every rule decision is the `domain` crate's: handlers parse, call the domain, persist and
//! answer (see `handlers`). Layers carry what is not a handler's business: the UX-testing knobs
//! (`knobs`), the body limit (`extract::BODY_LIMIT`), the call timeout (`CALL_TIMEOUT`), the
//! API's own 404 and 405 answers, and `json_errors`, which puts every other error in API.md's
//! JSON shape.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
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
pub mod lock;
pub mod migrations;
pub mod openapi;
pub mod persist;
pub mod research;
pub mod rng;
pub mod routes;
pub mod seed;
pub mod sessions;
pub mod state;
pub mod static_files;
pub mod views;

pub use state::{AppState, StartError};

use error::ApiError;

/// How long a call may take before it answers 503 `unavailable` (not the event stream, which
/// stays open).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

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
    // OpenAPI) does not. Both answer within `CALL_TIMEOUT` (a simulated delay included); the
    // event stream stays open and has no timeout.
    let timeout = || TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, CALL_TIMEOUT);
    let (resources, _) = routes::resources().split_for_parts();
    let resources = resources
        // The route template of each call, for a participant's log (K6).
        .route_layer(axum::middleware::from_fn(research::log::keep_route))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            knobs::apply,
        ))
        .layer(timeout());
    let (service, _) = routes::service_calls().split_for_parts();
    let service = service
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(timeout());
    let (stream, _) = routes::events::stream_router()
        .merge(routes::research::stream_router())
        .split_for_parts();
    let api = stream
        .method_not_allowed_fallback(api_method_not_allowed)
        .merge(service)
        .merge(resources)
        // Bodies are read through `extract::ApiJson`, which turns this limit into 413 after
        // the token check (API.md order: 401 before 413).
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        // Whatever answers an error that is not JSON (a rejection of axum's own, the
        // timeout) is rewritten in API.md's shape, before compression.
        .layer(axum::middleware::map_response(json_errors))
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

/// The header that tells a signed-in client the number of its organisation's latest
/// live-update event as of the state its answer was read from (SPEC E1, E3; numbering per
/// organisation).
pub const LAST_EVENT_HEADER: &str = "x-last-event-id";

/// Stamps every `/api` answer to a signed-in caller with the number of its organisation's
/// latest event, read BEFORE the handler reads the state: events are numbered after their
/// change is published, so the answer holds every change up to that number (and maybe later
/// ones). A tab opens its first stream from the lowest number its first reads carried, so a
/// change made between those reads and the stream's opening is replayed instead of lost; a
/// replayed event only reloads a screen. Only the caller's own organisation's number: another
/// organisation's would tell how many events it was given.
async fn stamp_last_event(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // The caller's own world's numbering (K1: a sandbox numbers its own events).
    let last = auth::bearer(request.headers())
        .and_then(|token| state.sessions.session(token))
        .and_then(|(user, world)| {
            let space = state.space(&world)?;
            let org = space
                .read()
                .world
                .user(&domain::UserId::new(user))
                .map(|u| u.ods_code.clone())?;
            Some(space.live.last_id(&org))
        });
    let mut response = next.run(request).await;
    if let Some(last) = last {
        response
            .headers_mut()
            .insert(LAST_EVENT_HEADER, axum::http::HeaderValue::from(last));
    }
    response
}

/// The longest error text of axum's own kept in the JSON message.
const REJECTION_TEXT: usize = 200;

/// API.md "Errors" for every answer: an error whose body is not JSON (axum's own rejections
/// of a path, query or body, its 405 and 413, the timeout's empty 503) becomes
/// `{"error":{"code","message","field"?}}` with the code API.md gives its status. Answers
/// that are already JSON, and every success, pass unchanged.
async fn json_errors(response: axum::response::Response) -> axum::response::Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap_or_default();
    let text: String = String::from_utf8_lossy(&bytes)
        .chars()
        .take(REJECTION_TEXT)
        .collect();
    error_for(status, text.trim()).into_response()
}

/// The API.md error for a status of axum's or tower-http's, keeping its text where it helps.
fn error_for(status: StatusCode, text: &str) -> ApiError {
    let said = |fallback: &str| {
        if text.is_empty() {
            fallback.to_owned()
        } else {
            format!("{text}.")
        }
    };
    match status {
        StatusCode::NOT_FOUND => ApiError::not_found(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(),
        StatusCode::UNAUTHORIZED => ApiError::unauthenticated(),
        StatusCode::FORBIDDEN => ApiError::forbidden(said("This call is not allowed.")),
        StatusCode::REQUEST_TIMEOUT
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The server did not answer in time; a change may still have been made: reload \
             before trying again.",
        ),
        s if s.is_server_error() => ApiError::internal(said("The server failed.")),
        // 400, 415 (Content-Type), 422 (shape) and any other refusal of the input: API.md
        // calls them all 400 `invalid`, naming the field where axum's text does.
        _ => {
            let mut e = ApiError::invalid_body(said("The request is not valid."));
            e.field = extract::field_named_in(text);
            e
        }
    }
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
            // A participant's link carries its secret code (K8): never in the log.
            let path = if path.starts_with("/p/") {
                "/p/{code}"
            } else {
                path
            };
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
