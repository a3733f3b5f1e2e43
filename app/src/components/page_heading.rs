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
    Effect::new(move |_| {
        document().set_title(&tab_title);
        sync_error_title();
    });
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

/// What the title starts with while an error summary shows.
const ERROR_PREFIX: &str = "Error: ";

/// NHS and GOV.UK guidance: while an error summary shows, the page title starts with "Error: ",
/// so a screen reader announces the problem with the page's name (issue 20, item 8). Called when
/// a title is set and whenever a summary appears or goes; it reads the document after the render
/// in progress, so the title is right whichever summaries remain.
pub fn sync_error_title() {
    set_timeout(
        || {
            let document = document();
            let title = document.title();
            let bare = title.strip_prefix(ERROR_PREFIX).unwrap_or(&title);
            let showing = document
                .query_selector(".nhsuk-error-summary")
                .ok()
                .flatten()
                .is_some();
            let wanted = if showing {
                format!("{ERROR_PREFIX}{bare}")
            } else {
                bare.to_string()
            };
            if wanted != title {
                document.set_title(&wanted);
            }
        },
        std::time::Duration::ZERO,
    );
}
