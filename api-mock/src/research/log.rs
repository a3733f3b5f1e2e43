//! The interaction log of a sandbox (SPEC K6, API.md "Research studies"): append-only, in
//! server time, one JSON line per entry `{"at","kind","task_id",…}`. Calls are logged by the
//! knobs middleware (method, route template, status, time taken, latency injected); the client
//! sends the screens, dialogs and validation problems it showed (`POST /api/task/log`), as
//! names and codes only; task marks, answers, notes and resets are logged where they happen.
//! No typed text and no token ever reaches it: the client's entries are checked to be names
//! (letters, digits and `/{}_-.:`), never free text.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Map, Value};

use domain::Timestamp;

use super::{now_ms, Participant};

/// The kinds the client may send.
pub const CLIENT_KINDS: [&str; 4] = ["screen", "dialog_open", "dialog_close", "problem"];

/// The longest name, field or code the client may send.
pub const MAX_NAME: usize = 100;

/// Whether `text` is a name (a route template, a dialog's or field's name, an error code), not
/// free text: at most [`MAX_NAME`] characters among letters, digits and `/{}_-.:`.
pub fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= MAX_NAME
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/{}_-.:".contains(c))
}

/// An entry of `kind` with `fields`, stamped now, for the current task.
pub fn entry(kind: &str, task_id: Option<&str>, fields: Value) -> String {
    let mut object = Map::new();
    object.insert(
        "at".into(),
        Value::String(Timestamp::from_millis(now_ms()).to_rfc3339()),
    );
    object.insert("kind".into(), Value::String(kind.into()));
    object.insert(
        "task_id".into(),
        task_id.map_or(Value::Null, |t| Value::String(t.into())),
    );
    if let Value::Object(extra) = fields {
        object.extend(extra);
    }
    Value::Object(object).to_string()
}

impl Participant {
    /// The id of the task the participant is at, if any.
    pub fn current_task_id(&self) -> Option<String> {
        let index = self.progress().task_index;
        self.study.study.tasks.get(index).map(|t| t.id.clone())
    }

    /// Appends entries to the log (on the caller's thread; errors are logged, not answered:
    /// the log never refuses the participant's call).
    pub fn log(&self, entries: &[String]) {
        if entries.is_empty() {
            return;
        }
        if let Some(Err(e)) = self.durable.with(|db| match db.research() {
            Some(r) => r.append_log(&self.id, entries),
            None => Ok(()),
        }) {
            tracing::error!("cannot append to a participant's log: {e}");
        }
        if self.durable.with(|_| Ok(())).is_none() {
            let mut memory = self.memory_log();
            memory.extend(entries.iter().cloned());
        }
    }

    /// Appends one mark (`task_start`, `reset`…) for the current task.
    pub fn mark(&self, kind: &str, fields: Value) {
        let task = self.current_task_id();
        self.log(&[entry(kind, task.as_deref(), fields)]);
    }

    /// The whole log, in order.
    pub fn read_log(&self) -> Vec<String> {
        match self.durable.with(|db| match db.research() {
            Some(r) => r.log(&self.id),
            None => Ok(Vec::new()),
        }) {
            Some(Ok(lines)) => lines,
            Some(Err(e)) => {
                tracing::error!("cannot read a participant's log: {e}");
                Vec::new()
            }
            None => self.memory_log().clone(),
        }
    }
}

/// Copies the route template the router matched into the answer, for the knobs middleware
/// (outside the router) to log it: a `route_layer` on the API's resources.
pub async fn keep_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(m) = matched {
        response.extensions_mut().insert(m);
    }
    response
}

/// The route template a call matched (kept by [`keep_route`]).
pub fn route_of(response: &Response) -> String {
    response
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", |m| m.as_str())
        .to_owned()
}

/// Logs one call of a participant's (K6) and counts it if refused (API.md "Counting").
pub async fn log_call(
    participant: &Arc<Participant>,
    method: &str,
    (route, status): (String, axum::http::StatusCode),
    ms: u64,
    latency_ms: u64,
) {
    let task = participant.current_task_id();
    let line = entry(
        "call",
        task.as_deref(),
        json!({"method": method, "route": route, "status": status.as_u16(), "ms": ms,
               "latency_ms": latency_ms}),
    );
    let refused = status.is_client_error() && status != axum::http::StatusCode::UNAUTHORIZED;
    let p = participant.clone();
    let _ = tokio::task::spawn_blocking(move || {
        p.log(&[line]);
        let saved = {
            let mut progress = p.progress();
            let counted = progress.on_latency(latency_ms);
            let counted = (refused && progress.on_refused()) || counted;
            counted.then(|| progress.clone())
        };
        if let Some(saved) = saved {
            if let Err(e) = p.save(&saved) {
                tracing::error!("{}", e.message);
            }
        }
    })
    .await;
}
