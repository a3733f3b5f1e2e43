//! External page (guide step 3): the groups and colleagues other organisations shared with
//! ours, by owner, with their state; an admin enables or disables each one (SPEC S4, S6).

use std::collections::BTreeMap;

use domain::preview::external_effect;
use domain::wire::{ExternalShare, ShareState};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::sharing::{RestrictedMarker, StateTag};
use crate::components::status_notice::StatusNotice;
use crate::dom::dom_id;
use crate::format::target_kind_words;
use crate::reload::{use_reload, Change, Kind};
use crate::rows::{keyed, Row};
use crate::state::{on_answer, use_session};

/// The shares of one owner organisation.
#[derive(Clone, Debug, PartialEq)]
struct OwnerShares {
    name: String,
    ods_code: String,
    shares: Vec<ExternalShare>,
}

/// Shares grouped by owner organisation, owners by name, shares by target name.
fn by_owner(list: &[ExternalShare]) -> Vec<OwnerShares> {
    let mut groups: BTreeMap<(String, String), Vec<ExternalShare>> = BTreeMap::new();
    for share in list {
        groups
            .entry((share.owner.name.clone(), share.owner.ods_code.clone()))
            .or_default()
            .push(share.clone());
    }
    groups
        .into_iter()
        .map(|((name, ods_code), mut shares)| {
            shares.sort_by(|a, b| a.target.name.cmp(&b.target.name));
            OwnerShares {
                name,
                ods_code,
                shares,
            }
        })
        .collect()
}

/// What an admin can do on a share, and which share's call is on its way.
#[derive(Clone, Copy)]
struct Controls {
    is_admin: bool,
    busy: Signal<Option<String>>,
    act: Callback<SetEnabled>,
}

