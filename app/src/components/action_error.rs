//! A refusal shown where the user acted: the NHS error summary of a message held in a signal,
//! while it holds one ("Nothing was changed", "The share was not created").

use leptos::prelude::*;

use crate::components::error_summary::ErrorSummary;

#[component]
pub fn ActionError(
    /// The sentence to show, `None` while nothing is wrong.
    #[prop(into)]
    text: Signal<Option<String>>,
    /// The summary's heading.
    #[prop(into)]
    title: String,
    /// For tests.
    #[prop(into, optional)]
    test_id: Option<String>,
    /// Under an `<h2>` of its own (a dialog's title, a page section), the heading is an `<h3>`.
    #[prop(optional)]
    subheading: bool,
) -> impl IntoView {
    move || {
        text.get().map(|message| {
            view! {
                <ErrorSummary
                    title=title.clone()
                    message=message
                    test_id=test_id.clone().unwrap_or_default()
                    subheading=subheading
                />
            }
        })
    }
}
