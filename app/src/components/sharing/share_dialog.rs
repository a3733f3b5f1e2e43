//! The Share dialog of the guide's step 2: choose a partner organisation with the combobox,
//! optionally Restrict View, read what the partner would gain, and Share (SPEC S1–S4).

use domain::preview::share_effect;
use domain::wire::{Organisation, ShareCreate, Target, TargetKind};
use leptos::prelude::*;

use super::{CreateShare, NewShare, RestrictViewCheckbox};
use crate::api::ApiError;
use crate::components::action_error::ActionError;
use crate::components::dialog::{CancelButton, Dialog};
use crate::components::error_summary::{FormCheck, Problem, ProblemSummary};
use crate::components::org_combobox::OrgCombobox;
use crate::state::on_answer;

/// The dialog, open while `target` holds the group or colleague being shared.
#[component]
pub fn ShareDialog(
    kind: TargetKind,
    target: RwSignal<Option<Target>>,
    /// The signed-in user's organisation, which cannot be chosen (S3).
    own_ods: Signal<String>,
    /// The page's call (so that a share made after the dialog closed still shows on the page).
    create: CreateShare,
) -> impl IntoView {
    let title = match kind {
        TargetKind::Group => "Share a group",
        TargetKind::Colleague => "Share a colleague",
    };
    let close = Callback::new(move |_| target.set(None));
    view! {
        <Dialog
            open=Signal::derive(move || target.with(Option::is_some))
            title=title
            on_close=close
            test_id="share-dialog"
        >
            {move || {
                target
                    .get_untracked()
                    .map(|t| {
                        view! { <ShareForm target=t own_ods=own_ods on_cancel=close create=create /> }
                    })
            }}
        </Dialog>
    }
}

/// A sentence for a refused share, naming what to do instead.
pub fn refusal_message(error: &ApiError, target: &str, partner: &str) -> String {
    match error.code() {
        Some("already_shared") => format!(
            "{target} is already shared with {partner} (SPEC S2). Close this dialog and choose \
             {partner} in the Shared with list to edit that share instead."
        ),
        Some("partner_not_available") => format!(
            "{target} cannot be shared with {partner}: {}",
            error.user_message()
        ),
        Some("forbidden") => {
            "Only an administrator of your organisation can share it (SPEC S1).".to_string()
        }
        _ => error.user_message(),
    }
}

/// The combobox's text box, the field of the "nothing chosen" problem.
const ORG_FIELD: &str = "share-org-input";

#[component]
fn ShareForm(
    target: Target,
    own_ods: Signal<String>,
    on_cancel: Callback<()>,
    create: CreateShare,
) -> impl IntoView {
    let selected = RwSignal::new(None::<Organisation>);
    let restricted = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = create.pending();
    on_answer(create, move |(_, answer)| {
        if let Err(message) = answer {
            error.set(Some(message.clone()));
        }
    });
    let kind = target.kind;
    let noun = match target.kind {
        TargetKind::Group => "group",
        TargetKind::Colleague => "colleague",
    };

    let shared_with: Vec<String> = target
        .shares
        .iter()
        .map(|s| s.partner.ods_code.clone())
        .collect();
    // Why an organisation cannot be chosen: SPEC S2 (once per partner) and S3 (not one's own,
    // not inactive). The server checks again; this only explains it before anyone tries.
    let unavailable = Callback::new(move |org: Organisation| {
        if org.ods_code == own_ods.get_untracked() {
            Some("Your own organisation: share with a partner instead.".to_string())
        } else if !org.active {
            Some("Inactive organisation: it cannot be shared with.".to_string())
        } else if shared_with.contains(&org.ods_code) {
            Some(format!(
                "Already shared with this {noun}: edit the existing share instead."
            ))
        } else {
            None
        }
    });

    // The NHS pattern (issue 15, item 7): Share is never greyed out; pressing it with no
    // organisation chosen explains what is missing and sends nothing.
    let check = FormCheck::new(move || {
        if selected.with(Option::is_none) {
            vec![Problem::new(ORG_FIELD, "Choose an organisation to share with").code("required")]
        } else {
            Vec::new()
        }
    });

    let target_for_submit = target.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        let Some(partner) = selected.get_untracked() else {
            return;
        };
        error.set(None);
        let body = ShareCreate {
            target_id: target_for_submit.id.clone(),
            partner_ods_code: partner.ods_code.clone(),
            restricted: restricted.get_untracked(),
        };
        create.dispatch(NewShare {
            target: target_for_submit.clone(),
            body,
            partner_name: partner.name.clone(),
        });
    };

    let preview = move || {
        selected.get().map(|org| {
            view! {
                <div class="nhsuk-inset-text app-preview" data-testid="share-preview">
                    <span class="nhsuk-u-visually-hidden">"What this share would do: "</span>
                    <p>{share_effect(&org.name, kind, restricted.get())}</p>
                </div>
            }
        })
    };

    view! {
        <form on:submit=submit novalidate=true>
            <p class="nhsuk-body">
                "Share "
                <strong data-testid="share-target-name">{target.name.clone()}</strong>
                " with another organisation so that its staff can assign requests to it and cover it."
            </p>
            <ActionError text=error title="The share was not created" test_id="share-error" subheading=true />
            <ProblemSummary check=check test_id="share-problems" subheading=true />
            <OrgCombobox
                id="share-org"
                label="Organisation name or ODS code"
                selected=selected
                unavailable=unavailable
                check=check
            />
            <RestrictViewCheckbox id="share-restricted" checked=restricted />
            {preview}
            <div class="app-dialog__actions">
                <button
                    type="submit"
                    class="nhsuk-button"
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                    data-testid="share-submit"
                >
                    "Share"
                </button>
                <CancelButton on_cancel=on_cancel test_id="share-cancel" />
            </div>
        </form>
    }
}
