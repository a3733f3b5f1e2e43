//! The handlers, one per route, named `<resource>_<verb>`: parse → domain → persist → respond.
//!
//! The token is checked by the `Actor` extractor (401), the body by `ApiJson` (413, 400);
//! everything else — visibility (404), roles (403), conflicts (409) and rules (422) — is the
//! domain's decision, mapped to HTTP by `From<DomainError> for ApiError`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use domain::wire;
use domain::{
    AgreementId, DomainError, FolderId, NewRequest, OdsCode, PatientId, RequestId, ShareId,
    StatusFilter, TargetId, User, UserId, VisibleBecause, World,
};

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiQuery, Validate};
use crate::state::{AppState, Store};
use crate::views;

/// The longest accepted texts, in characters (400 `invalid` beyond).
pub mod limits {
    /// Ids of users, targets, requests, patients, shares, agreements and folders.
    pub const ID: usize = 100;
    /// An ODS code as typed (codes are 3–10 characters; longer is simply unknown, up to this).
    pub const ODS: usize = 16;
    pub const SUBJECT: usize = 200;
    pub const MESSAGE: usize = 10_000;
    /// An agreement reference (the domain's own limit, `domain::world::MAX_TEXT`).
    pub const REFERENCE: usize = 1000;
    /// How many folders one `PUT /api/covers` may name.
    pub const FOLDERS: usize = 500;
}

type AppStateRef = State<Arc<AppState>>;

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        if e == DomainError::NotFound {
            // One body for unknown and not visible (V4, R1).
            return ApiError::not_found();
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        let mut message = e.to_string();
        if let Some(first) = message.get(..1) {
            message = format!("{}{}.", first.to_uppercase(), &message[1..]);
        }
        let mut error = ApiError::new(status, e.code(), message);
        error.field = e.field().map(str::to_owned);
        error
    }
}

// ---------------------------------------------------------------------------------------------
// Validation of bodies (400 `invalid` with the field)
// ---------------------------------------------------------------------------------------------

impl Validate for wire::SessionCreate {
    fn validate(&self) -> ApiResult<()> {
        text("user_id", &self.user_id, limits::ID)
    }
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

impl Validate for wire::AgreementCreate {
    fn validate(&self) -> ApiResult<()> {
        text("partner_ods_code", &self.partner_ods_code, limits::ODS)?;
        text("reference", &self.reference, limits::REFERENCE)
    }
}

impl Validate for wire::CoversUpdate {
    fn validate(&self) -> ApiResult<()> {
        if self.folder_ids.len() > limits::FOLDERS {
            return Err(ApiError::invalid(
                "folder_ids",
                format!("At most {} folders.", limits::FOLDERS),
            ));
        }
        for (i, id) in self.folder_ids.iter().enumerate() {
            text(&format!("folder_ids[{i}]"), id, limits::ID)?;
        }
        Ok(())
    }
}

impl Validate for wire::AssignCommand {
    fn validate(&self) -> ApiResult<()> {
        // The override reason is checked by the domain (A3: 422, not 400).
        text("target_id", &self.target_id, limits::ID)
    }
}

impl Validate for wire::VersionCommand {
    fn validate(&self) -> ApiResult<()> {
        Ok(())
    }
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

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The signed-in user; a token whose user has gone (after a reset to another seed) is 401.
fn me<'w>(world: &'w World, actor: &Actor) -> ApiResult<&'w User> {
    world
        .user(&UserId::new(actor.0.as_str()))
        .filter(|u| u.active)
        .ok_or_else(ApiError::unauthenticated)
}

/// A code typed by a user: trimmed and upper-cased; a malformed one is simply unknown.
fn typed_ods(text: &str) -> Option<OdsCode> {
    OdsCode::parse(&text.trim().to_uppercase()).ok()
}

/// Runs a change on a blocking thread (it fsyncs) and answers once it is on disk.
async fn changing<T: Send + 'static>(
    state: &Arc<AppState>,
    change: impl FnOnce(&mut Store) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.change(change))
        .await
        .map_err(|e| ApiError::internal(format!("a change did not finish: {e}")))?
}

fn detail_for(world: &World, id: &RequestId, org: &OdsCode) -> ApiResult<wire::RequestDetail> {
    let why = world.visibility(id, org).ok_or_else(ApiError::not_found)?;
    let request = world.request(id).ok_or_else(ApiError::not_found)?;
    Ok(views::detail(world, request, why))
}

