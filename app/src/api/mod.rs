//! The only module that knows the API's URLs. Every call goes through `fetch`, which adds the
//! bearer token, turns failures into `ApiError`, reports a 401 so the session can end, and
//! notes the answer's `x-last-event-id` in the [`ReadMark`] found in the caller's context.
//! Query strings are built by gloo-net (`RequestBuilder::query`), never by hand. The JSON
//! shapes are `domain::wire`, shared with the server.
//!
//! Each call is a plain function returning a `'static` future: the request is prepared, and the
//! context read, when the function is called (inside a resource's fetcher or an action), not
//! when the future is first polled, by which time no reactive owner may be current.

mod error;
mod mark;
#[cfg(feature = "research")]
pub mod research;
#[cfg(feature = "research")]
pub mod results;
mod session;
#[cfg(feature = "research")]
pub mod task;

use std::future::Future;

use domain::wire::{
    Agreement, AgreementCreate, AssignCommand, Assignable, AuditPage, CoversUpdate, ErrorBody,
    EventTicket, ExternalShare, Folder, Health, Me, OrganisationResults, Persona, RequestDetail,
    RequestPage, Session, SessionCreate, Share, ShareCreate, ShareUpdate, StatusFilter, Target,
    VersionCommand,
};
use gloo_net::http::{Method, QueryParams, Request, RequestBuilder, Response};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use error::ApiError;
pub use mark::ReadMark;
pub use session::{on_unauthorized, set_token};
use session::{token, unauthorized, InFlight};

fn prepare(method: Method, path: &str) -> RequestBuilder {
    let builder = RequestBuilder::new(path).method(method);
    match token() {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

/// Sends a prepared request. The context and the token are read now, the answer later.
fn fetch(
    request: Result<Request, gloo_net::Error>,
) -> impl Future<Output = Result<Response, ApiError>> + 'static {
    let mark = use_context::<ReadMark>();
    let sent_with = token();
    let in_flight = InFlight::start(sent_with.clone());
    async move {
        let _in_flight = in_flight;
        let request = request.map_err(|_| ApiError::Malformed)?;
        let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
        let read_as_of = response
            .headers()
            .get("x-last-event-id")
            .and_then(|v| v.parse::<u64>().ok());
        if let (Some(mark), Some(n)) = (mark, read_as_of) {
            mark.note(n);
        }
        if response.ok() {
            return Ok(response);
        }
        let error = error_from(response).await;
        // Only a 401 to the session of the moment ends it: an answer to a session already
        // switched away from says nothing about the new one.
        if error.status() == Some(401) && sent_with.is_some() && sent_with == token() {
            unauthorized();
        }
        Err(error)
    }
}

async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    let body = response.binary().await.ok();
    match body.and_then(|bytes| serde_json::from_slice::<ErrorBody>(&bytes).ok()) {
        Some(body) => ApiError::Status {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        },
        // A proxy in front of a stopped backend answers without our error shape.
        None if matches!(status, 502 | 504) => ApiError::Unreachable,
        None => ApiError::Status {
            status,
            code: String::new(),
            message: String::new(),
            field: None,
        },
    }
}

/// Reads a 2xx body into its wire type. The body is read as bytes and copied into wasm in one
/// go (gloo-net's `binary`), then parsed by serde_json: asking for a JS string first cost about
/// 18 ms for a folder of 5,000 requests (1.6 MB), measured with Chromium's profiler. A body cut
/// off mid-way is a broken connection, not a bad answer.
async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let bytes = response.binary().await.map_err(|_| ApiError::Unreachable)?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::Malformed)
}

/// A call without a body, answered with JSON.
fn read<T: DeserializeOwned>(builder: RequestBuilder) -> impl Future<Output = Result<T, ApiError>> {
    let sent = fetch(builder.build());
    async move { json(sent.await?).await }
}

/// A call with a JSON body, answered with JSON.
fn write<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> {
    let sent = fetch(prepare(method, path).json(body));
    async move { json(sent.await?).await }
}

fn get<T: DeserializeOwned>(path: &str) -> impl Future<Output = Result<T, ApiError>> {
    read(prepare(Method::GET, path))
}

/// `POST {collection}/{id}/{verb}` without a body (enable, accept…), answered with JSON.
fn command<T: DeserializeOwned>(
    collection: &str,
    id: &str,
    verb: &str,
) -> impl Future<Output = Result<T, ApiError>> {
    let path = format!("{collection}/{}/{verb}", segment(id));
    read(prepare(Method::POST, &path))
}

