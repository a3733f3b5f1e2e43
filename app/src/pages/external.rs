//! External page (guide step 3): the groups and colleagues other organisations shared with
//! ours, by owner, with their state; an admin enables or disables each one (SPEC S4, S6).

use std::collections::BTreeMap;

use domain::preview::external_effect;
use domain::wire::{ExternalShare, ShareState, TargetKind};
use leptos::prelude::*;

use crate::api;
use crate::components::error_summary::ErrorSummary;
use crate::components::page_heading::PageHeading;
use crate::components::sharing::{dom_id, focus_soon, RestrictedMarker, StateTag};
use crate::components::status_notice::StatusNotice;
use crate::live::{restore_focus_soon, use_live};
use crate::state::{on_answer, use_server_changes, use_session};

/// Shares grouped by owner organisation, owners by name.
fn by_owner(list: Vec<ExternalShare>) -> Vec<(String, String, Vec<ExternalShare>)> {
    let mut groups: BTreeMap<(String, String), Vec<ExternalShare>> = BTreeMap::new();
    for share in list {
        groups
            .entry((share.owner.name.clone(), share.owner.ods_code.clone()))
            .or_default()
            .push(share);
    }
    groups
        .into_iter()
        .map(|((name, code), mut shares)| {
            shares.sort_by(|a, b| a.target.name.cmp(&b.target.name));
            (name, code, shares)
        })
        .collect()
}

/// The last answer the notice compared, and whether a reset came since.
#[derive(Clone, PartialEq)]
struct Seen {
    resets: u32,
    list: Vec<ExternalShare>,
    skip_next: bool,
}

