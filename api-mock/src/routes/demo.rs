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

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{limits, typed_ods, ApiRouter, AppStateRef};
use crate::auth::{bearer, SignedIn};
use crate::error::{ApiError, ApiResult};
use crate::extract::{decode, text, ApiJson, ApiPath, Validate};
use crate::research::FACILITATOR;
use crate::state::{AppState, Space};
use crate::views;

/// Who makes a demo call: a persona of the demo world while no study is loaded (within its own
/// organisation), or the facilitator (on the demo world or a participant's sandbox, K2).
pub enum DemoCaller {
    Persona(SignedIn),
    Facilitator,
}

impl FromRequestParts<Arc<AppState>> for DemoCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let (_, world) = state
            .sessions
            .session(token)
            .ok_or_else(ApiError::unauthenticated)?;
        if world == FACILITATOR {
            return Ok(Self::Facilitator);
        }
        let persona = SignedIn::from_request_parts(parts, state).await?;
        if state.research.is_running() {
            return Err(ApiError::forbidden(
                "While a study is loaded, the demo calls are the facilitator's alone.",
            ));
        }
        Ok(Self::Persona(persona))
    }
}

impl DemoCaller {
    /// The world the call acts on: the persona's, or the participant's sandbox the
    /// facilitator names (404 for an unknown one), else the demo world.
    fn space(&self, state: &AppState, participant: Option<&str>) -> ApiResult<Arc<Space>> {
        match (self, participant) {
            (Self::Persona(p), None) => Ok(p.space.clone()),
            // A well-formed body the caller may not send: 403, like any call it may not make.
            (Self::Persona(_), Some(_)) => Err(ApiError::forbidden(
                "participant_id is for the facilitator's demo calls only.",
            )),
            (Self::Facilitator, None) => Ok(state.demo.clone()),
            (Self::Facilitator, Some(id)) => state
                .research
                .participant(id)
                .map(|p| p.space.clone())
                .ok_or_else(ApiError::not_found),
        }
    }

    /// The caller's organisation, which its demo calls must stay within; `None` for the
    /// facilitator (any organisation of the world).
    fn organisation(&self) -> Option<OdsCode> {
        match self {
            Self::Persona(p) => Some(p.user.ods_code.clone()),
            Self::Facilitator => None,
        }
    }
}

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
    caller: DemoCaller,
    ApiJson(body): ApiJson<wire::DemoRequestCreate>,
) -> ApiResult<Response> {
    let space = caller.space(&state, body.participant_id.as_deref())?;
    let own = caller.organisation();
    let detail = space
        .change(move |store| {
            let origin = typed_ods(&body.ods_code)
                .filter(|code| own.as_ref().is_none_or(|own| code == own))
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
    caller: DemoCaller,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::DemoSharingUpdate>,
) -> ApiResult<Json<wire::DemoPatient>> {
    let id = PatientId::new(id);
    let space = caller.space(&state, body.participant_id.as_deref())?;
    let own = caller.organisation();
    let patient = space
        .change_touching(Touched::patient(id.clone()), move |store| {
            match &own {
                Some(org) => own_patient(&store.world, &id, org)?,
                None if store.world.patient(&id).is_none() => return Err(ApiError::not_found()),
                None => {}
            }
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
    request_body(content = Option<wire::DemoReset>, description = "Optional: the facilitator's `participant_id`."),
    responses(
        (status = 204),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody, description = "The caller is not an admin, or a study is loaded and the caller is not the facilitator."),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn demo_reset(
    state: AppStateRef,
    caller: DemoCaller,
    body: Bytes,
) -> ApiResult<StatusCode> {
    // No body, `null` (the document's optional body) or `{"participant_id"?}`.
    let body: wire::DemoReset = if body.iter().all(u8::is_ascii_whitespace) {
        wire::DemoReset::default()
    } else {
        decode::<Option<wire::DemoReset>>(&body)?.unwrap_or_default()
    };
    if let DemoCaller::Persona(p) = &caller {
        if p.user.role != Role::Admin {
            return Err(outside_own_organisation());
        }
    }
    match body.participant_id.as_deref() {
        None => {
            caller.space(&state, None)?;
            state.reset().await?;
        }
        Some(id) => {
            caller.space(&state, Some(id))?;
            let participant = state
                .research
                .participant(id)
                .ok_or_else(ApiError::not_found)?;
            participant.reset_world().await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
