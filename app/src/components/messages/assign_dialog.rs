//! The assign dialog: every target the organisation may assign the request to (SPEC A2),
//! grouped "Your organisation" and one section per partner, searchable; the consent step of A3;
//! and who would see the request afterwards (organisations by name, other unrestricted partners
//! of the target only as a number, since their names are the owner's business).

use std::collections::BTreeMap;

use domain::text;
use domain::wire::{AssignCommand, Assignable, Consent, RequestDetail, Sharing, TargetKind};
use leptos::prelude::*;

use super::{is_conflict, on_answer, use_messages, CONFLICT_MESSAGE};
use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_summary::{
    ErrorNotice, ErrorSummary, FormCheck, InlineError, Problem, ProblemSummary,
};
use crate::live::use_live;

/// SPEC A3: a reason has 10 to 1000 Unicode code points after trimming.
const REASON_MIN: usize = 10;
const REASON_MAX: usize = domain::world::MAX_TEXT;

#[component]
pub fn AssignDialog(
    open: RwSignal<bool>,
    detail: Memo<Option<RequestDetail>>,
    /// Runs after a successful assignment with a sentence for the user.
    on_assigned: Callback<String>,
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

#[component]
fn AssignForm(
    detail: Memo<Option<RequestDetail>>,
    on_assigned: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ctx = use_messages();
    let request_id = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.id.clone())));
    // What may be assigned, and with which consent step, follows shares and agreements: the
    // stream reloads the choices while the dialog is open (E1).
    let live = use_live();
    let targets = LocalResource::new(move || {
        ctx.changed.track();
        live.track_shares();
        live.track_agreements();
        let id = request_id.get();
        async move {
            match id {
                Some(id) => {
                    let answer = api::assignable(&id).await;
                    if let Ok(list) = &answer {
                        for a in list {
                            ctx.names.learn(&a.owner.ods_code, &a.owner.name);
                        }
                    }
                    answer
                }
                None => Ok(Vec::new()),
            }
        }
    });
    let all = Memo::new(move |_| {
        targets
            .with(|t| t.as_ref().and_then(|r| r.as_ref().ok().cloned()))
            .unwrap_or_default()
    });
    let load_error = Memo::new(move |_| targets.with(|t| t.as_ref().and_then(|r| r.clone().err())));

    let filter = RwSignal::new(String::new());
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
    // The NHS pattern for a form (`FormCheck`): nothing greyed out; pressing Assign checks the
    // answers and, if something is missing, shows an error summary (focused, with a link to
    // each field) and an error by each field, each until it is put right.
    let check = FormCheck::new(move || {
        let mut out = Vec::new();
        if chosen.with(Option::is_none) {
            out.push(Problem::new(TARGET_FIELD, "Choose a group or colleague"));
        } else if needs_reason() {
            // NHS error messages (issue 20, item 8): an empty field says what to enter; a wrong
            // length says what the rule is, naming the field.
            let n = reason_count.get();
            if n == 0 {
                out.push(Problem::new(REASON_FIELD, "Enter a reason"));
            } else if n < REASON_MIN {
                out.push(Problem::new(
                    REASON_FIELD,
                    format!("Reason must be at least {REASON_MIN} characters"),
                ));
            } else if n > REASON_MAX {
                out.push(Problem::new(
                    REASON_FIELD,
                    format!("Reason must be {REASON_MAX} characters or fewer"),
                ));
            }
        }
        out
    });

    // The page owns the call (`ctx.assign`), so an answer that arrives after the dialog closed
    // still reloads the page; the dialog only reports it, while it is open.
    let submit = ctx.assign;
    on_answer(submit, move |answer| match answer {
        Ok(words) => on_assigned.run(words.clone()),
        Err(e) if is_conflict(e) => error.set(Some(CONFLICT_MESSAGE.to_string())),
        Err(e) => error.set(Some(assign_error_words(e))),
    });
    let dispatch = move || {
        let target = chosen.get_untracked();
        let version = detail.with_untracked(|d| d.as_ref().map(|d| (d.id.clone(), d.version)));
        let override_reason = needs_reason().then(|| reason.get_untracked().trim().to_string());
        let (Some(target), Some((id, version))) = (target, version) else {
            return;
        };
        error.set(None);
        let body = AssignCommand {
            target_id: target.target.id.clone(),
            version,
            override_reason,
        };
        let words = format!(
            "Assigned to {} ({}).",
            target.target.name, target.owner.name
        );
        submit.dispatch((id, body, words));
    };
    let pending = submit.pending();

    // Sections: the user's own organisation first, then partners by name (SPEC §4).
    let sections = move || {
        let mine = ctx.my_ods_code.get();
        // Case folds in every language (`domain::text`): "zoë" finds "ZOË".
        let needle = text::fold(filter.get().trim());
        let mut own = Vec::new();
        let mut partners: BTreeMap<(String, String), Vec<Assignable>> = BTreeMap::new();
        all.with(|all| {
            for a in all {
                let matches = needle.is_empty()
                    || text::fold(&a.target.name).contains(&needle)
                    || text::fold(&a.owner.name).contains(&needle)
                    || text::fold(&a.owner.ods_code) == needle;
                if !matches {
                    continue;
                }
                if a.owner.ods_code == mine {
                    own.push(a.clone());
                } else {
                    partners
                        .entry((a.owner.name.clone(), a.owner.ods_code.clone()))
                        .or_default()
                        .push(a.clone());
                }
            }
        });
        let mut out = Vec::new();
        if !own.is_empty() {
            out.push(("Your organisation".to_string(), "own".to_string(), own));
        }
        for ((name, code), items) in partners {
            out.push((name, code, items));
        }
        out
    };

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
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! { <ErrorNotice message=e test_id="assign-error" /> }
                    })
            }}
            <ProblemSummary check=check test_id="assign-error-summary" subheading=true />
            {move || {
                load_error
                    .get()
                    .map(|e| {
                        view! {
                            <ErrorSummary
                                title="Groups and colleagues could not be loaded"
                                message=e.user_message()
                                test_id="assign-load-error"
                                subheading=true
                                on_retry=Callback::new(move |_| targets.refetch())
                            />
                        }
                    })
            }}
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="assign-filter">"Search groups and colleagues"</label>
                <input
                    class="nhsuk-input"
                    id="assign-filter"
                    type="search"
                    autocomplete="off"
                    data-testid="assign-filter"
                    bind:value=filter
                    // Enter in a search box means "search", never "assign to what is selected".
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                        }
                    }
                />
            </div>
            <div
                class="app-assign__targets"
                class:nhsuk-form-group--error=move || check.error(TARGET_FIELD).is_some()
                id=TARGET_FIELD
                data-testid="assign-targets"
            >
                <InlineError check=check field=TARGET_FIELD />
                <Transition fallback=|| view! { <p class="app-loading" role="status">"Loading groups and colleagues…"</p> }>
                    {move || {
                        // Read here, inside the Transition, so that it waits for the answer.
                        targets.with(|_| ());
                        let sections = sections();
                        if sections.is_empty() {
                            let message = if all.with(Vec::is_empty) {
                                "There is nowhere else to assign this request."
                            } else {
                                "No groups or colleagues match your search."
                            };
                            return view! { <p class="app-empty" data-testid="assign-no-targets">{message}</p> }.into_any();
                        }
                        sections
                            .into_iter()
                            .map(|(title, key, items)| {
                                view! {
                                    <fieldset class="nhsuk-fieldset app-assign__section" data-testid=format!("assign-section-{key}")>
                                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{title}</legend>
                                        <div class="nhsuk-radios nhsuk-radios--small">
                                            {items
                                                .into_iter()
                                                .map(|a| target_radio(a, selected))
                                                .collect_view()}
                                        </div>
                                    </fieldset>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </Transition>
            </div>
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
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--secondary"
                    data-testid="assign-cancel"
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

fn target_radio(a: Assignable, selected: RwSignal<Option<String>>) -> impl IntoView {
    let id = a.target.id.clone();
    let input_id = format!("assign-target-{id}");
    let kind = match a.target.kind {
        TargetKind::Group => "Group",
        TargetKind::Colleague => "Colleague",
    };
    let checked = {
        let id = id.clone();
        move || selected.with(|s| s.as_deref() == Some(id.as_str()))
    };
    view! {
        <div class="nhsuk-radios__item">
            <input
                class="nhsuk-radios__input"
                id=input_id.clone()
                name="assign-target"
                type="radio"
                value=id.clone()
                data-testid=format!("assign-target-{id}")
                prop:checked=checked
                on:change=move |_| selected.set(Some(id.clone()))
            />
            <label class="nhsuk-label nhsuk-radios__label" for=input_id>
                {a.target.name.clone()}
                <span class="app-assign__kind">{format!(" ({kind})")}</span>
            </label>
        </div>
    }
}

/// SPEC A3 for the chosen target, and who would see the request afterwards.
#[component]
fn ConsentStep(
    chosen: Assignable,
    detail: Memo<Option<RequestDetail>>,
    reason: RwSignal<String>,
    reason_count: Memo<usize>,
    /// The form's check, whose problem with the reason shows by the text box.
    check: FormCheck,
) -> impl IntoView {
    let ctx = use_messages();
    let (patient, sharing, origin_code, origin_name) = detail.with_untracked(|d| match d {
        Some(d) => (
            d.patient.name.clone(),
            Some(d.patient.sharing),
            d.origin.ods_code.clone(),
            d.origin.name.clone(),
        ),
        None => (String::new(), None, String::new(), String::new()),
    });
    let owner = chosen.owner.name.clone();
    let consent = match chosen.consent {
        Consent::None => (sharing == Some(Sharing::DoNotShare)).then(|| {
            view! {
                <p class="app-consent" data-testid="consent-none">
                    {format!("{owner} has already been involved in this request, so no reason is needed.")}
                </p>
            }
            .into_any()
        }),
        Consent::Agreement => {
            let reference = chosen
                .agreement
                .as_ref()
                .map(|a| a.reference.clone())
                .unwrap_or_default();
            let text = if origin_code == ctx.my_ods_code.get_untracked() {
                format!("Your data sharing agreement {reference} with {owner} applies, so no reason is needed.")
            } else {
                format!(
                    "The data sharing agreement {reference} between {origin_name} and {owner} \
                     applies, so no reason is needed."
                )
            };
            Some(
                view! {
                    <div class="nhsuk-inset-text app-consent" data-testid="consent-agreement">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>{text}</p>
                    </div>
                }
                .into_any(),
            )
        }
        Consent::Reason => {
            let why = format!(
                "{patient} has asked not to share their data, and there is no active data sharing \
                 agreement between {origin_name} and {owner}. Give a reason for sharing this \
                 request with {owner}."
            );
            let count_text = move || {
                let n = reason_count.get();
                if n > REASON_MAX {
                    format!("{n} characters: {} too many (at most {REASON_MAX}).", n - REASON_MAX)
                } else if n < REASON_MIN {
                    format!("{n} characters: at least {REASON_MIN} needed.")
                } else {
                    format!("{n} of at most {REASON_MAX} characters.")
                }
            };
            let has_error = move || check.error(REASON_FIELD).is_some();
            let described_by = move || {
                if has_error() {
                    "assign-reason-hint assign-reason-error assign-reason-count"
                } else {
                    "assign-reason-hint assign-reason-count"
                }
            };
            Some(
                view! {
                    <div class="nhsuk-form-group app-consent" class:nhsuk-form-group--error=has_error data-testid="consent-reason">
                        <label class="nhsuk-label nhsuk-label--s" for="assign-reason">
                            "Reason for sharing (required)"
                        </label>
                        <div class="nhsuk-hint" id="assign-reason-hint" data-testid="consent-reason-why">{why}</div>
                        <InlineError check=check field=REASON_FIELD />
                        <textarea
                            class="nhsuk-textarea"
                            class:nhsuk-textarea--error=has_error
                            id=REASON_FIELD
                            aria-invalid=move || has_error().then_some("true")
                            name="reason"
                            rows="4"
                            required
                            aria-describedby=described_by
                            data-testid="assign-reason"
                            bind:value=reason
                        ></textarea>
                        <p class="nhsuk-hint app-count" id="assign-reason-count" aria-live="polite" data-testid="assign-reason-count">
                            {count_text}
                        </p>
                    </div>
                }
                .into_any(),
            )
        }
    };
    let orgs = chosen
        .would_see
        .organisations
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>();
    let others = chosen.would_see.other_unrestricted_partners;
    let others_text = match others {
        0 => None,
        1 => Some("and 1 other organisation".to_string()),
        n => Some(format!("and {n} other organisations")),
    };
    view! {
        {consent}
        <div class="app-would-see" data-testid="would-see">
            <h3 class="nhsuk-heading-xs">"Who will see this request afterwards"</h3>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {orgs.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                {others_text.map(|t| view! { <li data-testid="would-see-others">{t}</li> })}
            </ul>
        </div>
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

/// The fields of the assign form that can be wrong: the radios' container (its link focuses
/// the first radio) and the reason.
const TARGET_FIELD: &str = "assign-targets";
const REASON_FIELD: &str = "assign-reason";
