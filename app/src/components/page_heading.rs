//! A page's `<h1>`, which also names the browser tab so screen-reader users hear where they are.

use leptos::prelude::*;

#[component]
pub fn PageHeading(#[prop(into)] title: String) -> impl IntoView {
    let tab_title = format!("{title} – Engage Collaboration");
    // Syncing with the outside world (the document title) is what an Effect is for.
    Effect::new(move |_| document().set_title(&tab_title));
    view! { <h1 class="nhsuk-heading-l">{title}</h1> }
}
