//! The results as tables (SPEC K7): by task, each participant's attempts, and each
//! participant's SUS score with their log; and the study's mean SUS. Responsive NHS tables
//! (`nhsuk-table--responsive`, `ResponsiveTableHead`): on a phone each cell names its column.
//! Rows are keyed (`rows::keyed`), so a live update changes them in place and a focused
//! "Download log" button keeps the focus.

use domain::research::wire::{ParticipantResult, SusView, TaskResultView};
use leptos::prelude::*;

use super::exports::{DownloadButton, Export};
use super::words::{fixed, optional, outcome_words, rate_words, seconds_words, time_words, NONE};
use crate::components::table_head::ResponsiveTableHead;
use crate::rows::keyed;

/// A task's results with its title.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskLine {
    pub title: String,
    pub result: TaskResultView,
}

/// One attempt of one participant.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptLine {
    /// Unique in the table: the participant's id and the attempt's place in their list.
    pub key: String,
    pub label: String,
    pub task: String,
    pub outcome: String,
    pub time_s: f64,
}

fn cell(heading: &'static str, content: impl IntoView + 'static) -> impl IntoView {
    view! {
        <td class="nhsuk-table__cell" role="cell">
            <span class="nhsuk-table__heading" aria-hidden="true">{format!("{heading} ")}</span>
            <span>{content}</span>
        </td>
    }
}

fn row_header(heading: &'static str, content: impl IntoView + 'static) -> impl IntoView {
    view! {
        <th scope="row" class="nhsuk-table__header" role="rowheader">
            <span class="nhsuk-table__heading" aria-hidden="true">{format!("{heading} ")}</span>
            <span>{content}</span>
        </th>
    }
}

/// A task's completion rate with its interval, or "—" without attempts.
pub fn completion_words(r: &TaskResultView) -> String {
    r.completion
        .as_ref()
        .map_or_else(|| NONE.to_string(), |c| rate_words(c.rate, c.low, c.high))
}

/// A task's geometric mean time with its interval, or "—" without a success.
pub fn mean_time_words(r: &TaskResultView) -> String {
    r.time_s.as_ref().map_or_else(
        || NONE.to_string(),
        |t| time_words(t.geo_mean, t.low, t.high),
    )
}

/// A column of the table by task after the task's own: its heading, test id and words.
type Column = (&'static str, &'static str, fn(&TaskLine) -> String);

/// The table by task's columns after "Task" (one list, so one view of a cell in the bundle).
const TASK_COLUMNS: [Column; 11] = [
    ("Attempts", "results-attempts", |l| {
        l.result.attempts.to_string()
    }),
    ("Direct success", "results-direct", |l| {
        l.result.direct.to_string()
    }),
    ("Indirect success", "results-indirect", |l| {
        l.result.indirect.to_string()
    }),
    ("Failed", "results-failed", |l| l.result.failed.to_string()),
    ("Gave up", "results-gave-up", |l| {
        l.result.gave_up.to_string()
    }),
    ("Timed out", "results-timed-out", |l| {
        l.result.timed_out.to_string()
    }),
    (
        "Completion rate (95% interval)",
        "results-completion",
        |l| completion_words(&l.result),
    ),
    (
        "Mean time of successes (95% interval)",
        "results-time",
        |l| mean_time_words(&l.result),
    ),
    ("Errors per attempt", "results-errors", |l| {
        optional(l.result.errors_per_attempt, 2)
    }),
    ("Lostness", "results-lostness", |l| {
        optional(l.result.lostness, 2)
    }),
    ("Mean SEQ (1–7)", "results-seq", |l| {
        optional(l.result.seq_mean, 1)
    }),
];

/// The same headings with "Task" first, for the table's head.
const TASK_HEADINGS: [&str; 12] = [
    "Task",
    TASK_COLUMNS[0].0,
    TASK_COLUMNS[1].0,
    TASK_COLUMNS[2].0,
    TASK_COLUMNS[3].0,
    TASK_COLUMNS[4].0,
    TASK_COLUMNS[5].0,
    TASK_COLUMNS[6].0,
    TASK_COLUMNS[7].0,
    TASK_COLUMNS[8].0,
    TASK_COLUMNS[9].0,
    TASK_COLUMNS[10].0,
];

