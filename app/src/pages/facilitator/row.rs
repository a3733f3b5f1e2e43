//! One participant's row: progress (task, state, time, errors, outcomes, test mode) read from
//! the row's own signal, so a reload updates it in place and focus stays where it was; and
//! what the facilitator does to that participant (K2): next task, reset to a task, latency and
//! failures of their sandbox, notes, delete. Each control's accessible name includes the
//! participant's label; a refusal shows in the row.

use super::results::words::outcome_words;
use domain::research::wire::{ParticipantRow, SandboxKnobs, TaskState, TaskSummary};
use leptos::prelude::*;

use super::participants::{absolute_link, copy_link, Chosen};
use super::study::duration_words;
use super::use_facilitator;
use crate::api::{self, ApiError};
use crate::components::error_summary::ErrorNotice;
use crate::dom::dom_id;
use crate::format::format_time;
use crate::rows::Row;
use crate::state::on_answer;

/// What the facilitator asks for one participant.
#[derive(Clone, Debug, PartialEq)]
enum Command {
    Advance,
    Reset { task_id: String, title: String },
    Knobs(SandboxKnobs),
    Note(String),
}

fn state_words(state: TaskState) -> &'static str {
    match state {
        TaskState::NotStarted => "Not started",
        TaskState::Running => "Running",
        TaskState::Done => "Done",
    }
}

/// A number as JavaScript prints it (`0.25`), without Rust's float printing in the bundle.
fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Reads a number typed by the user; `None` unless it is a finite number.
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    // The browser's parseFloat (Rust's float parsing would grow the bundle), kept strict: only
    // a plain decimal number is read.
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    let n = js_sys::parse_float(text);
    (plain && n.is_finite()).then_some(n)
}

fn knobs_words(latency_ms: u64, fail_rate: f64) -> String {
    let mut parts = Vec::new();
    if latency_ms > 0 {
        parts.push(format!("{latency_ms} ms latency"));
    }
    if fail_rate > 0.0 {
        parts.push(format!("{}% failures", (fail_rate * 100.0).round() as u32));
    }
    if parts.is_empty() {
        "Off".to_string()
    } else {
        parts.join(", ")
    }
}

/// Reads the knobs form: latency 0 to 60,000 ms, failure rate 0 to 1.
fn knobs_from(latency: &str, rate: &str) -> Result<SandboxKnobs, &'static str> {
    let latency_ms = parse_number(latency)
        .filter(|n| (0.0..=60_000.0).contains(n) && n.fract() == 0.0)
        .ok_or("Enter a latency in whole milliseconds, from 0 to 60000")?;
    let fail_rate = parse_number(rate)
        .filter(|n| (0.0..=1.0).contains(n))
        .ok_or("Enter a failure rate from 0 to 1, for example 0.2")?;
    Ok(SandboxKnobs {
        latency_ms: latency_ms as u64,
        fail_rate,
    })
}

fn cell(heading: &'static str, content: impl IntoView + 'static) -> impl IntoView {
    view! {
        <td class="nhsuk-table__cell" role="cell">
            <span class="nhsuk-table__heading" aria-hidden="true">{format!("{heading} ")}</span>
            <span>{content}</span>
        </td>
    }
}

