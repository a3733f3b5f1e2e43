//! NHS pagination for the request list: Previous and Next with the requests each leads to,
//! from the server's cursors (API.md); the first page has no cursor in the address.

use leptos::prelude::*;
use leptos_router::components::A;

use super::address::MessagesQuery;
use crate::format::thousands;

/// How many requests one page of the list shows: the server's default page size (API.md), so
/// the client never asks for more than one page (issue 13).
pub const PAGE_SIZE: usize = 50;

/// Where the list is: the page shown and what the server said about the pages around it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageInfo {
    /// 1-based.
    pub page: usize,
    /// Requests on this page.
    pub count: usize,
    /// Requests in the whole list.
    pub total: usize,
    pub prev_cursor: Option<String>,
    pub next_cursor: Option<String>,
}

impl PageInfo {
    pub fn pages(&self) -> usize {
        self.total.div_ceil(PAGE_SIZE).max(1).max(self.page)
    }

    /// "Requests 51 to 100 of 5,001".
    pub fn range(&self) -> String {
        let start = (self.page - 1) * PAGE_SIZE;
        format!(
            "Requests {} to {} of {}",
            thousands(start + 1),
            thousands(start + self.count),
            thousands(self.total)
        )
    }

    fn previous_words(&self) -> String {
        let start = self.page.saturating_sub(2) * PAGE_SIZE;
        format!(
            "Requests {} to {}",
            thousands(start + 1),
            thousands(start + PAGE_SIZE)
        )
    }

    fn next_words(&self) -> String {
        let start = (self.page - 1) * PAGE_SIZE + self.count;
        let end = (start + PAGE_SIZE).min(self.total.max(start + 1));
        format!(
            "Requests {} to {} of {}",
            thousands(start + 1),
            thousands(end),
            thousands(self.total)
        )
    }
}

#[component]
pub fn Pager(query: Memo<MessagesQuery>, info: Memo<PageInfo>) -> impl IntoView {
    let previous = move || {
        info.with(|i| {
            let number = i.page.saturating_sub(1).max(1);
            let cursor = i.prev_cursor.clone().filter(|_| number > 1);
            query.with(|q| q.with_page(cursor, number).href())
        })
    };
    let next = move || {
        info.with(|i| query.with(|q| q.with_page(i.next_cursor.clone(), i.page + 1).href()))
    };
    let has_prev = move || info.with(|i| i.prev_cursor.is_some());
    let has_next = move || info.with(|i| i.next_cursor.is_some());
    view! {
        <Show when=move || { has_prev() || has_next() }>
            <nav class="nhsuk-pagination app-pager" role="navigation" aria-label="Pages of requests">
                <ul class="nhsuk-list nhsuk-pagination__list">
                    <Show when=has_prev>
                        <li class="nhsuk-pagination-item--previous">
                            <A href=previous attr:class="nhsuk-pagination__link nhsuk-pagination__link--prev" attr:data-testid="page-previous">
                                <span class="nhsuk-pagination__title">"Previous"</span>
                                <span class="nhsuk-u-visually-hidden">":"</span>
                                <span class="nhsuk-pagination__page">{move || info.with(PageInfo::previous_words)}</span>
                            </A>
                        </li>
                    </Show>
                    <Show when=has_next>
                        <li class="nhsuk-pagination-item--next">
                            <A href=next attr:class="nhsuk-pagination__link nhsuk-pagination__link--next" attr:data-testid="page-next">
                                <span class="nhsuk-pagination__title">"Next"</span>
                                <span class="nhsuk-u-visually-hidden">":"</span>
                                <span class="nhsuk-pagination__page">{move || info.with(PageInfo::next_words)}</span>
                            </A>
                        </li>
                    </Show>
                </ul>
                <p class="app-pager__where" data-testid="page-where">
                    {move || info.with(|i| format!("Page {} of {}", i.page, i.pages()))}
                </p>
            </nav>
        </Show>
    }
}
