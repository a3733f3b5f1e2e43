//! The study as loaded (name, personas, tasks), and loading or replacing it from a study file
//! (API.md "Study file"). The server checks the file and names the entry that is wrong; the
//! client sends the text as it is and shows that sentence.

use domain::research::wire::StudySummary;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::use_facilitator;
use crate::api::{self, ApiError};
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::status_notice::StatusNotice;
use crate::components::table_head::ResponsiveTableHead;
use crate::state::on_answer;

const FILE_FIELD: &str = "study-file";
const TEXT_FIELD: &str = "study-json";

/// Seconds as people read a duration: "4 min 05 s", "45 s".
pub fn duration_words(seconds: u64) -> String {
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    }
}

/// The name of the persona with this user id in the study, else the id.
pub fn persona_name(study: &StudySummary, user_id: &str) -> String {
    study
        .personas
        .iter()
        .find(|p| p.user_id == user_id)
        .map_or_else(|| user_id.to_string(), |p| p.name.clone())
}

#[component]
pub fn StudySection(study: LocalResource<Result<Option<StudySummary>, ApiError>>) -> impl IntoView {
    view! {
        <h2 class="nhsuk-heading-m" id="study-heading" tabindex="-1">"Study"</h2>
        <Loaded
            resource=study
            loading="Loading the study…"
            error_title="The study could not be loaded"
            error_test_id="study-error"
            subheading=true
        >
            {move || match study.get().and_then(Result::ok).flatten() {
                Some(s) => view! { <StudyDetails study=s /> }.into_any(),
                None => view! {
                    <p class="nhsuk-body" data-testid="study-none">
                        "No study is loaded. Load a study file below to start."
                    </p>
                }
                .into_any(),
            }}
        </Loaded>
    }
}

#[component]
fn StudyDetails(study: StudySummary) -> impl IntoView {
    let personas = study
        .personas
        .iter()
        .map(|p| format!("{} ({})", p.name, p.organisation))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = study
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <tr class="nhsuk-table__row" role="row" data-testid=format!("study-task-{}", t.id)>
                    <td class="nhsuk-table__cell" role="cell">
                        <span class="nhsuk-table__heading" aria-hidden="true">"Task "</span>
                        <span>{format!("{}. {}", i + 1, t.title)}</span>
                    </td>
                    <td class="nhsuk-table__cell" role="cell">
                        <span class="nhsuk-table__heading" aria-hidden="true">"Persona "</span>
                        <span>{persona_name(&study, &t.persona)}</span>
                    </td>
                    <td class="nhsuk-table__cell" role="cell">
                        <span class="nhsuk-table__heading" aria-hidden="true">"Time limit "</span>
                        <span>{duration_words(u64::from(t.time_limit_s))}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <dl class="nhsuk-summary-list" data-testid="study-details">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Name"</dt>
                <dd class="nhsuk-summary-list__value" data-testid="study-name">{study.name.clone()}</dd>
            </div>
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Personas"</dt>
                <dd class="nhsuk-summary-list__value">{personas}</dd>
            </div>
        </dl>
        <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="study-tasks">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Tasks"</caption>
            <ResponsiveTableHead columns=&["Task", "Persona", "Time limit"] />
            <tbody class="nhsuk-table__body" role="rowgroup">{rows}</tbody>
        </table>
    }
}

/// Reads the first file chosen in a file input as text.
async fn file_text(input: web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

/// Loading a study file, or replacing the study (only while it has no participants).
#[component]
pub fn LoadStudy(version: RwSignal<u32>, replacing: Signal<bool>) -> impl IntoView {
    let facilitator = use_facilitator();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let load = Action::new_local(move |file: &String| {
        api::research::load_study(&facilitator.token(), file)
    });
    on_answer(load, move |result| match result {
        Ok(()) => {
            notice.set(Some("The study is loaded.".to_string()));
            text.set(String::new());
            version.update(|v| *v += 1);
        }
        Err(e) if e.code() == Some("study_in_use") || e.status() == Some(409) => {
            error.set(Some(
                "The study has participants, so it cannot be replaced. Delete the participants \
                 first, then load the study again."
                    .to_string(),
            ));
        }
        Err(e) => error.set(Some(facilitator.refused(e))),
    });
    let busy = load.pending();
    // Choosing a file puts its text in the box, where it can be read and corrected.
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match file_text(input).await {
                Some(contents) => {
                    text.try_set(contents);
                }
                None => {
                    error.try_set(Some(
                        "The file could not be read. Choose it again.".to_string(),
                    ));
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        notice.set(None);
        let file = text.get_untracked();
        if file.trim().is_empty() {
            error.set(Some("Choose a study file or paste its JSON.".to_string()));
            return;
        }
        error.set(None);
        load.dispatch(file);
    };
    view! {
        <h2 class="nhsuk-heading-m">
            {move || if replacing.get() { "Replace the study" } else { "Load a study" }}
        </h2>
        <StatusNotice text=notice test_id="study-notice" />
        <form on:submit=submit novalidate=true data-testid="study-form">
            <ActionError text=error title="The study was not loaded" test_id="study-load-error" subheading=true />
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for=FILE_FIELD>"Study file (.json)"</label>
                <input
                    class="nhsuk-file-upload"
                    id=FILE_FIELD
                    type="file"
                    accept=".json,application/json"
                    on:change=chosen
                    data-testid="study-file"
                />
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for=TEXT_FIELD>"Study file contents (JSON)"</label>
                <div class="nhsuk-hint" id="study-json-hint">
                    "Filled in when you choose a file; you can also paste the JSON here."
                </div>
                <textarea
                    class="nhsuk-textarea app-code"
                    id=TEXT_FIELD
                    rows="6"
                    spellcheck="false"
                    aria-describedby="study-json-hint"
                    bind:value=text
                    data-testid="study-json"
                ></textarea>
            </div>
            <button
                type="submit"
                class="nhsuk-button"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                data-testid="study-submit"
            >
                "Load study"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::duration_words;

    #[test]
    fn a_duration_under_a_minute_is_in_seconds() {
        assert_eq!(duration_words(45), "45 s");
    }

    #[test]
    fn a_longer_duration_is_in_minutes_and_two_digit_seconds() {
        assert_eq!(duration_words(65), "1 min 05 s");
        assert_eq!(duration_words(300), "5 min 00 s");
    }
}
