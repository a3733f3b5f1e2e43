//! The Groups and Colleagues pages (one component, the kind as a prop): every target with its
//! Share button and "Shared with" list (guide step 2, SPEC §4). Admins get the controls (S1);
//! staff read the same lists without them (R1).

use domain::wire::{Share, Target, TargetKind};
use leptos::prelude::*;

use super::edit_share_dialog::{EditShareDialog, ShareEdit};
use super::share_dialog::ShareDialog;
use super::{dom_id, focus_soon, share_actions, RestrictedMarker, StateTag};
use crate::api;
use crate::components::error_summary::ErrorSummary;
use crate::components::page_heading::PageHeading;
use crate::components::status_notice::StatusNotice;
use crate::live::{restore_focus_soon, use_live};
use crate::state::{on_answer, use_server_changes, use_session};

/// What must be true of the reloaded list before focus can go back to a control: a control
/// whose row changed is re-rendered, so focusing it before the new list arrives would be lost.
#[derive(Clone, Debug, PartialEq)]
enum FocusWhen {
    /// The share was created; then focus the target's Share button again.
    Created { share_id: String, target_id: String },
    /// The share exists with this restricted flag; then focus its partner button.
    Edited { share_id: String, restricted: bool },
    /// The share is gone; then focus the target's Share button.
    Removed { share_id: String, target_id: String },
}

fn met(list: &[Target], when: &FocusWhen) -> Option<String> {
    let find = |id: &str| {
        list.iter()
            .flat_map(|t| t.shares.iter())
            .find(|s| s.id == id)
            .cloned()
    };
    match when {
        FocusWhen::Created {
            share_id,
            target_id,
        } => find(share_id).map(|_| dom_id("share-button", target_id)),
        FocusWhen::Edited {
            share_id,
            restricted,
        } => find(share_id)
            .filter(|s| s.restricted == *restricted)
            .map(|s| dom_id("partner", &s.id)),
        FocusWhen::Removed {
            share_id,
            target_id,
        } => find(share_id)
            .is_none()
            .then(|| dom_id("share-button", target_id)),
    }
}

