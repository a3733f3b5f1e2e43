//! About this demonstration and its data, linked from the footer. Open without a session.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

const INTRO: &str = "Engage Collaboration is a demonstration of how NHS staff could share their groups and colleagues with partner organisations and pass patient requests between them, without showing a request to an organisation that should not see it.";

/// Each section: its heading and its paragraphs.
const SECTIONS: [(&str, &[&str]); 2] = [
    (
        "The data is made up",
        &["Every organisation, member of staff, patient and request in it is invented for the demonstration. Do not enter real patient information."],
    ),
    (
        "Where the data is kept",
        &[
            "Everything you do is kept only by the demonstration server you are connected to, and can be reset to the starting data at any time. Your choice of persona is kept in this browser tab until you close it.",
            "The service uses no cookies and no analytics, and your browser asks no other website for anything while you use it.",
        ],
    ),
];

#[component]
pub fn AboutPage() -> impl IntoView {
    let sections = SECTIONS.map(|(heading, paragraphs)| {
        view! {
            <h2 class="nhsuk-heading-m">{heading}</h2>
            {paragraphs.iter().map(|p| view! { <p class="nhsuk-body">{*p}</p> }).collect_view()}
        }
    });
    view! {
        <div data-testid="page-about">
            <PageHeading title="About this demo and its data" />
            <p class="nhsuk-body">{INTRO}</p>
            {sections.into_iter().collect_view()}
        </div>
    }
}
