//! A study participant's task panel (SPEC K3–K5) and the client's part of their interaction log
//! (K6). The panel sits in the app shell above every page while the session is a participant's
//! (staff and persona sessions see nothing of it): the current task and its countdown, Start,
//! "I have finished" and "Give up", then the Single Ease Question, and after the last task the
//! SUS and a thank-you. It never covers the page the task needs: it is a region at the top of
//! the page, whose details collapse to one line.
//!
//! What the panel shows comes from `GET /api/task`, asked again after each of the panel's own
//! calls, when the countdown reaches 0 (the server records the timeout), and on a `reset` event
//! (the facilitator reset or moved the participant on, `reload::Reload::resets`).

pub mod clock;
pub mod log;
mod panel;
pub mod questions;
mod running;
pub mod screens;
pub mod sus;

use domain::research::wire::{Ask, TaskState, TaskView};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::use_session;

/// What the panel shows for a task view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// "Task N of M", the instruction, Start.
    NotStarted,
    /// The countdown, "I have finished", "Give up".
    Running,
    /// The Single Ease Question of the task just done.
    Seq,
    /// A task done with nothing asked: the facilitator moves the participant on.
    Waiting,
    /// The ten SUS items, after the last task.
    Sus,
    /// Every task done and every question answered.
    Thanks,
}

impl Stage {
    pub fn of(view: &TaskView) -> Stage {
        match (view.ask, view.task.is_some(), view.state) {
            (Some(Ask::Sus), _, _) => Stage::Sus,
            (Some(Ask::Seq), _, _) => Stage::Seq,
            (None, false, _) => Stage::Thanks,
            (None, true, TaskState::NotStarted) => Stage::NotStarted,
            (None, true, TaskState::Running) => Stage::Running,
            (None, true, TaskState::Done) => Stage::Waiting,
        }
    }

    /// For tests (`data-state`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::NotStarted => "not_started",
            Stage::Running => "running",
            Stage::Seq => "seq",
            Stage::Waiting => "waiting",
            Stage::Sus => "sus",
            Stage::Thanks => "thanks",
        }
    }
}

/// Whether the attempt just ended ran out of time: the server ends it at the limit, so its
/// length is the limit (K3).
pub fn timed_out(view: &TaskView) -> bool {
    view.state == TaskState::Done
        && view
            .task
            .as_ref()
            .is_some_and(|t| view.elapsed_s >= f64::from(t.time_limit_s))
}

/// Where a view stands: its task's position and stage.
pub type Place = (usize, Stage);

/// What the status region says when the panel moves from `before` to `now` (nothing on the
/// first view, nor when nothing changed): "Task started", "Time is up"…
pub fn announcement(before: Option<Place>, now: Place, view: &TaskView) -> Option<String> {
    let before = before?;
    if before == now {
        return None;
    }
    let (index, stage) = now;
    let words = match stage {
        Stage::Running => "Task started".to_string(),
        Stage::Seq if timed_out(view) => "Time is up. One question about the task".to_string(),
        Stage::Seq => "Task ended. One question about the task".to_string(),
        Stage::NotStarted => format!("Task {} of {}", index + 1, view.count),
        Stage::Waiting => "Task ended".to_string(),
        Stage::Sus => "Every task is done. Ten statements about the system".to_string(),
        Stage::Thanks => "Thank you, you have finished the study".to_string(),
    };
    Some(words)
}

/// The panel and the log recorder, for a participant's session only.
#[component]
pub fn TaskPanel() -> impl IntoView {
    let session = use_session();
    let participant = Memo::new(move |_| session.participant().is_some());
    view! {
        <Show when=move || participant.get()>
            <Recording />
            <panel::Panel />
        </Show>
    }
}

/// Turns the log on while it lives (a participant's session), records each screen visited by
/// its route template, and sends what waits when the page is hidden or goes away.
#[component]
fn Recording() -> impl IntoView {
    log::set_on(true);
    let location = use_location();
    // Tracked: the path, not the query (a folder or request chosen on Messages is no new
    // screen, and an id never goes in the log).
    Effect::new(move |_| {
        let path = location.pathname.get();
        log::record(log::screen(screens::template(&path)));
    });
    let hide = window_event_listener_untyped("pagehide", |_| log::flush());
    let hidden = window_event_listener_untyped("visibilitychange", |_| {
        if document().hidden() {
            log::flush();
        }
    });
    on_cleanup(move || {
        hide.remove();
        hidden.remove();
        log::set_on(false);
    });
}

/// Records the screen shown now (a task just started: its first screen is the one already
/// open, K7 lostness).
pub fn record_current_screen() {
    if let Ok(path) = window().location().pathname() {
        log::record(log::screen(screens::template(&path)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::research::wire::TaskBrief;

    fn view(state: TaskState, ask: Option<Ask>, task: bool, elapsed_s: f64) -> TaskView {
        TaskView {
            task: task.then(|| TaskBrief {
                id: "t".into(),
                title: "T".into(),
                instruction: "Do it".into(),
                time_limit_s: 300,
                persona: "u-a".into(),
            }),
            state,
            index: 0,
            count: 3,
            ask,
            elapsed_s,
        }
    }

    #[test]
    fn each_task_view_has_its_stage() {
        use TaskState::*;
        assert_eq!(
            Stage::of(&view(NotStarted, None, true, 0.0)),
            Stage::NotStarted
        );
        assert_eq!(Stage::of(&view(Running, None, true, 1.0)), Stage::Running);
        assert_eq!(
            Stage::of(&view(Done, Some(Ask::Seq), true, 9.0)),
            Stage::Seq
        );
        assert_eq!(Stage::of(&view(Done, None, true, 9.0)), Stage::Waiting);
        assert_eq!(
            Stage::of(&view(Done, Some(Ask::Sus), false, 0.0)),
            Stage::Sus
        );
        assert_eq!(Stage::of(&view(Done, None, false, 0.0)), Stage::Thanks);
    }

    #[test]
    fn an_attempt_as_long_as_its_limit_timed_out() {
        assert!(timed_out(&view(
            TaskState::Done,
            Some(Ask::Seq),
            true,
            300.0
        )));
        assert!(!timed_out(&view(
            TaskState::Done,
            Some(Ask::Seq),
            true,
            299.9
        )));
        assert!(!timed_out(&view(TaskState::Running, None, true, 300.0)));
    }

    #[test]
    fn a_change_of_stage_is_announced_and_the_first_view_is_not() {
        let running = view(TaskState::Running, None, true, 0.0);
        assert_eq!(announcement(None, (0, Stage::Running), &running), None);
        assert_eq!(
            announcement(Some((0, Stage::NotStarted)), (0, Stage::Running), &running).as_deref(),
            Some("Task started")
        );
        assert_eq!(
            announcement(Some((0, Stage::Running)), (0, Stage::Running), &running),
            None
        );
        let late = view(TaskState::Done, Some(Ask::Seq), true, 300.0);
        assert!(
            announcement(Some((0, Stage::Running)), (0, Stage::Seq), &late)
                .is_some_and(|w| w.starts_with("Time is up"))
        );
        let next = TaskView {
            index: 1,
            ..view(TaskState::NotStarted, None, true, 0.0)
        };
        assert_eq!(
            announcement(Some((0, Stage::Seq)), (1, Stage::NotStarted), &next).as_deref(),
            Some("Task 2 of 3")
        );
    }
}
