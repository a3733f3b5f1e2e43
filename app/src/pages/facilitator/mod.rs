//! The facilitator's page (SPEC K2, API.md "Research studies"): reached at `/facilitator`
//! without a persona and linked from nowhere. The facilitator signs in with the study's key
//! (never in a URL, K8), which gives a token kept in this tab's sessionStorage under a key of
//! its own, apart from the persona session, and sent only with research calls. Then: the
//! study (`study`), its participants with their progress, live (`participants`, `stream`),
//! what the facilitator does to each (`row`), and the results with
//! their charts and exports (`results`).

mod participants;
mod results;
mod row;
mod stream;
mod study;

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::action_error::ActionError;
use crate::components::error_summary::{FormCheck, InlineError, Problem, ProblemSummary};
use crate::components::page_heading::PageHeading;
use crate::components::status_notice::StatusNotice;
use crate::state::{on_answer, use_session};
use participants::ParticipantsSection;
use results::ResultsSection;
use study::{LoadStudy, StudySection};

const TOKEN_KEY: &str = "engage.collaboration.facilitator";
const KEY_FIELD: &str = "facilitator-key";

/// The facilitator's sign-in, provided to the page's parts.
#[derive(Clone, Copy)]
pub struct Facilitator {
    token: RwSignal<Option<String>>,
    /// Why the sign-in form shows again (the server forgot the token).
    notice: RwSignal<Option<String>>,
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

impl Facilitator {
    fn restore() -> Self {
        let token = storage().and_then(|s| s.get_item(TOKEN_KEY).ok().flatten());
        Self {
            token: RwSignal::new(token),
            notice: RwSignal::new(None),
        }
    }

    /// The token of the moment, read once (empty once signed out: the server answers 401).
    pub fn token(&self) -> String {
        self.token.try_get_untracked().flatten().unwrap_or_default()
    }

    fn start(&self, token: String) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        self.notice.set(None);
        self.token.set(Some(token));
    }

    /// Forgets the token (the server keeps no facilitator session worth ending).
    fn end(&self, notice: Option<String>) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(TOKEN_KEY);
        }
        self.notice.try_set(notice);
        self.token.try_set(None);
    }

    /// The sentence to show for a refused call; a 401 (the server restarted, or the key
    /// changed) also returns the page to the sign-in form. Safe after the page is gone.
    pub fn refused(&self, error: &ApiError) -> String {
        if error.status() == Some(401) {
            self.end(Some(
                "Your facilitator session has ended (the server may have restarted). Sign in \
                 again with the facilitator key."
                    .to_string(),
            ));
        }
        error.user_message()
    }
}

/// The facilitator context provided by `FacilitatorPage`.
pub fn use_facilitator() -> Facilitator {
    expect_context::<Facilitator>()
}

#[component]
pub fn FacilitatorPage() -> impl IntoView {
    let facilitator = Facilitator::restore();
    provide_context(facilitator);
    let session = use_session();
    let signed_in = move || facilitator.token.with(Option::is_some);
    let sign_out = move |_| {
        // The new state's heading takes the focus (WCAG 2.4.3), as after a persona sign-out.
        session.focus_heading.set(true);
        facilitator.end(None);
    };
    view! {
        <div data-testid="page-facilitator">
            <Show when=signed_in fallback=|| view! { <FacilitatorSignIn /> }>
                <PageHeading title="Study facilitator" />
                <p class="nhsuk-body">
                    <button
                        type="button"
                        class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                        data-testid="facilitator-sign-out"
                        on:click=sign_out
                    >
                        "Sign out"
                    </button>
                </p>
                <Dashboard />
            </Show>
        </div>
    }
}

/// The study, its participants while one is loaded, and loading a study file.
#[component]
fn Dashboard() -> impl IntoView {
    let facilitator = use_facilitator();
    // Bumped when a study is loaded or replaced: the study and the participants load again.
    let version = RwSignal::new(0_u32);
    let study = LocalResource::new(move || {
        version.track();
        api::research::study(&facilitator.token())
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = study.get() {
            if e.status() == Some(401) {
                facilitator.refused(&e);
            }
        }
    });
    let loaded = Signal::derive(move || study.with(|s| matches!(s, Some(Ok(Some(_))))));
    let tasks = Signal::derive(move || {
        study.with(|s| match s {
            Some(Ok(Some(study))) => study.tasks.clone(),
            _ => Vec::new(),
        })
    });
    let name = Signal::derive(move || {
        study.with(|s| match s {
            Some(Ok(Some(study))) => study.name.clone(),
            _ => String::new(),
        })
    });
    // Bumped when a participant's row changes: the results are read again.
    let progress = RwSignal::new(0_u32);
    // What is done most comes first: the participants, then the results; loading a study
    // ends the page.
    view! {
        <StudySection study=study />
        <Show when=move || loaded.get()>
            <ParticipantsSection tasks=tasks progress=progress />
            <ResultsSection tasks=tasks study=name progress=progress.into() />
        </Show>
        <LoadStudy version=version replacing=loaded />
    }
}

#[component]
fn FacilitatorSignIn() -> impl IntoView {
    let facilitator = use_facilitator();
    let session = use_session();
    let key = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sign_in = Action::new_local(|key: &String| api::research::facilitator_sign_in(key));
    on_answer(sign_in, move |result| match result {
        Ok(answer) => {
            session.focus_heading.set(true);
            facilitator.start(answer.token.clone());
        }
        Err(e) if e.status() == Some(401) => {
            error.set(Some(
                "The facilitator key is not right. Check it and enter it again.".to_string(),
            ));
        }
        Err(e) => error.set(Some(e.user_message())),
    });
    let busy = sign_in.pending();
    let check = FormCheck::new(move || {
        if key.with(|k| k.trim().is_empty()) {
            vec![Problem::new(KEY_FIELD, "Enter the facilitator key")]
        } else {
            Vec::new()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        error.set(None);
        sign_in.dispatch(key.get_untracked().trim().to_string());
    };
    let key_error = move || check.error(KEY_FIELD).is_some();
    view! {
        <PageHeading title="Sign in as facilitator" />
        <StatusNotice text=facilitator.notice test_id="facilitator-notice" />
        <p class="nhsuk-body">
            "Enter the facilitator key of the study. The server prints it when it starts, or reads it from the file it was given."
        </p>
        <form on:submit=submit novalidate=true data-testid="facilitator-sign-in">
            <ActionError text=error title="You could not be signed in" test_id="facilitator-sign-in-error" />
            <ProblemSummary check=check test_id="facilitator-sign-in-problems" />
            <div class="nhsuk-form-group" class:nhsuk-form-group--error=key_error>
                <label class="nhsuk-label" for=KEY_FIELD>
                    "Facilitator key"
                </label>
                <InlineError check=check field=KEY_FIELD />
                <input
                    class="nhsuk-input"
                    class:nhsuk-input--error=key_error
                    id=KEY_FIELD
                    name="facilitator-key"
                    type="password"
                    autocomplete="current-password"
                    spellcheck="false"
                    aria-invalid=move || key_error().then_some("true")
                    aria-describedby=move || check.described_by(KEY_FIELD, None)
                    bind:value=key
                    data-testid="facilitator-key"
                />
            </div>
            <button
                type="submit"
                class="nhsuk-button"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                data-testid="facilitator-sign-in-submit"
            >
                "Sign in"
            </button>
        </form>
    }
}
