//! The request list of SPEC C4 (or of one folder, C3): patient, NHS number, subject, kind,
//! origin, current assignee with its organisation, and last activity, newest first as the
//! server orders it. The server answers one page of `PAGE_SIZE` at a time (API.md, issue 13):
//! the address holds the page's cursor, so Back and a shared link show the same page, and the
//! folder's total comes with every page.

use std::collections::HashMap;
use std::sync::Arc;

use domain::wire::{
    AssigneeKind, Folder, RequestPage, RequestStatus, RequestSummary, StatusFilter,
};
use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    assignee_words, format_time, kind_words, load_error, nhs_number, use_messages, MessagesQuery,
    PAGE_SIZE,
};
use crate::api::{self, ApiError};
use crate::live::use_live;

/// Which page an answer belongs to (folder, status, cursor), so a slow answer is never shown
/// under another heading.
type ListKey = (Option<String>, StatusFilter, Option<String>);

/// A page answer. It sits behind an `Arc` so that the memos below copy a pointer.
#[derive(Clone, PartialEq)]
struct Loaded {
    key: ListKey,
    result: Result<Arc<RequestPage>, ApiError>,
}

#[component]
pub fn RequestList(
    query: Memo<MessagesQuery>,
    folders: LocalResource<Result<Vec<Folder>, ApiError>>,
) -> impl IntoView {
    let ctx = use_messages();
    let key = Memo::new(move |_| query.with(|q| (q.folder.clone(), q.status, q.cursor.clone())));
    // The stream reloads the list when a request this organisation sees (or saw) changed, and
    // when covers changed in another tab (My messages shows the covered folders) (E4).
    let live = use_live();
    let list = LocalResource::new(move || {
        ctx.changed.track();
        live.track_requests();
        live.track_covers();
        let key = key.get();
        async move {
            let result = api::requests(key.0.as_deref(), key.1, key.2.as_deref()).await;
            if let Ok(page) = &result {
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
            }
            Loaded {
                key,
                result: result.map(Arc::new),
            }
        }
    });
    // `stale` says when the rows on screen belong to another folder, filter or page than the
    // one asked for, so the region is marked busy meanwhile.
    let loaded = Memo::new(move |_| list.with(|l| l.clone()));
    let stale = move || loaded.with(|l| l.as_ref().is_none_or(|l| l.key != key.get()));
    let answer: Memo<Option<Arc<RequestPage>>> = Memo::new(move |_| {
        loaded.with(|l| l.as_ref().and_then(|l| l.result.as_ref().ok().cloned()))
    });
    let error = Memo::new(move |_| {
        loaded.with(|l| l.as_ref().and_then(|l| l.result.as_ref().err().cloned()))
    });

    let folder_name = move || {
        let id = query.with(|q| q.folder.clone());
        match id {
            None => "My requests and the folders you cover".to_string(),
            Some(id) => folders
                .with(|f| {
                    f.as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .and_then(|fs| fs.iter().find(|f| f.id == id))
                        .map(|f| f.name.clone())
                })
                .unwrap_or_else(|| "this folder".to_string()),
        }
    };
    let heading = move || match query.with(|q| q.folder.is_some()) {
        true => folder_name(),
        false => "My messages".to_string(),
    };
    let status_word = move || match query.with(|q| q.status) {
        StatusFilter::Open => "open ",
        StatusFilter::Closed => "closed ",
        StatusFilter::All => "",
    };

    let total = move || answer.with(|a| a.as_ref().map_or(0, |a| a.total as usize));
    let count = move || answer.with(|a| a.as_ref().map_or(0, |a| a.items.len()));
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);
    // The page's number: 1 when the server says nothing comes before it (a Previous back to the
    // start, or a cursor from an old link), else the number the address carried.
    let page = Memo::new(move |_| {
        let first = answer.with(|a| a.as_ref().is_none_or(|a| a.prev_cursor.is_none()));
        if first {
            1
        } else {
            query.with(|q| q.page).max(2)
        }
    });
    let shown = move || answer.with(|a| a.as_ref().map(|a| a.items.clone()).unwrap_or_default());
    let range = move || {
        let start = (page.get() - 1) * PAGE_SIZE;
        format!(
            "Requests {} to {} of {}",
            thousands(start + 1),
            thousands(start + count()),
            thousands(total())
        )
    };
    let cursors = Signal::derive(move || {
        answer.with(|a| {
            a.as_ref().map_or((None, None), |a| {
                (a.prev_cursor.clone(), a.next_cursor.clone())
            })
        })
    });
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
            // Until the first answer the Transition shows that the list is loading; afterwards
            // the rows stay while a newer answer loads, marked busy (`stale`) meanwhile.
            <Transition fallback=|| view! { <p class="app-loading" role="status">"Loading requests…"</p> }>
            {move || {
                // Read here, inside the Transition, so that it waits for the answer.
                list.with(|l| l.as_ref().and_then(|l| l.result.as_ref().err().cloned()))
                    .map(|e| load_error("requests", &e, Callback::new(move |_| list.refetch())))
            }}
            {move || {
                (stale() && error.get().is_none())
                    .then(|| view! { <p class="app-loading" role="status">"Loading requests…"</p> })
            }}
            {move || {
                (!stale() && error.get().is_none() && total() > 0 && count() == 0)
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
                (!stale() && error.get().is_none() && total() == 0)
                    .then(|| {
                        view! {
                            <p class="app-empty" data-testid="request-list-empty">
                                {format!("No {}requests in {}.", status_word(), folder_name())}
                            </p>
                        }
                    })
            }}
            <Show when=move || { count() > 0 }>
                <p class="app-request-list__range" data-testid="request-list-range">{range}</p>
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
                        <For
                            each=shown
                            key=|r: &RequestSummary| (r.id.clone(), r.version)
                            let:row
                        >
                            <RequestRow row=row query=query />
                        </For>
                    </tbody>
                </table>
                <Pager
                    query=query
                    page=Signal::derive(move || page.get())
                    count=Signal::derive(count)
                    total=Signal::derive(total)
                    pages=Signal::derive(pages)
                    cursors=cursors
                />
            </Show>
            </Transition>
        </section>
    }
}