#[component]
pub fn TasksTable(lines: Signal<Vec<TaskLine>>) -> impl IntoView {
    let rows = keyed(move || lines.get(), |l: &TaskLine| l.result.task_id.clone());
    view! {
        <table class="nhsuk-table nhsuk-table--responsive app-table app-results-table" role="table" data-testid="results-tasks-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Results by task"</caption>
            <ResponsiveTableHead columns=&TASK_HEADINGS />
            <tbody class="nhsuk-table__body" role="rowgroup">
                <For each=move || rows.get() key=|row| row.id.clone() let:row>
                    {
                        let line = row.value;
                        let get = move |f: fn(&TaskLine) -> String| {
                            let line = line.clone();
                            move || line.with(f)
                        };
                        let cells = TASK_COLUMNS
                            .iter()
                            .map(|(heading, id, f)| cell(heading, view! { <span data-testid=*id>{get(*f)}</span> }))
                            .collect_view();
                        view! {
                            <tr class="nhsuk-table__row" role="row" data-testid=format!("results-task-{}", row.id)>
                                {row_header("Task", get(|l| l.title.clone()))}
                                {cells}
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

#[component]
pub fn AttemptsTable(lines: Signal<Vec<AttemptLine>>) -> impl IntoView {
    let rows = keyed(move || lines.get(), |l: &AttemptLine| l.key.clone());
    view! {
        <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="results-participants-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each participant's attempts"</caption>
            <ResponsiveTableHead columns=&["Participant", "Task", "Outcome", "Time on task"] />
            <tbody class="nhsuk-table__body" role="rowgroup">
                <For each=move || rows.get() key=|row| row.id.clone() let:row>
                    {
                        let line = row.value;
                        let get = move |f: fn(&AttemptLine) -> String| {
                            let line = line.clone();
                            move || line.with(f)
                        };
                        view! {
                            <tr class="nhsuk-table__row" role="row" data-testid="results-attempt">
                                {row_header("Participant", get(|l| l.label.clone()))}
                                {cell("Task", get(|l| l.task.clone()))}
                                {cell("Outcome", view! { <span data-testid="results-outcome">{get(|l| outcome_words(&l.outcome).to_string())}</span> })}
                                {cell("Time on task", get(|l| seconds_words(l.time_s)))}
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

/// The study's mean SUS with its interval and how many answered, or that none has.
pub fn sus_words(sus: Option<&SusView>) -> String {
    match sus {
        None => "No SUS answers yet.".to_string(),
        Some(s) => {
            let people = if s.n == 1 {
                "participant"
            } else {
                "participants"
            };
            match s.low.zip(s.high) {
                Some((low, high)) => format!(
                    "Mean SUS score {} (95% interval {}–{}), from {} {people}.",
                    fixed(s.mean, 1),
                    fixed(low, 1),
                    fixed(high, 1),
                    s.n
                ),
                None => format!(
                    "Mean SUS score {}, from {} {people} (an interval needs two or more).",
                    fixed(s.mean, 1),
                    s.n
                ),
            }
        }
    }
}

#[component]
pub fn SusSummary(sus: Signal<Option<SusView>>) -> impl IntoView {
    view! {
        <p class="nhsuk-body" data-testid="results-sus">{move || sus.with(|s| sus_words(s.as_ref()))}</p>
    }
}

/// Each participant's SUS score and their log to download.
#[component]
pub fn ParticipantsTable(
    participants: Signal<Vec<ParticipantResult>>,
    study: Signal<String>,
) -> impl IntoView {
    let rows = keyed(
        move || participants.get(),
        |p: &ParticipantResult| p.id.clone(),
    );
    view! {
        <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="results-participants-sus">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each participant's SUS score and log"</caption>
            <ResponsiveTableHead columns=&["Participant", "SUS score (0–100)"] actions="Log" />
            <tbody class="nhsuk-table__body" role="rowgroup">
                <For each=move || rows.get() key=|row| row.id.clone() let:row>
                    {
                        let p = row.value;
                        let (label, sus) = (p.clone(), p.clone());
                        let (id, name) = p.with_untracked(|p| (p.id.clone(), p.label.clone()));
                        let export = Export::Log { id: id.clone(), label: name.clone() };
                        view! {
                            <tr class="nhsuk-table__row" role="row" data-testid=format!("results-participant-{id}")>
                                {row_header("Participant", move || label.with(|p| p.label.clone()))}
                                {cell("SUS score (0–100)", view! { <span data-testid="results-participant-sus">{move || sus.with(|p| optional(p.sus, 1))}</span> })}
                                <td class="nhsuk-table__cell app-actions" role="cell">
                                    <DownloadButton
                                        export=export
                                        text="Download log"
                                        hidden=format!(" of {name}")
                                        study=study
                                        test_id=format!("download-log-{id}")
                                        small=true
                                    />
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::sus_words;
    use domain::research::wire::SusView;

    #[test]
    fn the_sus_summary_says_its_interval_and_count_or_that_none_answered() {
        assert_eq!(sus_words(None), "No SUS answers yet.");
        let two = SusView {
            mean: 72.5,
            low: Some(40.73),
            high: Some(100.0),
            n: 2,
        };
        assert_eq!(
            sus_words(Some(&two)),
            "Mean SUS score 72.5 (95% interval 40.7–100.0), from 2 participants."
        );
        let one = SusView {
            mean: 80.0,
            low: None,
            high: None,
            n: 1,
        };
        assert_eq!(
            sus_words(Some(&one)),
            "Mean SUS score 80.0, from 1 participant (an interval needs two or more)."
        );
    }
}
