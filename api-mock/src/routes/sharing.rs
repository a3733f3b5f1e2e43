//! Sharing a target with partner organisations (SPEC S1–S7), as its owner sees it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, ShareId, TargetId};

use super::{limits, typed_ods, ApiRouter};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiPath, Validate};
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(targets_list))
        .routes(routes!(shares_create))
        .routes(routes!(shares_update, shares_delete))
}

impl Validate for wire::ShareCreate {
    fn validate(&self) -> ApiResult<()> {
        text("target_id", &self.target_id, limits::ID)?;
        text("partner_ods_code", &self.partner_ods_code, limits::ODS)
    }
}

impl Validate for wire::ShareUpdate {
    fn validate(&self) -> ApiResult<()> {
        Ok(())
    }
}

#[utoipa::path(
    get,
    path = "/targets",
    tag = "sharing",
    responses(
        (status = 200, body = Vec<wire::Target>),
    ),
)]
pub async fn targets_list(SignedIn { user, space, .. }: SignedIn) -> Json<Vec<wire::Target>> {
    let store = space.read();
    let world = &store.world;
    Json(
        world
            .targets_of(&user.ods_code)
            .into_iter()
            .map(|(t, shares)| wire::Target {
                id: t.id.as_str().to_owned(),
                kind: t.kind,
                name: t.name.clone(),
                shares: shares.into_iter().map(|s| views::share(world, s)).collect(),
            })
            .collect(),
    )
}

#[utoipa::path(
    post,
    path = "/shares",
    tag = "sharing",
    request_body = wire::ShareCreate,
    responses(
        (status = 201, body = wire::Share),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn shares_create(
    SignedIn { user, space, .. }: SignedIn,
    ApiJson(body): ApiJson<wire::ShareCreate>,
) -> ApiResult<Response> {
    let share = space
        .change(move |store| {
            // A malformed code names no organisation. Asking the domain to share with the
            // caller's own organisation gets the same answer as an unknown one (S3, 422),
            // after the same role and target checks (S1), and can never succeed.
            let partner =
                typed_ods(&body.partner_ods_code).unwrap_or_else(|| user.ods_code.clone());
            let share_id = ShareId::new(store.new_id("sh"));
            let event = store.new_event();
            let now = store.now();
            let target = TargetId::new(body.target_id.as_str());
            let (share, _) = store.world.share_target(
                &user.id,
                &target,
                &partner,
                body.restricted,
                now,
                share_id,
                event,
            )?;
            Ok(views::share(&store.world, &share))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(share)).into_response())
}

#[utoipa::path(
    patch,
    path = "/shares/{id}",
    tag = "sharing",
    params(("id" = String, Path)),
    request_body = wire::ShareUpdate,
    responses(
        (status = 200, body = wire::Share),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
    ),
)]
pub async fn shares_update(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::ShareUpdate>,
) -> ApiResult<Json<wire::Share>> {
    let share = space
        .change(move |store| {
            let id = ShareId::new(id);
            let event = store.new_event();
            let now = store.now();
            store
                .world
                .set_share_restricted(&user.id, &id, body.restricted, now, event)?;
            let share = store
                .world
                .share_for(&id, &user.ods_code)
                .ok_or_else(ApiError::not_found)?;
            Ok(views::share(&store.world, share))
        })
        .await?;
    Ok(Json(share))
}

#[utoipa::path(
    delete,
    path = "/shares/{id}",
    tag = "sharing",
    params(("id" = String, Path)),
    responses(
        (status = 204),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn shares_delete(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
) -> ApiResult<StatusCode> {
    space
        .change(move |store| {
            let event = store.new_event();
            let now = store.now();
            store
                .world
                .remove_share(&user.id, &ShareId::new(id), now, event)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
