//! Agreements page: the register of data sharing agreements (SPEC D1–D3). An admin proposes one
//! to an organisation found with the same combobox as Share (`propose`), and answers the
//! partner's. Rows are keyed by agreement id and read it from a signal (`rows`).

mod propose;

use domain::wire::{Agreement, Answer};
use leptos::prelude::*;

use crate::api;
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::status_notice::StatusNotice;
use crate::components::table_head::ResponsiveTableHead;
use crate::dom::dom_id;
use crate::focus::focus_soon;
use crate::reload::{use_reload, Change, Kind};
use crate::rows::{keyed, Row};
use crate::state::{on_answer, use_session};
use propose::{Proposal, ProposeForm};

fn answer_label(answer: Option<Answer>) -> &'static str {
    match answer {
        Some(Answer::Accepted) => "Accepted",
        Some(Answer::Refused) => "Refused",
        None => "Not answered yet",
    }
}

/// Accept (`true`) or refuse an agreement.
#[derive(Clone, Debug, PartialEq)]
struct AnswerInput {
    agreement_id: String,
    accept: bool,
}

#[component]
pub fn AgreementsPage() -> impl IntoView {
    let session = use_session();
    // Read once: switching persona remounts the page.
    let is_admin = session.is_admin();
    let reload = use_reload();
    let agreements = LocalResource::new(move || {
        reload.track(Kind::Agreements);
        api::agreements()
    });
    let rows = keyed(
        move || {
            agreements.with(|a| match a {
                Some(Ok(list)) => list.clone(),
                _ => Vec::new(),
            })
        },
        |a: &Agreement| a.id.clone(),
    );
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

    let answer_action = Action::new_local(move |input: &AnswerInput| {
        let call = api::answer_agreement(&input.agreement_id, input.accept);
        async move {
            let answer = call.await;
            match &answer {
                Ok(a) => reload.answered(Change::agreement(a)),
                Err(_) => reload.stale(Kind::Agreements),
            }
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
            // The button pressed is gone (the answer given is no longer offered): focus goes
            // to the register's heading (WCAG 2.4.3).
            focus_soon("agreements-register");
        }
        Err(e) => error.set(Some(e.user_message())),
    });
    // Proposing belongs to the page too; its answer reloads the register.
    let propose = Action::new_local(move |input: &Proposal| {
        let partner = input.partner_name.clone();
        let call = api::propose_agreement(&input.body);
        async move {
            let answer = call.await;
            match &answer {
                Ok(a) => reload.answered(Change::agreement(a)),
                Err(_) => reload.stale(Kind::Agreements),
            }
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
    let answer = Callback::new(move |input: AnswerInput| {
        error.set(None);
        answer_action.dispatch(input);
    });
    // The agreement whose answer is on its way, if any.
    let busy = Signal::derive(move || {
        answer_action
            .input()
            .with(|i| i.as_ref().map(|i| i.agreement_id.clone()))
    });

    view! {
        <div data-testid="page-agreements">
            <PageHeading title="Agreements" />
            <p class="nhsuk-body">
                "Data sharing agreements between your organisation and partners. An agreement is active only while both sides have accepted it; an active agreement lets staff assign a request across it without giving a reason when the patient has asked not to share."
            </p>
            <StatusNotice text=notice test_id="agreements-notice" />
            <ActionError text=error title="Nothing was changed" test_id="agreements-action-error" />
            <h2 class="nhsuk-heading-m" id="agreements-register" tabindex="-1">
                "Register"
            </h2>
            <Loaded
                resource=agreements
                loading="Loading agreements…"
                error_title="Agreements could not be loaded"
                error_test_id="agreements-error"
                subheading=true
            >
                <Show
                    when=move || rows.with(|r| !r.is_empty())
                    fallback=|| view! { <p class="nhsuk-body" data-testid="agreements-empty">"No agreements yet."</p> }
                >
                    <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="agreements-table">
                        <caption class="nhsuk-u-visually-hidden">"Data sharing agreements"</caption>
                        <ResponsiveTableHead
                            columns=&["Partner", "Reference", "Our answer", "Their answer", "Status"]
                            actions="Actions"
                        />
                        <tbody class="nhsuk-table__body" role="rowgroup">
                            <For each=move || rows.get() key=|row| row.id.clone() let:row>
                                <AgreementRow row=row own=session.ods_code.get_untracked() is_admin=is_admin busy=busy answer=answer />
                            </For>
                        </tbody>
                    </table>
                </Show>
            </Loaded>
            <Show when=move || is_admin>
                <ProposeForm existing=existing propose=propose />
            </Show>
        </div>
    }
}

#[component]
fn AgreementRow(
    row: Row<Agreement>,
    own: String,
    is_admin: bool,
    busy: Signal<Option<String>>,
    answer: Callback<AnswerInput>,
) -> impl IntoView {
    let a = row.value;
    let (partner, reference, proposed_by_us) = a.with_untracked(|a| {
        (
            a.partner.clone(),
            a.reference.clone(),
            a.proposed_by_ods_code == own,
        )
    });
    let who = if proposed_by_us {
        "Proposed by us"
    } else {
        "Proposed by them"
    };
    let for_read = a.clone();
    let read = move |f: fn(&Agreement) -> &'static str| {
        let a = for_read.clone();
        move || a.with(f)
    };
    let active = read(|a| if a.active { "Active" } else { "Inactive" });
    let tag_class = read(|a| {
        if a.active {
            "nhsuk-tag nhsuk-tag--green"
        } else {
            "nhsuk-tag nhsuk-tag--grey"
        }
    });
    // Either side may change its answer at any time (D1): offer whichever it has not given.
    let offered = move |given: Answer| {
        let a = a.clone();
        move || is_admin && a.with(|a| a.our_answer != Some(given))
    };
    let for_button = reference.clone();
    let button = move |accept: bool| {
        let (class, label, test_id) = if accept {
            (
                "nhsuk-button nhsuk-button--small",
                "Accept",
                "agreement-accept",
            )
        } else {
            (
                "nhsuk-button nhsuk-button--secondary nhsuk-button--small",
                "Refuse",
                "agreement-refuse",
            )
        };
        let id = row.id.clone();
        let reference = for_button.clone();
        view! {
            <button
                type="button"
                class=class
                data-testid=test_id
                disabled=move || busy.get().is_some()
                on:click=move |_| answer.run(AnswerInput { agreement_id: id.clone(), accept })
            >
                {label}
                <span class="nhsuk-u-visually-hidden">{format!(" {reference}")}</span>
            </button>
        }
    };
    let accept_button = button.clone();
    view! {
        <tr class="nhsuk-table__row" role="row" data-testid=dom_id("agreement", &partner.ods_code)>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Partner "</span>
                <span>
                {partner.name.clone()}
                <span class="app-ods">{format!(" ({})", partner.ods_code)}</span>
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Reference "</span>
                <span>
                {reference.clone()}
                <br />
                <span class="nhsuk-body-s app-muted">{who}</span>
                </span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Our answer "</span>
                <span data-testid="our-answer">{read(|a| answer_label(a.our_answer))}</span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Their answer "</span>
                <span data-testid="their-answer">{read(|a| answer_label(a.their_answer))}</span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Status "</span>
                <span>
                <strong class=tag_class data-testid="agreement-status">{active}</strong>
                </span>
            </td>
            <td class="nhsuk-table__cell app-actions" role="cell">
                <Show when=offered(Answer::Accepted)>{accept_button(true)}</Show>
                <Show when=offered(Answer::Refused)>{button(false)}</Show>
            </td>
        </tr>
    }
}
