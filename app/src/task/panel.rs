//! The task panel itself: a region at the top of every page with the task's heading, its
//! countdown and a toggle for its details, and below them what the participant does next
//! (Start; "I have finished" or "Give up"; the questions; the thank-you). Changes are
//! announced in a polite status region; after the participant's own action, focus moves to
//! the panel's heading, since the button they pressed is gone.

use domain::research::wire::{TaskAnswers, TaskView};
use futures::future::Either;

use leptos::prelude::*;

use super::clock::{clock, remaining_s, spoken};
use super::questions::SeqForm;
use super::sus::SusForm;
use super::{announcement, record_current_screen, timed_out, Place, Stage};
use crate::api::task::{self as api, Mark};
use crate::api::ApiError;
use crate::components::action_error::ActionError;
use crate::components::error_summary::ErrorSummary;
use crate::focus::focus_soon;
use crate::reload::use_reload;
use crate::state::{on_answer, use_session};

use super::running::RunningActions;

const TITLE_ID: &str = "task-panel-title";
const BODY_ID: &str = "task-panel-body";

/// What the participant sends.
#[derive(Clone, Debug)]
pub(super) enum Call {
    Mark(Mark),
    Answer(TaskAnswers),
}

#[component]
pub fn Panel() -> impl IntoView {
    let reload = use_reload();
    // Bumped to ask the server again: after an action, at the end of the countdown, on Try again.
    let asked = RwSignal::new(0_u32);
    let task = LocalResource::new(move || {
        // Tracked: the facilitator reset or moved the participant on (a `reset` event).
        reload.resets();
        asked.track();
        let sent = api::view();
        async move { sent.await.map(|view| (view, js_sys::Date::now())) }
    });
    let current = Memo::new(move |_| task.get().and_then(Result::ok));
    let failed = Memo::new(move |_| task.get().and_then(Result::err));
    let place =
        Memo::new(move |_| current.with(|c| c.as_ref().map(|(v, _)| (v.index, Stage::of(v)))));

    // The clock, ticking each second while the panel lives.
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let remaining = Memo::new(move |_| {
        current.with(|c| match c {
            Some((view, at)) if Stage::of(view) == Stage::Running => view
                .task
                .as_ref()
                .map(|t| remaining_s(t.time_limit_s, view.elapsed_s, now.get() - at)),
            _ => None,
        })
    });
    // At 0, ask the server, which records the timeout (K3); once per answer of the server.
    let asked_at_zero = StoredValue::new(0.0_f64);
    Effect::new(move |_| {
        if remaining.get() == Some(0) {
            let at = current.with_untracked(|c| c.as_ref().map_or(0.0, |(_, at)| *at));
            if asked_at_zero.get_value() != at {
                asked_at_zero.set_value(at);
                asked.update(|n| *n += 1);
            }
        }
    });

    let session = use_session();
    let call = Action::new_local(move |call: &Call| {
        // Start switches first to the persona the task is done as (the instruction names it),
        // within the study, when the tab is someone else (K1: a task's persona).
        let switch_to = matches!(call, Call::Mark(Mark::Start))
            .then(|| {
                current.with_untracked(|c| {
                    c.as_ref()
                        .and_then(|(v, _)| v.task.as_ref())
                        .map(|t| t.persona.clone())
                })
            })
            .flatten()
            .filter(|p| !p.is_empty() && *p != session.user_id_untracked());
        let send = match call {
            Call::Mark(mark) => Either::Left(*mark),
            Call::Answer(answers) => Either::Right(answers.clone()),
        };
        async move {
            if let Some(persona) = switch_to {
                let switched = crate::api::sign_in(&persona).await?;
                // The session is the app's (its root owns it), never disposed with the panel.
                session.switch_within_study(switched);
            }
            match send {
                Either::Left(mark) => api::mark(mark).await,
                Either::Right(answers) => api::answer(&answers).await,
            }
        }
    });
    let busy = call.pending();
    let action_error = RwSignal::new(None::<String>);
    let focus_heading = StoredValue::new(false);
    on_answer(
        call,
        move |result: &Result<TaskView, ApiError>| match result {
            Ok(view) => {
                if Stage::of(view) == Stage::Running {
                    record_current_screen();
                }
                focus_heading.set_value(true);
                asked.update(|n| *n += 1);
            }
            Err(e) => {
                action_error.set(Some(e.user_message()));
                // Someone else moved the study on (the facilitator): show where it is now.
                if e.is_conflict() {
                    asked.update(|n| *n += 1);
                }
            }
        },
    );
    let send = Callback::new(move |c: Call| {
        if !busy.get_untracked() {
            action_error.set(None);
            call.dispatch(c);
        }
    });

    // Each move to a new task or stage is announced, and after the participant's own action
    // focus goes to the heading of what replaced the button they pressed.
    let status = RwSignal::new(String::new());
    Effect::new(move |before: Option<Option<Place>>| {
        let now = place.get();
        if let Some(now) = now {
            let words = current.with_untracked(|c| {
                c.as_ref()
                    .and_then(|(view, _)| announcement(before.flatten(), now, view))
            });
            if let Some(words) = words {
                status.set(words);
                if focus_heading.get_value() {
                    focus_soon(TITLE_ID);
                }
            }
            focus_heading.set_value(false);
        }
        now.or(before.flatten())
    });

    let expanded = RwSignal::new(true);
    let content = move || {
        if let Some(error) = failed.get() {
            return view! {
                <h2 class="app-task-panel__title" id=TITLE_ID tabindex="-1">"Your task"</h2>
                <ErrorSummary
                    title="Your task could not be loaded"
                    message=error.user_message()
                    test_id="task-panel-error"
                    subheading=true
                    on_retry=Callback::new(move |()| asked.update(|n| *n += 1))
                />
            }
            .into_any();
        }
        let Some((_, stage)) = place.get() else {
            return view! {
                <h2 class="app-task-panel__title" id=TITLE_ID tabindex="-1">"Your task"</h2>
                <p class="app-loading">"Loading your task…"</p>
            }
            .into_any();
        };
        let Some((view, _)) = current.get_untracked() else {
            return ().into_any();
        };
        staged(
            stage,
            view,
            Parts {
                expanded,
                remaining,
                busy,
                send,
                action_error,
            },
        )
    };

    view! {
        <section
            class="app-task-panel"
            aria-labelledby=TITLE_ID
            data-testid="task-panel"
            data-state=move || place.get().map(|(_, s)| s.as_str())
        >
            <div class="nhsuk-u-visually-hidden" role="status" aria-live="polite" data-testid="task-panel-status">
                {move || status.get()}
            </div>
            {content}
        </section>
    }
}

