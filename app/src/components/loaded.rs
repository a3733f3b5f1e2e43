//! The one wrapper for an async view: `<Transition>` shows "Loading…" until the first answer
//! (and keeps what is shown while a newer one loads), `<ErrorBoundary>` shows a failed load as
//! the NHS error summary with "Try again", which loads again.
//!
//! The children are built once per successful load, not once per answer: they read the data
//! from the resource themselves (usually through keyed rows, `rows`), so a reload updates
//! rows in place and keyboard focus stays where it was.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_summary::ErrorSummary;

/// Shows `children` once the resource has loaded, or why it could not be.
#[component]
pub fn Loaded<T>(
    resource: LocalResource<Result<T, ApiError>>,
    /// What is loading ("Loading groups…"), announced politely.
    #[prop(into)]
    loading: String,
    /// The error summary's heading ("Your groups could not be loaded").
    #[prop(into)]
    error_title: String,
    /// The error summary's test id.
    #[prop(into)]
    error_test_id: String,
    /// Under an `<h2>` of its own, the summary's heading is an `<h3>`.
    #[prop(optional)]
    subheading: bool,
    children: ChildrenFn,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let fallback = move || view! { <p class="app-loading" role="status">{loading.clone()}</p> };
    let failed = move |errors: ArcRwSignal<Errors>| {
        let message = errors.with(|errors| {
            errors
                .iter()
                .next()
                .map(|(_, e)| e.to_string())
                .unwrap_or_default()
        });
        view! {
            <ErrorSummary
                title=error_title.clone()
                message=message
                test_id=error_test_id.clone()
                subheading=subheading
                on_retry=Callback::new(move |_| resource.refetch())
            />
        }
    };
    view! {
        <Transition fallback>
            <ErrorBoundary fallback=failed>
                <Outcome resource=resource children=children.clone() />
            </ErrorBoundary>
        </Transition>
    }
}

/// Inside the Transition, so that reading the resource here makes it wait for the answer; the
/// outcome is a memo of "loaded or why not", so the children are rebuilt only when it changes.
#[component]
fn Outcome<T>(resource: LocalResource<Result<T, ApiError>>, children: ChildrenFn) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let outcome = Memo::new(move |_| {
        resource.with(|r| {
            r.as_ref()
                .map(|r| r.as_ref().map(|_| ()).map_err(Clone::clone))
        })
    });
    move || outcome.get().map(|outcome| outcome.map(|()| children()))
}
