//! Audit page: the organisation's log (SPEC L1–L2), newest first, filterable by action, with the
//! server's CSV export offered as a file download. People, organisations and requests are
//! named as on every other screen, times in UK local time (issue 15).

use domain::wire::{AuditAction, AuditEntry};
use leptos::prelude::*;

use crate::api;
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::table_head::ResponsiveTableHead;
use crate::dom::download;
use crate::format::format_time;
use crate::reload::use_reload;
use crate::state::{on_answer, use_session};

/// Every action of API.md with a label, in the order of the filter.
const ACTIONS: [(AuditAction, &str); 13] = [
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
fn value(action: AuditAction) -> &'static str {
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

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let ods = session.ods_code;
    // Every change is audited: the log follows all of them, this tab's and the stream's.
    let reload = use_reload();
    let entries = LocalResource::new(move || {
        reload.track_all();
        api::audit()
    });
    let filter = RwSignal::new(String::new());
    let download_error = RwSignal::new(None::<String>);
    // The download owns its call; saving the file needs no state of this page.
    let fetch_csv = Action::new_local(|filename: &String| {
        let filename = filename.clone();
        let call = api::audit_csv();
        async move {
            let text = call.await.map_err(|e| e.user_message())?;
            download(&text, &filename, "text/csv;charset=utf-8")
                .map_err(|_| "The browser could not save the file.".to_string())
        }
    });
    on_answer(fetch_csv, move |result| {
        download_error.set(result.as_ref().err().cloned());
    });
    let downloading = fetch_csv.pending();

    let on_download = move |_| {
        download_error.set(None);
        fetch_csv.dispatch(format!("audit-{}.csv", ods.get_untracked()));
    };

    let shown = Memo::new(move |_| -> Vec<AuditEntry> {
        let chosen = filter.get();
        entries.with(|e| match e {
            Some(Ok(list)) => list
                .iter()
                .filter(|e| chosen.is_empty() || value(e.action) == chosen)
                .cloned()
                .collect(),
            _ => Vec::new(),
        })
    });

    view! {
        <div data-testid="page-audit">
            <PageHeading title="Audit" />
            <p class="nhsuk-body">
                "Every change your organisation's users made, and every change to the shares and agreements your organisation is a party to, newest first."
            </p>
            <div class="app-audit-tools">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="audit-filter">
                        "Show"
                    </label>
                    <select
                        class="nhsuk-select"
                        id="audit-filter"
                        data-testid="audit-filter"
                        on:change=move |ev| filter.set(event_target_value(&ev))
                    >
                        <option value="" selected=true>
                            "All actions"
                        </option>
                        {ACTIONS
                            .iter()
                            .map(|(a, l)| view! { <option value=a.as_str()>{*l}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--secondary"
                    on:click=on_download
                    disabled=move || downloading.get()
                    aria-busy=move || downloading.get().then_some("true")
                    data-testid="audit-download"
                >
                    "Download CSV"
                </button>
            </div>
            <ActionError text=download_error title="The CSV could not be downloaded" test_id="audit-download-error" />
            <Loaded
                resource=entries
                loading="Loading the audit log…"
                error_title="The audit log could not be loaded"
                error_test_id="audit-error"
            >
                {move || {
                                let rows = shown.get();
                                if rows.is_empty() {
                                    return view! {
                                        <p class="nhsuk-body" role="status" data-testid="audit-empty">
                                            "No events to show."
                                        </p>
                                    }
                                        .into_any();
                                }
                                let count = rows.len();
                                view! {
                                    <p class="nhsuk-body-s" role="status" data-testid="audit-count">
                                        {if count == 1 { "1 event".to_string() } else { format!("{count} events") }}
                                    </p>
                                    <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="audit-table">
                                        <caption class="nhsuk-u-visually-hidden">"Audit log, newest first"</caption>
                                        <ResponsiveTableHead columns=&["Time", "Action", "User", "Organisation", "Detail"] />
                                        <tbody class="nhsuk-table__body" role="rowgroup">
                                            <For
                                                each=move || rows.clone()
                                                // Events are immutable (L1): the id names all of it.
                                                key=|e| e.id.clone()
                                                children=|e| {
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
                                                                <span>
                                                                    {e
                                                                        .user_name
                                                                        .clone()
                                                                        .or_else(|| e.user_id.clone())
                                                                        .unwrap_or_else(|| "None (patient)".to_string())}
                                                                </span>
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
                                            />
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                }}
            </Loaded>
        </div>
    }
}
