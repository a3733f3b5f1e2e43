//! The Groups and Colleagues pages (one component, the kind as a prop): every target with its
//! Share button and "Shared with" list (guide step 2, SPEC §4). Admins get the controls (S1);
//! staff read the same lists without them (R1). Targets and their shares are keyed by id with
//! reactive rows (`rows`), so a reload (this tab's change, or a partner enabling a share, E4)
//! updates them in place and focus stays on the control the user was on.

use domain::wire::{Share, Target, TargetKind};
use leptos::prelude::*;

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::sharing::edit_share_dialog::{EditShareDialog, ShareEdit};
use crate::components::sharing::share_dialog::ShareDialog;
use crate::components::sharing::{share_actions, RestrictedMarker, StateTag};
use crate::components::status_notice::StatusNotice;
use crate::dom::dom_id;
use crate::focus::focus_soon;
use crate::reload::{use_reload, Kind};
use crate::rows::{keyed, Row};
use crate::state::{on_answer, use_session};

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

    let reload = use_reload();
    let targets = LocalResource::new(move || {
        reload.track(Kind::Shares);
        api::targets()
    });
    let rows = keyed(
        move || {
            targets.with(|t| match t {
                Some(Ok(list)) => list.iter().filter(|t| t.kind == kind).cloned().collect(),
                _ => Vec::new(),
            })
        },
        |t: &Target| t.id.clone(),
    );
    let sharing = RwSignal::new(None::<Target>);
    let editing = RwSignal::new(None::<(Target, Share)>);
    let notice = RwSignal::new(None::<String>);

    // The calls belong to the page: whatever became of the dialog, an answer reloads the list
    // and says what changed. The dialog's opener (the Share or the partner button) stays on
    // the page, and the browser gives focus back to it, except after a removal, which takes
    // the partner button away: focus goes to the target's Share button (WCAG 2.4.3).
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
        }
        Ok(ShareEdit::Removed { .. }) => {
            editing.set(None);
            notice.set(Some(format!(
                "{} is no longer shared with that organisation.",
                target.name
            )));
            focus_soon(dom_id("share-button", &target.id));
        }
        Err(_) => {}
    });

    view! {
        <div data-testid=format!("page-{plural}")>
            <PageHeading title=title />
            <p class="nhsuk-body">
                {format!(
                    "Your organisation's {plural} and the partner organisations they are shared with. A share stays Pending until an administrator at the partner accepts it.",
                )}
            </p>
            <StatusNotice text=notice test_id="sharing-notice" />
            <Loaded
                resource=targets
                loading=format!("Loading {plural}…")
                error_title=format!("Your {plural} could not be loaded")
                error_test_id="targets-error"
            >
                <Show
                    when=move || rows.with(|r| !r.is_empty())
                    fallback=move || view! { <p class="nhsuk-body" data-testid="targets-empty">{empty}</p> }
                >
                    <ul class="app-target-list">
                        <For each=move || rows.get() key=|row| row.id.clone() let:row>
                            <TargetRow row=row is_admin=is_admin sharing=sharing editing=editing />
                        </For>
                    </ul>
                </Show>
            </Loaded>
            <ShareDialog kind=kind target=sharing own_ods=own_ods create=create />
            <EditShareDialog editing=editing edit=edit />
        </div>
    }
}

#[component]
fn TargetRow(
    row: Row<Target>,
    is_admin: bool,
    sharing: RwSignal<Option<Target>>,
    editing: RwSignal<Option<(Target, Share)>>,
) -> impl IntoView {
    let target = row.value;
    let heading_id = dom_id("target-name", &row.id);
    let labelled_by = heading_id.clone();
    let name = {
        let target = target.clone();
        move || target.with(|t| t.name.clone())
    };
    let shares = {
        let target = target.clone();
        keyed(
            move || target.with(|t| t.shares.clone()),
            |s: &Share| s.id.clone(),
        )
    };
    let share_button = is_admin.then(|| {
        let target = target.clone();
        let name = name.clone();
        view! {
            <button
                type="button"
                class="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-target__share"
                id=dom_id("share-button", &row.id)
                data-testid="share-button"
                on:click=move |_| sharing.set(Some(target.get_untracked()))
            >
                "Share"
                <span class="nhsuk-u-visually-hidden">{move || format!(" {}", name())}</span>
            </button>
        }
    });
    let for_shares = StoredValue::new(target.clone());
    view! {
        <li class="app-target" data-testid=format!("target-{}", row.id) aria-labelledby=labelled_by>
            <div class="app-target__head">
                <h2 class="nhsuk-heading-s app-target__name" id=heading_id>
                    {name}
                </h2>
                {share_button}
            </div>
            <p class="nhsuk-body-s app-target__label">"Shared with"</p>
            <Show
                when=move || shares.with(|s| !s.is_empty())
                fallback=|| view! {
                    <p class="nhsuk-body-s app-target__none" data-testid="shared-with-none">
                        "Not shared with any organisation."
                    </p>
                }
            >
                <ul class="app-shares" data-testid="shared-with">
                    <For each=move || shares.get() key=|share| share.id.clone() let:share>
                        <ShareItem share=share target=for_shares.get_value() is_admin=is_admin editing=editing />
                    </For>
                </ul>
            </Show>
        </li>
    }
}

#[component]
fn ShareItem(
    share: Row<Share>,
    target: ArcRwSignal<Target>,
    is_admin: bool,
    editing: RwSignal<Option<(Target, Share)>>,
) -> impl IntoView {
    let value = share.value;
    let partner = value.with_untracked(|s| s.partner.clone());
    let name = if is_admin {
        let value = value.clone();
        view! {
            <button
                type="button"
                class="app-link-button"
                id=dom_id("partner", &share.id)
                data-testid="partner-button"
                on:click=move |_| {
                    editing.set(Some((target.get_untracked(), value.get_untracked())))
                }
            >
                {partner.name.clone()}
                <span class="nhsuk-u-visually-hidden">": edit or remove this share"</span>
            </button>
        }
        .into_any()
    } else {
        view! { <span class="app-shares__name">{partner.name.clone()}</span> }.into_any()
    };
    let state = {
        let value = value.clone();
        move || {
            let state = value.with(|s| s.state);
            view! { <StateTag state=state /> }
        }
    };
    let restricted = move || {
        value
            .with(|s| s.restricted)
            .then(|| view! { <RestrictedMarker /> })
    };
    view! {
        <li class="app-shares__item" data-testid=format!("share-{}", partner.ods_code)>
            {name}
            <span class="app-ods">{format!(" ({}) ", partner.ods_code)}</span>
            {state}
            {restricted}
        </li>
    }
}
