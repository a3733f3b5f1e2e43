//! The study's results on the facilitator's page (SPEC K7, API.md "Research studies"): by
//! task (outcomes, completion rate, time, errors, lostness, SEQ) as a table and a chart, the
//! mean SUS, each participant's attempts as a table and a chart of their times, each
//! participant's SUS score and log, and the exports.
//!
//! The figures are the server's (`GET /api/research/results`, the domain's statistics); the
//! attempts come from the participants list (each row's outcomes). Both are read again when a
//! participant's row changes (the progress stream bumps `progress`), at most once every
//! two seconds, and with "Refresh results".

mod charts;
mod exports;
mod geometry;
mod tables;
pub(super) mod words;

use domain::research::wire::{ParticipantRow, ResultsView, TaskSummary};
use leptos::prelude::*;

use super::use_facilitator;
use crate::api::{self, ApiError};
use crate::components::loaded::Loaded;
use charts::{CompletionChart, RateBar, TimeChart, TimedAttempt};
use exports::{DownloadButton, Export};
use tables::{AttemptLine, AttemptsTable, ParticipantsTable, SusSummary, TaskLine, TasksTable};
use words::is_success;

/// The least time between two reads the progress stream causes (ms).
const THROTTLE_MS: f64 = 2000.0;

/// What the section shows: the results and every participant's list of attempts.
#[derive(Clone, Debug, PartialEq)]
struct Results {
    view: ResultsView,
    participants: Vec<ParticipantRow>,
}

impl Results {
    fn attempts(&self) -> usize {
        self.participants.iter().map(|p| p.outcomes.len()).sum()
    }
}

/// Reads the results and the participants together: one state for both, never one newer;
/// participants in the order of their labels.
fn read(token: &str) -> impl std::future::Future<Output = Result<Results, ApiError>> {
    let results = api::results::results(token);
    let participants = api::research::participants(token);
    async move {
        let (view, participants) = futures::future::join(results, participants).await;
        let (mut view, mut participants) = (view?, participants?);
        // The server lists participants by id; people look them up by label.
        view.participants.sort_by(|a, b| a.label.cmp(&b.label));
        participants.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(Results { view, participants })
    }
}

/// The title of a task by id, else the id.
fn title_of(tasks: &[TaskSummary], id: &str) -> String {
    tasks
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_string(), |t| t.title.clone())
}

