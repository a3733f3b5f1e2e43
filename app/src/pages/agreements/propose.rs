//! Proposing a new agreement (D1): a partner from the directory and a reference.

use domain::wire::{Agreement, AgreementCreate, Organisation};
use domain::world::MAX_TEXT;
use leptos::prelude::*;

use crate::components::action_error::ActionError;
use crate::components::error_summary::{FormCheck, InlineError, Problem, ProblemSummary};
use crate::components::org_combobox::OrgCombobox;
use crate::state::{on_answer, use_session};

/// An agreement to propose, and the partner's name for the sentences said afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub body: AgreementCreate,
    pub partner_name: String,
}

/// The fields of the propose form, as the error summary links to them.
const ORG_FIELD: &str = "agreement-org-input";
const REFERENCE_FIELD: &str = "agreement-reference";

/// Proposing a new agreement (D1): a partner from the directory and a reference.
#[component]
pub fn ProposeForm(
    existing: Signal<Vec<String>>,
    propose: Action<Proposal, Result<Agreement, String>>,
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
        if session.ods_code_untracked() == org.ods_code {
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
            out.push(Problem::new(ORG_FIELD, "Choose the partner organisation").code("required"));
        }
        let length = reference.with(|r| r.trim().chars().count());
        if length == 0 {
            out.push(
                Problem::new(REFERENCE_FIELD, "Enter the agreement's reference").code("required"),
            );
        } else if length > MAX_TEXT {
            out.push(
                Problem::new(
                    REFERENCE_FIELD,
                    format!("Reference must be {MAX_TEXT} characters or fewer"),
                )
                .code("too_long"),
            );
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
        propose.dispatch(Proposal {
            body: AgreementCreate {
                partner_ods_code: partner.ods_code.clone(),
                reference: reference.get_untracked().trim().to_string(),
            },
            partner_name: partner.name.clone(),
        });
    };
    let reference_error = move || check.error(REFERENCE_FIELD).is_some();

    view! {
        <h2 class="nhsuk-heading-m">"Propose an agreement"</h2>
        <form on:submit=submit novalidate=true data-testid="propose-form">
            <ActionError text=error title="The agreement was not proposed" test_id="propose-error" subheading=true />
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
