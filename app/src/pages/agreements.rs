//! Agreements page.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn AgreementsPage() -> impl IntoView {
    view! {
        <div data-testid="page-agreements">
            <PageHeading title="Agreements" />
            <p class="nhsuk-body-l">"The register of data sharing agreements will be here: propose an agreement to a partner organisation, see both sides' answers, and accept or refuse."</p>
        </div>
    }
}
