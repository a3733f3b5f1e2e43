//! Sign-in (API.md, Sign-in): the personas, a session, and who the caller is.

use axum::routing::{get, post};
use axum::{Json, Router};

use domain::{wire, UserId};

use super::{limits, ApiRouter, AppStateRef};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, Validate};
use crate::views;

pub fn router() -> ApiRouter {
    Router::new()
        .route("/personas", get(personas_list))
        .route("/session", post(session_create))
        .route("/me", get(me_get))
}

impl Validate for wire::SessionCreate {
    fn validate(&self) -> ApiResult<()> {
        text("user_id", &self.user_id, limits::ID)
    }
}

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
    let token = state.sessions.issue(user.id.clone())?;
    Ok(Json(wire::Session { token, user }))
}

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
