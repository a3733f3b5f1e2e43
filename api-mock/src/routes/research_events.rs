//! `GET /api/research/events`: the facilitator's progress stream (K2), a `participant` event
//! `{"id"}` whenever a participant's row changes and `study` when the study does. Exempt from
//! the knobs and without a call timeout (it stays open); it ends when the session does.

use std::convert::Infallible;

use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::wire;

use super::research::not_facilitator;
use super::{ApiRouter, AppStateRef};
use crate::auth::bearer;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::live::KEEP_ALIVE;
use crate::research::FACILITATOR;

/// `GET /api/research/events` (exempt from the knobs; stays open).
pub fn stream_router() -> ApiRouter {
    OpenApiRouter::new().routes(routes!(research_events))
}

#[utoipa::path(
    get,
    path = "/research/events",
    tag = "research",
    params(
        ("ticket" = Option<String>, Query, description = "A ticket from `POST /api/events/ticket` made with the facilitator's token. Without it, the bearer token is used."),
    ),
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "`event: participant`, `data: {\"id\"}` whenever a participant's row changes (`study` when the study changes); a `: keep-alive` comment every 15 s."),
        (status = 401, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
    ),
    security((), ("bearer" = [])),
)]
pub async fn research_events(
    state: AppStateRef,
    headers: HeaderMap,
    query: ApiQuery,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let state = state.0;
    let token = match query.get("ticket") {
        Some(t) => {
            state
                .live
                .redeem(t)
                .ok_or_else(ApiError::unauthenticated)?
                .0
        }
        None => bearer(&headers)
            .ok_or_else(ApiError::unauthenticated)?
            .to_owned(),
    };
    match state.sessions.session(&token) {
        None => return Err(ApiError::unauthenticated()),
        Some((_, world)) if world != FACILITATOR => return Err(not_facilitator()),
        Some(_) => {}
    }
    let rx = state.research.events.subscribe();
    let sessions = state.live.watch_sessions();
    let follow = (state, token, rx, sessions);
    let stream =
        futures_util::stream::unfold(follow, |(state, token, mut rx, mut sessions)| async move {
            loop {
                if state.live.is_closing() || state.sessions.session(&token).is_none() {
                    return None;
                }
                let id = tokio::select! {
                    got = rx.recv() => match got {
                        Ok(id) => id,
                        // Missed some: the page reloads every row.
                        Err(broadcast::error::RecvError::Lagged(_)) => String::new(),
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    // A session ended (sign-out): check this one again.
                    changed = sessions.changed() => match changed {
                        Ok(()) => continue,
                        Err(_) => return None,
                    },
                };
                let event = if id.is_empty() {
                    Event::default().event("study").data("{}")
                } else {
                    Event::default()
                        .event("participant")
                        .data(serde_json::json!({ "id": id }).to_string())
                };
                return Some((Ok(event), (state, token, rx, sessions)));
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive")))
}