/// What changed between two answers of `GET /api/external`, in a sentence: "North Tees PCN
/// shared Care Home Team with you", or that an owner stopped sharing one.
fn news(before: &[ExternalShare], now: &[ExternalShare]) -> Option<String> {
    let has = |list: &[ExternalShare], id: &str| list.iter().any(|s| s.share_id == id);
    let mut sentences: Vec<String> = now
        .iter()
        .filter(|s| !has(before, &s.share_id))
        .map(|s| format!("{} shared {} with you.", s.owner.name, s.target.name))
        .collect();
    sentences.extend(before.iter().filter(|s| !has(now, &s.share_id)).map(|s| {
        format!(
            "{} stopped sharing {} with you.",
            s.owner.name, s.target.name
        )
    }));
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

#[component]
pub fn ExternalPage() -> impl IntoView {
    let session = use_session();
    // Read once: switching persona remounts the page.
    let is_admin = session.is_admin();
    // Reloaded whenever a change of this tab is answered (`state::ServerChanges`), and when the
    // stream says a share with our organisation was created, changed or removed (E4).
    let changes = use_server_changes();
    let live = use_live();
    let shares = LocalResource::new(move || {
        changes.track();
        live.track_shares();
        api::external()
    });
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    // A share that appears or disappears between two answers is news from another
    // organisation (this page only enables and disables): say so in the polite notice, with
    // the names the normal call answered, never from the event (E2). The first answer, and the
    // first after a reset (the seed's shares again), are not news.
    Effect::new(move |before: Option<Option<Seen>>| {
        let resets = live.resets();
        let Some(Ok(list)) = shares.get() else {
            return before.flatten();
        };
        let before = before.flatten();
        match before {
            Some(seen) if seen.resets != resets => Some(Seen {
                resets,
                list: seen.list,
                skip_next: true,
            }),
            Some(seen) if seen.list == list => Some(seen),
            Some(seen) => {
                if !seen.skip_next {
                    if let Some(text) = news(&seen.list, &list) {
                        notice.set(Some(text));
                    }
                }
                Some(Seen {
                    resets,
                    list,
                    skip_next: false,
                })
            }
            None => Some(Seen {
                resets,
                list,
                skip_next: false,
            }),
        }
    });
    // The share whose button was pressed and the state it should have once reloaded; its row
    // is re-rendered, so focus goes back to the new button only then.
    let focus_when = RwSignal::new(None::<(String, ShareState)>);

    // A reload the stream caused may replace the focused button: focus follows (E4).
    Effect::new(move |_| {
        if shares.with(Option::is_some) {
            restore_focus_soon();
        }
    });
    Effect::new(move |_| {
        let Some(Ok(list)) = shares.get() else {
            return;
        };
        let Some((id, state)) = focus_when.get_untracked() else {
            return;
        };
        if list.iter().any(|s| s.share_id == id && s.state == state) {
            focus_when.set(None);
            focus_soon(dom_id("external-action", &id));
        }
    });

    // The page owns the call; an answer after the page is gone is simply dropped with it.
    let set_enabled = Action::new_local(move |(share, enable): &(ExternalShare, bool)| {
        let (share, enable) = (share.clone(), *enable);
        async move {
            let answer = api::set_external_enabled(&share.share_id, enable).await;
            changes.bump();
            (share, enable, answer)
        }
    });
    on_answer(set_enabled, move |(share, enable, answer)| match answer {
        Ok(updated) => {
            let what = if *enable { "enabled" } else { "disabled" };
            notice.set(Some(format!(
                "{} from {} is {what}.",
                updated.target.name, updated.owner.name
            )));
            focus_when.set(Some((updated.share_id.clone(), updated.state)));
        }
        Err(e) => error.set(Some(format!(
            "{} could not be changed: {}",
            share.target.name,
            e.user_message()
        ))),
    });
    // The share whose call is on its way, if any.
    let busy = Signal::derive(move || {
        set_enabled
            .input()
            .with(|i| i.as_ref().map(|(s, _)| s.share_id.clone()))
    });
    let act = move |share: ExternalShare, enable: bool| {
        error.set(None);
        set_enabled.dispatch((share, enable));
    };

    view! {
        <div data-testid="page-external">
            <PageHeading title="External" />
            <p class="nhsuk-body">
                "Groups and colleagues that other organisations have shared with yours. Your staff can assign requests to them and cover them only once an administrator here enables them."
            </p>
            <StatusNotice text=notice test_id="external-notice" />
            {move || {
                error
                    .get()
                    .map(|text| {
                        view! {
                            <ErrorSummary title="Nothing was changed" message=text test_id="external-action-error" />
                        }
                    })
            }}
            <Transition fallback=|| {
                view! { <p class="nhsuk-body" role="status">"Loading shared groups and colleagues…"</p> }
            }>
                {move || {
                    shares
                        .get()
                        .map(|answer| match answer {
                            Err(e) => {
                                view! {
                                    <ErrorSummary title="Shared groups and colleagues could not be loaded" message=e.user_message() test_id="external-error" on_retry=Callback::new(move |_| shares.refetch()) />
                                }
                                    .into_any()
                            }
                            Ok(list) if list.is_empty() => {
                                view! {
                                    <p class="nhsuk-body" data-testid="external-empty">
                                        "No organisation has shared a group or colleague with yours yet."
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(list) => {
                                by_owner(list)
                                    .into_iter()
                                    .map(|(owner, code, items)| {
                                        let heading_id = dom_id("owner", &code);
                                        let labelled_by = heading_id.clone();
                                        view! {
                                            <section
                                                class="app-owner"
                                                aria-labelledby=labelled_by
                                                data-testid=format!("owner-{code}")
                                            >
                                                <h2 class="nhsuk-heading-m" id=heading_id>
                                                    {owner}
                                                    " "
                                                    <span class="app-ods">{format!("({code})")}</span>
                                                </h2>
                                                <ul class="app-target-list">
                                                    <For
                                                        each=move || items.clone()
                                                        // State and restriction are part of the
                                                        // key, so a changed row is re-rendered.
                                                        key=|s| format!("{s:?}")
                                                        children=move |s| {
                                                            view! { <ExternalItem share=s is_admin=is_admin busy=busy act=act /> }
                                                        }
                                                    />
                                                </ul>
                                            </section>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </div>
    }
}

#[component]
fn ExternalItem<F>(
    share: ExternalShare,
    is_admin: bool,
    busy: Signal<Option<String>>,
    act: F,
) -> impl IntoView
where
    F: Fn(ExternalShare, bool) + Copy + 'static,
{
    let kind = match share.target.kind {
        TargetKind::Group => "Group",
        TargetKind::Colleague => "Colleague",
    };
    // Pending and Disabled offer Enable; Enabled offers Disable (SPEC S4).
    let enable = share.state != ShareState::Enabled;
    let label = if enable { "Enable" } else { "Disable" };
    let effect = external_effect(share.state, share.restricted);
    let id = share.share_id.clone();
    let for_action = share.clone();
    view! {
        <li class="app-target" data-testid=format!("external-{}", share.target.id)>
            <div class="app-target__head">
                <h3 class="nhsuk-heading-s app-target__name">
                    {share.target.name.clone()}
                    <span class="app-target__kind">{format!(" {kind}")}</span>
                </h3>
                {is_admin
                    .then(|| {
                        let name = share.target.name.clone();
                        let for_action = for_action.clone();
                        let id_busy = id.clone();
                        view! {
                            <button
                                type="button"
                                class=if enable {
                                    "nhsuk-button nhsuk-button--small"
                                } else {
                                    "nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                                }
                                id=dom_id("external-action", &id)
                                data-testid="external-action"
                                disabled=move || busy.get().is_some()
                                aria-busy=move || {
                                    (busy.get().as_deref() == Some(id_busy.as_str())).then_some("true")
                                }
                                on:click=move |_| act(for_action.clone(), enable)
                            >
                                {label}
                                <span class="nhsuk-u-visually-hidden">{format!(" {name}")}</span>
                            </button>
                        }
                    })}
            </div>
            <p class="app-shares__item">
                <StateTag state=share.state />
                {share.restricted.then(|| view! { <RestrictedMarker /> })}
            </p>
            <p class="nhsuk-body-s app-effect" data-testid="external-effect">
                {effect}
            </p>
        </li>
    }
}
