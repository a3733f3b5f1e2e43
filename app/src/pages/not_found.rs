//! Shown for any address that is not a page of the client.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_heading::PageHeading;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div data-testid="page-not-found">
            <PageHeading title="Page not found" />
            <p class="nhsuk-body">"If you typed the web address, check it is correct."</p>
            <p class="nhsuk-body">
                "If you pasted the web address, check you copied the entire address."
            </p>
            <p class="nhsuk-body">
                <A href="/messages">"Go to Messages"</A>
            </p>
        </div>
    }
}
