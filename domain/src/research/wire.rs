//! The JSON bodies of API.md "Research studies", shared by the client's facilitator and
//! participant screens and the server, like `crate::wire` (request bodies refuse unknown
//! fields; answers accept them).

use serde::{Deserialize, Serialize};

use crate::wire::Persona;

/// `POST /api/research/session` body: the facilitator's key (K8: never in a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FacilitatorSignIn {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub key: String,
}

/// `POST /api/research/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacilitatorSession {
    pub token: String,
}

/// `POST /api/session` body of a participant's link (`/p/CODE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParticipantSignIn {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub participant_code: String,
}

/// What a participant's session says of the study it is in (`POST /api/session` and
/// `GET /api/me` answers, with a participant's token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantOf {
    /// The study's name.
    pub study: String,
    /// The personas this participant may switch between (K1).
    pub personas: Vec<Persona>,
}

/// A task as `GET /api/research/study` shows it: the success condition only to the
/// facilitator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskSummary {
    pub id: String,
    pub title: String,
    pub instruction: String,
    pub persona: String,
    pub time_limit_s: u32,
    pub fewest_changes: u32,
    pub fewest_screens: u32,
    /// The success condition (COND of API.md), for the facilitator only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub success: Option<crate::research::Condition>,
}

/// `GET /api/research/study` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudySummary {
    pub name: String,
    pub personas: Vec<Persona>,
    pub tasks: Vec<TaskSummary>,
    pub show_outcome: bool,
}

/// `POST /api/research/participants` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParticipantCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub label: String,
}

/// `POST /api/research/participants` answer: the link to give the participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantCreated {
    pub id: String,
    pub label: String,
    pub code: String,
    /// `/p/CODE`, after `--base-url` when one is given.
    pub link: String,
}

/// Where a participant stands in the current task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    NotStarted,
    Running,
    Done,
}

/// The question a participant is asked next (K5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    Seq,
    Sus,
}

/// One finished attempt of a participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeRow {
    pub task_id: String,
    /// `direct_success`, `indirect_success`, `failure`, `gave_up`, `timed_out`.
    pub outcome: String,
    pub time_s: f64,
}

/// A facilitator's note, stamped in server time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// RFC 3339 UTC.
    pub at: String,
    pub text: String,
}

/// An item of `GET /api/research/participants`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantRow {
    pub id: String,
    pub label: String,
    pub code: String,
    pub link: String,
    /// The current task; `null` once every task is done.
    pub task_id: Option<String>,
    /// The current task's position (from 0); the task count when every task is done.
    pub task_index: usize,
    pub task_state: TaskState,
    /// Seconds on the current task (running) or on the last finished one.
    pub elapsed_s: f64,
    /// Refused calls and validation problems of the current attempt.
    pub errors: u32,
    pub outcomes: Vec<OutcomeRow>,
    /// The sandbox's own knobs (0 when off).
    pub latency_ms: u64,
    pub fail_rate: f64,
    pub notes: Vec<Note>,
}

/// `POST /api/research/participants/{id}/reset` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetTo {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub task_id: String,
}

/// `PUT /api/research/participants/{id}/knobs` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SandboxKnobs {
    /// 0 to 60,000.
    #[cfg_attr(feature = "openapi", schema(maximum = 60000))]
    pub latency_ms: u64,
    /// 0 to 1.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.0, maximum = 1.0))]
    pub fail_rate: f64,
}

/// `POST /api/research/participants/{id}/notes` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, pattern = r"\S")
    )]
    pub text: String,
}

/// The current task as the participant sees it (no success condition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskBrief {
    pub id: String,
    pub title: String,
    pub instruction: String,
    pub time_limit_s: u32,
    /// The user id of the persona the task is done as: the client switches to it on Start.
    #[serde(default)]
    pub persona: String,
}

/// `GET /api/task` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    pub task: Option<TaskBrief>,
    pub state: TaskState,
    pub index: usize,
    pub count: usize,
    pub ask: Option<Ask>,
    /// Seconds on the current attempt, in server time: so far while it runs, its length once
    /// it has ended (0 before Start). The task panel counts down from it (K3).
    #[serde(default)]
    pub elapsed_s: f64,
}

/// `POST /api/task/answers` body: the SEQ of the task just done (1 to 7), or the ten SUS items
/// (each 1 to 5), never both (K5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sus: Option<Vec<u8>>,
}

/// A rate with its 95% adjusted-Wald interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateView {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// A geometric mean time with its 95% t interval on logarithms (`null` bounds below two
/// successes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeView {
    pub geo_mean: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The mean SUS score with its 95% t interval, clamped to 0–100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SusView {
    pub mean: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: usize,
}

/// One task's results (K7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskResultView {
    pub task_id: String,
    pub attempts: u32,
    pub direct: u32,
    pub indirect: u32,
    pub failed: u32,
    pub gave_up: u32,
    pub timed_out: u32,
    /// `null` without attempts.
    pub completion: Option<RateView>,
    /// `null` without a successful attempt.
    pub time_s: Option<TimeView>,
    pub errors_per_attempt: Option<f64>,
    pub lostness: Option<f64>,
    pub seq_mean: Option<f64>,
}

/// A participant's SUS score, if answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantResult {
    pub id: String,
    pub label: String,
    pub sus: Option<f64>,
}

/// `GET /api/research/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsView {
    pub tasks: Vec<TaskResultView>,
    pub sus: Option<SusView>,
    pub participants: Vec<ParticipantResult>,
}

/// One entry the client sends to `POST /api/task/log`: a screen, a dialog opened or closed,
/// or a validation problem shown, by name and code only (never typed text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientLogEntry {
    /// `screen`, `dialog_open`, `dialog_close` or `problem`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// `POST /api/task/log` body: at most 100 entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientLog {
    pub events: Vec<ClientLogEntry>,
}
