//! About this demonstration and its data, linked from the footer. Open without a session.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <div data-testid="page-about">
            <PageHeading title="About this demo and its data" />
            <p class="nhsuk-body">
                "Engage Collaboration is a demonstration of how NHS staff could share their groups and colleagues with partner organisations and pass patient requests between them, without showing a request to an organisation that should not see it."
            </p>
            <h2 class="nhsuk-heading-m">"The data is made up"</h2>
            <p class="nhsuk-body">
                "Every organisation, member of staff, patient and request in it is invented for the demonstration. Do not enter real patient information."
            </p>
            <h2 class="nhsuk-heading-m">"Where the data is kept"</h2>
            <p class="nhsuk-body">
                "Everything you do is kept only by the demonstration server you are connected to, and can be reset to the starting data at any time. Your choice of persona is kept in this browser tab until you close it."
            </p>
            <p class="nhsuk-body">
                "The service uses no cookies and no analytics, and your browser asks no other website for anything while you use it."
            </p>
        </div>
    }
}
