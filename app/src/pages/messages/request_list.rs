//! The request list of SPEC C4 (or of one folder, C3): patient, NHS number, subject, kind,
//! origin, current assignee with its organisation, and last activity, newest first as the
//! server orders it. The server answers one page of `PAGE_SIZE` at a time (API.md, issue 13):
//! the address holds the page's cursor, so Back and a shared link show the same page, and the
//! folder's total comes with every page. Rows are keyed by request id (`rows`).

use std::collections::HashMap;
use std::sync::Arc;

use domain::wire::{
    AssigneeKind, Folder, RequestPage, RequestStatus, RequestSummary, StatusFilter,
};
use leptos::prelude::*;
use leptos_router::components::A;

use super::address::MessagesQuery;
use super::context::{assignee_words, use_messages};
use crate::api::{self, ApiError};
use crate::components::loaded::Loaded;
use crate::components::pager::{page_number, PageInfo, Pager};
use crate::format::{format_time, kind_words, nhs_number};
use crate::reload::{use_reload, Kind};
use crate::rows::{keyed, Row};

/// Which page an answer belongs to (folder, status, cursor), so a slow answer is never shown
/// under another heading.
type ListKey = (Option<String>, StatusFilter, Option<String>);

/// A page answer and the page it answers. The page sits behind an `Arc`, so memos copy a
/// pointer.
#[derive(Clone, PartialEq)]
struct Listed {
    key: ListKey,
    page: Arc<RequestPage>,
}

#[component]
pub fn RequestList(
    query: Memo<MessagesQuery>,
    folders: LocalResource<Result<Vec<Folder>, ApiError>>,
) -> impl IntoView {
    let ctx = use_messages();
    let reload = use_reload();
    let key = Memo::new(move |_| query.with(|q| (q.folder.clone(), q.status(), q.cursor.clone())));
    // Reloaded when a request this organisation sees (or saw) changed, and when covers changed
    // (My messages shows the covered folders) (E4).
    let list = LocalResource::new(move || {
        reload.track(Kind::Requests);
        reload.track(Kind::Covers);
        let key = key.get();
        let call = api::requests(key.0.as_deref(), key.1, key.2.as_deref());
        async move {
            let page = call.await?;
            // The rows name a handful of inboxes: learn each name once.
            let mut inboxes = HashMap::new();
            for r in page
                .items
                .iter()
                .filter(|r| r.assignee.kind == AssigneeKind::Inbox)
            {
                inboxes
                    .entry(r.assignee.ods_code.as_str())
                    .or_insert(&r.assignee);
            }
            for assignee in inboxes.into_values() {
                ctx.names.learn_assignee(assignee);
            }
            Ok(Listed {
                key,
                page: Arc::new(page),
            })
        }
    });
    let listed: Memo<Option<Listed>> =
        Memo::new(move |_| list.with(|l| l.as_ref().and_then(|l| l.as_ref().ok().cloned())));
    // The rows on screen belong to another folder, filter or page than the one asked for: the
    // region is marked busy meanwhile.
    let stale = move || listed.with(|l| l.as_ref().is_none_or(|l| l.key != key.get()));
    let rows = keyed(
        move || listed.with(|l| l.as_ref().map(|l| l.page.items.clone()).unwrap_or_default()),
        |r: &RequestSummary| r.id.clone(),
    );
    let info = Memo::new(move |_| {
        listed.with(|l| {
            let Some(l) = l else {
                return PageInfo::default();
            };
            PageInfo {
                noun: "Requests",
                page: page_number(l.page.prev_cursor.as_deref(), query.with(|q| q.page())),
                count: l.page.items.len(),
                total: usize::try_from(l.page.total).unwrap_or(usize::MAX),
                prev_cursor: l.page.prev_cursor.clone(),
                next_cursor: l.page.next_cursor.clone(),
            }
        })
    });
    let count = move || info.with(|i| i.count);
    let total = move || info.with(|i| i.total);

    let folder_name = move || match query.with(|q| q.folder.clone()) {
        None => "My requests and the folders you cover".to_string(),
        Some(id) => folders
            .with(|f| {
                f.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|fs| fs.iter().find(|f| f.id == id))
                    .map(|f| f.name.clone())
            })
            .unwrap_or_else(|| "this folder".to_string()),
    };
    let heading = move || match query.with(|q| q.folder.is_some()) {
        true => folder_name(),
        false => "My messages".to_string(),
    };
    let status_word = move || match query.with(MessagesQuery::status) {
        StatusFilter::Open => "open ",
        StatusFilter::Closed => "closed ",
        StatusFilter::All => "",
    };
    let folder_attr = move || query.with(|q| q.folder.clone().unwrap_or_default());

    view! {
        <section
            class="app-request-list"
            aria-labelledby="request-list-heading"
            aria-busy=move || stale().to_string()
            data-testid="request-list"
            data-folder=folder_attr
        >
            <h2 class="nhsuk-heading-m" id="request-list-heading" data-testid="request-list-heading">
                {heading}
            </h2>
            <StatusFilterLinks query=query />
            // Until the first answer the list says it is loading; afterwards the rows stay
            // while a newer answer loads, marked busy (`stale`) meanwhile.
            <Loaded
                resource=list
                loading="Loading requests…"
                error_title="The requests could not be loaded"
                error_test_id="messages-load-error"
            >
                {move || stale().then(|| view! { <p class="app-loading" role="status">"Loading requests…"</p> })}
                {move || {
                    (!stale() && total() > 0 && count() == 0)
                        .then(|| {
                            let first = move || query.with(|q| q.with_page(None, 1).href());
                            view! {
                                <p class="app-empty" data-testid="request-list-page-empty">
                                    "No requests on this page now. "
                                    <A href=first>"Go to the first page"</A>
                                </p>
                            }
                        })
                }}
                {move || {
                    (!stale() && total() == 0)
                        .then(|| {
                            view! {
                                <p class="app-empty" data-testid="request-list-empty">
                                    {format!("No {}requests in {}.", status_word(), folder_name())}
                                </p>
                            }
                        })
                }}
                <Show when=move || { count() > 0 }>
                    <p class="app-request-list__range" data-testid="request-list-range">{move || info.with(PageInfo::range)}</p>
                    <table class="nhsuk-table nhsuk-table--responsive app-requests" class:app-requests--stale=stale>
                        <caption class="nhsuk-u-visually-hidden">
                            {move || format!("{}: newest activity first", heading())}
                        </caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th scope="col" class="nhsuk-table__header">"Patient"</th>
                                <th scope="col" class="nhsuk-table__header">"Request"</th>
                                <th scope="col" class="nhsuk-table__header">"From"</th>
                                <th scope="col" class="nhsuk-table__header">"Assigned to"</th>
                                <th scope="col" class="nhsuk-table__header">"Last activity"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">
                            <For each=move || rows.get() key=|row| row.id.clone() let:row>
                                <RequestRow row=row query=query />
                            </For>
                        </tbody>
                    </table>
                    <Pager
                        info=info
                        href=Callback::new(move |(cursor, page)| query.with(|q| q.with_page(cursor, page).href()))
                        label="Pages of requests"
                    />
                </Show>
            </Loaded>
        </section>
    }
}

