//! A study participant's own calls (API.md "Research studies", SPEC K3–K6): the current task,
//! Start, "I have finished", "Give up", the answers to the questions, and the client's part of
//! the interaction log. They carry the tab's token, which is the participant's (the task panel
//! shows only in a participant's session), so a 401 ends the session as any other call does.

use std::future::Future;

use domain::research::wire::{ClientLog, ClientLogEntry, TaskAnswers, TaskView};
use gloo_net::http::Method;
use wasm_bindgen::{JsCast, JsValue};

use super::session::token;
use super::{get, prepare, read, write, ApiError};

/// `GET /api/task`: where the participant stands. The server ends an attempt whose time ran
/// out before it answers, so asking again when the countdown reaches 0 records the timeout.
pub fn view() -> impl Future<Output = Result<TaskView, ApiError>> {
    get("/api/task")
}

/// What the participant does with the current task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Start,
    Finish,
    GiveUp,
}

/// `POST /api/task/start`, `/finish` or `/give-up`.
pub fn mark(mark: Mark) -> impl Future<Output = Result<TaskView, ApiError>> {
    let path = match mark {
        Mark::Start => "/api/task/start",
        Mark::Finish => "/api/task/finish",
        Mark::GiveUp => "/api/task/give-up",
    };
    read(prepare(Method::POST, path))
}

/// `POST /api/task/answers`: the SEQ of the task just done, or the ten SUS items.
pub fn answer(answers: &TaskAnswers) -> impl Future<Output = Result<TaskView, ApiError>> {
    write(Method::POST, "/api/task/answers", answers)
}

/// `POST /api/task/log` with `keepalive`, so a batch sent as the page goes away (`pagehide`)
/// still arrives; `navigator.sendBeacon` cannot carry the bearer token. Prepared now, with the
/// token of the moment; resolves to whether the server took it (204). Its answer ends no
/// session: a 401 here is left to the task panel's own calls to notice.
pub fn send_log(events: Vec<ClientLogEntry>) -> impl Future<Output = bool> + 'static {
    let sent = token().and_then(|token| {
        let body = serde_json::to_string(&ClientLog { events }).ok()?;
        let headers = js_sys::Object::new();
        set(&headers, "Authorization", &format!("Bearer {token}"));
        set(&headers, "Content-Type", "application/json");
        let init = js_sys::Object::new();
        set(&init, "method", "POST");
        set(&init, "body", &body);
        let _ = js_sys::Reflect::set(&init, &"headers".into(), &headers);
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
        let init: web_sys::RequestInit = init.unchecked_into();
        Some(web_sys::window()?.fetch_with_str_and_init("/api/task/log", &init))
    });
    async move {
        let Some(promise) = sent else {
            return false;
        };
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(response) => response
                .dyn_into::<web_sys::Response>()
                .is_ok_and(|r| r.ok()),
            Err(_) => false,
        }
    }
}

fn set(object: &js_sys::Object, key: &str, value: &str) {
    let _ = js_sys::Reflect::set(object, &key.into(), &value.into());
}
