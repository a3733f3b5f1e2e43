//! One event of the audit log as a table row: the action in words, people and organisations by
//! name, the request by its subject linked to Messages, the time in UK local time (issue 15).

use domain::wire::{AuditAction, AuditEntry};
use leptos::prelude::*;

use crate::format::format_time;

/// Every action of API.md with a label, in the order of the filter.
pub const ACTIONS: [(AuditAction, &str); 13] = [
    (AuditAction::ShareCreated, "Share created"),
    (
        AuditAction::ShareRestrictionChanged,
        "Share restriction changed",
    ),
    (AuditAction::ShareRemoved, "Share removed"),
    (AuditAction::ShareEnabled, "Share enabled"),
    (AuditAction::ShareDisabled, "Share disabled"),
    (AuditAction::RequestReceived, "Request received"),
    (AuditAction::RequestAssigned, "Request assigned"),
    (AuditAction::RequestClosed, "Request closed"),
    (AuditAction::RequestReopened, "Request reopened"),
    (AuditAction::CoversChanged, "Covers changed"),
    (AuditAction::AgreementProposed, "Agreement proposed"),
    (AuditAction::AgreementAccepted, "Agreement accepted"),
    (AuditAction::AgreementRefused, "Agreement refused"),
];

fn label(action: AuditAction) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or("Other", |(_, l)| *l)
}

/// The API.md name, used as the filter's option value.
pub fn value(action: AuditAction) -> &'static str {
    action.as_str()
}

/// The organisation as people name it, with its ODS code: "Camelia Surgery (A81001)".
fn organisation(e: &AuditEntry) -> String {
    match &e.organisation_name {
        Some(name) => format!("{name} ({})", e.ods_code),
        None => e.ods_code.clone(),
    }
}

/// The detail sentence with the request named by its subject and linked to it in Messages,
/// where the server gave the subject (only for a request the organisation may see, V1–V4).
/// "Request r-1003 (Subject) received…" and "… assigned request r-1003 from…" both read with
/// the subject in place of the id.
fn detail(e: &AuditEntry) -> AnyView {
    let Some(subject) = e.request_subject.clone() else {
        return e.detail.clone().into_any();
    };
    let id = e.subject_id.as_str();
    let with_subject = format!("{id} ({})", subject.trim());
    let found = e
        .detail
        .find(&with_subject)
        .map(|i| (i, with_subject.len()))
        .or_else(|| e.detail.find(id).map(|i| (i, id.len())));
    let (before, after) = match found {
        Some((i, len)) => (e.detail[..i].to_string(), e.detail[i + len..].to_string()),
        None => (format!("{} ", e.detail), String::new()),
    };
    let href = format!("/messages?request={id}");
    view! {
        {before}
        <a class="nhsuk-link" href=href>
            {subject}
        </a>
        {after}
    }
    .into_any()
}

/// One event. Events are immutable (L1): the row never changes once shown.
#[component]
pub fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let e = entry;
    let user = e
        .user_name
        .clone()
        .or_else(|| e.user_id.clone())
        .unwrap_or_else(|| "None (patient)".to_string());
    view! {
        <tr class="nhsuk-table__row" role="row" data-testid="audit-row" data-action=value(e.action)>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Time "</span>
                <time datetime=e.at.clone()>{format_time(&e.at)}</time>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Action "</span>
                <span data-testid="audit-action">{label(e.action)}</span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"User "</span>
                <span>{user}</span>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Organisation "</span>
                <span>{organisation(&e)}</span>
            </td>
            <td class="nhsuk-table__cell app-audit-detail" role="cell">
                <span class="nhsuk-table__heading" aria-hidden="true">"Detail "</span>
                <span>{detail(&e)}</span>
            </td>
        </tr>
    }
}