#[component]
pub fn ParticipantRowView(
    row: Row<ParticipantRow>,
    tasks: Signal<Vec<TaskSummary>>,
    /// When the list was read, and the clock now (ms): a running task's time counts on.
    read_at: Signal<f64>,
    now: RwSignal<f64>,
    on_changed: Callback<()>,
    on_delete: Callback<Chosen>,
) -> impl IntoView {
    let facilitator = use_facilitator();
    let p = row.value;
    let id = row.id.clone();
    let label = p.with_untracked(|p| p.label.clone());
    let base = dom_id("participant", &id);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let command_id = id.clone();
    let command = Action::new_local(move |c: &Command| {
        let token = facilitator.token();
        let id = command_id.clone();
        let c = c.clone();
        async move {
            let answer: Result<String, ApiError> =
                match c {
                    Command::Advance => api::research::advance_participant(&token, &id)
                        .await
                        .map(|()| "Moved on to the next task.".to_string()),
                    Command::Reset { task_id, title } => {
                        api::research::reset_participant(&token, &id, &task_id)
                            .await
                            .map(|()| format!("Reset to the start of “{title}”."))
                    }
                    Command::Knobs(knobs) => api::research::set_knobs(&token, &id, &knobs)
                        .await
                        .map(|()| {
                            format!(
                                "Test mode: {}.",
                                knobs_words(knobs.latency_ms, knobs.fail_rate)
                            )
                        }),
                    Command::Note(text) => api::research::add_note(&token, &id, &text)
                        .await
                        .map(|_| "Note added.".to_string()),
                };
            answer
        }
    });
    let note_text = RwSignal::new(String::new());
    on_answer(command, move |result| match result {
        Ok(words) => {
            done.set(Some(words.clone()));
            if command
                .input()
                .with_untracked(|c| matches!(c, Some(Command::Note(_))))
            {
                note_text.set(String::new());
            }
            on_changed.run(());
        }
        Err(e) => error.set(Some(facilitator.refused(e))),
    });
    let busy = command.pending();
    let run = move |c: Command| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        done.set(None);
        command.dispatch(c);
    };

    // Progress, read from the row's signal.
    let read = {
        let p = p.clone();
        move |f: fn(&ParticipantRow, &[TaskSummary]) -> String| {
            let p = p.clone();
            move || tasks.with(|t| p.with(|p| f(p, t)))
        }
    };
    let task = read(|p, tasks| match &p.task_id {
        None => "Finished".to_string(),
        Some(task_id) => {
            let title = tasks
                .iter()
                .find(|t| &t.id == task_id)
                .map_or(task_id.as_str(), |t| t.title.as_str());
            format!("{} of {}: {title}", p.task_index + 1, tasks.len())
        }
    });
    let state = read(|p, _| state_words(p.task_state).to_string());
    let errors = read(|p, _| p.errors.to_string());
    let outcomes = read(|p, tasks| {
        if p.outcomes.is_empty() {
            return "None yet".to_string();
        }
        p.outcomes
            .iter()
            .map(|o| {
                let title = tasks
                    .iter()
                    .find(|t| t.id == o.task_id)
                    .map_or(o.task_id.as_str(), |t| t.title.as_str());
                format!(
                    "{title}: {} ({})",
                    outcome_words(&o.outcome),
                    duration_words(o.time_s.max(0.0).round() as u64)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let knobs = read(|p, _| knobs_words(p.latency_ms, p.fail_rate));
    let time = {
        let p = p.clone();
        move || {
            let (elapsed, running) = p.with(|p| (p.elapsed_s, p.task_state == TaskState::Running));
            let extra = if running {
                ((now.get() - read_at.get()) / 1000.0).max(0.0)
            } else {
                0.0
            };
            duration_words((elapsed + extra).max(0.0).floor() as u64)
        }
    };
    let notes = {
        let p = p.clone();
        move || {
            p.with(|p| {
                p.notes
                    .iter()
                    .map(|n| {
                        view! {
                            <li>
                                <span class="app-muted">{format_time(&n.at)}</span>
                                " — "
                                {n.text.clone()}
                            </li>
                        }
                    })
                    .collect_view()
            })
        }
    };

    // The forms' fields, started from the row as it was first shown.
    let (latency_now, rate_now) = p.with_untracked(|p| (p.latency_ms, p.fail_rate));
    let latency = RwSignal::new(latency_now.to_string());
    let rate = RwSignal::new(number_text(rate_now));
    let reset_to = RwSignal::new(String::new());

    let reset_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = reset_to.get_untracked();
        let task = tasks.with_untracked(|t| {
            t.iter()
                .find(|t| t.id == chosen)
                .or_else(|| t.first())
                .map(|t| (t.id.clone(), t.title.clone()))
        });
        if let Some((task_id, title)) = task {
            run(Command::Reset { task_id, title });
        }
    };
    let knobs_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match knobs_from(&latency.get_untracked(), &rate.get_untracked()) {
            Ok(knobs) => run(Command::Knobs(knobs)),
            Err(words) => {
                done.set(None);
                error.set(Some(words.to_string()));
            }
        }
    };
    let note_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note_text.get_untracked().trim().to_string();
        if text.is_empty() {
            done.set(None);
            error.set(Some("Enter the note's text".to_string()));
            return;
        }
        run(Command::Note(text));
    };

    let for_label = format!(" for {label}");
    let hidden = move || {
        let words = for_label.clone();
        view! { <span class="nhsuk-u-visually-hidden">{words}</span> }
    };
    let delete_who = Chosen {
        id: id.clone(),
        label: label.clone(),
    };
    let link = p.with_untracked(|p| absolute_link(&p.link));
    let link_to_copy = link.clone();
    let ids = move |suffix: &str| format!("{base}-{suffix}");
    let (reset_id, latency_id, rate_id, note_id) =
        (ids("reset"), ids("latency"), ids("rate"), ids("note"));
    view! {
        <tr class="nhsuk-table__row" role="row" data-testid=format!("participant-{label}")>
            {cell("Participant", view! { <strong data-testid="participant-label-cell">{label.clone()}</strong> })}
            {cell("Task", view! { <span data-testid="participant-task">{task}</span> })}
            {cell("State", view! { <span data-testid="participant-state">{state}</span> })}
            {cell("Time", view! { <span data-testid="participant-time">{time}</span> })}
            {cell("Errors", view! { <span data-testid="participant-errors">{errors}</span> })}
            {cell("Outcomes", view! { <span data-testid="participant-outcomes">{outcomes}</span> })}
            {cell("Test mode", view! { <span data-testid="participant-knobs">{knobs}</span> })}
            <td class="nhsuk-table__cell app-actions app-participant-actions" role="cell">
                {move || error.get().map(|message| view! { <ErrorNotice message=message test_id="participant-action-error" /> })}
                <p class="nhsuk-body-s" role="status" data-testid="participant-action-done">{move || done.get()}</p>
                <div class="app-button-row">
                    <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-testid="participant-advance" disabled=move || busy.get() on:click=move |_| run(Command::Advance)>
                        "Next task" {hidden()}
                    </button>
                    <button type="button" class="nhsuk-button nhsuk-button--warning nhsuk-button--small" data-testid="participant-delete" on:click=move |_| on_delete.run(delete_who.clone())>
                        "Delete" {hidden()}
                    </button>
                </div>
                <details class="nhsuk-details">
                    <summary class="nhsuk-details__summary">
                        <span class="nhsuk-details__summary-text">"More actions" {hidden()}</span>
                    </summary>
                    <div class="nhsuk-details__text">
                        <form on:submit=reset_submit novalidate=true data-testid="participant-reset-form">
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for=reset_id.clone()>{format!("Reset {label} to the start of")}</label>
                                <select class="nhsuk-select" id=reset_id on:change=move |ev| reset_to.set(event_target_value(&ev)) data-testid="participant-reset-task">
                                    {move || tasks.get().into_iter().map(|t| view! { <option value=t.id.clone()>{t.title.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" disabled=move || busy.get() data-testid="participant-reset">
                                "Reset to task" {hidden()}
                            </button>
                        </form>
                        <form on:submit=knobs_submit novalidate=true data-testid="participant-knobs-form">
                            <fieldset class="nhsuk-fieldset">
                                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{format!("Test mode for {label}")}</legend>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for=latency_id.clone()>"Latency (milliseconds)" {hidden()}</label>
                                    <input class="nhsuk-input nhsuk-input--width-5" id=latency_id type="number" min="0" max="60000" step="1" inputmode="numeric" bind:value=latency data-testid="participant-latency" />
                                </div>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for=rate_id.clone()>"Failure rate (0 to 1)" {hidden()}</label>
                                    <input class="nhsuk-input nhsuk-input--width-5" id=rate_id type="number" min="0" max="1" step="0.05" inputmode="decimal" bind:value=rate data-testid="participant-fail-rate" />
                                </div>
                            </fieldset>
                            <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" disabled=move || busy.get() data-testid="participant-knobs-save">
                                "Save test mode" {hidden()}
                            </button>
                        </form>
                        <form on:submit=note_submit novalidate=true data-testid="participant-note-form">
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for=note_id.clone()>{format!("Note about {label}")}</label>
                                <textarea class="nhsuk-textarea" id=note_id rows="2" bind:value=note_text data-testid="participant-note"></textarea>
                            </div>
                            <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" disabled=move || busy.get() data-testid="participant-note-add">
                                "Add note" {hidden()}
                            </button>
                        </form>
                        <ul class="nhsuk-list app-notes" data-testid="participant-notes">{notes}</ul>
                        <p class="nhsuk-body-s app-link-text">{format!("Link: {link}")}</p>
                        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-testid="participant-copy-link" on:click=move |_| copy_link(link_to_copy.clone(), done)>
                            "Copy link" {hidden()}
                        </button>
                    </div>
                </details>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::{knobs_words, outcome_words, state_words};
    use domain::research::wire::TaskState;

    #[test]
    fn knobs_off_read_as_off() {
        assert_eq!(knobs_words(0, 0.0), "Off");
    }

    #[test]
    fn knobs_on_name_latency_and_a_whole_percentage() {
        assert_eq!(knobs_words(300, 0.25), "300 ms latency, 25% failures");
        assert_eq!(knobs_words(0, 0.1), "10% failures");
    }

    #[test]
    fn outcomes_and_states_read_as_words() {
        assert_eq!(outcome_words("indirect_success"), "Indirect success");
        assert_eq!(outcome_words("gave_up"), "Gave up");
        assert_eq!(state_words(TaskState::NotStarted), "Not started");
    }
}
