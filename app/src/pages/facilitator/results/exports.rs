//! The exports (SPEC K7, K8): the CSV (a row per participant and attempt), one JSON file with
//! the results and every log, and a participant's log as JSON lines. The calls need the
//! facilitator's token, which never goes into an address (K8), so the page fetches each file
//! itself, with the token in the header, and offers it as a download through a Blob URL
//! (`dom::download`). While a file is prepared its button says so and ignores further presses;
//! it stays focusable (`aria-disabled`, not `disabled`) so the keyboard user's place is kept.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use super::super::use_facilitator;
use super::words::slug;
use crate::api::{self, ApiError};
use crate::components::error_summary::ErrorNotice;
use crate::dom::download;
use crate::state::on_answer;

/// A file the facilitator can download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Export {
    Csv,
    Json,
    Log { id: String, label: String },
}

impl Export {
    /// The file's name, after the study's name: `results-sharing-basics.csv`,
    /// `log-sharing-basics-p-a.jsonl`.
    pub fn file_name(&self, study: &str) -> String {
        let study = slug(study, "study");
        match self {
            Self::Csv => format!("results-{study}.csv"),
            Self::Json => format!("results-{study}.json"),
            Self::Log { label, .. } => {
                format!("log-{study}-{}.jsonl", slug(label, "participant"))
            }
        }
    }

    fn mime(&self) -> &'static str {
        match self {
            Self::Csv => "text/csv;charset=utf-8",
            Self::Json => "application/json",
            Self::Log { .. } => "application/x-ndjson",
        }
    }

    /// The call that reads the file, made now with the token of the moment.
    fn fetch(&self, token: &str) -> Pin<Box<dyn Future<Output = Result<String, ApiError>>>> {
        match self {
            Self::Csv => Box::pin(api::results::results_csv(token)),
            Self::Json => Box::pin(api::results::results_json(token)),
            Self::Log { id, .. } => Box::pin(api::results::participant_log(token, id)),
        }
    }
}

/// Why a download did not happen: the server refused, or the browser would not save it.
#[derive(Clone, Debug, PartialEq)]
enum Failed {
    Call(ApiError),
    Save,
}

/// A button that fetches `export` and saves it as a file; a refusal shows under it.
#[component]
pub fn DownloadButton(
    export: Export,
    /// The button's words ("Download CSV").
    #[prop(into)]
    text: String,
    /// Words for screen readers only, after the visible ones (" for P-A").
    #[prop(into, optional)]
    hidden: String,
    /// The study's name, for the file's.
    study: Signal<String>,
    #[prop(into)] test_id: String,
    /// A smaller button, as in a table's row.
    #[prop(optional)]
    small: bool,
) -> impl IntoView {
    let facilitator = use_facilitator();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    // The action owns the call; saving the file touches no state of the page.
    let fetch = Action::new_local(move |export: &Export| {
        let name = export.file_name(&study.get_untracked());
        let mime = export.mime();
        let call = export.fetch(&facilitator.token());
        async move {
            let text = call.await.map_err(Failed::Call)?;
            download(&text, &name, mime).map_err(|_| Failed::Save)?;
            Ok::<String, Failed>(name)
        }
    });
    on_answer(fetch, move |result| match result {
        Ok(name) => said.set(Some(format!("Downloaded {name}"))),
        Err(failed) => {
            said.set(None);
            error.set(Some(match failed {
                Failed::Call(e) => facilitator.refused(e),
                Failed::Save => {
                    "Your browser could not save the file. Try again, or try another browser."
                        .to_string()
                }
            }));
        }
    });
    let busy = fetch.pending();
    let press = move |_| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        said.set(Some("Preparing the file…".to_string()));
        fetch.dispatch(export.clone());
    };
    let error_id = format!("{test_id}-error");
    let class = if small {
        "nhsuk-button nhsuk-button--secondary nhsuk-button--small"
    } else {
        "nhsuk-button nhsuk-button--secondary"
    };
    view! {
        <span class="app-download">
            <button
                type="button"
                class=class
                class:app-button--busy=move || busy.get()
                aria-disabled=move || busy.get().then_some("true")
                data-testid=test_id
                on:click=press
            >
                {move || if busy.get() { "Preparing…".to_string() } else { text.clone() }}
                <span class="nhsuk-u-visually-hidden">{hidden}</span>
            </button>
            <span class="nhsuk-u-visually-hidden" role="status">{move || said.get()}</span>
            {move || error.get().map(|message| view! { <ErrorNotice message=message test_id=error_id.clone() /> })}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::Export;

    #[test]
    fn files_are_named_after_the_study_and_the_participant() {
        assert_eq!(
            Export::Csv.file_name("Sharing basics"),
            "results-sharing-basics.csv"
        );
        assert_eq!(
            Export::Json.file_name("Sharing basics"),
            "results-sharing-basics.json"
        );
        let log = Export::Log {
            id: "x".into(),
            label: "P-A".into(),
        };
        assert_eq!(
            log.file_name("Sharing basics"),
            "log-sharing-basics-p-a.jsonl"
        );
        assert_eq!(Export::Csv.file_name("???"), "results-study.csv");
    }
}
