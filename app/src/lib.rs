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
use leptos_router::path;

use components::header::Header;
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
    state::provide_server_changes();
    let session = state::provide_session_context();
    view! {
        <Router>
            <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
            <Header />
            <div class="nhsuk-width-container">
                <StatusBanner />
                <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
                    // Every page needs a persona; the address is kept, so after signing in
                    // the user lands where the link pointed.
                    <Show when=move || session.session.with(Option::is_some) fallback=SignInPage>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=MessagesPage />
                        <Route path=path!("/messages") view=MessagesPage />
                        <Route path=path!("/groups") view=GroupsPage />
                        <Route path=path!("/colleagues") view=ColleaguesPage />
                        <Route path=path!("/external") view=ExternalPage />
                        <Route path=path!("/agreements") view=AgreementsPage />
                        <Route path=path!("/audit") view=AuditPage />
                    </Routes>
                    </Show>
                </main>
            </div>
        </Router>
    }
}