// ---------------------------------------------------------------------------------------------
// Health, OpenAPI, sign-in
// ---------------------------------------------------------------------------------------------

pub async fn health_get(State(state): AppStateRef) -> Json<wire::Health> {
    let knobs = &state.knobs;
    Json(wire::Health {
        status: "ok".into(),
        latency_ms: (!knobs.latency.is_off()).then(|| knobs.latency.label()),
        fail_rate: (knobs.fail_rate > 0.0).then_some(knobs.fail_rate),
    })
}

pub async fn openapi_get() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

pub async fn personas_list(State(state): AppStateRef) -> Json<Vec<wire::Persona>> {
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
    State(state): AppStateRef,
    ApiJson(body): ApiJson<wire::SessionCreate>,
) -> ApiResult<Json<wire::Session>> {
    let user = {
        let store = state.read();
        store
            .world
            .user(&UserId::new(body.user_id.as_str()))
            .filter(|u| u.active)
            .map(views::user)
            .ok_or_else(ApiError::not_found)?
    };
    let token = state.sessions.issue(user.id.clone())?;
    Ok(Json(wire::Session { token, user }))
}

pub async fn me_get(State(state): AppStateRef, actor: Actor) -> ApiResult<Json<wire::Me>> {
    let store = state.read();
    let world = &store.world;
    let user = me(world, &actor)?;
    let organisation = world
        .organisation(&user.ods_code)
        .map(views::organisation)
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Json(wire::Me {
        user: views::user(user),
        organisation,
    }))
}

// ---------------------------------------------------------------------------------------------
// Directory
// ---------------------------------------------------------------------------------------------

pub async fn organisations_search(
    State(state): AppStateRef,
    actor: Actor,
    query: ApiQuery,
) -> ApiResult<Json<wire::OrganisationResults>> {
    let limit = match query.get("limit") {
        None => 10,
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::invalid("limit", "limit must be a whole number."))?
            .clamp(1, 50) as usize,
    };
    let directory = {
        let store = state.read();
        me(&store.world, &actor)?;
        store.directory.clone()
    };
    let q = query.get("q").unwrap_or("");
    let results = directory.search(q, limit).into_iter().cloned().collect();
    Ok(Json(wire::OrganisationResults { results }))
}

// ---------------------------------------------------------------------------------------------
// Sharing (S1–S7)
// ---------------------------------------------------------------------------------------------

pub async fn targets_list(
    State(state): AppStateRef,
    actor: Actor,
) -> ApiResult<Json<Vec<wire::Target>>> {
    let store = state.read();
    let world = &store.world;
    let org = me(world, &actor)?.ods_code.clone();
    Ok(Json(
        world
            .targets_of(&org)
            .into_iter()
            .map(|(t, shares)| wire::Target {
                id: t.id.as_str().to_owned(),
                kind: t.kind,
                name: t.name.clone(),
                shares: shares.into_iter().map(|s| views::share(world, s)).collect(),
            })
            .collect(),
    ))
}

