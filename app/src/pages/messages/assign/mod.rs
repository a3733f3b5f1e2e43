//! The assign dialog: where the request may go (`targets`, SPEC A2), the consent step of A3
//! (`consent`), and the form that checks the answers and sends them.

mod consent;
mod targets;

use domain::wire::{AssignCommand, Assignable, Consent, RequestDetail};
use leptos::prelude::*;

use super::context::{use_messages, AssignInput, CONFLICT_MESSAGE};
use crate::api::{self, ApiError};
use crate::components::dialog::{CancelButton, Dialog};
use crate::components::error_summary::{ErrorNotice, FormCheck, Problem, ProblemSummary};
use crate::reload::{use_reload, Kind};
use crate::state::on_answer;
use consent::ConsentStep;
use targets::TargetChoices;

/// SPEC A3: a reason has 10 to 1000 Unicode code points after trimming.
const REASON_MIN: usize = 10;
const REASON_MAX: usize = domain::world::MAX_TEXT;

/// The fields of the assign form that can be wrong: the radios' container (its link focuses
/// the first radio) and the reason.
const TARGET_FIELD: &str = "assign-targets";
const REASON_FIELD: &str = "assign-reason";

#[component]
pub fn AssignDialog(
    open: RwSignal<bool>,
    detail: Memo<Option<RequestDetail>>,
    /// Runs after a successful assignment with a sentence for the user and the new version.
    on_assigned: Callback<(String, u64)>,
) -> impl IntoView {
    view! {
        <Dialog
            open=Signal::from(open)
            title="Assign request"
            on_close=Callback::new(move |_| open.set(false))
            test_id="assign-dialog"
        >
            <AssignForm detail=detail on_assigned=on_assigned on_cancel=Callback::new(move |_| open.set(false)) />
        </Dialog>
    }
}

/// What is wrong with the answers, as the server would say it (A2, A3): the NHS pattern for a
/// form (`FormCheck`): nothing greyed out; pressing Assign checks the answers and, if
/// something is missing, shows an error summary (focused, with a link to each field) and an
/// error by each field, each until it is put right.
fn problems(chosen: Option<&Assignable>, reason_count: usize) -> Vec<Problem> {
    let mut out = Vec::new();
    match chosen {
        None => {
            out.push(Problem::new(TARGET_FIELD, "Choose a group or colleague").code("required"))
        }
        Some(c) if c.consent == Consent::Reason => {
            // NHS error messages (issue 20, item 8): an empty field says what to enter; a wrong
            // length says what the rule is, naming the field.
            if reason_count == 0 {
                out.push(Problem::new(REASON_FIELD, "Enter a reason").code("required"));
            } else if reason_count < REASON_MIN {
                out.push(
                    Problem::new(
                        REASON_FIELD,
                        format!("Reason must be at least {REASON_MIN} characters"),
                    )
                    .code("too_short"),
                );
            } else if reason_count > REASON_MAX {
                out.push(
                    Problem::new(
                        REASON_FIELD,
                        format!("Reason must be {REASON_MAX} characters or fewer"),
                    )
                    .code("too_long"),
                );
            }
        }
        Some(_) => {}
    }
    out
}

#[component]
fn AssignForm(
    detail: Memo<Option<RequestDetail>>,
    on_assigned: Callback<(String, u64)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ctx = use_messages();
    let reload = use_reload();
    let request_id = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.id.clone())));
    // What may be assigned, and with which consent step, follows shares and agreements: the
    // choices reload while the dialog is open (E1).
    let targets = LocalResource::new(move || {
        reload.track(Kind::Shares);
        reload.track(Kind::Agreements);
        reload.track(Kind::Requests);
        let call = request_id.get().map(|id| api::assignable(&id));
        async move {
            let Some(call) = call else {
                return Ok(Vec::new());
            };
            let answer = call.await;
            if let Ok(list) = &answer {
                for a in list {
                    ctx.names.learn(&a.owner.ods_code, &a.owner.name);
                }
            }
            answer
        }
    });
    let all = Memo::new(move |_| {
        targets
            .with(|t| t.as_ref().and_then(|r| r.as_ref().ok().cloned()))
            .unwrap_or_default()
    });

    let selected = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let chosen = Memo::new(move |_| {
        let id = selected.get()?;
        all.with(|all| all.iter().find(|a| a.target.id == id).cloned())
    });
    let reason_count = Memo::new(move |_| reason.with(|r| r.trim().chars().count()));
    let needs_reason =
        move || chosen.with(|c| c.as_ref().is_some_and(|c| c.consent == Consent::Reason));
    let check = FormCheck::new(move || chosen.with(|c| problems(c.as_ref(), reason_count.get())));

    // The page owns the call (`ctx.assign`), so an answer that arrives after the dialog closed
    // still reloads the page; the dialog only reports it, while it is open.
    let submit = ctx.assign;
    on_answer(submit, move |answer| match answer {
        Ok(done) => on_assigned.run(done.clone()),
        Err(e) if e.is_conflict() => error.set(Some(CONFLICT_MESSAGE.to_string())),
        Err(e) => error.set(Some(assign_error_words(e))),
    });
    let dispatch = move || {
        let target = chosen.get_untracked();
        let version = detail.with_untracked(|d| d.as_ref().map(|d| (d.id.clone(), d.version)));
        let override_reason = needs_reason().then(|| reason.get_untracked().trim().to_string());
        let (Some(target), Some((request_id, version))) = (target, version) else {
            return;
        };
        error.set(None);
        let words = format!(
            "Assigned to {} ({}).",
            target.target.name, target.owner.name
        );
        submit.dispatch(AssignInput {
            request_id,
            command: AssignCommand {
                target_id: target.target.id,
                version,
                override_reason,
            },
            words,
        });
    };
    let pending = submit.pending();

    view! {
        <form
            class="app-assign"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if pending.get_untracked() || !check.passes() {
                    return;
                }
                dispatch();
            }
        >
            {move || error.get().map(|e| view! { <ErrorNotice message=e test_id="assign-error" /> })}
            <ProblemSummary check=check test_id="assign-error-summary" subheading=true />
            <TargetChoices targets=targets all=all selected=selected check=check />
            {move || {
                chosen
                    .get()
                    .map(|c| {
                        view! {
                            <ConsentStep
                                chosen=c
                                detail=detail
                                reason=reason
                                reason_count=reason_count
                                check=check
                            />
                        }
                    })
            }}
            <div class="app-assign__buttons">
                <button
                    type="submit"
                    class="nhsuk-button"
                    data-testid="assign-submit"
                    disabled=move || pending.get()
                >
                    {move || if pending.get() { "Assigning…" } else { "Assign" }}
                </button>
                <CancelButton on_cancel=on_cancel test_id="assign-cancel" />
            </div>
        </form>
    }
}

/// The answer of a refused assignment in words for this dialog.
fn assign_error_words(error: &ApiError) -> String {
    match error.code() {
        Some("target_not_available") => {
            "That group or colleague can no longer be chosen. Choose another.".to_string()
        }
        Some("already_assigned") => "The request is already assigned there.".to_string(),
        Some("invalid_status") => "The request is closed. Reopen it to assign it.".to_string(),
        _ => error.user_message(),
    }
}