#[component]
pub fn TargetList(kind: TargetKind) -> impl IntoView {
    let session = use_session();
    // Read once: switching persona remounts the page, and reading the session inside the
    // list's closure would re-run it while the page is being torn down.
    let is_admin = session.is_admin();
    let own_ods = Signal::stored(session.ods_code_untracked());
    let (title, plural, empty) = match kind {
        TargetKind::Group => ("Groups", "groups", "No groups yet"),
        TargetKind::Colleague => ("Colleagues", "colleagues", "No colleagues yet"),
    };

    // Reloaded whenever a change of this tab is answered (`state::ServerChanges`), and when the
    // stream says a share of ours changed (a partner enabled it: the tag turns green, E4).
    let changes = use_server_changes();
    let live = use_live();
    let targets = LocalResource::new(move || {
        changes.track();
        live.track_shares();
        api::targets()
    });
    let sharing = RwSignal::new(None::<Target>);
    let editing = RwSignal::new(None::<(Target, Share)>);
    let notice = RwSignal::new(None::<String>);
    let focus_when = RwSignal::new(None::<FocusWhen>);

    // A reload the stream caused may replace the focused control: focus follows (E4).
    Effect::new(move |_| {
        if targets.with(Option::is_some) {
            restore_focus_soon();
        }
    });
    // Returns focus to the control the user was on once the reloaded list shows the change.
    Effect::new(move |_| {
        let Some(Ok(list)) = targets.get() else {
            return;
        };
        let Some(when) = focus_when.get_untracked() else {
            return;
        };
        if let Some(id) = met(&list, &when) {
            focus_when.set(None);
            focus_soon(id);
        }
    });

    // The calls belong to the page: whatever became of the dialog, an answer reloads the list
    // (a refused one too, since the list may be out of date) and says what changed.
    let (create, edit) = share_actions();
    on_answer(create, move |(target, answer)| {
        if let Ok(share) = answer {
            sharing.set(None);
            let restricted = if share.restricted {
                " with Restrict View"
            } else {
                ""
            };
            notice.set(Some(format!(
                "{} is now shared with {}{restricted}. It shows as Pending until an administrator there accepts it.",
                target.name, share.partner.name
            )));
            focus_when.set(Some(FocusWhen::Created {
                share_id: share.id.clone(),
                target_id: target.id.clone(),
            }));
        }
    });
    on_answer(edit, move |(target, answer)| match answer {
        Ok(ShareEdit::Saved(share)) => {
            editing.set(None);
            let how = if share.restricted {
                "restricted"
            } else {
                "unrestricted"
            };
            notice.set(Some(format!(
                "The share of {} with {} is now {how}.",
                target.name, share.partner.name
            )));
            focus_when.set(Some(FocusWhen::Edited {
                share_id: share.id.clone(),
                restricted: share.restricted,
            }));
        }
        Ok(ShareEdit::Removed { share_id }) => {
            editing.set(None);
            notice.set(Some(format!(
                "{} is no longer shared with that organisation.",
                target.name
            )));
            focus_when.set(Some(FocusWhen::Removed {
                share_id: share_id.clone(),
                target_id: target.id.clone(),
            }));
        }
        Err(_) => {}
    });

    let rows = move || {
        targets.get().map(|answer| {
            answer.map(|list| {
                list.into_iter()
                    .filter(|t| t.kind == kind)
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <div data-testid=format!("page-{plural}")>
            <PageHeading title=title />
            <p class="nhsuk-body">
                {format!(
                    "Your organisation's {plural} and the partner organisations they are shared with. A share stays Pending until an administrator at the partner accepts it.",
                )}
            </p>
            <StatusNotice text=notice test_id="sharing-notice" />
            <Transition fallback=move || {
                view! {
                    <p class="nhsuk-body" role="status" data-testid="targets-loading">
                        {format!("Loading {plural}…")}
                    </p>
                }
            }>
                {move || {
                    rows()
                        .map(|answer| match answer {
                            Err(e) => {
                                view! {
                                    <ErrorSummary title=format!("Your {plural} could not be loaded") message=e.user_message() test_id="targets-error" on_retry=Callback::new(move |_| targets.refetch()) />
                                }
                                    .into_any()
                            }
                            Ok(list) if list.is_empty() => {
                                view! {
                                    <p class="nhsuk-body" data-testid="targets-empty">
                                        {empty}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(list) => {
                                view! {
                                    <ul class="app-target-list">
                                        <For
                                            each=move || list.clone()
                                            // Any change to the row (a share added, edited or
                                            // removed) must re-render it, so the key is all of it.
                                            key=|t| format!("{t:?}")
                                            children=move |t| {
                                                view! {
                                                    <TargetRow
                                                        target=t
                                                        is_admin=is_admin
                                                        sharing=sharing
                                                        editing=editing
                                                    />
                                                }
                                            }
                                        />
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <ShareDialog kind=kind target=sharing own_ods=own_ods create=create />
            <EditShareDialog editing=editing edit=edit />
        </div>
    }
}

#[component]
fn TargetRow(
    target: Target,
    is_admin: bool,
    sharing: RwSignal<Option<Target>>,
    editing: RwSignal<Option<(Target, Share)>>,
) -> impl IntoView {
    let heading_id = dom_id("target-name", &target.id);
    let labelled_by = heading_id.clone();
    let share_button_id = dom_id("share-button", &target.id);
    let for_share = target.clone();
    let shares = target.shares.clone();
    let for_edit = target.clone();
    view! {
        <li
            class="app-target"
            data-testid=format!("target-{}", target.id)
            aria-labelledby=labelled_by
        >
            <div class="app-target__head">
                <h2 class="nhsuk-heading-s app-target__name" id=heading_id>
                    {target.name.clone()}
                </h2>
                {is_admin
                    .then(|| {
                        let for_share = for_share.clone();
                        view! {
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-target__share"
                                id=share_button_id
                                data-testid="share-button"
                                on:click=move |_| sharing.set(Some(for_share.clone()))
                            >
                                "Share"
                                <span class="nhsuk-u-visually-hidden">{format!(" {}", target.name)}</span>
                            </button>
                        }
                    })}
            </div>
            <p class="nhsuk-body-s app-target__label">"Shared with"</p>
            {if shares.is_empty() {
                view! {
                    <p class="nhsuk-body-s app-target__none" data-testid="shared-with-none">
                        "Not shared with any organisation."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="app-shares" data-testid="shared-with">
                        {shares
                            .into_iter()
                            .map(|share| {
                                let for_edit = for_edit.clone();
                                view! { <ShareItem share=share target=for_edit is_admin=is_admin editing=editing /> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </li>
    }
}

#[component]
fn ShareItem(
    share: Share,
    target: Target,
    is_admin: bool,
    editing: RwSignal<Option<(Target, Share)>>,
) -> impl IntoView {
    let partner = share.partner.clone();
    let name = if is_admin {
        let for_edit = (target, share.clone());
        view! {
            <button
                type="button"
                class="app-link-button"
                id=dom_id("partner", &share.id)
                data-testid="partner-button"
                on:click=move |_| editing.set(Some(for_edit.clone()))
            >
                {partner.name.clone()}
                <span class="nhsuk-u-visually-hidden">": edit or remove this share"</span>
            </button>
        }
        .into_any()
    } else {
        view! { <span class="app-shares__name">{partner.name.clone()}</span> }.into_any()
    };
    view! {
        <li class="app-shares__item" data-testid=format!("share-{}", partner.ods_code)>
            {name}
            <span class="app-ods">{format!(" ({}) ", partner.ods_code)}</span>
            <StateTag state=share.state />
            {share.restricted.then(|| view! { <RestrictedMarker /> })}
        </li>
    }
}