/// Enable (`true`) or disable one share shared with us (S4).
#[derive(Clone, Debug, PartialEq)]
struct SetEnabled {
    share: ExternalShare,
    enable: bool,
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
    let reload = use_reload();
    let shares = LocalResource::new(move || {
        reload.track(Kind::Shares);
        api::external()
    });
    let loaded = Memo::new(move |_| {
        shares.with(|s| match s {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        })
    });
    let owners = keyed(
        move || loaded.with(|l| by_owner(l)),
        |o: &OwnerShares| o.ods_code.clone(),
    );
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    // A share that appears or disappears between two answers is news from another
    // organisation (this page only enables and disables): say so in the polite notice, with
    // the names the normal call answered, never from the event (E2). The first answer, and the
    // first after a reset (the seed's shares again), are not news.
    Effect::new(move |before: Option<Option<Seen>>| {
        let resets = reload.resets();
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

    // The page owns the call; an answer after the page is gone is simply dropped with it.
    let set_enabled = Action::new_local(move |input: &SetEnabled| {
        let input = input.clone();
        let call = api::set_external_enabled(&input.share.share_id, input.enable);
        async move {
            let answer = call.await;
            match &answer {
                Ok(share) => reload.answered(Change::external(share)),
                Err(_) => reload.stale(Kind::Shares),
            }
            (input, answer)
        }
    });
    on_answer(
        set_enabled,
        move |(input, answer): &(SetEnabled, Result<ExternalShare, ApiError>)| match answer {
            Ok(updated) => {
                let what = if input.enable { "enabled" } else { "disabled" };
                notice.set(Some(format!(
                    "{} from {} is {what}.",
                    updated.target.name, updated.owner.name
                )));
            }
            Err(e) => error.set(Some(format!(
                "{} could not be changed: {}",
                input.share.target.name,
                e.user_message()
            ))),
        },
    );
    // The share whose call is on its way, if any.
    let busy = Signal::derive(move || {
        set_enabled
            .input()
            .with(|i| i.as_ref().map(|i| i.share.share_id.clone()))
    });
    let controls = Controls {
        is_admin,
        busy,
        act: Callback::new(move |input: SetEnabled| {
            error.set(None);
            set_enabled.dispatch(input);
        }),
    };

    view! {
        <div data-testid="page-external">
            <PageHeading title="External" />
            <p class="nhsuk-body">
                "Groups and colleagues that other organisations have shared with yours. Your staff can assign requests to them and cover them only once an administrator here enables them."
            </p>
            <StatusNotice text=notice test_id="external-notice" />
            <ActionError text=error title="Nothing was changed" test_id="external-action-error" />
            <Loaded
                resource=shares
                loading="Loading shared groups and colleagues…"
                error_title="Shared groups and colleagues could not be loaded"
                error_test_id="external-error"
            >
                <Show
                    when=move || owners.with(|o| !o.is_empty())
                    fallback=|| view! {
                        <p class="nhsuk-body" data-testid="external-empty">
                            "No organisation has shared a group or colleague with yours yet."
                        </p>
                    }
                >
                    <For each=move || owners.get() key=|o| o.id.clone() let:owner>
                        <OwnerSection owner=owner controls=controls />
                    </For>
                </Show>
            </Loaded>
        </div>
    }
}

#[component]
fn OwnerSection(owner: Row<OwnerShares>, controls: Controls) -> impl IntoView {
    let code = owner.id.clone();
    let value = owner.value;
    let name = value.with_untracked(|o| o.name.clone());
    let heading_id = dom_id("owner", &code);
    let labelled_by = heading_id.clone();
    let shares = keyed(
        move || value.with(|o| o.shares.clone()),
        |s: &ExternalShare| s.share_id.clone(),
    );
    view! {
        <section class="app-owner" aria-labelledby=labelled_by data-testid=format!("owner-{code}")>
            <h2 class="nhsuk-heading-m" id=heading_id>
                {name}
                " "
                <span class="app-ods">{format!("({code})")}</span>
            </h2>
            <ul class="app-target-list">
                <For each=move || shares.get() key=|s| s.id.clone() let:share>
                    <ExternalItem share=share controls=controls />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn ExternalItem(share: Row<ExternalShare>, controls: Controls) -> impl IntoView {
    let Controls {
        is_admin,
        busy,
        act,
    } = controls;
    let id = share.id.clone();
    let value = share.value;
    let (target_id, name, kind) =
        value.with_untracked(|s| (s.target.id.clone(), s.target.name.clone(), s.target.kind));
    // Pending and Disabled offer Enable; Enabled offers Disable (SPEC S4). The same button
    // changes its words, so focus stays on it after the answer.
    let enable = {
        let value = value.clone();
        move || value.with(|s| s.state != ShareState::Enabled)
    };
    let state = {
        let value = value.clone();
        move || {
            let state = value.with(|s| s.state);
            view! { <StateTag state=state /> }
        }
    };
    let restricted = {
        let value = value.clone();
        move || {
            value
                .with(|s| s.restricted)
                .then(|| view! { <RestrictedMarker /> })
        }
    };
    let effect = {
        let value = value.clone();
        move || value.with(|s| external_effect(s.state, s.restricted))
    };
    let click_value = value.clone();
    let button = is_admin.then(|| {
        let enable = enable.clone();
        let label_enable = enable.clone();
        let id_busy = id.clone();
        view! {
            <button
                type="button"
                class=move || {
                    if enable() {
                        "nhsuk-button nhsuk-button--small"
                    } else {
                        "nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    }
                }
                id=dom_id("external-action", &id)
                data-testid="external-action"
                // Not `disabled`: a disabled button would lose keyboard focus while its call
                // is on its way; it only refuses a second press meanwhile.
                aria-disabled=move || busy.get().is_some().then_some("true")
                aria-busy=move || (busy.get().as_deref() == Some(id_busy.as_str())).then_some("true")
                on:click=move |_| {
                    if busy.get_untracked().is_some() {
                        return;
                    }
                    act.run(SetEnabled {
                        share: click_value.get_untracked(),
                        enable: label_enable(),
                    })
                }
            >
                {
                    let enable = enable.clone();
                    move || if enable() { "Enable" } else { "Disable" }
                }
                <span class="nhsuk-u-visually-hidden">{format!(" {name}")}</span>
            </button>
        }
    });
    view! {
        <li class="app-target" data-testid=format!("external-{target_id}")>
            <div class="app-target__head">
                <h3 class="nhsuk-heading-s app-target__name">
                    {value.with_untracked(|s| s.target.name.clone())}
                    <span class="app-target__kind">{format!(" {}", target_kind_words(kind))}</span>
                </h3>
                {button}
            </div>
            <p class="app-shares__item">
                {state}
                {restricted}
            </p>
            <p class="nhsuk-body-s app-effect" data-testid="external-effect">
                {effect}
            </p>
        </li>
    }
}
