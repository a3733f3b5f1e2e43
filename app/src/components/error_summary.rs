//! The one way the client shows a problem: an NHS error summary announced to screen readers,
//! with a "Try again" button when retrying can help (a failed load), none when it cannot.

use leptos::prelude::*;

#[component]
pub fn ErrorSummary(
    /// What went wrong, as a heading ("Your groups could not be loaded").
    #[prop(into)]
    title: String,
    /// What the user can do about it, usually `ApiError::user_message()`.
    #[prop(into)]
    message: String,
    /// For tests.
    #[prop(into, optional)]
    test_id: Option<String>,
    /// Shown as "Try again" when given.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    /// Under an `<h2>` of its own (a dialog's title, a page section), the summary's heading is an
    /// `<h3>`, so the outline stays in order.
    #[prop(optional)]
    subheading: bool,
) -> impl IntoView {
    let heading = if subheading {
        view! { <h3 class="nhsuk-error-summary__title">{title}</h3> }.into_any()
    } else {
        view! { <h2 class="nhsuk-error-summary__title">{title}</h2> }.into_any()
    };
    view! {
        <div class="nhsuk-error-summary" role="alert" tabindex="-1" data-testid=test_id>
            {heading}
            <div class="nhsuk-error-summary__body">
                <p>{message}</p>
                {on_retry
                    .map(|retry| {
                        view! {
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                                on:click=move |_| retry.run(())
                            >
                                "Try again"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
}
