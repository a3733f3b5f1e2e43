//! Colleagues page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn ColleaguesPage() -> impl IntoView {
    view! {
        <div data-testid="page-colleagues">
            <PageHeading title="Colleagues" />
            <p class="nhsuk-body-l">"Your organisation's colleagues will be listed here, each with a Share button and the partner organisations they are shared with, exactly as for groups."</p>
        </div>
    }
}
