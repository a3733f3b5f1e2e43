//! The facilitator's calls (API.md "Research studies"). They carry the facilitator's token,
//! passed in by the facilitator page, never the persona session's: the two are kept apart, and
//! a 401 here ends only the facilitator's sign-in (the page decides), not the tab's session.

use std::future::Future;

use domain::research::wire::{
    FacilitatorSession, FacilitatorSignIn, Note, NoteCreate, ParticipantCreate, ParticipantCreated,
    ParticipantRow, ParticipantSignIn, ResetTo, SandboxKnobs, StudySummary, TaskSummary,
};
use domain::wire::{EventTicket, Session};
use gloo_net::http::{Method, QueryParams, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{error_from, json, segment, ApiError};

pub(super) fn prepare(method: Method, path: &str, token: &str) -> RequestBuilder {
    RequestBuilder::new(path)
        .method(method)
        .header("Authorization", &format!("Bearer {token}"))
}

/// Sends a prepared request; a refusal becomes the `ApiError` the page shows.
pub(super) async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Malformed)?;
    let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_from(response).await)
    }
}

fn read<T: DeserializeOwned>(builder: RequestBuilder) -> impl Future<Output = Result<T, ApiError>> {
    let sent = send(builder.build());
    async move { json(sent.await?).await }
}

