//! Sign-in (API.md, Sign-in): the personas, a session, and who the caller is.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, UserId};

use super::{limits, ApiRouter, AppStateRef};
use domain::research::wire::{ParticipantOf, ParticipantSignIn};

use crate::auth::{bearer, SignedIn};
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, Validate};
use crate::research::study::LoadedStudy;
use crate::state::AppState;
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(personas_list))
        .routes(routes!(session_create, session_delete))
        .routes(routes!(me_get))
}

impl Validate for wire::SessionCreate {
    fn validate(&self) -> ApiResult<()> {
        text("user_id", &self.user_id, limits::ID)
    }
}

#[utoipa::path(
    get,
    path = "/personas",
    tag = "sign-in",
    responses(
        (status = 200, body = Vec<wire::Persona>),
    ),
    security(()),
)]
pub async fn personas_list(state: AppStateRef, headers: HeaderMap) -> Json<Vec<wire::Persona>> {
    // With a participant's token, only the study's personas (K1).
    if let Some(study) = participant_study(&state, &headers) {
        return Json(study.personas());
    }
    let store = state.read();
    let world = &store.world;
    Json(
        world
            .users()
            .iter()
            .filter_map(|u| views::persona(world, u))
            .collect(),
    )
}

/// The study of the caller's session when it is a participant's.
fn participant_study(state: &AppState, headers: &HeaderMap) -> Option<Arc<LoadedStudy>> {
    let (_, world) = state.sessions.session(bearer(headers)?)?;
    let id = world.strip_prefix("sb:")?;
    state.research.participant(id).map(|p| p.study.clone())
}

/// `POST /api/session`: a persona by id, or a participant's link code.
#[derive(Debug)]
pub enum SessionBody {
    Persona(wire::SessionCreate),
    Participant(ParticipantSignIn),
}

impl<'de> serde::Deserialize<'de> for SessionBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let value = serde_json::Value::Object(value);
        if value.get("participant_code").is_some() {
            serde_json::from_value(value)
                .map(Self::Participant)
                .map_err(D::Error::custom)
        } else {
            serde_json::from_value(value)
                .map(Self::Persona)
                .map_err(D::Error::custom)
        }
    }
}

impl Validate for SessionBody {
    fn validate(&self) -> ApiResult<()> {
        match self {
            Self::Persona(p) => p.validate(),
            Self::Participant(p) => text("participant_code", &p.participant_code, 200),
        }
    }
}

#[utoipa::path(
    post,
    path = "/session",
    tag = "sign-in",
    request_body(content = wire::SessionCreate, description = "A persona (`user_id`), or a participant's link (`{\"participant_code\"}`, API.md \"Research studies\"). With a participant's token, `user_id` switches among the study's personas only (403 otherwise)."),
    responses(
        (status = 200, body = wire::Session),
        (status = 400, body = wire::ErrorBody),
        (status = 401, body = wire::ErrorBody, description = "An unknown or deleted participant code."),
        (status = 403, body = wire::ErrorBody, description = "A participant switching to a persona outside the study."),
        (status = 404, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
    ),
    security(()),
)]
pub async fn session_create(
    state: AppStateRef,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SessionBody>,
) -> ApiResult<Json<wire::Session>> {
    let (participant, user_id) = match body {
        // A participant's link: the current task's persona, in the sandbox (K1). An unknown
        // or deleted code: 401, like an unknown token.
        SessionBody::Participant(p) => {
            let participant = state
                .research
                .by_code(p.participant_code.trim())
                .ok_or_else(ApiError::unauthenticated)?;
            let index = participant.progress().task_index;
            let persona = participant.study.persona_of(index);
            (Some(participant), persona)
        }
        // With a participant's token: a switch among the study's personas only, in the same
        // sandbox. Otherwise a persona of the demo world.
        SessionBody::Persona(p) => {
            let current = bearer(&headers).and_then(|t| state.sessions.session(t));
            let participant = match current {
                Some((_, world)) if world.starts_with("sb:") => {
                    let id = &world["sb:".len()..];
                    let participant = state
                        .research
                        .participant(id)
                        .ok_or_else(ApiError::unauthenticated)?;
                    if !participant.study.has_persona(p.user_id.trim()) {
                        return Err(ApiError::forbidden(
                            "In a study, you can switch only to the study's personas.",
                        ));
                    }
                    Some(participant)
                }
                _ => None,
            };
            (participant, p.user_id)
        }
    };
    let (space, world) = match &participant {
        Some(p) => (p.space.clone(), p.space.key.clone()),
        None => (state.demo.clone(), String::new()),
    };
    let user = space
        .read()
        .world
        .user(&UserId::new(user_id.as_str()))
        .filter(|u| u.active)
        .map(views::user)
        .ok_or_else(ApiError::not_found)?;
    let token = state.sessions.issue_in(user.id.clone(), world).await?;
    Ok(Json(wire::Session {
        token,
        user,
        participant: participant.map(|p| participant_of(&p.study)),
    }))
}

/// What a participant's session says of its study.
fn participant_of(study: &LoadedStudy) -> ParticipantOf {
    ParticipantOf {
        study: study.study.name.clone(),
        personas: study.personas(),
    }
}

#[utoipa::path(
    get,
    path = "/me",
    tag = "sign-in",
    responses(
        (status = 200, body = wire::Me),
    ),
)]
pub async fn me_get(
    state: AppStateRef,
    SignedIn { user, space, .. }: SignedIn,
) -> ApiResult<Json<wire::Me>> {
    let participant = space
        .key
        .strip_prefix("sb:")
        .and_then(|id| state.research.participant(id))
        .map(|p| participant_of(&p.study));
    let store = space.read();
    let organisation = store
        .world
        .organisation(&user.ods_code)
        .map(views::organisation)
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Json(wire::Me {
        user: views::user(&user),
        organisation,
        participant,
    }))
}

#[utoipa::path(
    delete,
    path = "/session",
    tag = "sign-in",
    responses(
        (status = 204, description = "Signed out: the token answers 401 from now on, and its live-update streams end."),
        (status = 401, body = wire::ErrorBody),
    ),
)]
pub async fn session_delete(state: AppStateRef, headers: HeaderMap) -> ApiResult<StatusCode> {
    // Any open session, the facilitator's included (it has no world of its own).
    let token = bearer(&headers).ok_or_else(ApiError::unauthenticated)?;
    if state.sessions.session(token).is_none() {
        return Err(ApiError::unauthenticated());
    }
    state.sessions.revoke(token).await;
    // Open streams of this session end (API.md: the stream ends when the session does).
    state.live.sessions_ended();
    Ok(StatusCode::NO_CONTENT)
}
