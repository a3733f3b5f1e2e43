//! Research studies (API.md "Research studies", SPEC K1–K9): the facilitator's calls (study,
//! participants, reset, knobs, advance, notes, the progress stream) and the participant's
//! task calls. A facilitator call with a participant's or a persona's token is 403; an id of
//! no participant is 404.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::research::wire::{
    FacilitatorSession, FacilitatorSignIn, Note, NoteCreate, ParticipantCreate, ParticipantCreated,
    ParticipantRow, ResetTo, SandboxKnobs, StudySummary, TaskSummary,
};
use domain::wire;

use super::{ApiRouter, AppStateRef};
use crate::auth::bearer;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiPath, Validate};
use crate::research::study::{self, LoadedStudy};
use crate::research::{Participant, FACILITATOR};
use crate::state::AppState;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(research_session))
        .routes(routes!(study_get, study_put))
        .routes(routes!(participants_list, participants_create))
        .routes(routes!(participant_delete))
        .routes(routes!(participant_reset))
        .routes(routes!(participant_knobs))
        .routes(routes!(participant_advance))
        .routes(routes!(participant_note))
        .merge(super::task::router())
        .merge(super::results::router())
}

pub use super::research_events::stream_router;

/// The facilitator's session (K2, K8): 401 without a valid token, 403 with another's.
pub struct Facilitator;

impl FromRequestParts<Arc<AppState>> for Facilitator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        match state.sessions.session(token) {
            None => Err(ApiError::unauthenticated()),
            Some((_, world)) if world == FACILITATOR => Ok(Facilitator),
            Some(_) => Err(not_facilitator()),
        }
    }
}

pub(super) fn not_facilitator() -> ApiError {
    ApiError::forbidden("This is the facilitator's call.")
}

impl Validate for FacilitatorSignIn {
    fn validate(&self) -> ApiResult<()> {
        text("key", &self.key, 200)
    }
}

impl Validate for ParticipantCreate {
    fn validate(&self) -> ApiResult<()> {
        text("label", &self.label, 100)
    }
}

impl Validate for ResetTo {
    fn validate(&self) -> ApiResult<()> {
        text("task_id", &self.task_id, 64)
    }
}

impl Validate for NoteCreate {
    fn validate(&self) -> ApiResult<()> {
        text("text", &self.text, 2000)
    }
}

impl Validate for SandboxKnobs {
    fn validate(&self) -> ApiResult<()> {
        if self.latency_ms > crate::knobs::MAX_DELAY_MS {
            return Err(ApiError::invalid(
                "latency_ms",
                "latency_ms must be between 0 and 60000.",
            ));
        }
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(ApiError::invalid(
                "fail_rate",
                "fail_rate must be between 0 and 1.",
            ));
        }
        Ok(())
    }
}

/// The study loaded, else 404.
fn loaded(state: &AppState) -> ApiResult<Arc<LoadedStudy>> {
    state.research.study().ok_or_else(ApiError::not_found)
}

/// A participant by id, else 404.
fn participant(state: &AppState, id: &str) -> ApiResult<Arc<Participant>> {
    state
        .research
        .participant(id)
        .ok_or_else(ApiError::not_found)
}

fn row(state: &AppState, p: &Participant) -> ParticipantRow {
    p.row(state.research.link(&p.code))
}

fn summary(study: &LoadedStudy, whole: bool) -> StudySummary {
    StudySummary {
        name: study.study.name.clone(),
        personas: study.personas(),
        tasks: study
            .study
            .tasks
            .iter()
            .map(|t| TaskSummary {
                id: t.id.clone(),
                title: t.title.clone(),
                instruction: t.instruction.clone(),
                persona: t.persona.as_str().to_owned(),
                time_limit_s: t.time_limit_s,
                fewest_changes: t.fewest_changes,
                fewest_screens: t.fewest_screens,
                success: whole.then(|| t.success.clone()),
            })
            .collect(),
        show_outcome: study.study.show_outcome,
    }
}