#[component]
fn RequestRow(row: RequestSummary, query: Memo<MessagesQuery>) -> impl IntoView {
    let names = use_messages().names;
    let href = {
        let id = row.id.clone();
        move || query.with(|q| q.with_request(&id).href())
    };
    let origin = row.origin_ods_code.clone();
    let assignee = row.assignee.clone();
    let closed = row.status == RequestStatus::Closed;
    view! {
        <tr class="nhsuk-table__row" data-testid=format!("request-row-{}", row.id)>
            // On a narrow screen each row stacks, and each cell shows its column's name (the NHS
            // responsive table); screen readers use the real column headers instead.
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Patient "</span>
                <span>
                    <span class="app-requests__patient">{row.patient.name.clone()}</span>
                    <span class="app-requests__nhs">
                        <span class="nhsuk-u-visually-hidden">"NHS number "</span>
                        {nhs_number(&row.patient.nhs_number)}
                    </span>
                </span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Request "</span>
                <span>
                    <A href=href attr:class="app-requests__subject" attr:data-testid=format!("request-link-{}", row.id)>
                        {row.subject.clone()}
                    </A>
                    <span class="app-requests__tags">
                        <strong class="nhsuk-tag nhsuk-tag--white">{kind_words(row.kind)}</strong>
                        {closed.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong> })}
                    </span>
                </span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"From "</span>
                <span>{move || names.name(&origin)}</span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Assigned to "</span>
                <span>{move || assignee_words(&assignee, names)}</span>
            </td>
            <td class="nhsuk-table__cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Last activity "</span>
                <time datetime=row.updated_at.clone()>{format_time(&row.updated_at)}</time>
            </td>
        </tr>
    }
}

/// Open / Closed / All (SPEC C4: open by default).
#[component]
fn StatusFilterLinks(query: Memo<MessagesQuery>) -> impl IntoView {
    let link = move |status: StatusFilter, label: &'static str, test_id: &'static str| {
        let href = move || query.with(|q| q.with_status(status).href());
        let current = move || (query.with(|q| q.status) == status).then_some("page");
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

/// NHS pagination: Previous and Next with the requests each leads to, from the server's
/// cursors (API.md); the first page has no cursor in the address.
#[component]
fn Pager(
    query: Memo<MessagesQuery>,
    page: Signal<usize>,
    count: Signal<usize>,
    total: Signal<usize>,
    pages: Signal<usize>,
    cursors: Signal<(Option<String>, Option<String>)>,
) -> impl IntoView {
    let previous = move || {
        let prev = cursors.with(|c| c.0.clone());
        let number = page.get().saturating_sub(1).max(1);
        let cursor = prev.filter(|_| number > 1);
        query.with(|q| q.with_page(cursor, number).href())
    };
    let next = move || {
        let next = cursors.with(|c| c.1.clone());
        query.with(|q| q.with_page(next, page.get() + 1).href())
    };
    let has_prev = move || cursors.with(|c| c.0.is_some());
    let has_next = move || cursors.with(|c| c.1.is_some());
    // "Requests 1 to 50" / "Requests 101 to 150 of 5,001": where each link leads.
    let prev_words = move || {
        let start = (page.get().saturating_sub(2)) * PAGE_SIZE;
        format!(
            "Requests {} to {}",
            thousands(start + 1),
            thousands(start + PAGE_SIZE)
        )
    };
    let next_words = move || {
        let start = (page.get() - 1) * PAGE_SIZE + count.get();
        let end = (start + PAGE_SIZE).min(total.get().max(start + 1));
        format!(
            "Requests {} to {} of {}",
            thousands(start + 1),
            thousands(end),
            thousands(total.get())
        )
    };
    view! {
        <Show when=move || { has_prev() || has_next() }>
            <nav class="nhsuk-pagination app-pager" role="navigation" aria-label="Pages of requests">
                <ul class="nhsuk-list nhsuk-pagination__list">
                    <Show when=has_prev>
                        <li class="nhsuk-pagination-item--previous">
                            <A href=previous attr:class="nhsuk-pagination__link nhsuk-pagination__link--prev" attr:data-testid="page-previous">
                                <span class="nhsuk-pagination__title">"Previous"</span>
                                <span class="nhsuk-u-visually-hidden">":"</span>
                                <span class="nhsuk-pagination__page">{prev_words}</span>
                            </A>
                        </li>
                    </Show>
                    <Show when=has_next>
                        <li class="nhsuk-pagination-item--next">
                            <A href=next attr:class="nhsuk-pagination__link nhsuk-pagination__link--next" attr:data-testid="page-next">
                                <span class="nhsuk-pagination__title">"Next"</span>
                                <span class="nhsuk-u-visually-hidden">":"</span>
                                <span class="nhsuk-pagination__page">{next_words}</span>
                            </A>
                        </li>
                    </Show>
                </ul>
                <p class="app-pager__where" data-testid="page-where">
                    {move || format!("Page {} of {}", page.get(), pages.get().max(page.get()))}
                </p>
            </nav>
        </Show>
    }
}

/// `5000` as `5,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