/// Percent-encodes a path segment (ids are user data).
fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn status_value(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::Open => "open",
        StatusFilter::Closed => "closed",
        StatusFilter::All => "all",
    }
}

// --- Service and sign-in -------------------------------------------------------------------

/// `GET /api/health`: whether the service is up, and which UX-testing knobs are on.
pub fn health() -> impl Future<Output = Result<Health, ApiError>> {
    get("/api/health")
}

/// `GET /api/personas`: the demo personas to sign in as.
pub fn personas() -> impl Future<Output = Result<Vec<Persona>, ApiError>> {
    get("/api/personas")
}

/// `POST /api/session`: signs in as a persona. With a participant's token (the one of the
/// moment), the server switches persona within the participant's sandbox (K1).
pub fn sign_in(user_id: &str) -> impl Future<Output = Result<Session, ApiError>> {
    let body = SessionCreate {
        user_id: user_id.to_string(),
    };
    write(Method::POST, "/api/session", &body)
}

/// `DELETE /api/session`: ends the session on the server, which closes its stream and forgets
/// its token (API.md). Prepared with the token of the moment, sent once the calls that session
/// made are answered (at most 10 s later), so a change sent just before a persona switch is
/// not refused; its answer is not read, and a 401 (a session already forgotten) not reported.
pub fn sign_out() -> impl Future<Output = ()> {
    let token = token();
    let request = prepare(Method::DELETE, "/api/session").build();
    async move {
        let Some(token) = token else {
            return;
        };
        for _ in 0..200 {
            if InFlight::count(&token) == 0 {
                break;
            }
            crate::dom::sleep(std::time::Duration::from_millis(50)).await;
        }
        if let Ok(request) = request {
            let _ = request.send().await;
        }
    }
}

/// `GET /api/me`: the signed-in user and their organisation.
pub fn me() -> impl Future<Output = Result<Me, ApiError>> {
    get("/api/me")
}

/// `GET /api/organisations?q=&limit=`.
pub fn search_organisations(
    query: &str,
    limit: u32,
) -> impl Future<Output = Result<OrganisationResults, ApiError>> {
    let limit = limit.to_string();
    read(prepare(Method::GET, "/api/organisations").query([("q", query), ("limit", &limit)]))
}

// --- Sharing (SPEC S1–S7) ------------------------------------------------------------------

/// `GET /api/targets`: own groups and colleagues with their shares.
pub fn targets() -> impl Future<Output = Result<Vec<Target>, ApiError>> {
    get("/api/targets")
}

/// `POST /api/shares`.
pub fn create_share(body: &ShareCreate) -> impl Future<Output = Result<Share, ApiError>> {
    write(Method::POST, "/api/shares", body)
}

/// `PATCH /api/shares/{id}`: only the restricted flag may change (S5).
pub fn update_share(id: &str, restricted: bool) -> impl Future<Output = Result<Share, ApiError>> {
    let path = format!("/api/shares/{}", segment(id));
    write(Method::PATCH, &path, &ShareUpdate { restricted })
}

/// `DELETE /api/shares/{id}`.
pub fn remove_share(id: &str) -> impl Future<Output = Result<(), ApiError>> {
    let path = format!("/api/shares/{}", segment(id));
    let sent = fetch(prepare(Method::DELETE, &path).build());
    async move { sent.await.map(drop) }
}

/// `POST /api/external/{id}/enable` or `/disable` (S4).
pub fn set_external_enabled(
    share_id: &str,
    enable: bool,
) -> impl Future<Output = Result<ExternalShare, ApiError>> {
    command(
        "/api/external",
        share_id,
        if enable { "enable" } else { "disable" },
    )
}

/// `GET /api/external`: targets other organisations shared with ours.
pub fn external() -> impl Future<Output = Result<Vec<ExternalShare>, ApiError>> {
    get("/api/external")
}

// --- Agreements (SPEC D1–D3) ---------------------------------------------------------------

/// `POST /api/agreements/{id}/accept` or `/refuse`.
pub fn answer_agreement(
    id: &str,
    accept: bool,
) -> impl Future<Output = Result<Agreement, ApiError>> {
    command(
        "/api/agreements",
        id,
        if accept { "accept" } else { "refuse" },
    )
}

