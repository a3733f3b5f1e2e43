//! Pieces of the sharing screens (Groups, Colleagues, External, Agreements): the state tag and
//! padlock marker, the organisation combobox, the share and edit dialogs, and the target list.

pub mod edit_share_dialog;
pub mod org_combobox;
pub mod share_dialog;
pub mod target_list;

use domain::wire::{Share, ShareCreate, ShareState, Target};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::error_summary::{FormCheck, InlineError};
use crate::state::use_server_changes;
use edit_share_dialog::ShareEdit;

/// Share a target: `(target, body, partner's name)` answers the target and the new share, or
/// the sentence saying why not. Created by the page, so the page hears the answer even when
/// the dialog was closed before it came.
pub type CreateShare = Action<(Target, ShareCreate, String), (Target, Result<Share, String>)>;

/// Change or remove a share, from the Edit share dialog; owned by the page likewise.
pub type EditShare = Action<(Target, ShareEdit), (Target, Result<ShareEdit, ApiError>)>;

/// The page's two share actions.
///
/// Each accepted change bumps the app's change counter from inside the call, so the lists
/// showing shares reload even when the dialog or the page is gone. A refusal does not: the
/// dialog stays open to say why, and reloading the list under it would replace the button that
/// focus returns to when it closes.
pub fn share_actions() -> (CreateShare, EditShare) {
    let changes = use_server_changes();
    let create = Action::new_local(
        move |(target, body, partner): &(Target, ShareCreate, String)| {
            let (target, body, partner) = (target.clone(), body.clone(), partner.clone());
            async move {
                let answer = api::create_share(&body)
                    .await
                    .map_err(|e| share_dialog::refusal_message(&e, &target.name, &partner));
                if answer.is_ok() {
                    changes.bump();
                }
                (target, answer)
            }
        },
    );
    let edit = Action::new_local(move |(target, edit): &(Target, ShareEdit)| {
        let (target, edit) = (target.clone(), edit.clone());
        async move {
            let answer = match edit {
                ShareEdit::Saved(share) => api::update_share(&share.id, share.restricted)
                    .await
                    .map(ShareEdit::Saved),
                ShareEdit::Removed { share_id } => api::remove_share(&share_id)
                    .await
                    .map(|()| ShareEdit::Removed { share_id }),
            };
            if answer.is_ok() {
                changes.bump();
            }
            (target, answer)
        }
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

/// A human name for the directory's organisation kinds.
pub fn kind_label(kind: &str) -> String {
    match kind {
        "gp_practice" => "GP practice".to_string(),
        "pcn" => "Primary Care Network".to_string(),
        "community_service" => "Community service".to_string(),
        "extended_hours_hub" => "Extended hours hub".to_string(),
        "pharmacy" => "Pharmacy".to_string(),
        "trust" => "NHS trust".to_string(),
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                // Kinds are the API's ASCII identifiers: ASCII upper case spares the wasm
                // Unicode's upper-case table (issue 20, item 7: about 12 KB raw).
                Some(first) => std::iter::once(first.to_ascii_uppercase())
                    .chain(chars)
                    .collect(),
                None => String::new(),
            }
        }
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

/// Moves keyboard focus to the element with this id once the browser has painted, so that a
/// control re-rendered by a reload (its row's key changed) still gets focus back.
pub fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// An element id made only of characters that are safe in ids and CSS selectors.
pub fn dom_id(prefix: &str, raw: &str) -> String {
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}

/// Scrolls the element with this id into view within its scrolling list, e.g. the active
/// option of a listbox moved to with the keyboard.
pub fn scroll_into_view(id: String) {
    if let Some(element) = document().get_element_by_id(&id) {
        element.scroll_into_view_with_bool(false);
    }
}
