//! Tells the user when the service cannot be reached (instead of a blank page), and when the
//! mock server simulates latency or failures for UX research.

use leptos::prelude::*;

use crate::state::use_health;
use domain::wire::Health;

#[component]
pub fn StatusBanner() -> impl IntoView {
    let health = use_health().health;
    move || {
        health.get().map(|result| match result {
            Ok(h) => knobs_banner(&h).into_any(),
            Err(e) => view! {
                <div class="nhsuk-error-summary" role="alert" data-testid="api-unreachable" tabindex="-1">
                    <h2 class="nhsuk-error-summary__title">"There is a problem"</h2>
                    <div class="nhsuk-error-summary__body">
                        <p>{e.user_message()}</p>
                        <button
                            type="button"
                            class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                            on:click=move |_| health.refetch()
                        >
                            "Try again"
                        </button>
                    </div>
                </div>
            }
            .into_any(),
        })
    }
}

fn knobs_banner(h: &Health) -> impl IntoView {
    let mut parts = Vec::new();
    if let Some(latency) = h.latency_ms.as_deref().filter(|l| *l != "0") {
        parts.push(format!("simulated latency {latency} ms"));
    }
    if let Some(rate) = h.fail_rate.filter(|r| *r > 0.0) {
        parts.push(format!("{:.0}% of calls fail on purpose", rate * 100.0));
    }
    (!parts.is_empty()).then(|| {
        view! {
            <div class="app-dev-banner" role="status" data-testid="knobs-banner">
                <strong class="nhsuk-tag nhsuk-tag--orange">"Test mode"</strong>
                " "
                {parts.join(", ")}
            </div>
        }
    })
}
