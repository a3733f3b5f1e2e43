//! Agreements page: the register of data sharing agreements (SPEC D1–D3). An admin proposes one
//! to an organisation found with the same combobox as Share, and answers the partner's.

use domain::wire::{Agreement, AgreementCreate, Answer, Organisation};
use domain::world::MAX_TEXT;
use leptos::prelude::*;

use crate::api;
use crate::components::error_summary::{
    ErrorSummary, FormCheck, InlineError, Problem, ProblemSummary,
};
use crate::components::page_heading::PageHeading;
use crate::components::sharing::dom_id;
use crate::components::sharing::org_combobox::OrgCombobox;
use crate::components::status_notice::StatusNotice;
use crate::components::table_head::ResponsiveTableHead;
use crate::live::use_live;
use crate::state::{on_answer, use_server_changes, use_session};

fn answer_label(answer: Option<Answer>) -> &'static str {
    match answer {
        Some(Answer::Accepted) => "Accepted",
        Some(Answer::Refused) => "Refused",
        None => "Not answered yet",
    }
}

#[component]
pub fn AgreementsPage() -> impl IntoView {
    let session = use_session();
    // Read once: switching persona remounts the page, and reading the session inside the
    // list's closure would re-run it while the page is being torn down.
    let is_admin = session.is_admin();
    let own_ods = session
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.ods_code.clone()))
        .unwrap_or_default();
    // Reloaded whenever a change of this tab is answered (`state::ServerChanges`).
    // And when the stream says an agreement we are party to was proposed or answered (E1).
    let changes = use_server_changes();
    let live = use_live();
    let agreements = LocalResource::new(move || {
        changes.track();
        live.track_agreements();
        api::agreements()
    });
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // Partners that already have an agreement with us: at most one per pair (D1).
    let existing = Signal::derive(move || {
        agreements
            .get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().map(|a| a.partner.ods_code).collect())
            .unwrap_or_default()
    });

    let answer_action = Action::new_local(move |(agreement, accept): &(Agreement, bool)| {
        let (id, accept) = (agreement.id.clone(), *accept);
        async move {
            let answer = api::answer_agreement(&id, accept).await;
            changes.bump();
            answer
        }
    });
    on_answer(answer_action, move |result| match result {
        Ok(updated) => {
            let state = if updated.active { "active" } else { "inactive" };
            notice.set(Some(format!(
                "Your answer to {} is recorded; the agreement is {state}.",
                updated.reference
            )));
            focus_heading();
        }
        Err(e) => error.set(Some(e.user_message())),
    });
    // Proposing belongs to the page too; its answer reloads the register through the counter.
    let propose = Action::new_local(move |(body, partner): &(AgreementCreate, String)| {
        let (body, partner) = (body.clone(), partner.clone());
        async move {
            let answer = api::propose_agreement(&body).await;
            changes.bump();
            answer.map_err(|e| {
                if e.code() == Some("agreement_exists") {
                    format!(
                        "There is already an agreement with {partner}: answer it in the register above."
                    )
                } else {
                    e.user_message()
                }
            })
        }
    });
    on_answer(propose, move |result| {
        if let Ok(a) = result {
            notice.set(Some(format!(
                "Agreement {} proposed to {}. It becomes active when their administrator accepts it.",
                a.reference, a.partner.name
            )));
        }
    });
    // The agreement whose answer is on its way, if any.
    let busy = Signal::derive(move || {
        answer_action
            .input()
            .with(|i| i.as_ref().map(|(a, _)| a.id.clone()))
    });
    let answer = move |agreement: Agreement, accept: bool| {
        error.set(None);
        answer_action.dispatch((agreement, accept));
    };

    view! {
        <div data-testid="page-agreements">
            <PageHeading title="Agreements" />
            <p class="nhsuk-body">
                "Data sharing agreements between your organisation and partners. An agreement is active only while both sides have accepted it; an active agreement lets staff assign a request across it without giving a reason when the patient has asked not to share."
            </p>
            <StatusNotice text=notice test_id="agreements-notice" />
            {move || {
                error
                    .get()
                    .map(|text| {
                        view! {
                            <ErrorSummary title="Nothing was changed" message=text test_id="agreements-action-error" />
                        }
                    })
            }}
            <h2 class="nhsuk-heading-m" id="agreements-register" tabindex="-1">
                "Register"
            </h2>
            <Transition fallback=|| {
                view! { <p class="nhsuk-body" role="status">"Loading agreements…"</p> }
            }>
                {move || {
                    agreements
                        .get()
                        .map(|result| match result {
                            Err(e) => {
                                view! {
                                    <ErrorSummary title="Agreements could not be loaded" message=e.user_message() test_id="agreements-error" subheading=true on_retry=Callback::new(move |_| agreements.refetch()) />
                                }
                                    .into_any()
                            }
                            Ok(list) if list.is_empty() => {
                                view! {
                                    <p class="nhsuk-body" data-testid="agreements-empty">
                                        "No agreements yet."
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(list) => {
                                let own = own_ods.clone();
                                view! {
                                    <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="agreements-table">
                                        <caption class="nhsuk-u-visually-hidden">"Data sharing agreements"</caption>
                                        <ResponsiveTableHead
                                            columns=&["Partner", "Reference", "Our answer", "Their answer", "Status"]
                                            actions="Actions"
                                        />
                                        <tbody class="nhsuk-table__body" role="rowgroup">
                                            <For
                                                each=move || list.clone()
                                                // Answers are part of the key, so a changed row re-renders.
                                                key=|a| format!("{a:?}")
                                                children=move |a| {
                                                    view! { <AgreementRow agreement=a own=own.clone() is_admin=is_admin busy=busy answer=answer /> }
                                                }
                                            />
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <Show when=move || is_admin>
                <ProposeForm existing=existing propose=propose />
            </Show>
        </div>
    }
}

/// After an answer the row's buttons change, so focus goes to the register heading.
fn focus_heading() {
    crate::components::sharing::focus_soon("agreements-register".to_string());
}

#[component]
fn AgreementRow<F>(
    agreement: Agreement,
    own: String,
    is_admin: bool,
    busy: Signal<Option<String>>,
    answer: F,
) -> impl IntoView
where
    F: Fn(Agreement, bool) + Copy + 'static,
{
    let proposed_by_us = agreement.proposed_by_ods_code == own;
    let who = if proposed_by_us {
        "Proposed by us"
    } else {
        "Proposed by them"
    };
    let (tag_class, tag) = if agreement.active {
        ("nhsuk-tag nhsuk-tag--green", "Active")
    } else {
        ("nhsuk-tag nhsuk-tag--grey", "Inactive")
    };
    // Either side may change its answer at any time (D1): offer whichever it has not given.
    let can_accept = is_admin && agreement.our_answer != Some(Answer::Accepted);
    let can_refuse = is_admin && agreement.our_answer != Some(Answer::Refused);
    let for_accept = agreement.clone();
    let for_refuse = agreement.clone();
    let reference = agreement.reference.clone();
    let reference2 = agreement.reference.clone();
    view! {
        <tr class="nhsuk-table__row" role="row" data-testid=dom_id("agreement", &agreement.partner.ods_code)>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Partner "</span>
                <span>
                {agreement.partner.name.clone()}
                <span class="app-ods">{format!(" ({})", agreement.partner.ods_code)}</span>
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Reference "</span>
                <span>
                {agreement.reference.clone()}
                <br />
                <span class="nhsuk-body-s app-muted">{who}</span>
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Our answer "</span>
                <span data-testid="our-answer">
                {answer_label(agreement.our_answer)}
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Their answer "</span>
                <span data-testid="their-answer">
                {answer_label(agreement.their_answer)}
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Status "</span>
                <span>
                <strong class=tag_class data-testid="agreement-status">
                    {tag}
                </strong>
                </span>
            </td>
            <td class="nhsuk-table__cell app-actions" role="cell">
                {can_accept
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--small"
                                data-testid="agreement-accept"
                                disabled=move || busy.get().is_some()
                                on:click=move |_| answer(for_accept.clone(), true)
                            >
                                "Accept"
                                <span class="nhsuk-u-visually-hidden">{format!(" {reference}")}</span>
                            </button>
                        }
                    })}
                {can_refuse
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                                data-testid="agreement-refuse"
                                disabled=move || busy.get().is_some()
                                on:click=move |_| answer(for_refuse.clone(), false)
                            >
                                "Refuse"
                                <span class="nhsuk-u-visually-hidden">{format!(" {reference2}")}</span>
                            </button>
                        }
                    })}
            </td>
        </tr>
    }
}

/// The fields of the propose form, as the error summary links to them.
const ORG_FIELD: &str = "agreement-org-input";
const REFERENCE_FIELD: &str = "agreement-reference";

/// Proposing a new agreement (D1): a partner from the directory and a reference.
#[component]
fn ProposeForm(
    existing: Signal<Vec<String>>,
    propose: Action<(AgreementCreate, String), Result<Agreement, String>>,
) -> impl IntoView {
    let session = use_session();
    let selected = RwSignal::new(None::<Organisation>);
    let reference = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = propose.pending();
    let form_key = RwSignal::new(0_u32);
    on_answer(propose, move |result| match result {
        Ok(_) => {
            reference.set(String::new());
            selected.set(None);
            // A fresh combobox forgets the last search.
            form_key.update(|k| *k += 1);
        }
        Err(text) => error.set(Some(text.clone())),
    });

    let unavailable = Callback::new(move |org: Organisation| {
        let own = session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.ods_code.clone()));
        if own.as_deref() == Some(org.ods_code.as_str()) {
            Some("Your own organisation: an agreement is between two organisations.".to_string())
        } else if !org.active {
            Some("Inactive organisation: it cannot be proposed an agreement.".to_string())
        } else if existing.with_untracked(|e| e.contains(&org.ods_code)) {
            Some(
                "An agreement with this organisation already exists: answer it in the register."
                    .to_string(),
            )
        } else {
            None
        }
    });

    // The NHS pattern (issue 15, item 7): the button is never greyed out; pressing it checks
    // the answers as the server will (D1: a partner, a reference of 1 to MAX_TEXT characters
    // after trimming) and, if something is wrong, sends nothing and says what.
    let check = FormCheck::new(move || {
        let mut out = Vec::new();
        if selected.with(Option::is_none) {
            out.push(Problem::new(ORG_FIELD, "Choose the partner organisation"));
        }
        let length = reference.with(|r| r.trim().chars().count());
        if length == 0 {
            out.push(Problem::new(
                REFERENCE_FIELD,
                "Enter the agreement's reference",
            ));
        } else if length > MAX_TEXT {
            out.push(Problem::new(
                REFERENCE_FIELD,
                format!("Reference must be {MAX_TEXT} characters or fewer"),
            ));
        }
        out
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        let Some(partner) = selected.get_untracked() else {
            return;
        };
        error.set(None);
        propose.dispatch((
            AgreementCreate {
                partner_ods_code: partner.ods_code.clone(),
                reference: reference.get_untracked().trim().to_string(),
            },
            partner.name.clone(),
        ));
    };
    let reference_error = move || check.error(REFERENCE_FIELD).is_some();

    view! {
        <h2 class="nhsuk-heading-m">"Propose an agreement"</h2>
        <form on:submit=submit novalidate=true data-testid="propose-form">
            {move || {
                error
                    .get()
                    .map(|text| {
                        view! {
                            <ErrorSummary title="The agreement was not proposed" message=text test_id="propose-error" subheading=true />
                        }
                    })
            }}
            <ProblemSummary check=check test_id="propose-problems" subheading=true />
            {move || {
                form_key.track();
                view! {
                    <OrgCombobox
                        id="agreement-org"
                        label="Partner organisation name or ODS code"
                        selected=selected
                        unavailable=unavailable
                        check=check
                    />
                }
            }}
            <div class="nhsuk-form-group" class:nhsuk-form-group--error=reference_error>
                <label class="nhsuk-label" for=REFERENCE_FIELD>
                    "Reference"
                </label>
                <div class="nhsuk-hint" id="agreement-reference-hint">
                    "The agreement's reference and title, for example DSA-NT-2025-01 North Tees PCN information sharing agreement."
                </div>
                <InlineError check=check field=REFERENCE_FIELD />
                <input
                    class="nhsuk-input"
                    class:nhsuk-input--error=reference_error
                    id=REFERENCE_FIELD
                    type="text"
                    required=true
                    aria-required="true"
                    aria-invalid=move || reference_error().then_some("true")
                    aria-describedby=move || {
                        check.described_by(REFERENCE_FIELD, Some("agreement-reference-hint"))
                    }
                    bind:value=reference
                    data-testid="agreement-reference"
                />
            </div>
            <button
                type="submit"
                class="nhsuk-button"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                data-testid="propose-submit"
            >
                "Propose agreement"
            </button>
        </form>
    }
}