#[component]
fn RequestRow(row: Row<RequestSummary>, query: Memo<MessagesQuery>) -> impl IntoView {
    let names = use_messages().names;
    let id = row.id.clone();
    let r = row.value;
    let href = {
        let id = id.clone();
        move || query.with(|q| q.with_request(&id).href())
    };
    let for_field = r.clone();
    let field = move |f: fn(&RequestSummary) -> String| {
        let r = for_field.clone();
        move || r.with(f)
    };
    let closed = {
        let r = r.clone();
        move || r.with(|r| r.status == RequestStatus::Closed)
    };
    let kind = {
        let r = r.clone();
        move || r.with(|r| kind_words(r.kind))
    };
    let origin = {
        let r = r.clone();
        move || names.name(&r.with(|r| r.origin_ods_code.clone()))
    };
    let assignee = {
        let r = r.clone();
        move || r.with(|r| assignee_words(&r.assignee, names))
    };
    let subject = field(|r| r.subject.clone());
    view! {
        <tr class="nhsuk-table__row" data-testid=format!("request-row-{id}")>
            // On a narrow screen each row stacks, and each cell shows its column's name (the NHS
            // responsive table); screen readers use the real column headers instead.
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Patient "</span>
                <span>
                    <span class="app-requests__patient">{field(|r| r.patient.name.clone())}</span>
                    <span class="app-requests__nhs">
                        <span class="nhsuk-u-visually-hidden">"NHS number "</span>
                        {field(|r| nhs_number(&r.patient.nhs_number))}
                    </span>
                </span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Request "</span>
                <span>
                    <A href=href attr:class="app-requests__subject" attr:data-testid=format!("request-link-{id}")>
                        {subject.clone()}
                    </A>
                    <span class="app-requests__tags">
                        <strong class="nhsuk-tag nhsuk-tag--white">{kind}</strong>
                        {move || closed().then(|| view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong> })}
                    </span>
                </span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"From "</span>
                <span>{origin}</span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Assigned to "</span>
                <span>{assignee}</span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Last activity "</span>
                <time datetime=field(|r| r.updated_at.clone())>{field(|r| format_time(&r.updated_at))}</time>
            </td>
        </tr>
    }
}

/// Open / Closed / All (SPEC C4: open by default).
#[component]
fn StatusFilterLinks(query: Memo<MessagesQuery>) -> impl IntoView {
    let link = move |status: StatusFilter, label: &'static str, test_id: &'static str| {
        let href = move || query.with(|q| q.with_status(status).href());
        let current = move || (query.with(MessagesQuery::status) == status).then_some("page");
        // Plain anchors for the same reason as the folder links: the query decides which is
        // current, not the path.
        view! {
            <li>
                <a href=href aria-current=current data-testid=test_id>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="app-status-filter" aria-label="Request status">
            <ul>
                {link(StatusFilter::Open, "Open", "status-open")}
                {link(StatusFilter::Closed, "Closed", "status-closed")}
                {link(StatusFilter::All, "All", "status-all")}
            </ul>
        </nav>
    }
}
