//! Collaboration for the Engage client: the Leptos single-page application.
//!
//! `App` wires the contexts (`state.rs`), the shell (`components/`) and one route per page
//! (`pages/`). Only `api.rs` knows URLs.

pub mod api;
pub mod components;
pub mod pages;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use components::footer::Footer;
use components::header::Header;
use components::status_banner::StatusBanner;
use pages::{
    about::AboutPage, accessibility::AccessibilityPage, agreements::AgreementsPage,
    audit::AuditPage, colleagues::ColleaguesPage, external::ExternalPage, groups::GroupsPage,
    messages::MessagesPage, not_found::NotFoundPage, sign_in::SignInPage,
};

/// The whole client: header, service status, and the routed page.
#[component]
pub fn App() -> impl IntoView {
    state::provide_health_context();
    state::provide_server_changes();
    let session = state::provide_session_context();
    view! {
        <Router>
            <Gated session=session />
            <Footer />
        </Router>
    }
}

/// Addresses anyone may open without a session: the footer's pages.
const PUBLIC_PATHS: [&str; 2] = ["/accessibility", "/about"];

/// The shell and the routed page, behind the sign-in gate except for `PUBLIC_PATHS`.
#[component]
fn Gated(session: state::SessionContext) -> impl IntoView {
    let location = use_location();
    let open = move || {
        session.session.with(Option::is_some)
            || location
                .pathname
                .with(|p| PUBLIC_PATHS.contains(&p.as_str()))
    };
    view! {
            <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
            <Header />
            <div class="nhsuk-width-container">
                <StatusBanner />
                <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
                    // Every page needs a persona; the address is kept, so after signing in
                    // the user lands where the link pointed.
                    <Show when=open fallback=SignInPage>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=MessagesPage />
                        <Route path=path!("/messages") view=MessagesPage />
                        <Route path=path!("/groups") view=GroupsPage />
                        <Route path=path!("/colleagues") view=ColleaguesPage />
                        <Route path=path!("/external") view=ExternalPage />
                        <Route path=path!("/agreements") view=AgreementsPage />
                        <Route path=path!("/audit") view=AuditPage />
                        <Route path=path!("/accessibility") view=AccessibilityPage />
                        <Route path=path!("/about") view=AboutPage />
                    </Routes>
                    </Show>
                </main>
            </div>
    }
}
