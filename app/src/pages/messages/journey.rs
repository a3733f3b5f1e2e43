//! A request's journey (SPEC A4): every hop with who did it, when, and any consent override.

use domain::wire::{HistoryAction, HistoryEvent, Override};
use leptos::prelude::*;

use super::context::{assignee_words, OrgNames};
use crate::format::format_time;

#[component]
pub fn JourneyStep(event: HistoryEvent, names: OrgNames) -> impl IntoView {
    let who = event.user.as_ref().map(|u| u.name.clone());
    let code = event.ods_code.clone();
    let org = move || names.name(&code);
    let from = event.from.clone();
    let to = event.to.clone();
    let what = move || {
        let by = match &who {
            Some(who) => format!("{who} ({})", org()),
            None => org(),
        };
        match event.action {
            HistoryAction::Received => format!("Received by {}", org()),
            HistoryAction::Assigned => {
                let from = from
                    .as_ref()
                    .map(|a| format!(" from {}", assignee_words(a, names)))
                    .unwrap_or_default();
                let to = to
                    .as_ref()
                    .map(|a| format!(" to {}", assignee_words(a, names)))
                    .unwrap_or_default();
                format!("Assigned by {by}{from}{to}")
            }
            HistoryAction::Closed => format!("Closed by {by}"),
            HistoryAction::Reopened => format!("Reopened by {by}"),
        }
    };
    let override_view = event.override_.clone().map(|o| match o {
        Override::Reason { reason } => view! {
            <p class="app-journey__override" data-testid="journey-reason">
                "Shared without the patient's consent. Reason given: "
                <q>{reason}</q>
            </p>
        }
        .into_any(),
        Override::Agreement { reference, .. } => view! {
            <p class="app-journey__override" data-testid="journey-agreement">
                {format!("Shared under the data sharing agreement {reference}")}
            </p>
        }
        .into_any(),
    });
    view! {
        <li class="app-journey__step" data-testid=format!("journey-{}", event.id)>
            <time datetime=event.at.clone()>{format_time(&event.at)}</time>
            <p class="app-journey__what">{what}</p>
            {override_view}
        </li>
    }
}
