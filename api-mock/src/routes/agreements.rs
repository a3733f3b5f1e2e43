//! Data sharing agreements (SPEC D1–D3), seen from the caller's organisation.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, AgreementId, User};

use super::{limits, typed_ods, ApiRouter};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiPath, Validate};
use crate::state::Space;
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(agreements_list, agreements_create))
        .routes(routes!(agreements_accept))
        .routes(routes!(agreements_refuse))
}

impl Validate for wire::AgreementCreate {
    fn validate(&self) -> ApiResult<()> {
        text("partner_ods_code", &self.partner_ods_code, limits::ODS)?;
        text("reference", &self.reference, limits::REFERENCE)
    }
}

#[utoipa::path(
    get,
    path = "/agreements",
    tag = "agreements",
    responses(
        (status = 200, body = Vec<wire::Agreement>),
    ),
)]
pub async fn agreements_list(SignedIn { user, space, .. }: SignedIn) -> Json<Vec<wire::Agreement>> {
    let store = space.read();
    let world = &store.world;
    let org = &user.ods_code;
    Json(
        world
            .agreements_for(org)
            .into_iter()
            .map(|a| views::agreement(world, a, org))
            .collect(),
    )
}

#[utoipa::path(
    post,
    path = "/agreements",
    tag = "agreements",
    request_body = wire::AgreementCreate,
    responses(
        (status = 201, body = wire::Agreement),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn agreements_create(
    SignedIn { user, space, .. }: SignedIn,
    ApiJson(body): ApiJson<wire::AgreementCreate>,
) -> ApiResult<Response> {
    let agreement = space
        .change(move |store| {
            // A malformed code names no organisation: the same answer as an unknown one (D1,
            // S3).
            let partner =
                typed_ods(&body.partner_ods_code).unwrap_or_else(|| user.ods_code.clone());
            let agreement_id = AgreementId::new(store.new_id("ag"));
            let event = store.new_event();
            let now = store.now();
            let (agreement, _) = store.world.propose_agreement(
                &user.id,
                &partner,
                &body.reference,
                now,
                agreement_id,
                event,
            )?;
            Ok(views::agreement(&store.world, &agreement, &user.ods_code))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(agreement)).into_response())
}

async fn answer(
    space: &Arc<Space>,
    user: User,
    id: String,
    accept: bool,
) -> ApiResult<Json<wire::Agreement>> {
    let agreement = space
        .change(move |store| {
            let id = AgreementId::new(id);
            let event = store.new_event();
            let now = store.now();
            if accept {
                store.world.accept_agreement(&user.id, &id, now, event)?;
            } else {
                store.world.refuse_agreement(&user.id, &id, now, event)?;
            }
            let agreement = store
                .world
                .agreement_for(&id, &user.ods_code)
                .ok_or_else(ApiError::not_found)?;
            Ok(views::agreement(&store.world, agreement, &user.ods_code))
        })
        .await?;
    Ok(Json(agreement))
}

#[utoipa::path(
    post,
    path = "/agreements/{id}/accept",
    tag = "agreements",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = wire::Agreement),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn agreements_accept(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
) -> ApiResult<Json<wire::Agreement>> {
    answer(&space, user, id, true).await
}

#[utoipa::path(
    post,
    path = "/agreements/{id}/refuse",
    tag = "agreements",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = wire::Agreement),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn agreements_refuse(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
) -> ApiResult<Json<wire::Agreement>> {
    answer(&space, user, id, false).await
}
