//! The one way the client confirms what just happened ("The share was removed"): NHS inset
//! text in a polite live region, shown while there is something to say.

use leptos::prelude::*;

#[component]
pub fn StatusNotice(
    /// The sentence to show, or `None` for nothing.
    #[prop(into)]
    text: Signal<Option<String>>,
    /// For tests.
    #[prop(into)]
    test_id: String,
) -> impl IntoView {
    move || {
        text.get().map(|text| {
            view! {
                <div class="nhsuk-inset-text" role="status" data-testid=test_id.clone()>
                    <p>{text}</p>
                </div>
            }
        })
    }
}
