//! The NHS staff-service header with the product name and the main navigation.

use domain::wire::ShareState;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::pages::sign_in::role_label;
use crate::reload::{use_reload, Kind};
use crate::state::use_session;

/// The main navigation: one entry per page of SPEC §4, in that order.
pub const NAV_ITEMS: [(&str, &str); 6] = [
    ("/messages", "Messages"),
    ("/groups", "Groups"),
    ("/colleagues", "Colleagues"),
    ("/external", "External"),
    ("/agreements", "Agreements"),
    ("/audit", "Audit"),
];

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let reload = use_reload();
    // Shares other organisations made with ours that wait for an administrator here to enable
    // them (SPEC S4): counted beside External, and kept current by the stream (E4).
    let waiting = LocalResource::new(move || {
        reload.track(Kind::Shares);
        let call = session.session.with(Option::is_some).then(api::external);
        async move {
            let Some(call) = call else {
                return 0;
            };
            call.await.map_or(0, |list| {
                list.iter()
                    .filter(|s| s.state == ShareState::Pending)
                    .count()
            })
        }
    });
    let waiting = Signal::derive(move || waiting.get().unwrap_or(0));
    view! {
        <header class="nhsuk-header" role="banner" data-testid="site-header">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    // A plain link (the router still handles its click): `<A>` would mark the
                    // logo `aria-current` on /messages, even on the persona picker shown there.
                    <a href="/messages" class="nhsuk-header__service-logo" aria-label="NHS Engage Collaboration homepage">
                        <svg
                            class="nhsuk-header__logo"
                            xmlns="http://www.w3.org/2000/svg"
                            viewBox="0 0 200 80"
                            height="40"
                            width="100"
                            focusable="false"
                            aria-hidden="true"
                        >
                            <path
                                fill="currentcolor"
                                d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
                            ></path>
                        </svg>
                        <span class="nhsuk-header__service-name">"Engage Collaboration"</span>
                    </a>
                </div>
                <Account />
            </div>
            // No navigation before there is a session: every page would show the persona picker,
            // and marking Messages current on it was untrue (issue 15).
            <Show when=move || session.session.with(Option::is_some)>
            <nav class="nhsuk-header__navigation" aria-label="Main">
                <div class="nhsuk-header__navigation-container nhsuk-width-container">
                    <ul class="nhsuk-header__navigation-list app-nav-list">
                        {NAV_ITEMS
                            .into_iter()
                            .map(|(href, label)| {
                                let badge = (href == "/external").then_some(waiting);
                                view! {
                                    <li class="nhsuk-header__navigation-item app-nav-item">
                                        // The count describes the link without renaming it:
                                        // the link is "External" whatever waits.
                                        <A
                                            href=href
                                            attr:class="nhsuk-header__navigation-link"
                                            attr:aria-describedby=move || {
                                                badge
                                                    .is_some_and(|w| w.get() > 0)
                                                    .then_some("external-waiting")
                                            }
                                        >
                                            {label}
                                        </A>
                                        {badge.map(|w| view! { <WaitingBadge waiting=w /> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </nav>
            </Show>
        </header>
    }
}

/// How many shares wait for Enable, beside the External link, while there are any.
#[component]
fn WaitingBadge(waiting: Signal<usize>) -> impl IntoView {
    move || {
        let n = waiting.get();
        (n > 0).then(|| {
            let words = if n == 1 {
                " share waits for Enable".to_string()
            } else {
                " shares wait for Enable".to_string()
            };
            view! {
                <span class="app-nav-badge" id="external-waiting" data-testid="external-waiting">
                    {n.to_string()}
                    <span class="nhsuk-u-visually-hidden">{words}</span>
                </span>
            }
        })
    }
}

/// Who is signed in, with their role and organisation, and the persona switcher.
#[component]
fn Account() -> impl IntoView {
    let session = use_session();
    // Re-read /api/me whenever the persona changes, for the organisation's name.
    let me = LocalResource::new(move || {
        let call = session.session.with(Option::is_some).then(api::me);
        async move {
            match call {
                Some(call) => call.await.ok(),
                None => None,
            }
        }
    });
    move || {
        session.session.get().map(|s| {
            // The session knows the ODS code at once; the name comes with /api/me. The line is
            // there from the first render, so the name's arrival does not push the navigation
            // and the page down (issue 20, item 7: CLS 0.66 on a phone before).
            let ods_code = s.user.ods_code.clone();
            let organisation = move || {
                me.get()
                    .flatten()
                    .map(|m| format!("{} ({})", m.organisation.name, m.organisation.ods_code))
                    .unwrap_or_else(|| format!("({ods_code})"))
            };
            view! {
                <div class="nhsuk-header__account app-account" data-testid="account">
                    <span class="app-account__who">
                        "Signed in as "
                        <strong data-testid="account-name">{s.user.name.clone()}</strong>
                        {format!(", {}", role_label(s.user.role))}
                    </span>
                    <span class="app-account__organisation" data-testid="account-organisation">
                        {organisation}
                    </span>
                    <button
                        type="button"
                        class="app-account__switch"
                        data-testid="switch-persona"
                        // A study participant stays in their sandbox and chooses among the
                        // study's personas (K1); anyone else goes back to the persona picker.
                        on:click=move |_| {
                            if session.participant_untracked().is_some() {
                                session.focus_heading.set(true);
                                session.choosing.set(true);
                            } else {
                                session.end(None);
                            }
                        }
                    >
                        "Switch persona"
                    </button>
                </div>
            }
        })
    }
}
