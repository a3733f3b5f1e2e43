//! Tells the user when the service cannot be reached (instead of a blank page), and when the
//! mock server simulates latency or failures for UX research.

use leptos::prelude::*;

use crate::components::error_summary::ErrorSummary;
use crate::state::use_health;
use domain::wire::Health;

#[component]
pub fn StatusBanner() -> impl IntoView {
    let health = use_health().health;
    move || {
        health.get().map(|result| match result {
            Ok(h) => knobs_banner(&h).into_any(),
            Err(e) => view! {
                <ErrorSummary title="There is a problem" message=e.user_message() test_id="api-unreachable" on_retry=Callback::new(move |_| health.refetch()) />
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
        // A whole percentage, formatted as an integer: formatting an f64 brings core's float
        // printing into the wasm for this one line (issue 20, item 7: about 10 KB raw).
        let percent = (rate * 100.0).round() as u32;
        parts.push(format!("{percent}% of calls fail on purpose"));
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
