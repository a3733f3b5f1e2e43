//! Editing a share from the owner's side (SPEC S5): only Restrict View can change; Remove asks
//! for confirmation first, and says that nothing moves (S7).

use domain::preview::{removal_effect, restriction_change_effect};
use domain::wire::{Share, Target};
use leptos::prelude::*;

use super::{EditInput, EditShare, RestrictViewCheckbox, StateTag};
use crate::components::action_error::ActionError;
use crate::components::dialog::{CancelButton, Dialog};
use crate::components::error_summary::{FormCheck, Problem, ProblemSummary};
use crate::focus::focus_soon;
use crate::state::on_answer;

/// What the owner does to a share: as asked (the share with its new flag), and as answered.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareEdit {
    Saved(Share),
    Removed { share_id: String },
}

/// The dialog, open while `editing` holds the target and the share being edited.
#[component]
pub fn EditShareDialog(
    editing: RwSignal<Option<(Target, Share)>>,
    /// The page's call, so a change answered after the dialog closed still shows on the page.
    edit: EditShare,
) -> impl IntoView {
    let close = Callback::new(move |_| editing.set(None));
    view! {
        <Dialog
            open=Signal::derive(move || editing.with(Option::is_some))
            title="Edit share"
            on_close=close
            test_id="edit-share-dialog"
        >
            {move || {
                editing
                    .get_untracked()
                    .map(|(target, share)| {
                        view! { <EditForm target=target share=share on_cancel=close edit=edit /> }
                    })
            }}
        </Dialog>
    }
}

/// The Restrict View checkbox of the form, the field of the "nothing changed" problem.
const RESTRICT_FIELD: &str = "edit-restricted";

#[component]
fn EditForm(
    target: Target,
    share: Share,
    on_cancel: Callback<()>,
    edit: EditShare,
) -> impl IntoView {
    let restricted = RwSignal::new(share.restricted);
    let confirming = RwSignal::new(false);
    let busy = edit.pending();
    let error = RwSignal::new(None::<String>);
    on_answer(edit, move |(_, answer)| {
        if let Err(e) = answer {
            error.set(Some(e.user_message()));
        }
    });
    let kind = target.kind;
    let partner = share.partner.name.clone();
    let was_restricted = share.restricted;
    let changed = move || restricted.get() != was_restricted;

    let share_stored = StoredValue::new(share.clone());
    let target_stored = StoredValue::new(target.clone());

    // The NHS pattern (issue 15, item 7): Save is never greyed out; pressing it with nothing
    // changed says what would change the share (S5: only Restrict View can).
    let unchanged = if was_restricted {
        "Clear Restrict View to change the share, or choose Cancel"
    } else {
        "Select Restrict View to change the share, or choose Cancel"
    };
    let check = FormCheck::new(move || {
        if changed() {
            Vec::new()
        } else {
            vec![Problem::new(RESTRICT_FIELD, unchanged).code("unchanged")]
        }
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        error.set(None);
        let mut asked = share_stored.get_value();
        asked.restricted = restricted.get_untracked();
        edit.dispatch(EditInput {
            target: target_stored.get_value(),
            edit: ShareEdit::Saved(asked),
        });
    };

    let remove = move |_| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let share_id = share_stored.with_value(|s| s.id.clone());
        edit.dispatch(EditInput {
            target: target_stored.get_value(),
            edit: ShareEdit::Removed { share_id },
        });
    };

    let partner_for_effect = partner.clone();
    let effect = move || {
        restriction_change_effect(&partner_for_effect, kind, was_restricted, restricted.get()).map(
            |text| {
                view! {
                    <div class="nhsuk-inset-text app-preview" data-testid="edit-preview">
                        <p>{text}</p>
                    </div>
                }
            },
        )
    };
    let removal_text = removal_effect(&partner, kind);
    let heading = format!("Remove the share with {partner}?");

    view! {
        <p class="nhsuk-body">
            <strong>{target.name.clone()}</strong>
            " is shared with "
            <strong data-testid="edit-partner-name">{partner.clone()}</strong>
            {format!(" ({}) ", share.partner.ods_code)}
            <StateTag state=share.state />
        </p>
        <ActionError text=error title="The share was not changed" test_id="edit-error" subheading=true />
        <Show
            when=move || confirming.get()
            fallback=move || {
                view! {
                    <form on:submit=save novalidate=true>
                        <ProblemSummary check=check test_id="edit-problems" subheading=true />
                        <p class="nhsuk-body-s">
                            "Only Restrict View can be changed. To share with another organisation, use Share again."
                        </p>
                        <RestrictViewCheckbox id=RESTRICT_FIELD checked=restricted check=check />
                        {effect.clone()}
                        <div class="app-dialog__actions">
                            <button
                                type="submit"
                                class="nhsuk-button"
                                disabled=move || busy.get()
                                data-testid="edit-save"
                            >
                                "Save"
                            </button>
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--warning"
                                on:click=move |_| {
                                    confirming.set(true);
                                    focus_soon("confirm-remove-heading");
                                }
                                id="edit-remove-button"
                                data-testid="edit-remove"
                            >
                                "Remove share"
                            </button>
                            <CancelButton on_cancel=on_cancel test_id="edit-cancel" />
                        </div>
                    </form>
                }
            }
        >
            <div class="nhsuk-warning-callout" data-testid="confirm-remove">
                <h3 class="nhsuk-warning-callout__label" id="confirm-remove-heading" tabindex="-1">
                    <span role="text">
                        <span class="nhsuk-u-visually-hidden">"Important: "</span>
                        {heading.clone()}
                    </span>
                </h3>
                <p>{removal_text.clone()}</p>
            </div>
            <div class="app-dialog__actions">
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--warning"
                    disabled=move || busy.get()
                    on:click=remove
                    data-testid="confirm-remove-yes"
                >
                    "Yes, remove the share"
                </button>
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--secondary"
                    on:click=move |_| {
                        confirming.set(false);
                        focus_soon("edit-remove-button");
                    }
                    data-testid="confirm-remove-no"
                >
                    "No, keep it"
                </button>
            </div>
        </Show>
    }
}