#[component]
pub fn ResultsSection(
    tasks: Signal<Vec<TaskSummary>>,
    /// The study's name, for the files' names.
    study: Signal<String>,
    /// Bumped whenever a participant's row changes.
    progress: Signal<u32>,
) -> impl IntoView {
    let facilitator = use_facilitator();
    // What the resource follows: bumped by "Refresh results" and, throttled, by progress.
    let version = RwSignal::new(0_u32);
    let last_read = StoredValue::new(0.0_f64);
    let results = LocalResource::new(move || {
        version.track();
        last_read.set_value(js_sys::Date::now());
        let call = read(&facilitator.token());
        async move {
            let answer = call.await;
            if let Err(e) = &answer {
                if e.status() == Some(401) {
                    facilitator.refused(e);
                }
            }
            answer
        }
    });
    let bump = move || {
        version.try_update(|v| *v = v.wrapping_add(1));
    };
    // A change right after a read waits for the rest of the two seconds; changes meanwhile
    // join that one read. The timer is cleared with the section.
    let waiting = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |seen: Option<()>| {
        progress.track();
        if seen.is_none() || waiting.with_value(Option::is_some) {
            return;
        }
        let wait = last_read.get_value() + THROTTLE_MS - js_sys::Date::now();
        if wait <= 0.0 {
            bump();
            return;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let delay = std::time::Duration::from_millis(wait.ceil() as u64);
        if let Ok(handle) = set_timeout_with_handle(
            move || {
                waiting.set_value(None);
                bump();
            },
            delay,
        ) {
            waiting.set_value(Some(handle));
        }
    });
    on_cleanup(move || {
        if let Some(handle) = waiting.try_with_value(|w| *w).flatten() {
            handle.clear();
        }
    });

    let data =
        Memo::new(move |_| results.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).cloned()));
    let empty = move || data.with(|d| d.as_ref().is_none_or(|d| d.attempts() == 0));
    let task_lines = Signal::derive(move || {
        let tasks = tasks.get();
        data.with(|d| {
            d.as_ref().map_or_else(Vec::new, |d| {
                d.view
                    .tasks
                    .iter()
                    .map(|r| TaskLine {
                        title: title_of(&tasks, &r.task_id),
                        result: r.clone(),
                    })
                    .collect()
            })
        })
    });
    let bars: Signal<Vec<RateBar>> = Signal::derive(move || {
        task_lines.with(|lines| {
            lines
                .iter()
                .map(|l| RateBar {
                    task_id: l.result.task_id.clone(),
                    title: l.title.clone(),
                    rate: l
                        .result
                        .completion
                        .as_ref()
                        .map(|c| (c.rate, c.low, c.high)),
                })
                .collect()
        })
    });
    let attempt_lines = Signal::derive(move || {
        let tasks = tasks.get();
        data.with(|d| {
            d.iter()
                .flat_map(|d| &d.participants)
                .flat_map(|p| {
                    p.outcomes.iter().enumerate().map(|(i, o)| AttemptLine {
                        key: format!("{}#{i}", p.id),
                        label: p.label.clone(),
                        task: title_of(&tasks, &o.task_id),
                        outcome: o.outcome.clone(),
                        time_s: o.time_s,
                    })
                })
                .collect()
        })
    });
    let titles =
        Signal::derive(move || tasks.with(|t| t.iter().map(|t| t.title.clone()).collect()));
    let timed: Signal<Vec<TimedAttempt>> = Signal::derive(move || {
        let ids: Vec<String> = tasks.with(|t| t.iter().map(|t| t.id.clone()).collect());
        data.with(|d| {
            d.iter()
                .flat_map(|d| &d.participants)
                .flat_map(|p| &p.outcomes)
                .filter_map(|o| {
                    let row = ids.iter().position(|id| *id == o.task_id)?;
                    Some(TimedAttempt {
                        row,
                        time_s: o.time_s,
                        success: is_success(&o.outcome),
                    })
                })
                .collect()
        })
    });
    let sus = Signal::derive(move || data.with(|d| d.as_ref().and_then(|d| d.view.sus.clone())));
    let people = Signal::derive(move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| d.view.participants.clone())
                .unwrap_or_default()
        })
    });

    view! {
        <section class="app-results" aria-labelledby="results-heading" data-testid="results">
            <h2 class="nhsuk-heading-m" id="results-heading" tabindex="-1">"Results"</h2>
            <div class="app-button-row">
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--secondary"
                    data-testid="results-refresh"
                    on:click=move |_| bump()
                >
                    "Refresh results"
                </button>
                <DownloadButton export=Export::Csv text="Download CSV" study=study test_id="download-csv" />
                <DownloadButton export=Export::Json text="Download JSON (results and every log)" study=study test_id="download-json" />
            </div>
            <Loaded
                resource=results
                loading="Loading results…"
                error_title="The results could not be loaded"
                error_test_id="results-error"
                subheading=true
            >
                <Show
                    when=move || !empty()
                    fallback=|| view! {
                        <p class="nhsuk-body" data-testid="results-empty">
                            "No attempts yet: results appear when a participant finishes a task."
                        </p>
                    }
                >
                    <h3 class="nhsuk-heading-s">"By task"</h3>
                    <p class="nhsuk-body-s">
                        "Intervals are 95%. Times are geometric means of successful attempts; errors are refused calls and problems shown; lostness is 0 on the shortest path."
                    </p>
                    <TasksTable lines=task_lines />
                    <h3 class="nhsuk-heading-s" id="chart-completion-heading">"Completion rate by task"</h3>
                    <CompletionChart bars=bars heading_id="chart-completion-heading" description_id="chart-completion-description" />
                    <p class="nhsuk-body-s" id="chart-completion-description">
                        "Each bar is a task's completion rate; the line across its end is the 95% interval. The table above shows the same figures."
                    </p>
                    <h3 class="nhsuk-heading-s">"By participant"</h3>
                    <AttemptsTable lines=attempt_lines />
                    <h3 class="nhsuk-heading-s" id="chart-time-heading">"Time on task by attempt"</h3>
                    <TimeChart titles=titles attempts=timed heading_id="chart-time-heading" description_id="chart-time-description" />
                    <p class="nhsuk-body-s" id="chart-time-description">
                        "Each mark is one attempt, on a logarithmic time scale: circles are successes, squares are failures, give-ups and time-outs. The table above shows the same times."
                    </p>
                </Show>
                <h3 class="nhsuk-heading-s">"System Usability Scale (SUS)"</h3>
                <SusSummary sus=sus />
                <Show when=move || people.with(|p| !p.is_empty())>
                    <ParticipantsTable participants=people study=study />
                </Show>
            </Loaded>
        </section>
    }
}
