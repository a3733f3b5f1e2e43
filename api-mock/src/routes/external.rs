//! Targets other organisations shared with ours, and their Enable / Disable (SPEC S4–S6).

use std::sync::Arc;

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, ShareId, User};

use super::ApiRouter;
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::state::Space;
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(external_list))
        .routes(routes!(external_enable))
        .routes(routes!(external_disable))
}

#[utoipa::path(
    get,
    path = "/external",
    tag = "external",
    responses(
        (status = 200, body = Vec<wire::ExternalShare>),
    ),
)]
pub async fn external_list(
    SignedIn { user, space, .. }: SignedIn,
) -> Json<Vec<wire::ExternalShare>> {
    let store = space.read();
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
    space: &Arc<Space>,
    user: User,
    id: String,
    enable: bool,
) -> ApiResult<Json<wire::ExternalShare>> {
    let share = space
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

#[utoipa::path(
    post,
    path = "/external/{share_id}/enable",
    tag = "external",
    params(("share_id" = String, Path)),
    responses(
        (status = 200, body = wire::ExternalShare),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn external_enable(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(share_id): ApiPath,
) -> ApiResult<Json<wire::ExternalShare>> {
    answer(&space, user, share_id, true).await
}

#[utoipa::path(
    post,
    path = "/external/{share_id}/disable",
    tag = "external",
    params(("share_id" = String, Path)),
    responses(
        (status = 200, body = wire::ExternalShare),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn external_disable(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(share_id): ApiPath,
) -> ApiResult<Json<wire::ExternalShare>> {
    answer(&space, user, share_id, false).await
}
