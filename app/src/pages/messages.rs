//! Messages page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn MessagesPage() -> impl IntoView {
    view! {
        <div data-testid="page-messages">
            <PageHeading title="Messages" />
            <p class="nhsuk-body-l">"Your folders and the requests in them will be here: All, My requests, your groups and colleagues, groups and colleagues shared with you, and Sent Externally, with open counts and cover toggles, and each request's journey between organisations."</p>
        </div>
    }
}
