//! The endpoints of API.md, one module per resource, each with its own `router()`; `app()`
//! merges them. Handlers are thin: parse → domain → persist → respond. Each handler carries
//! its `#[utoipa::path]` (statuses, body, parameters): `openapi.rs` builds the OpenAPI
//! document from these routers, so the document and the routes cannot drift apart.
//!
//! The caller is the `SignedIn` extractor (401), the body `ApiJson` (413, 400); everything
//! else — visibility (404), roles (403), conflicts (409) and rules (422) — is the domain's
//! decision, mapped to HTTP by `From<DomainError> for ApiError` (`error.rs`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, OdsCode};

use crate::state::AppState;

pub mod agreements;
pub mod audit;
pub mod demo;
pub mod directory;
pub mod events;
pub mod external;
pub mod messages;
pub mod research;
pub mod sharing;
pub mod sign_in;

/// The longest accepted texts, in characters (400 `invalid` beyond).
pub mod limits {
    /// Ids of users, targets, requests, patients, shares, agreements and folders.
    pub const ID: usize = 100;
    /// An ODS code as typed (codes are 3–10 characters; longer is simply unknown, up to this).
    pub const ODS: usize = 16;
    pub const SUBJECT: usize = 200;
    pub const MESSAGE: usize = 10_000;
    /// An agreement reference (the domain's own limit, `domain::world::MAX_TEXT`).
    pub const REFERENCE: usize = 1000;
    /// A directory search text (`q`), in characters.
    pub const QUERY: usize = 200;
    /// How many folders one `PUT /api/covers` may name.
    pub const FOLDERS: usize = 500;
}

pub(crate) type AppStateRef = State<Arc<AppState>>;

/// The router type every resource module returns.
pub(crate) type ApiRouter = OpenApiRouter<Arc<AppState>>;

/// A code typed by a user: trimmed and upper-cased; a malformed one is simply unknown.
pub(crate) fn typed_ods(text: &str) -> Option<OdsCode> {
    OdsCode::parse(&text.trim().to_uppercase()).ok()
}

/// Every resource of the API (they get the test-mode knobs; `service` does not).
pub fn resources() -> ApiRouter {
    OpenApiRouter::new()
        .merge(sign_in::router())
        .merge(directory::router())
        .merge(sharing::router())
        .merge(external::router())
        .merge(agreements::router())
        .merge(messages::router())
        .merge(audit::router())
        .merge(demo::router())
        .merge(research::router())
        .merge(events::ticket_router())
}

/// What readiness probes, the client's banner and API tools call, and the event stream: no
/// sign-in needed, and exempt from the test-mode knobs.
pub fn service() -> ApiRouter {
    service_calls()
        .merge(events::stream_router())
        .merge(research::stream_router())
}

/// [`service`] without the event stream (which has no call timeout).
pub fn service_calls() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(health_get))
        .routes(routes!(openapi_get))
}

#[utoipa::path(
    get,
    path = "/health",
    tag = "service",
    responses(
        (status = 200, body = wire::Health),
    ),
    security(()),
)]
pub async fn health_get(State(state): AppStateRef, headers: HeaderMap) -> Json<wire::Health> {
    // With a participant's token, its own sandbox's knobs (the Test mode banner shows only
    // there, K2).
    let knobs = crate::knobs::for_call(&state, &headers);
    let latency = knobs.as_ref().filter(|k| !k.latency.is_off());
    let fail = knobs.as_ref().filter(|k| k.fail_rate > 0.0);
    Json(wire::Health {
        status: "ok".into(),
        latency_ms: latency.map(|k| k.latency.label()),
        fail_rate: fail.map(|k| k.fail_rate),
    })
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "service",
    responses(
        (status = 200, description = "This document.", content_type = "application/json"),
    ),
    security(()),
)]
pub async fn openapi_get() -> Json<&'static serde_json::Value> {
    Json(crate::openapi::document())
}
