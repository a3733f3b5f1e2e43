//! External page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn ExternalPage() -> impl IntoView {
    view! {
        <div data-testid="page-external">
            <PageHeading title="External" />
            <p class="nhsuk-body-l">"Groups and colleagues that other organisations have shared with yours will be listed here by owner, with their state and Enable or Disable for administrators."</p>
        </div>
    }
}
