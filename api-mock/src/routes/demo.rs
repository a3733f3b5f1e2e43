//! Demo controls (API.md, Demo): a request arriving, a patient's preference, and a reset.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, NewRequest, PatientId, RequestId, Touched, VisibleBecause};

use super::{limits, typed_ods, ApiRouter, AppStateRef};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, Validate};
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(demo_requests_create))
        .routes(routes!(demo_patients_sharing))
        .routes(routes!(demo_reset))
}

impl Validate for wire::DemoRequestCreate {
    fn validate(&self) -> ApiResult<()> {
        text("ods_code", &self.ods_code, limits::ODS)?;
        text("patient_id", &self.patient_id, limits::ID)?;
        text("subject", &self.subject, limits::SUBJECT)?;
        text("message", &self.message, limits::MESSAGE)
    }
}

impl Validate for wire::DemoSharingUpdate {
    fn validate(&self) -> ApiResult<()> {
        Ok(())
    }
}

#[utoipa::path(
    post,
    path = "/demo/requests",
    tag = "demo",
    request_body = wire::DemoRequestCreate,
    responses(
        (status = 201, body = wire::RequestDetail),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
    ),
)]
pub async fn demo_requests_create(
    state: AppStateRef,
    _caller: SignedIn,
    ApiJson(body): ApiJson<wire::DemoRequestCreate>,
) -> ApiResult<Response> {
    let detail = state
        .change(move |store| {
            let origin = typed_ods(&body.ods_code).ok_or_else(ApiError::not_found)?;
            // Seeded requests have ids of their own choosing (the demo's `r-1001`...), so the
            // counter can reach one of them: skip those rather than refuse the request.
            let id = loop {
                let id = RequestId::new(store.new_id("r"));
                if store.world.request(&id).is_none() {
                    break id;
                }
            };
            let event = store.new_event();
            let now = store.now();
            let new = NewRequest {
                id: id.clone(),
                origin,
                patient: PatientId::new(body.patient_id.as_str()),
                kind: body.kind,
                subject: body.subject,
                message: body.message,
            };
            store.world.receive_request(new, now, event)?;
            let request = store.world.request(&id).ok_or_else(ApiError::not_found)?;
            // Shown as its origin sees it: the demo caller may belong to any organisation.
            Ok(views::detail(
                &store.world,
                request,
                VisibleBecause::Involved,
            ))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(detail)).into_response())
}

#[utoipa::path(
    post,
    path = "/demo/patients/{id}/sharing",
    tag = "demo",
    params(("id" = String, Path)),
    request_body = wire::DemoSharingUpdate,
    responses(
        (status = 200, body = wire::DemoPatient),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
    ),
)]
pub async fn demo_patients_sharing(
    state: AppStateRef,
    _caller: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::DemoSharingUpdate>,
) -> ApiResult<Json<wire::DemoPatient>> {
    let id = PatientId::new(id);
    let patient = state
        .change_touching(Touched::patient(id.clone()), move |store| {
            store.world.set_patient_sharing(&id, body.sharing)?;
            let p = store.world.patient(&id).ok_or_else(ApiError::not_found)?;
            Ok(wire::DemoPatient {
                id: p.id.as_str().to_owned(),
                name: p.name.clone(),
                nhs_number: p.nhs_number.as_str().to_owned(),
                sharing: p.sharing,
            })
        })
        .await?;
    Ok(Json(patient))
}

#[utoipa::path(
    post,
    path = "/demo/reset",
    tag = "demo",
    responses(
        (status = 204),
    ),
)]
pub async fn demo_reset(state: AppStateRef, _caller: SignedIn) -> ApiResult<StatusCode> {
    state.reset().await?;
    Ok(StatusCode::NO_CONTENT)
}
