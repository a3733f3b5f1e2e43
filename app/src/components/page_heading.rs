//! A page's `<h1>`, which also names the browser tab so screen-reader users hear where they are.
//! After signing in or switching persona the new page's heading takes the focus, as the NHS
//! design system does after a page change (WCAG 2.4.3); `tabindex="-1"` lets it be focused
//! without adding it to the tab order.

use leptos::html::H1;
use leptos::prelude::*;

use crate::state::SessionContext;

#[component]
pub fn PageHeading(#[prop(into)] title: String) -> impl IntoView {
    let tab_title = format!("{title} – Engage Collaboration");
    // Syncing with the outside world (the document title) is what an Effect is for.
    Effect::new(move |_| document().set_title(&tab_title));
    let heading = NodeRef::<H1>::new();
    let session = use_context::<SessionContext>();
    Effect::new(move |_| {
        let (Some(h1), Some(session)) = (heading.get(), session) else {
            return;
        };
        if session.focus_heading.get_untracked() {
            session.focus_heading.set(false);
            let _ = h1.focus();
        }
    });
    view! {
        <h1 class="nhsuk-heading-l app-page-heading" tabindex="-1" node_ref=heading>
            {title}
        </h1>
    }
}