/// Runs blocking work (database writes) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

#[utoipa::path(
    post,
    path = "/research/session",
    tag = "research",
    request_body = FacilitatorSignIn,
    responses(
        (status = 200, body = FacilitatorSession),
        (status = 400, body = wire::ErrorBody),
        (status = 401, body = wire::ErrorBody, description = "Not the facilitator's key."),
    ),
    security(()),
)]
pub async fn research_session(
    state: AppStateRef,
    ApiJson(body): ApiJson<FacilitatorSignIn>,
) -> ApiResult<Json<FacilitatorSession>> {
    if !state.research.key_matches(body.key.trim()) {
        return Err(ApiError::unauthenticated());
    }
    let token = state
        .sessions
        .issue_in(String::new(), FACILITATOR.to_owned())
        .await?;
    Ok(Json(FacilitatorSession { token }))
}

#[utoipa::path(
    get,
    path = "/research/study",
    tag = "research",
    responses(
        (status = 200, body = StudySummary, description = "Whole for the facilitator; without success conditions for a participant."),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody, description = "No study is loaded."),
    ),
)]
pub async fn study_get(state: AppStateRef, headers: HeaderMap) -> ApiResult<Json<StudySummary>> {
    let token = bearer(&headers).ok_or_else(ApiError::unauthenticated)?;
    let (_, world) = state
        .sessions
        .session(token)
        .ok_or_else(ApiError::unauthenticated)?;
    let whole = world == FACILITATOR;
    if !whole && !world.starts_with("sb:") {
        return Err(not_facilitator());
    }
    let study = match world.strip_prefix("sb:") {
        Some(id) => participant(&state, id)
            .map_err(|_| ApiError::unauthenticated())?
            .study
            .clone(),
        None => loaded(&state)?,
    };
    Ok(Json(summary(&study, whole)))
}

#[utoipa::path(
    put,
    path = "/research/study",
    tag = "research",
    request_body(content = Object, description = "A study file (API.md \"Study file\")."),
    responses(
        (status = 200, body = StudySummary),
        (status = 400, body = wire::ErrorBody, description = "The study is refused; `field` names the bad entry."),
        (status = 403, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody, description = "`study_in_use`: participants exist."),
    ),
)]
pub async fn study_put(
    state: AppStateRef,
    _: Facilitator,
    body: Bytes,
) -> ApiResult<Json<StudySummary>> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid_body("The study file must be UTF-8 JSON."))?
        .to_owned();
    let state = state.0;
    let _turn = state.research.turn.lock().await;
    if !state.research.participants().is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "study_in_use",
            "The study has participants: delete them before loading another study.",
        ));
    }
    let loaded = blocking(move || {
        study::load(&text)
            .map_err(|e| ApiError::invalid(e.path.clone(), format!("{}: {}", e.path, e.message)))
    })
    .await?;
    let answer = summary(&loaded, true);
    let st = state.clone();
    blocking(move || st.research.replace_study(loaded)).await?;
    Ok(Json(answer))
}

