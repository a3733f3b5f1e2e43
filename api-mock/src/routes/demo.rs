//! Demo controls (API.md, Demo and operations): a request arriving, a patient's preference,
//! and a reset, each within the caller's own organisation (issue 19): a new request only at
//! its own ODS code and for one of its patients (a patient with a request whose origin is the
//! caller's organisation, `World::is_patient_of`), a preference only of one of its patients,
//! a reset by an admin. Otherwise 403 `forbidden`, nothing changed, and the body names no
//! patient: an unknown patient and another organisation's answer alike.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{wire, NewRequest, OdsCode, PatientId, RequestId, Role, Touched, VisibleBecause};

use super::{limits, typed_ods, ApiRouter, AppStateRef};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiPath, Validate};
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

/// The one refusal of the demo calls: it names neither the patient nor the organisation.
fn outside_own_organisation() -> ApiError {
    ApiError::forbidden(
        "Demo calls act only within your own organisation: a request at your own ODS code for a \
         patient with a request from your organisation, that patient's preference, or a reset \
         by an admin.",
    )
}

/// A patient the caller's organisation may act for in a demo call, else 403 (never 404: an
/// unknown patient answers like another organisation's).
fn own_patient(world: &domain::World, id: &PatientId, org: &OdsCode) -> ApiResult<()> {
    if world.is_patient_of(id, org) {
        Ok(())
    } else {
        Err(outside_own_organisation())
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
        (status = 403, body = wire::ErrorBody, description = "Not the caller's own ODS code, or not a patient with a request from the caller's organisation."),
        (status = 413, body = wire::ErrorBody),
    ),
)]
pub async fn demo_requests_create(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<wire::DemoRequestCreate>,
) -> ApiResult<Response> {
    let detail = state
        .change(move |store| {
            let origin = typed_ods(&body.ods_code)
                .filter(|code| *code == user.ods_code)
                .ok_or_else(outside_own_organisation)?;
            own_patient(
                &store.world,
                &PatientId::new(body.patient_id.as_str()),
                &origin,
            )?;
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
            // Shown as its origin, the caller's organisation, sees it.
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
        (status = 403, body = wire::ErrorBody, description = "Not a patient with a request from the caller's organisation (an unknown id answers the same)."),
        (status = 413, body = wire::ErrorBody),
    ),
)]
pub async fn demo_patients_sharing(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::DemoSharingUpdate>,
) -> ApiResult<Json<wire::DemoPatient>> {
    let id = PatientId::new(id);
    let patient = state
        .change_touching(Touched::patient(id.clone()), move |store| {
            own_patient(&store.world, &id, &user.ods_code)?;
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
        (status = 403, body = wire::ErrorBody, description = "The caller is not an admin."),
    ),
)]
pub async fn demo_reset(
    state: AppStateRef,
    CurrentUser(user): CurrentUser,
) -> ApiResult<StatusCode> {
    if user.role != Role::Admin {
        return Err(outside_own_organisation());
    }
    state.reset().await?;
    Ok(StatusCode::NO_CONTENT)
}
