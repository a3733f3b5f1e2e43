//! Collaboration for the Engage client: the Leptos single-page application.
//!
//! `App` wires the contexts (`state.rs`), the shell (`components/`) and one route per page
//! (`pages/`). Only `api.rs` knows URLs.

pub mod api;
pub mod components;
pub mod load;
pub mod pages;
pub mod router;
pub mod state;

use std::sync::Arc;

use leptos::prelude::*;

use components::header::Header;
use components::show::when;
use components::status_banner::StatusBanner;
use pages::{
    agreements::AgreementsPage, audit::AuditPage, colleagues::ColleaguesPage,
    external::ExternalPage, groups::GroupsPage, messages::MessagesPage, not_found::NotFoundPage,
    sign_in::SignInPage,
};

/// The whole client: header, service status, and the routed page.
#[component]
pub fn App() -> impl IntoView {
    state::provide_health_context();
    let session = state::provide_session_context();
    let location = router::provide_router();
    // One page per path; a change of query string alone keeps the page mounted.
    let page = Memo::new(move |_| location.path.with(|p| Page::from_path(p)));
    let routed = move || match page.get() {
        Page::Messages => view! { <MessagesPage /> }.into_any(),
        Page::Groups => view! { <GroupsPage /> }.into_any(),
        Page::Colleagues => view! { <ColleaguesPage /> }.into_any(),
        Page::External => view! { <ExternalPage /> }.into_any(),
        Page::Agreements => view! { <AgreementsPage /> }.into_any(),
        Page::Audit => view! { <AuditPage /> }.into_any(),
        Page::NotFound => view! { <NotFoundPage /> }.into_any(),
    };
    view! {
        <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
        <Header />
        <div class="nhsuk-width-container">
            <StatusBanner />
            <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
                // Every page needs a persona; the address is kept, so after signing in
                // the user lands where the link pointed.
                {when(
                    Memo::new(move |_| session.session.with(Option::is_some)),
                    Arc::new(move || routed.into_any()),
                    Some(Arc::new(|| view! { <SignInPage /> }.into_any())),
                )}
            </main>
        </div>
    }
}

/// The pages of the client, by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Messages,
    Groups,
    Colleagues,
    External,
    Agreements,
    Audit,
    NotFound,
}

impl Page {
    /// The page at this path; `/` is Messages, a trailing slash is ignored.
    pub fn from_path(path: &str) -> Page {
        match path.trim_end_matches('/') {
            "" | "/messages" => Page::Messages,
            "/groups" => Page::Groups,
            "/colleagues" => Page::Colleagues,
            "/external" => Page::External,
            "/agreements" => Page::Agreements,
            "/audit" => Page::Audit,
            _ => Page::NotFound,
        }
    }
}
