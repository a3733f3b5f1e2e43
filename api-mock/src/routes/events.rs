//! Live updates (API.md "Live updates", SPEC E1–E4): a single-use ticket, then a stream of
//! server-sent events. The hub (numbering, ring, channel, tickets) is `crate::live`; who is told
//! of what is the domain's rule (`World::notices_since`).
//!
//! The ticket endpoint is a resource like any other (the test-mode knobs apply to it); the
//! stream is not: a simulated failure or delay has no meaning for a connection that stays open,
//! and the client's reconnect path is exercised through the ticket.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::Stream;
use tokio::sync::{broadcast, watch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, OdsCode, UserId};

use super::{ApiRouter, AppStateRef};
use crate::auth::bearer;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::live::{reset_event, Published, Resume, KEEP_ALIVE};
use crate::research::FACILITATOR;
use crate::state::{AppState, Space};

/// `POST /api/events/ticket` (a resource: the knobs apply).
pub fn ticket_router() -> ApiRouter {
    OpenApiRouter::new().routes(routes!(events_ticket))
}

/// `GET /api/events` (exempt from the knobs).
pub fn stream_router() -> ApiRouter {
    OpenApiRouter::new().routes(routes!(events_stream))
}

/// The header a browser's `EventSource` sends when it reconnects by itself.
const LAST_EVENT_ID: &str = "last-event-id";

#[utoipa::path(
    post,
    path = "/events/ticket",
    tag = "live",
    responses(
        (status = 200, body = wire::EventTicket, description = "A single-use ticket for `GET /api/events`, valid for `expires_in_s` seconds and bound to this session."),
    ),
)]
pub async fn events_ticket(
    state: AppStateRef,
    headers: HeaderMap,
) -> ApiResult<Json<wire::EventTicket>> {
    // The facilitator's session opens the research stream (`/api/research/events`); every
    // other caller is a signed-in persona, checked as any call is.
    let token = bearer(&headers).ok_or_else(ApiError::unauthenticated)?;
    let (user, world) = state
        .sessions
        .session(token)
        .ok_or_else(ApiError::unauthenticated)?;
    if world != FACILITATOR {
        let space = state.space(&world).ok_or_else(ApiError::unauthenticated)?;
        space
            .read()
            .world
            .user(&UserId::new(user.as_str()))
            .filter(|u| u.active)
            .ok_or_else(ApiError::unauthenticated)?;
    }
    let ticket = state.live.issue_ticket(token, &user)?;
    Ok(Json(wire::EventTicket {
        ticket,
        expires_in_s: state.live.ticket_ttl().as_secs(),
    }))
}

/// Who a stream belongs to, checked again whenever sessions end.
struct Owner {
    token: String,
    user: UserId,
    org: OdsCode,
    /// The world the session acts on: its events are this stream's.
    space: Arc<Space>,
}

impl Owner {
    fn still_signed_in(&self, state: &AppState) -> bool {
        state.sessions.session(&self.token)
            == Some((self.user.as_str().to_owned(), self.space.key.clone()))
            && self
                .space
                .read()
                .world
                .user(&self.user)
                .is_some_and(|u| u.active)
    }
}

/// The number after which the caller has seen everything: the `Last-Event-ID` header, else the
/// `last_event_id` query parameter; a value that is not a whole number is 400.
fn last_event_id(headers: &HeaderMap, query: &ApiQuery) -> ApiResult<Option<u64>> {
    let (value, field) = match headers.get(LAST_EVENT_ID) {
        Some(v) => (v.to_str().ok().map(str::to_owned), "Last-Event-ID"),
        None => match query.get("last_event_id") {
            Some(v) => (Some(v.to_owned()), "last_event_id"),
            None => return Ok(None),
        },
    };
    let value = value.unwrap_or_default();
    let value = value.trim();
    if value.is_empty() && field == "Last-Event-ID" {
        // An empty header means "no event seen yet" in the EventSource standard.
        return Ok(None);
    }
    value.parse::<u64>().map(Some).map_err(|_| {
        ApiError::invalid(
            field,
            format!("{field} must be the number of an event (a whole number from 0)."),
        )
    })
}

