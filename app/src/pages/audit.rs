//! Audit page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <div data-testid="page-audit">
            <PageHeading title="Audit" />
            <p class="nhsuk-body-l">"Your organisation's audit log will be here, newest first, filterable by action, with a CSV download."</p>
        </div>
    }
}
