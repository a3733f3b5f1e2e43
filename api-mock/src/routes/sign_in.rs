//! Sign-in (API.md, Sign-in): the personas, a session, and who the caller is.

use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, UserId};

use super::{limits, ApiRouter, AppStateRef};
use crate::auth::{CurrentUser, SessionUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, Validate};
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
pub async fn personas_list(state: AppStateRef) -> Json<Vec<wire::Persona>> {
    let store = state.read();
    let world = &store.world;
    Json(
        world
            .users()
            .iter()
            .filter(|u| u.active)
            .map(|u| wire::Persona {
                user_id: u.id.as_str().to_owned(),
                name: u.name.clone(),
                role: u.role,
                ods_code: u.ods_code.as_str().to_owned(),
                organisation: views::org_ref(world, &u.ods_code).name,
            })
            .collect(),
    )
}

#[utoipa::path(
    post,
    path = "/session",
    tag = "sign-in",
    request_body = wire::SessionCreate,
    responses(
        (status = 200, body = wire::Session),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
    ),
    security(()),
)]
pub async fn session_create(
    state: AppStateRef,
    ApiJson(body): ApiJson<wire::SessionCreate>,
) -> ApiResult<Json<wire::Session>> {
    let user = state
        .read()
        .world
        .user(&UserId::new(body.user_id.as_str()))
        .filter(|u| u.active)
        .map(views::user)
        .ok_or_else(ApiError::not_found)?;
    let token = state.sessions.issue(user.id.clone()).await?;
    Ok(Json(wire::Session { token, user }))
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
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<wire::Me>> {
    let store = state.read();
    let organisation = store
        .world
        .organisation(&user.ods_code)
        .map(views::organisation)
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Json(wire::Me {
        user: views::user(&user),
        organisation,
    }))
}

#[utoipa::path(
    delete,
    path = "/session",
    tag = "sign-in",
    responses(
        (status = 204, description = "Signed out: the token answers 401 from now on, and its live-update streams end."),
    ),
)]
pub async fn session_delete(state: AppStateRef, session: SessionUser) -> StatusCode {
    state.sessions.revoke(&session.token).await;
    // Open streams of this session end (API.md: the stream ends when the session does).
    state.live.sessions_ended();
    StatusCode::NO_CONTENT
}