#[utoipa::path(
    get,
    path = "/research/participants",
    tag = "research",
    responses(
        (status = 200, body = Vec<ParticipantRow>),
        (status = 403, body = wire::ErrorBody),
    ),
)]
pub async fn participants_list(
    state: AppStateRef,
    _: Facilitator,
) -> ApiResult<Json<Vec<ParticipantRow>>> {
    let state = state.0;
    blocking(move || {
        Ok(state
            .research
            .participants()
            .iter()
            .map(|p| row(&state, p))
            .collect())
    })
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/research/participants",
    tag = "research",
    request_body = ParticipantCreate,
    responses(
        (status = 201, body = ParticipantCreated),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody, description = "No study is loaded."),
    ),
)]
pub async fn participants_create(
    state: AppStateRef,
    _: Facilitator,
    ApiJson(body): ApiJson<ParticipantCreate>,
) -> ApiResult<Response> {
    let state = state.0;
    // The study read in the turn, so a study replaced meanwhile is not the one used.
    let _turn = state.research.turn.lock().await;
    let study = state.research.study().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "No study is loaded: load one first.",
        )
    })?;
    let st = state.clone();
    let label = body.label.trim().to_owned();
    let p = blocking(move || st.research.create(&study, label)).await?;
    let created = ParticipantCreated {
        id: p.id.clone(),
        label: p.progress().label.clone(),
        code: p.code.clone(),
        link: state.research.link(&p.code),
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(
    delete,
    path = "/research/participants/{id}",
    tag = "research",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "The participant, its sandbox, its log and its sessions are gone."),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn participant_delete(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
) -> ApiResult<StatusCode> {
    let state = state.0;
    let _turn = state.research.turn.lock().await;
    let p = participant(&state, &id)?;
    let st = state.clone();
    let gone = p.clone();
    blocking(move || st.research.delete(&gone)).await?;
    // Its sessions end now: calls answer 401 and its streams close.
    state.sessions.revoke_world(&p.space.key);
    state.live.sessions_ended();
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/research/participants/{id}/reset",
    tag = "research",
    params(("id" = String, Path)),
    request_body = ResetTo,
    responses(
        (status = 200, body = ParticipantRow, description = "The sandbox as at that task's start; the participant at that task, not started; its client gets `reset`."),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn participant_reset(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<ResetTo>,
) -> ApiResult<Json<ParticipantRow>> {
    let p = participant(&state, &id)?;
    let index = p
        .study
        .task_index(body.task_id.trim())
        .ok_or_else(|| ApiError::invalid("task_id", "There is no task with this id."))?;
    let _turn = p.turn.lock().await;
    p.enter(index, true).await?;
    let marked = p.clone();
    blocking(move || {
        marked.mark("reset", serde_json::json!({}));
        Ok(())
    })
    .await?;
    Ok(Json(row(&state, &p)))
}

#[utoipa::path(
    put,
    path = "/research/participants/{id}/knobs",
    tag = "research",
    params(("id" = String, Path)),
    request_body = SandboxKnobs,
    responses(
        (status = 200, body = ParticipantRow),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn participant_knobs(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<SandboxKnobs>,
) -> ApiResult<Json<ParticipantRow>> {
    let p = participant(&state, &id)?;
    p.update(|progress, _| {
        progress.latency_ms = body.latency_ms;
        progress.fail_rate = body.fail_rate;
        true
    })
    .await?;
    p.set_knobs(body.latency_ms, body.fail_rate);
    Ok(Json(row(&state, &p)))
}

#[utoipa::path(
    post,
    path = "/research/participants/{id}/advance",
    tag = "research",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ParticipantRow, description = "The participant skips to the next task (not started)."),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody, description = "Every task is done."),
    ),
)]
pub async fn participant_advance(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
) -> ApiResult<Json<ParticipantRow>> {
    let p = participant(&state, &id)?;
    let _turn = p.turn.lock().await;
    let index = p.progress().task_index;
    if index >= p.study.task_count() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "This participant has done every task.",
        ));
    }
    p.enter(index + 1, false).await?;
    Ok(Json(row(&state, &p)))
}

#[utoipa::path(
    post,
    path = "/research/participants/{id}/notes",
    tag = "research",
    params(("id" = String, Path)),
    request_body = NoteCreate,
    responses(
        (status = 201, body = Note),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn participant_note(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<NoteCreate>,
) -> ApiResult<Response> {
    let p = participant(&state, &id)?;
    let note = p.note(body.text.trim().to_owned());
    let kept = note.clone();
    p.update(move |progress, _| {
        progress.notes.push(kept);
        true
    })
    .await?;
    // The facilitator's own text (K6: notes are in the log; a participant's typed text never).
    let marked = p.clone();
    let text = note.text.clone();
    blocking(move || {
        marked.mark("note", serde_json::json!({ "text": text }));
        Ok(())
    })
    .await?;
    Ok((StatusCode::CREATED, Json(note)).into_response())
}
