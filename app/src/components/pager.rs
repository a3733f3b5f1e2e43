//! NHS pagination for a paged list (the request list, the audit log): Previous and Next with
//! the items each leads to, from the server's cursors (API.md); the first page has no cursor
//! in the address.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::format::thousands;

/// How many items one page shows: the server's default page size (API.md), so the client
/// never asks for more than one page (issue 13).
pub const PAGE_SIZE: usize = 50;

/// Where the list is: the page shown and what the server said about the pages around it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageInfo {
    /// What the items are, capitalised: "Requests", "Events".
    pub noun: &'static str,
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
        let start = self.page.saturating_sub(1) * PAGE_SIZE;
        format!(
            "{} {} to {} of {}",
            self.noun,
            thousands(start + 1),
            thousands(start + self.count),
            thousands(self.total)
        )
    }

    fn previous_words(&self) -> String {
        let start = self.page.saturating_sub(2) * PAGE_SIZE;
        format!(
            "{} {} to {}",
            self.noun,
            thousands(start + 1),
            thousands(start + PAGE_SIZE)
        )
    }

    fn next_words(&self) -> String {
        let start = self.page.saturating_sub(1) * PAGE_SIZE + self.count;
        let end = (start + PAGE_SIZE).min(self.total.max(start + 1));
        format!(
            "{} {} to {} of {}",
            self.noun,
            thousands(start + 1),
            thousands(end),
            thousands(self.total)
        )
    }
}

/// Previous and Next; `href` gives the address of a page from its cursor (`None` for the
/// first page) and its number.
#[component]
pub fn Pager(
    info: Memo<PageInfo>,
    href: Callback<(Option<String>, usize), String>,
    /// The navigation's accessible name ("Pages of requests").
    label: &'static str,
) -> impl IntoView {
    let previous = move || {
        info.with(|i| {
            let number = i.page.saturating_sub(1).max(1);
            let cursor = i.prev_cursor.clone().filter(|_| number > 1);
            href.run((cursor, number))
        })
    };
    let next = move || info.with(|i| href.run((i.next_cursor.clone(), i.page + 1)));
    let has_prev = move || info.with(|i| i.prev_cursor.is_some());
    let has_next = move || info.with(|i| i.next_cursor.is_some());
    view! {
        <Show when=move || { has_prev() || has_next() }>
            <nav class="nhsuk-pagination app-pager" role="navigation" aria-label=label>
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

/// The page's number: 1 when the server says nothing comes before it (a Previous back to the
/// start, or a cursor from an old link), else the number the address carried.
pub fn page_number(prev_cursor: Option<&str>, asked: usize) -> usize {
    match prev_cursor {
        None => 1,
        Some(_) => asked.max(2),
    }
}