/// `POST /api/agreements`.
pub fn propose_agreement(
    body: &AgreementCreate,
) -> impl Future<Output = Result<Agreement, ApiError>> {
    write(Method::POST, "/api/agreements", body)
}

/// `GET /api/agreements`.
pub fn agreements() -> impl Future<Output = Result<Vec<Agreement>, ApiError>> {
    get("/api/agreements")
}

// --- Messages (SPEC V, A, C) ---------------------------------------------------------------

/// `GET /api/folders`.
pub fn folders() -> impl Future<Output = Result<Vec<Folder>, ApiError>> {
    get("/api/folders")
}

/// `PUT /api/covers`: replaces the user's covers (C1, C2) and answers the folders.
pub fn set_covers(folder_ids: Vec<String>) -> impl Future<Output = Result<Vec<Folder>, ApiError>> {
    write(Method::PUT, "/api/covers", &CoversUpdate { folder_ids })
}

/// `GET /api/requests?folder=&status=&cursor=`: one page (the server's default size, 50) in
/// the C4 order; no folder gives the Messages page (C4), no cursor the first page.
pub fn requests(
    folder: Option<&str>,
    status: StatusFilter,
    cursor: Option<&str>,
) -> impl Future<Output = Result<RequestPage, ApiError>> {
    let query = [
        ("folder", folder),
        ("status", Some(status_value(status))),
        ("cursor", cursor),
    ];
    let present = query.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)));
    read(prepare(Method::GET, "/api/requests").query(present))
}

/// `GET /api/requests/{id}`.
pub fn request(id: &str) -> impl Future<Output = Result<RequestDetail, ApiError>> {
    get(&format!("/api/requests/{}", segment(id)))
}

/// `GET /api/requests/{id}/assignable`.
pub fn assignable(id: &str) -> impl Future<Output = Result<Vec<Assignable>, ApiError>> {
    get(&format!("/api/requests/{}/assignable", segment(id)))
}

/// `POST /api/requests/{id}/assign`.
pub fn assign(
    id: &str,
    body: &AssignCommand,
) -> impl Future<Output = Result<RequestDetail, ApiError>> {
    write(
        Method::POST,
        &format!("/api/requests/{}/assign", segment(id)),
        body,
    )
}

/// `POST /api/requests/{id}/close` or `/reopen`.
pub fn set_request_open(
    id: &str,
    open: bool,
    version: u64,
) -> impl Future<Output = Result<RequestDetail, ApiError>> {
    let verb = if open { "reopen" } else { "close" };
    let path = format!("/api/requests/{}/{verb}", segment(id));
    write(Method::POST, &path, &VersionCommand { version })
}

// --- Live updates (SPEC E1–E4) ------------------------------------------------------------

/// `POST /api/events/ticket`: a ticket to open the stream with, since a browser's
/// `EventSource` cannot send the bearer token (which never goes into a URL).
pub fn events_ticket() -> impl Future<Output = Result<EventTicket, ApiError>> {
    read(prepare(Method::POST, "/api/events/ticket"))
}

/// The address of the event stream for a ticket, from the event after `last_event_id` (E3).
pub fn events_url(ticket: &str, last_event_id: Option<u64>) -> String {
    let query = QueryParams::new();
    query.append("ticket", ticket);
    if let Some(last) = last_event_id {
        query.append("last_event_id", &last.to_string());
    }
    format!("/api/events?{query}")
}

// --- Audit (SPEC L1–L2) --------------------------------------------------------------------

/// `GET /api/audit?format=csv&action=` as text, for the download: the whole log (filtered).
pub fn audit_csv(action: Option<&str>) -> impl Future<Output = Result<String, ApiError>> {
    let query = [("format", Some("csv")), ("action", action)];
    let present = query.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)));
    let sent = fetch(prepare(Method::GET, "/api/audit").query(present).build());
    async move {
        let response = sent.await?;
        response.text().await.map_err(|_| ApiError::Malformed)
    }
}

/// `GET /api/audit?action=&cursor=`: one page of the log, newest first.
pub fn audit(
    action: Option<&str>,
    cursor: Option<&str>,
) -> impl Future<Output = Result<AuditPage, ApiError>> {
    let query = [("action", action), ("cursor", cursor)];
    let present = query.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)));
    read(prepare(Method::GET, "/api/audit").query(present))
}
