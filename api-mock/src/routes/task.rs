//! The participant's task calls (API.md "Research studies", SPEC K3–K6): the current task,
//! Start, "I have finished", "Give up", the SEQ and SUS answers, and the screens, dialogs and
//! problems the client saw (`POST /api/task/log`). Each needs a participant's session (403
//! otherwise) and acts on its own sandbox's progress.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::research::stats::Ending;
use domain::research::wire::{Ask, ClientLog, TaskAnswers, TaskView};
use domain::research::Outcome;
use domain::wire;

use super::ApiRouter;
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Validate};
use crate::research::log::{entry, is_name, CLIENT_KINDS};
use crate::research::{now_ms, Participant};
use crate::state::AppState;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(task_get))
        .routes(routes!(task_start))
        .routes(routes!(task_finish))
        .routes(routes!(task_give_up))
        .routes(routes!(task_answers))
        .routes(routes!(task_log))
}

/// A participant's session, in its sandbox: 403 for any other session.
pub struct InStudy(pub Arc<Participant>);

impl FromRequestParts<Arc<AppState>> for InStudy {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let signed = SignedIn::from_request_parts(parts, state).await?;
        signed
            .space
            .key
            .strip_prefix("sb:")
            .and_then(|id| state.research.participant(id))
            .map(InStudy)
            .ok_or_else(|| ApiError::forbidden("This is a study participant's call."))
    }
}

/// The participant's task view, after ending an attempt whose time ran out.
async fn task_view(p: &Arc<Participant>) -> ApiResult<Json<TaskView>> {
    let study = p.study.clone();
    if p.update(|progress, store| progress.tick(&study, store, now_ms()))
        .await?
    {
        mark_end(p);
    }
    Ok(Json(p.progress().task_view(&p.study, now_ms())))
}

/// Logs how the attempt just recorded ended (K6).
pub fn mark_end(p: &Participant) {
    let last = p.progress().attempts.last().map(|a| a.outcome);
    let kind = match last {
        Some(Outcome::TimedOut) => "task_timeout",
        Some(Outcome::GaveUp) => "task_give_up",
        Some(_) => "task_finish",
        None => return,
    };
    let outcome = last.map(crate::research::progress::outcome_name);
    p.mark(kind, json!({ "outcome": outcome }));
}

#[utoipa::path(
    get,
    path = "/task",
    tag = "research",
    responses(
        (status = 200, body = TaskView),
        (status = 403, body = wire::ErrorBody, description = "Not a participant's session."),
    ),
)]
pub async fn task_get(InStudy(p): InStudy) -> ApiResult<Json<TaskView>> {
    task_view(&p).await
}

#[utoipa::path(
    post,
    path = "/task/start",
    tag = "research",
    responses(
        (status = 200, body = TaskView),
        (status = 403, body = wire::ErrorBody),
    ),
)]
pub async fn task_start(InStudy(p): InStudy) -> ApiResult<Json<TaskView>> {
    let study = p.study.clone();
    if p.update(|progress, _| progress.start(&study, now_ms()))
        .await?
    {
        p.mark("task_start", json!({}));
    }
    task_view(&p).await
}

#[utoipa::path(
    post,
    path = "/task/finish",
    tag = "research",
    responses(
        (status = 200, body = TaskView),
        (status = 403, body = wire::ErrorBody),
    ),
)]
pub async fn task_finish(InStudy(p): InStudy) -> ApiResult<Json<TaskView>> {
    end(&p, Ending::Finished).await
}

#[utoipa::path(
    post,
    path = "/task/give-up",
    tag = "research",
    responses(
        (status = 200, body = TaskView),
        (status = 403, body = wire::ErrorBody),
    ),
)]
pub async fn task_give_up(InStudy(p): InStudy) -> ApiResult<Json<TaskView>> {
    end(&p, Ending::GaveUp).await
}

async fn end(p: &Arc<Participant>, ending: Ending) -> ApiResult<Json<TaskView>> {
    let study = p.study.clone();
    let now = now_ms();
    if p.update(|progress, store| {
        progress.tick(&study, store, now) || progress.end(&study, store, ending, now)
    })
    .await?
    {
        mark_end(p);
    }
    task_view(p).await
}

impl Validate for TaskAnswers {
    fn validate(&self) -> ApiResult<()> {
        match (&self.seq, &self.sus) {
            (Some(seq), None) if (1..=7).contains(seq) => Ok(()),
            (Some(_), None) => Err(ApiError::invalid("seq", "seq must be from 1 to 7.")),
            (None, Some(sus)) if sus.len() == 10 && sus.iter().all(|a| (1..=5).contains(a)) => {
                Ok(())
            }
            (None, Some(_)) => Err(ApiError::invalid(
                "sus",
                "sus must be ten answers, each from 1 to 5.",
            )),
            _ => Err(ApiError::invalid_body("Give either seq or sus.")),
        }
    }
}

