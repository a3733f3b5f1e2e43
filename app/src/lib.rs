//! Collaboration for the Engage client: the Leptos single-page application.
//!
//! `App` wires the contexts (`state`, `reload`, `live`), the shell (`components/`) and one
//! route per page (`pages/`). Only `api` knows URLs.

pub mod api;
pub mod components;
pub mod dom;
pub mod focus;
pub mod format;
pub mod live;
pub mod pages;
pub mod reload;
pub mod rows;
pub mod state;
pub mod study_log;
#[cfg(feature = "research")]
pub mod task;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use components::footer::Footer;
use components::header::Header;
use components::status_banner::StatusBanner;
use pages::{
    about::AboutPage, accessibility::AccessibilityPage, agreements::AgreementsPage,
    audit::AuditPage, colleagues::ColleaguesPage, external::ExternalPage, groups::GroupsPage,
    messages::MessagesPage, not_found::NotFoundPage, sign_in::SignInPage,
};
// In the staff build these are `pages::handoff`'s stand-ins, which hand the address to the
// research build.
use pages::{
    facilitator::FacilitatorPage, participant::ParticipantLinkPage, participant::ParticipantPicker,
    participant::StudyLinkInvalid,
};

/// The whole client: header, service status, and the routed page.
#[component]
pub fn App() -> impl IntoView {
    let mark = api::ReadMark::new();
    provide_context(mark);
    let reload = reload::provide_reload();
    let session = state::provide_session_context();
    state::provide_health_context(session);
    live::provide_live_updates(session, reload, mark);
    view! {
        <Router>
            <Gated />
            <Footer />
        </Router>
    }
}

/// The shell and the routed page. Every page needs a persona except the footer's pages:
/// `<Private>` shows the persona picker in place of a page while signed out, keeping the
/// address, so after signing in the user lands where the link pointed. The `<Routes>` stay
/// mounted either way, so the router follows every link, the footer's too.
#[component]
fn Gated() -> impl IntoView {
    view! {
            <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
            <Header />
            <div class="nhsuk-width-container">
                <StatusBanner />
                <live::LiveStatus />
                // A study participant's task (SPEC K3–K5), above every page; nothing otherwise.
                {task_panel()}
                <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
                    // Each route's template is also in `task::screens::SCREENS` (the study log, K6).
                    <Routes fallback=|| view! { <Private><NotFoundPage /></Private> }>
                        // One address for Messages: a folder chosen from `/` would otherwise
                        // change the route and rebuild the page, dropping focus (issue 20).
                        <Route path=path!("/") view=|| view! { <Redirect path="/messages" /> } />
                        <Route path=path!("/messages") view=|| view! { <Private><MessagesPage /></Private> } />
                        <Route path=path!("/groups") view=|| view! { <Private><GroupsPage /></Private> } />
                        <Route path=path!("/colleagues") view=|| view! { <Private><ColleaguesPage /></Private> } />
                        <Route path=path!("/external") view=|| view! { <Private><ExternalPage /></Private> } />
                        <Route path=path!("/agreements") view=|| view! { <Private><AgreementsPage /></Private> } />
                        <Route path=path!("/audit") view=|| view! { <Private><AuditPage /></Private> } />
                        <Route path=path!("/accessibility") view=AccessibilityPage />
                        <Route path=path!("/about") view=AboutPage />
                        // Research studies: the facilitator signs in with a key of their own
                        // (no persona, no link from the navigation); a participant's link signs
                        // the tab in to their sandbox.
                        <Route path=path!("/facilitator") view=FacilitatorPage />
                        <Route path=path!("/p/:code") view=ParticipantLinkPage />
                    </Routes>
                </main>
            </div>
    }
}

/// The task panel of a study participant's session, above every page (research build only).
#[cfg(feature = "research")]
fn task_panel() -> impl IntoView {
    view! { <task::TaskPanel /> }
}

/// The staff build has no study sessions, so no task panel.
#[cfg(not(feature = "research"))]
fn task_panel() -> impl IntoView {}

/// A page that needs a persona: the persona picker while signed out. A persona switch
/// remounts the page, so it reads the new organisation afresh. A study participant choosing
/// another persona sees only the study's (K1), and one whose session the server ended sees
/// that the study link no longer works, never the demo's personas.
#[component]
fn Private(children: ChildrenFn) -> impl IntoView {
    let session = state::use_session();
    let signed_in = move || session.session.with(Option::is_some) && !session.choosing.get();
    let elsewhere = move || {
        if session.choosing.get() {
            view! { <ParticipantPicker /> }.into_any()
        } else if session.study_ended.get() {
            view! { <StudyLinkInvalid /> }.into_any()
        } else {
            view! { <SignInPage /> }.into_any()
        }
    };
    view! {
        <Show when=signed_in fallback=elsewhere>
            {children()}
        </Show>
    }
}
