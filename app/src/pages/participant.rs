//! A study participant's way in (API.md "Research studies", SPEC K1): the link `/p/CODE` signs
//! the tab in to the participant's sandbox, as the current task's persona, with no persona
//! picker; "Switch persona" then offers only the study's personas; and a link that is wrong,
//! or whose participant was deleted, says so on a page of its own.

use domain::wire::Persona;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError};
use crate::components::action_error::ActionError;
use crate::components::error_summary::ErrorSummary;
use crate::components::page_heading::PageHeading;
use crate::pages::sign_in::role_label;
use crate::state::{on_answer, use_session};

/// `/p/:code`: signs in with the participant's code, then opens Messages in place of the link
/// (replacing it in the history, so Back does not sign in again).
#[component]
pub fn ParticipantLinkPage() -> impl IntoView {
    let session = use_session();
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let navigate = use_navigate();
    let sign_in = Action::new_local(|code: &String| api::research::participant_sign_in(code));
    let failed = RwSignal::new(None::<ApiError>);
    on_answer(sign_in, move |result| match result {
        Ok(s) => {
            // A session the tab had before (another participant, a persona) ends on the server.
            if session.session.with_untracked(Option::is_some) {
                leptos::task::spawn_local(api::sign_out());
            }
            session.start(s.clone());
            navigate(
                "/messages",
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
        Err(e) => failed.set(Some(e.clone())),
    });
    let retry_code = code.clone();
    let retry = Callback::new(move |()| {
        failed.set(None);
        sign_in.dispatch(retry_code.clone());
    });
    sign_in.dispatch(code);
    move || match failed.get() {
        None => view! {
            <div data-testid="page-participant-link">
                <PageHeading title="Opening your study" />
                <p class="app-loading" role="status" data-testid="participant-signing-in">
                    "Signing you in…"
                </p>
            </div>
        }
        .into_any(),
        // 401: an unknown or deleted code; 400: not a code at all.
        Some(e) if matches!(e.status(), Some(400 | 401 | 404)) => {
            view! { <StudyLinkInvalid /> }.into_any()
        }
        Some(e) => view! {
            <div data-testid="page-participant-link">
                <PageHeading title="Opening your study" />
                <ErrorSummary
                    title="You could not be signed in"
                    message=e.user_message()
                    test_id="participant-link-error"
                    on_retry=retry
                />
            </div>
        }
        .into_any(),
    }
}

/// What a participant sees when their link is wrong or no longer works.
#[component]
pub fn StudyLinkInvalid() -> impl IntoView {
    view! {
        <div data-testid="page-study-link-invalid">
            <PageHeading title="This study link is not valid" />
            <p class="nhsuk-body">
                "The link may have been mistyped, or the session it opened has ended."
            </p>
            <p class="nhsuk-body">
                "Ask the facilitator of the study for a new link, then open it in this browser."
            </p>
        </div>
    }
}

/// "Switch persona" for a participant: the study's personas only (K1). The session, and its
/// sandbox, stay until the server answers the switch; Cancel goes back to the page.
#[component]
pub fn ParticipantPicker() -> impl IntoView {
    let session = use_session();
    let personas: Vec<Persona> = session
        .participant_untracked()
        .map(|p| p.personas)
        .unwrap_or_default();
    let current = session.user_id_untracked();
    let error = RwSignal::new(None::<String>);
    let switch = Action::new_local(|user_id: &String| api::sign_in(user_id));
    on_answer(switch, move |result| match result {
        Ok(s) => session.switch_within_study(s.clone()),
        Err(e) => error.set(Some(e.user_message())),
    });
    let busy = Signal::derive(move || switch.input().get());
    view! {
        <div data-testid="page-participant-picker">
            <PageHeading title="Choose a persona" />
            <p class="nhsuk-body">"Choose who to be for this task."</p>
            <ActionError text=error title="The persona was not changed" />
            <ul class="app-persona-list">
                {personas
                    .into_iter()
                    .map(|p| {
                        let id = p.user_id.clone();
                        let is_current = p.user_id == current;
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="nhsuk-button nhsuk-button--secondary app-persona"
                                    data-testid=format!("persona-{}", p.user_id)
                                    disabled=move || busy.get().is_some()
                                    aria-current=is_current.then_some("true")
                                    on:click=move |_| {
                                        error.set(None);
                                        switch.dispatch(id.clone());
                                    }
                                >
                                    <span class="app-persona__name">{p.name.clone()}</span>
                                    " "
                                    <span class="nhsuk-tag nhsuk-tag--white">{role_label(p.role)}</span>
                                    " "
                                    <span class="app-ods">{format!("{} ({})", p.organisation, p.ods_code)}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <button
                type="button"
                class="nhsuk-button nhsuk-button--secondary"
                data-testid="participant-picker-cancel"
                on:click=move |_| {
                    session.focus_heading.set(true);
                    session.choosing.set(false);
                }
            >
                "Cancel"
            </button>
        </div>
    }
}
