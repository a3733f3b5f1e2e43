//! The accessibility statement, linked from the footer as NHS services do. Open without a
//! session, like any statement a visitor may need before signing in.

use leptos::prelude::*;

use crate::components::page_heading::PageHeading;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <div data-testid="page-accessibility">
            <PageHeading title="Accessibility statement" />
            <p class="nhsuk-body">
                "This statement applies to Engage Collaboration, a demonstration service. We want as many people as possible to be able to use it: you should be able to use it with a keyboard alone, with a screen reader, zoomed to 400% without scrolling sideways, and on a phone."
            </p>
            <h2 class="nhsuk-heading-m">"How accessible this service is"</h2>
            <p class="nhsuk-body">
                "We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. It is built with the NHS design system. Every screen and dialog is checked automatically with axe at desktop and phone widths, and by hand with a keyboard."
            </p>
            <h2 class="nhsuk-heading-m">"What we know is not perfect"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                <li>
                    "The service shows text in Arial rather than the NHS font (Frutiger), because it loads nothing from other websites."
                </li>
                <li>"It needs JavaScript and WebAssembly to work."</li>
            </ul>
            <h2 class="nhsuk-heading-m">"Reporting a problem"</h2>
            <p class="nhsuk-body">
                "If you find a problem that is not listed here, tell the team running your demonstration session, saying which screen it was on and what you were doing."
            </p>
            <p class="nhsuk-body-s">"This statement was prepared on 2 December 2026."</p>
        </div>
    }
}
