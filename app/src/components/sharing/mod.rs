//! Pieces of the sharing screens (Groups, Colleagues, External): the state tag and padlock
//! marker, the Restrict View checkbox, the share and edit dialogs, and the page's two share
//! actions.

pub mod edit_share_dialog;
pub mod share_dialog;

use domain::wire::{Share, ShareCreate, ShareState, Target};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_summary::{FormCheck, InlineError};
use crate::reload::{use_reload, Change, Kind};
use edit_share_dialog::ShareEdit;

/// Share a target with a partner (named for the sentences said afterwards).
#[derive(Clone, Debug, PartialEq)]
pub struct NewShare {
    pub target: Target,
    pub body: ShareCreate,
    pub partner_name: String,
}

/// A share changed or removed from the Edit share dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct EditInput {
    pub target: Target,
    pub edit: ShareEdit,
}

/// Answers the target and the new share, or the sentence saying why not. Created by the page,
/// so the page hears the answer even when the dialog was closed before it came.
pub type CreateShare = Action<NewShare, (Target, Result<Share, String>)>;

/// Change or remove a share; owned by the page likewise.
pub type EditShare = Action<EditInput, (Target, Result<ShareEdit, ApiError>)>;

/// The page's two share actions. Each accepted change names what it changed (`reload`), so
/// the lists showing shares reload even when the dialog or the page is gone. A refusal does
/// not: the dialog stays open to say why.
pub fn share_actions() -> (CreateShare, EditShare) {
    let reload = use_reload();
    let create = Action::new_local(move |input: &NewShare| {
        let NewShare {
            target,
            body,
            partner_name,
        } = input.clone();
        let call = api::create_share(&body);
        async move {
            let answer = call.await;
            match &answer {
                Ok(share) => reload.answered(Change::share(share)),
                Err(_) => reload.stale(Kind::Shares),
            }
            let answer =
                answer.map_err(|e| share_dialog::refusal_message(&e, &target.name, &partner_name));
            (target, answer)
        }
    });
    let edit = Action::new_local(move |input: &EditInput| {
        let target = input.target.clone();
        let call: std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<ShareEdit, ApiError>>>,
        > = match &input.edit {
            ShareEdit::Saved(share) => {
                let call = api::update_share(&share.id, share.restricted);
                Box::pin(async move {
                    let share = call.await?;
                    reload.answered(Change::share(&share));
                    Ok(ShareEdit::Saved(share))
                })
            }
            ShareEdit::Removed { share_id } => {
                let share_id = share_id.clone();
                let call = api::remove_share(&share_id);
                Box::pin(async move {
                    call.await?;
                    reload.answered(Change::share_removed(&share_id));
                    Ok(ShareEdit::Removed { share_id })
                })
            }
        };
        async move { (target, call.await) }
    });
    (create, edit)
}

/// A share's state as an nhsuk tag: grey Pending, green Accepted, white Disabled, as in the
/// guide; the word is always there, so the colour is never the only signal.
#[component]
pub fn StateTag(state: ShareState) -> impl IntoView {
    let (class, label) = match state {
        ShareState::Pending => ("nhsuk-tag nhsuk-tag--grey", "Pending"),
        ShareState::Enabled => ("nhsuk-tag nhsuk-tag--green", "Accepted"),
        ShareState::Disabled => ("nhsuk-tag nhsuk-tag--white", "Disabled"),
    };
    view! {
        <strong class=class data-testid="share-state">
            {label}
        </strong>
    }
}

/// The padlock and the word "Restricted" for a restricted share (the guide's icon, never alone).
#[component]
pub fn RestrictedMarker() -> impl IntoView {
    view! {
        <span class="app-restricted" data-testid="share-restricted">
            <svg
                class="app-restricted__icon"
                xmlns="http://www.w3.org/2000/svg"
                viewBox="0 0 16 16"
                width="14"
                height="14"
                focusable="false"
                aria-hidden="true"
            >
                <path
                    fill="currentColor"
                    d="M8 1a4 4 0 0 0-4 4v2H3a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-1V5a4 4 0 0 0-4-4Zm-2 6V5a2 2 0 1 1 4 0v2H6Z"
                ></path>
            </svg>
            "Restricted"
        </span>
    }
}

/// The guide's explanation of Restrict View, shown beside the checkbox.
const RESTRICT_HINT: &str = "Restricting the view means that if the organisation covers it, \
    they will only see the requests they have assigned to it, not those from other organisations.";

/// The Restrict View checkbox with the guide's hint, as the Share and Edit share dialogs show it
/// (`id` names the input; its hint is `{id}-hint` and its test id is `id`).
#[component]
pub fn RestrictViewCheckbox(
    id: &'static str,
    checked: RwSignal<bool>,
    /// The form's check, whose problem with the field `id` shows by the checkbox.
    #[prop(optional)]
    check: Option<FormCheck>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let has_error = move || check.is_some_and(|c| c.error(id).is_some());
    let hint_for = hint_id.clone();
    let described_by = move || match check {
        Some(c) => c.described_by(id, Some(&hint_for)),
        None => Some(hint_for.clone()),
    };
    view! {
        <div class="nhsuk-form-group" class:nhsuk-form-group--error=has_error>
            {check.map(|check| view! { <InlineError check=check field=id /> })}
            <div class="nhsuk-checkboxes">
                <div class="nhsuk-checkboxes__item">
                    <input
                        class="nhsuk-checkboxes__input"
                        id=id
                        type="checkbox"
                        aria-describedby=described_by
                        aria-invalid=move || has_error().then_some("true")
                        bind:checked=checked
                        data-testid=id
                    />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>
                        "Restrict View"
                    </label>
                    <div class="nhsuk-hint nhsuk-checkboxes__hint" id=hint_id>
                        {RESTRICT_HINT}
                    </div>
                </div>
            </div>
        </div>
    }
}