#[utoipa::path(
    post,
    path = "/task/answers",
    tag = "research",
    request_body = TaskAnswers,
    responses(
        (status = 200, body = TaskView),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody, description = "That question is not being asked."),
    ),
)]
pub async fn task_answers(
    InStudy(p): InStudy,
    ApiJson(body): ApiJson<TaskAnswers>,
) -> ApiResult<Json<TaskView>> {
    // One move between tasks at a time (a double click, the facilitator's advance).
    let _turn = p.turn.lock().await;
    let (asked, index) = {
        let progress = p.progress();
        (progress.ask, progress.task_index)
    };
    let count = p.study.task_count();
    let not_asked = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "That question is not being asked now.",
        )
    };
    match (asked, body.seq, body.sus) {
        (Some(Ask::Seq), Some(seq), None) if index < count => {
            let task_id = p.study.study.tasks[index].id.clone();
            // Checked and taken in one step: a second answer finds nothing asked.
            let taken = p
                .update(|progress, _| {
                    if progress.ask != Some(Ask::Seq) || progress.task_index != index {
                        return false;
                    }
                    progress.ask = None;
                    if let Some(a) = progress
                        .attempts
                        .iter_mut()
                        .rev()
                        .find(|a| a.task_id == task_id)
                    {
                        a.seq = Some(seq);
                    }
                    progress.seq.push((task_id, seq));
                    true
                })
                .await?;
            if !taken {
                return Err(not_asked());
            }
            p.mark("answer", json!({"question": "seq", "value": seq}));
            // The next task (its setup added), or the SUS after the last one.
            p.enter(index + 1, false).await?;
            if index + 1 >= count {
                p.update(|progress, _| {
                    progress.ask = Some(Ask::Sus);
                    true
                })
                .await?;
            }
        }
        (Some(Ask::Sus), None, Some(sus)) => {
            let taken = p
                .update(|progress, _| {
                    if progress.ask != Some(Ask::Sus) {
                        return false;
                    }
                    progress.sus = Some(sus.clone());
                    progress.ask = None;
                    true
                })
                .await?;
            if !taken {
                return Err(not_asked());
            }
            p.mark("answer", json!({"question": "sus", "values": sus}));
        }
        _ => return Err(not_asked()),
    }
    task_view(&p).await
}

impl Validate for ClientLog {
    fn validate(&self) -> ApiResult<()> {
        if self.events.len() > 100 {
            return Err(ApiError::invalid("events", "At most 100 events per call."));
        }
        for (i, e) in self.events.iter().enumerate() {
            let at = |f: &str| format!("events[{i}].{f}");
            if !CLIENT_KINDS.contains(&e.kind.as_str()) {
                return Err(ApiError::invalid(
                    at("kind"),
                    "kind must be screen, dialog_open, dialog_close or problem.",
                ));
            }
            // Names and codes only, never typed text (K6).
            let named = |f: &str, v: &Option<String>| match v {
                Some(v) if is_name(v) => Ok(()),
                _ => Err(ApiError::invalid(
                    at(f),
                    format!("{f} must be a name: letters, digits and /{{}}_-.: only, at most 100."),
                )),
            };
            if e.kind == "problem" {
                named("field", &e.field)?;
                named("code", &e.code)?;
            } else {
                named("name", &e.name)?;
            }
        }
        Ok(())
    }
}

#[utoipa::path(
    post,
    path = "/task/log",
    tag = "research",
    request_body = ClientLog,
    responses(
        (status = 204, description = "Logged (screens, dialogs and problems; names and codes only)."),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
    ),
)]
pub async fn task_log(
    InStudy(p): InStudy,
    ApiJson(body): ApiJson<ClientLog>,
) -> ApiResult<StatusCode> {
    let task = p.current_task_id();
    let lines: Vec<String> = body
        .events
        .iter()
        .map(|e| {
            let fields = if e.kind == "problem" {
                json!({"field": e.field, "code": e.code})
            } else {
                json!({"name": e.name})
            };
            entry(&e.kind, task.as_deref(), fields)
        })
        .collect();
    let this = p.clone();
    tokio::task::spawn_blocking(move || this.log(&lines))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    p.update(move |progress, _| {
        let mut changed = false;
        for e in &body.events {
            changed |= match e.kind.as_str() {
                "screen" => progress.on_screen(e.name.as_deref().unwrap_or("")),
                "problem" => progress.on_problem(),
                _ => false,
            };
        }
        changed
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
