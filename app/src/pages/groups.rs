//! Groups page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn GroupsPage() -> impl IntoView {
    view! {
        <div data-testid="page-groups">
            <PageHeading title="Groups" />
            <p class="nhsuk-body-l">"Your organisation's groups will be listed here, each with a Share button and the partner organisations it is shared with: Pending, Accepted or Disabled, and whether their view is restricted."</p>
        </div>
    }
}
