//! Targets other organisations shared with ours, and their Enable / Disable (SPEC S4–S6).

use std::sync::Arc;

use axum::extract::Path;
use axum::routing::{get, post};
use axum::{Json, Router};

use domain::{wire, ShareId, User};

use super::{ApiRouter, AppStateRef};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::views;

pub fn router() -> ApiRouter {
    Router::new()
        .route("/external", get(external_list))
        .route("/external/{share_id}/enable", post(external_enable))
        .route("/external/{share_id}/disable", post(external_disable))
}

pub async fn external_list(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
) -> Json<Vec<wire::ExternalShare>> {
    let store = state.read();
    let world = &store.world;
    Json(
        world
            .external_for(&user.ods_code)
            .into_iter()
            .map(|s| views::external(world, s))
            .collect(),
    )
}

async fn answer(
    state: &Arc<AppState>,
    user: User,
    id: String,
    enable: bool,
) -> ApiResult<Json<wire::ExternalShare>> {
    let share = state
        .change(move |store| {
            let id = ShareId::new(id);
            let event = store.new_event();
            let now = store.now();
            if enable {
                store.world.enable_share(&user.id, &id, now, event)?;
            } else {
                store.world.disable_share(&user.id, &id, now, event)?;
            }
            let share = store
                .world
                .share_for(&id, &user.ods_code)
                .ok_or_else(ApiError::not_found)?;
            Ok(views::external(&store.world, share))
        })
        .await?;
    Ok(Json(share))
}

pub async fn external_enable(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
    Path(share_id): Path<String>,
) -> ApiResult<Json<wire::ExternalShare>> {
    answer(&state, user, share_id, true).await
}

pub async fn external_disable(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
    Path(share_id): Path<String>,
) -> ApiResult<Json<wire::ExternalShare>> {
    answer(&state, user, share_id, false).await
}