/// What a stage's view reads and calls.
#[derive(Clone, Copy)]
struct Parts {
    expanded: RwSignal<bool>,
    remaining: Memo<Option<u32>>,
    busy: Memo<bool>,
    send: Callback<Call>,
    action_error: RwSignal<Option<String>>,
}

/// The panel for one stage of one task.
fn staged(stage: Stage, view: TaskView, parts: Parts) -> AnyView {
    let Parts {
        expanded,
        remaining,
        busy,
        send,
        action_error,
    } = parts;
    let title = match (&view.task, stage) {
        (_, Stage::Thanks) => "Thank you, you have finished the study".to_string(),
        (_, Stage::Sus) => "Questions about the system".to_string(),
        (Some(task), _) => format!("Task {} of {}: {}", view.index + 1, view.count, task.title),
        (None, _) => "Your task".to_string(),
    };
    if stage == Stage::Thanks {
        return view! {
            <h2 class="app-task-panel__title" id=TITLE_ID tabindex="-1">{title}</h2>
            <div class="app-task-panel__body" data-testid="study-thank-you">
                <p class="nhsuk-body">"Your answers have been saved. Thank you for taking part."</p>
                <p class="nhsuk-body">"Tell the facilitator you have finished. You can close this tab now."</p>
            </div>
        }
        .into_any();
    }
    let instruction = view
        .task
        .as_ref()
        .map(|t| t.instruction.clone())
        .unwrap_or_default();
    let limit = view.task.as_ref().map_or(0, |t| t.time_limit_s);
    let late = timed_out(&view);
    let busy_signal: Signal<bool> = busy.into();
    let details = match stage {
        Stage::NotStarted => view! {
            <p class="nhsuk-body app-task-panel__instruction" data-testid="task-instruction">{instruction}</p>
            <p class="nhsuk-body-s">
                {format!("You have {} for this task. The time starts when you choose Start task.", spoken(limit))}
            </p>
            <button
                type="button"
                class="nhsuk-button app-task-panel__button"
                aria-busy=move || busy.get().then_some("true")
                data-testid="task-start"
                on:click=move |_| send.run(Call::Mark(Mark::Start))
            >
                "Start task"
            </button>
        }
        .into_any(),
        Stage::Running => view! {
            <p class="nhsuk-body app-task-panel__instruction" data-testid="task-instruction">{instruction}</p>
            <RunningActions busy=busy_signal send=send />
        }
        .into_any(),
        Stage::Seq => view! {
            {late.then(|| view! {
                <p class="nhsuk-body app-task-panel__time-up" data-testid="task-time-up"><strong>"Time is up."</strong></p>
            })}
            <SeqForm busy=busy_signal on_answer=Callback::new(move |seq| send.run(Call::Answer(TaskAnswers { seq: Some(seq), sus: None }))) />
        }
        .into_any(),
        Stage::Sus => view! {
            <SusForm busy=busy_signal on_answer=Callback::new(move |sus| send.run(Call::Answer(TaskAnswers { seq: None, sus: Some(sus) }))) />
        }
        .into_any(),
        Stage::Waiting | Stage::Thanks => view! {
            <p class="nhsuk-body" data-testid="task-waiting">"This task has ended. The facilitator will move you on to the next one."</p>
        }
        .into_any(),
    };
    view! {
        <div class="app-task-panel__bar">
            <h2 class="app-task-panel__title" id=TITLE_ID tabindex="-1">{title}</h2>
            {move || remaining.get().map(|left| view! {
                <p class="app-task-panel__time" data-testid="task-time">
                    "Time left "
                    <strong aria-hidden="true">{clock(left)}</strong>
                    <span class="nhsuk-u-visually-hidden">{spoken(left)}</span>
                </p>
            })}
            <button
                type="button"
                class="app-task-panel__toggle"
                aria-expanded=move || if expanded.get() { "true" } else { "false" }
                aria-controls=BODY_ID
                data-testid="task-panel-toggle"
                on:click=move |_| expanded.update(|e| *e = !*e)
            >
                <span class="app-task-panel__chevron" aria-hidden="true"></span>
                "Task details"
            </button>
        </div>
        <div class="app-task-panel__body" id=BODY_ID hidden=move || !expanded.get()>
            <ActionError text=action_error title="That did not work" test_id="task-action-error" subheading=true />
            {details}
        </div>
    }
    .into_any()
}