pub async fn shares_create(
    State(state): AppStateRef,
    actor: Actor,
    ApiJson(body): ApiJson<wire::ShareCreate>,
) -> ApiResult<Response> {
    let share = changing(&state, move |store| {
        let user = me(&store.world, &actor)?.clone();
        // A malformed code names no organisation. Asking the domain to share with the caller's
        // own organisation gets the same answer as an unknown one (S3, 422), after the same
        // role and target checks (S1), and can never succeed.
        let partner = typed_ods(&body.partner_ods_code).unwrap_or_else(|| user.ods_code.clone());
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

pub async fn shares_update(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::ShareUpdate>,
) -> ApiResult<Json<wire::Share>> {
    let share = changing(&state, move |store| {
        let user = me(&store.world, &actor)?.clone();
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

pub async fn shares_delete(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    changing(&state, move |store| {
        let user = me(&store.world, &actor)?.id.clone();
        let event = store.new_event();
        let now = store.now();
        store
            .world
            .remove_share(&user, &ShareId::new(id), now, event)?;
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn external_list(
    State(state): AppStateRef,
    actor: Actor,
) -> ApiResult<Json<Vec<wire::ExternalShare>>> {
    let store = state.read();
    let world = &store.world;
    let org = me(world, &actor)?.ods_code.clone();
    Ok(Json(
        world
            .external_for(&org)
            .into_iter()
            .map(|s| views::external(world, s))
            .collect(),
    ))
}

async fn external_answer(
    state: &Arc<AppState>,
    actor: Actor,
    id: String,
    enable: bool,
) -> ApiResult<Json<wire::ExternalShare>> {
    let share = changing(state, move |store| {
        let user = me(&store.world, &actor)?.clone();
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
    State(state): AppStateRef,
    actor: Actor,
    Path(share_id): Path<String>,
) -> ApiResult<Json<wire::ExternalShare>> {
    external_answer(&state, actor, share_id, true).await
}

pub async fn external_disable(
    State(state): AppStateRef,
    actor: Actor,
    Path(share_id): Path<String>,
) -> ApiResult<Json<wire::ExternalShare>> {
    external_answer(&state, actor, share_id, false).await
}

// ---------------------------------------------------------------------------------------------
// Agreements (D1–D3)
// ---------------------------------------------------------------------------------------------

pub async fn agreements_list(
    State(state): AppStateRef,
    actor: Actor,
) -> ApiResult<Json<Vec<wire::Agreement>>> {
    let store = state.read();
    let world = &store.world;
    let org = me(world, &actor)?.ods_code.clone();
    Ok(Json(
        world
            .agreements_for(&org)
            .into_iter()
            .map(|a| views::agreement(world, a, &org))
            .collect(),
    ))
}

pub async fn agreements_create(
    State(state): AppStateRef,
    actor: Actor,
    ApiJson(body): ApiJson<wire::AgreementCreate>,
) -> ApiResult<Response> {
    let agreement = changing(&state, move |store| {
        let user = me(&store.world, &actor)?.clone();
        // A malformed code names no organisation: the same answer as an unknown one (D1, S3).
        let partner = typed_ods(&body.partner_ods_code).unwrap_or_else(|| user.ods_code.clone());
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

async fn agreement_answer(
    state: &Arc<AppState>,
    actor: Actor,
    id: String,
    accept: bool,
) -> ApiResult<Json<wire::Agreement>> {
    let agreement = changing(state, move |store| {
        let user = me(&store.world, &actor)?.clone();
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

pub async fn agreements_accept(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<wire::Agreement>> {
    agreement_answer(&state, actor, id, true).await
}

pub async fn agreements_refuse(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<wire::Agreement>> {
    agreement_answer(&state, actor, id, false).await
}

// ---------------------------------------------------------------------------------------------
// Folders, covers and requests (V, A, C)
// ---------------------------------------------------------------------------------------------

fn folders_of(world: &World, user: &UserId) -> ApiResult<Vec<wire::Folder>> {
    Ok(world
        .folders(user)?
        .iter()
        .map(|f| views::folder(world, f))
        .collect())
}

pub async fn folders_list(
    State(state): AppStateRef,
    actor: Actor,
) -> ApiResult<Json<Vec<wire::Folder>>> {
    let store = state.read();
    let user = me(&store.world, &actor)?.id.clone();
    Ok(Json(folders_of(&store.world, &user)?))
}

pub async fn covers_update(
    State(state): AppStateRef,
    actor: Actor,
    ApiJson(body): ApiJson<wire::CoversUpdate>,
) -> ApiResult<Json<Vec<wire::Folder>>> {
    let folders = changing(&state, move |store| {
        let user = me(&store.world, &actor)?.id.clone();
        let folders: Vec<FolderId> = body.folder_ids.iter().map(|f| FolderId::parse(f)).collect();
        let event = store.new_event();
        let now = store.now();
        store.world.set_covers(&user, &folders, now, event)?;
        folders_of(&store.world, &user)
    })
    .await?;
    Ok(Json(folders))
}

pub async fn requests_list(
    State(state): AppStateRef,
    actor: Actor,
    query: ApiQuery,
) -> ApiResult<Json<Vec<wire::RequestSummary>>> {
    let status = match query.get("status") {
        None | Some("open") => StatusFilter::Open,
        Some("closed") => StatusFilter::Closed,
        Some("all") => StatusFilter::All,
        Some(_) => {
            return Err(ApiError::invalid(
                "status",
                "status must be open, closed or all.",
            ))
        }
    };
    let store = state.read();
    let world = &store.world;
    let user = me(world, &actor)?.id.clone();
    let requests = match query.get("folder") {
        None => world.messages(&user, status)?,
        Some(folder) => world.folder_requests(&user, &FolderId::parse(folder), status)?,
    };
    Ok(Json(
        requests
            .into_iter()
            .map(|r| views::summary(world, r))
            .collect(),
    ))
}

pub async fn requests_get(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<wire::RequestDetail>> {
    let store = state.read();
    let org = me(&store.world, &actor)?.ods_code.clone();
    Ok(Json(detail_for(&store.world, &RequestId::new(id), &org)?))
}

pub async fn requests_assignable(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<wire::Assignable>>> {
    let store = state.read();
    let world = &store.world;
    let user = me(world, &actor)?.id.clone();
    Ok(Json(
        world
            .assignable(&user, &RequestId::new(id))?
            .iter()
            .map(|a| views::assignable(world, a))
            .collect(),
    ))
}

pub async fn requests_assign(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::AssignCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    let detail = changing(&state, move |store| {
        let user = me(&store.world, &actor)?.clone();
        let id = RequestId::new(id);
        let event = store.new_event();
        let now = store.now();
        store.world.assign_request(
            &user.id,
            &id,
            &TargetId::new(body.target_id.as_str()),
            body.version,
            body.override_reason.as_deref(),
            now,
            event,
        )?;
        detail_for(&store.world, &id, &user.ods_code)
    })
    .await?;
    Ok(Json(detail))
}

async fn request_status(
    state: &Arc<AppState>,
    actor: Actor,
    id: String,
    version: u64,
    close: bool,
) -> ApiResult<Json<wire::RequestDetail>> {
    let detail = changing(state, move |store| {
        let user = me(&store.world, &actor)?.clone();
        let id = RequestId::new(id);
        let event = store.new_event();
        let now = store.now();
        if close {
            store
                .world
                .close_request(&user.id, &id, version, now, event)?;
        } else {
            store
                .world
                .reopen_request(&user.id, &id, version, now, event)?;
        }
        detail_for(&store.world, &id, &user.ods_code)
    })
    .await?;
    Ok(Json(detail))
}

pub async fn requests_close(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::VersionCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    request_status(&state, actor, id, body.version, true).await
}

pub async fn requests_reopen(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::VersionCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    request_status(&state, actor, id, body.version, false).await
}

// ---------------------------------------------------------------------------------------------
// Audit (L1, L2)
// ---------------------------------------------------------------------------------------------

pub async fn audit_list(
    State(state): AppStateRef,
    actor: Actor,
    query: ApiQuery,
) -> ApiResult<Response> {
    let csv = match query.get("format") {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid("format", "format must be json or csv.")),
    };
    let store = state.read();
    let world = &store.world;
    let org = me(world, &actor)?.ods_code.clone();
    let events = world.audit_for(&org);
    if csv {
        let body = domain::csv::audit_csv(events);
        let mut response = body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"audit.csv\""),
        );
        return Ok(response);
    }
    let entries: Vec<wire::AuditEntry> = events.into_iter().map(views::audit_entry).collect();
    Ok(Json(entries).into_response())
}

// ---------------------------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------------------------

pub async fn demo_requests_create(
    State(state): AppStateRef,
    actor: Actor,
    ApiJson(body): ApiJson<wire::DemoRequestCreate>,
) -> ApiResult<Response> {
    let detail = changing(&state, move |store| {
        me(&store.world, &actor)?;
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
            origin: origin.clone(),
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

pub async fn demo_patients_sharing(
    State(state): AppStateRef,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<wire::DemoSharingUpdate>,
) -> ApiResult<Json<wire::DemoPatient>> {
    let patient = changing(&state, move |store| {
        me(&store.world, &actor)?;
        let id = PatientId::new(id);
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

pub async fn demo_reset(State(state): AppStateRef, actor: Actor) -> ApiResult<StatusCode> {
    {
        let store = state.read();
        me(&store.world, &actor)?;
    }
    let st = state.clone();
    tokio::task::spawn_blocking(move || st.reset())
        .await
        .map_err(|e| ApiError::internal(format!("reset did not finish: {e}")))??;
    Ok(StatusCode::NO_CONTENT)
}