#[utoipa::path(
    get,
    path = "/events",
    tag = "live",
    params(
        ("ticket" = Option<String>, Query, description = "A ticket from `POST /api/events/ticket` (single use, 30 s). Without it, the bearer token is used."),
        ("last_event_id" = Option<String>, Query, description = "The number of the last event seen (the caller's organisation's numbering): later events for the caller are sent first, or `reset` when the server no longer keeps them. The `Last-Event-ID` header wins when both are given."),
        ("Last-Event-ID" = Option<String>, Header, description = "As `last_event_id`."),
    ),
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "Server-sent events: `id: N` (one more for each event of the caller's organisation: numbering per organisation), `event: request|share|agreement|covers|reset` and `data: {json}` (ids, kinds and versions only); a `: keep-alive` comment every 15 s. Ends when the session ends."),
        (status = 400, body = wire::ErrorBody),
    ),
    security((), ("bearer" = [])),
)]
pub async fn events_stream(
    state: AppStateRef,
    headers: HeaderMap,
    query: ApiQuery,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let state = state.0;
    // 401 first: a ticket that is not (or no longer) valid, or no ticket and no valid token.
    let ticket = query.get("ticket").map(str::to_owned);
    let known = match &ticket {
        Some(t) => state.live.ticket_is_valid(t),
        None => bearer(&headers).is_some_and(|t| state.sessions.user(t).is_some()),
    };
    if !known {
        return Err(ApiError::unauthenticated());
    }
    // Then 400: nothing is used up by a refused call.
    let after = last_event_id(&headers, &query)?;
    let (token, user) = match &ticket {
        Some(t) => state.live.redeem(t).ok_or_else(ApiError::unauthenticated)?,
        None => {
            let token = bearer(&headers)
                .ok_or_else(ApiError::unauthenticated)?
                .to_owned();
            let user = state
                .sessions
                .user(&token)
                .ok_or_else(ApiError::unauthenticated)?;
            (token, user)
        }
    };
    let user = UserId::new(user);
    let (_, world) = state
        .sessions
        .session(&token)
        .ok_or_else(ApiError::unauthenticated)?;
    let space = state.space(&world).ok_or_else(ApiError::unauthenticated)?;
    let org = space
        .read()
        .world
        .user(&user)
        .filter(|u| u.active)
        .map(|u| u.ods_code.clone())
        .ok_or_else(ApiError::unauthenticated)?;
    let owner = Owner {
        token,
        user,
        org,
        space,
    };
    if !owner.still_signed_in(&state) {
        return Err(ApiError::unauthenticated());
    }
    let resume = owner.space.live.resume(after, &owner.org, &owner.user);
    let sessions = state.live.watch_sessions();
    let follow = Follow::new(state, owner, resume, sessions);
    Ok(Sse::new(follow.into_stream())
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive")))
}

/// One open stream: what it still has to send, and where it is in the server's events.
struct Follow {
    state: Arc<AppState>,
    owner: Owner,
    queue: VecDeque<Event>,
    /// Every event of the organisation up to this number was either sent or not for this
    /// stream.
    seen: u64,
    rx: broadcast::Receiver<Arc<Published>>,
    sessions: watch::Receiver<u64>,
}

impl Follow {
    fn new(
        state: Arc<AppState>,
        owner: Owner,
        resume: Resume,
        sessions: watch::Receiver<u64>,
    ) -> Self {
        let mut f = Follow {
            state,
            owner,
            queue: VecDeque::new(),
            seen: resume.last_id,
            rx: resume.rx,
            sessions,
        };
        f.take(resume.replay, resume.reset);
        f
    }

    fn take(&mut self, replay: Vec<Arc<Published>>, reset: Option<u64>) {
        if let Some(at) = reset {
            self.queue.push_back(reset_event(at));
        }
        let org = &self.owner.org;
        self.queue.extend(replay.iter().filter_map(|p| p.sse(org)));
    }

    /// The next event for this stream; None when the session ended or the server stops.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if self.state.live.is_closing() {
                return None;
            }
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            tokio::select! {
                got = self.rx.recv() => match got {
                    Ok(p) => {
                        // Only the organisation's own numbers count (numbering per
                        // organisation); an event without one is not this stream's.
                        if let Some(id) = p.id_for(&self.owner.org) {
                            self.seen = id;
                            if p.reaches(&self.owner.org, &self.owner.user) {
                                if let Some(e) = p.sse(&self.owner.org) {
                                    return Some(e);
                                }
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Fell behind the channel: carry on from the ring, or reset (E3).
                        let resume =
                            self.owner
                                .space
                                .live
                                .resume(Some(self.seen), &self.owner.org, &self.owner.user);
                        self.seen = resume.last_id;
                        self.rx = resume.rx;
                        self.take(resume.replay, resume.reset);
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                changed = self.sessions.changed() => {
                    if changed.is_err()
                        || self.state.live.is_closing()
                        || !self.owner.still_signed_in(&self.state)
                    {
                        return None;
                    }
                }
            }
        }
    }

    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> {
        futures_util::stream::unfold(self, |mut f| async move {
            let e = f.next().await?;
            Some((Ok(e), f))
        })
    }
}