fn write<B: Serialize + ?Sized, T: DeserializeOwned>(
    method: Method,
    path: &str,
    token: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> {
    let sent = send(prepare(method, path, token).json(body));
    async move { json(sent.await?).await }
}

/// A call whose answer has no body worth reading (204, or a 200 the page reloads after).
fn done(request: Result<Request, gloo_net::Error>) -> impl Future<Output = Result<(), ApiError>> {
    let sent = send(request);
    async move { sent.await.map(drop) }
}

pub(super) fn participant_path(id: &str, verb: Option<&str>) -> String {
    match verb {
        Some(verb) => format!("/api/research/participants/{}/{verb}", segment(id)),
        None => format!("/api/research/participants/{}", segment(id)),
    }
}

/// `POST /api/research/session`: the key for a facilitator token (K8: never in a URL).
pub fn facilitator_sign_in(
    key: &str,
) -> impl Future<Output = Result<FacilitatorSession, ApiError>> {
    let body = FacilitatorSignIn {
        key: key.to_string(),
    };
    let sent = send(
        RequestBuilder::new("/api/research/session")
            .method(Method::POST)
            .json(&body),
    );
    async move { json(sent.await?).await }
}

/// `POST /api/session` with a participant's code (the `/p/CODE` link): a session in the
/// participant's sandbox, as its current task's persona. Sent without the tab's token, and its
/// 401 (a wrong or deleted code) is the link page's to show: it ends no session of the tab.
pub fn participant_sign_in(code: &str) -> impl Future<Output = Result<Session, ApiError>> {
    let body = ParticipantSignIn {
        participant_code: code.to_string(),
    };
    let sent = send(
        RequestBuilder::new("/api/session")
            .method(Method::POST)
            .json(&body),
    );
    async move { json(sent.await?).await }
}

/// `GET /api/research/study` as the page reads it: every field of `StudySummary` but the
/// tasks' success conditions, which the page does not show. Reading them would bring the
/// deserializer of every condition into the bundle (the first-visit budget counts every byte);
/// serde skips the field instead.
#[derive(serde::Deserialize)]
struct StudyRead {
    name: String,
    personas: Vec<domain::wire::Persona>,
    tasks: Vec<TaskRead>,
    #[serde(default)]
    show_outcome: bool,
}

#[derive(serde::Deserialize)]
struct TaskRead {
    id: String,
    title: String,
    instruction: String,
    persona: String,
    time_limit_s: u32,
    fewest_changes: u32,
    fewest_screens: u32,
}

impl From<StudyRead> for StudySummary {
    fn from(s: StudyRead) -> Self {
        let tasks = s
            .tasks
            .into_iter()
            .map(|t| TaskSummary {
                id: t.id,
                title: t.title,
                instruction: t.instruction,
                persona: t.persona,
                time_limit_s: t.time_limit_s,
                fewest_changes: t.fewest_changes,
                fewest_screens: t.fewest_screens,
                success: None,
            })
            .collect();
        StudySummary {
            name: s.name,
            personas: s.personas,
            tasks,
            show_outcome: s.show_outcome,
        }
    }
}

/// `GET /api/research/study`: the study loaded, `None` when there is none (404).
pub fn study(token: &str) -> impl Future<Output = Result<Option<StudySummary>, ApiError>> {
    let sent = read::<StudyRead>(prepare(Method::GET, "/api/research/study", token));
    async move {
        match sent.await {
            Ok(study) => Ok(Some(study.into())),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// `PUT /api/research/study` with a study file's text as it is: the server names what is wrong
/// with it (400), so the client does not parse it first.
pub fn load_study(token: &str, file: &str) -> impl Future<Output = Result<(), ApiError>> {
    let builder = prepare(Method::PUT, "/api/research/study", token)
        .header("Content-Type", "application/json");
    done(builder.body(file.to_string()))
}

/// `GET /api/research/participants`.
pub fn participants(token: &str) -> impl Future<Output = Result<Vec<ParticipantRow>, ApiError>> {
    read(prepare(Method::GET, "/api/research/participants", token))
}

/// `POST /api/research/participants`: a participant and the link to give them.
pub fn create_participant(
    token: &str,
    label: &str,
) -> impl Future<Output = Result<ParticipantCreated, ApiError>> {
    let body = ParticipantCreate {
        label: label.to_string(),
    };
    write(Method::POST, "/api/research/participants", token, &body)
}

/// `DELETE /api/research/participants/{id}`: the participant, their sandbox and log.
pub fn delete_participant(token: &str, id: &str) -> impl Future<Output = Result<(), ApiError>> {
    done(prepare(Method::DELETE, &participant_path(id, None), token).build())
}

/// `POST /api/research/participants/{id}/reset`: back to the start of a task.
pub fn reset_participant(
    token: &str,
    id: &str,
    task_id: &str,
) -> impl Future<Output = Result<(), ApiError>> {
    let body = ResetTo {
        task_id: task_id.to_string(),
    };
    done(prepare(Method::POST, &participant_path(id, Some("reset")), token).json(&body))
}

/// `POST /api/research/participants/{id}/advance`: on to the next task.
pub fn advance_participant(token: &str, id: &str) -> impl Future<Output = Result<(), ApiError>> {
    done(prepare(Method::POST, &participant_path(id, Some("advance")), token).build())
}

/// `PUT /api/research/participants/{id}/knobs`: latency and failures of one sandbox.
pub fn set_knobs(
    token: &str,
    id: &str,
    knobs: &SandboxKnobs,
) -> impl Future<Output = Result<(), ApiError>> {
    done(prepare(Method::PUT, &participant_path(id, Some("knobs")), token).json(knobs))
}

/// `POST /api/research/participants/{id}/notes`.
pub fn add_note(token: &str, id: &str, text: &str) -> impl Future<Output = Result<Note, ApiError>> {
    let body = NoteCreate {
        text: text.to_string(),
    };
    write(
        Method::POST,
        &participant_path(id, Some("notes")),
        token,
        &body,
    )
}

/// `POST /api/events/ticket` with the facilitator's token, for the progress stream.
pub fn events_ticket(token: &str) -> impl Future<Output = Result<EventTicket, ApiError>> {
    read(prepare(Method::POST, "/api/events/ticket", token))
}

/// The address of the facilitator's progress stream for a ticket.
pub fn events_url(ticket: &str) -> String {
    let query = QueryParams::new();
    query.append("ticket", ticket);
    format!("/api/research/events?{query}")
}
