//! The address of the Messages page, typed: `/messages?status=S&folder=ID&cursor=C&page=N&
//! request=ID`, read with leptos_router's `use_query` and written back with its `ParamsMap`, so
//! links, reloads and the browser's Back button all work.

use std::convert::Infallible;
use std::str::FromStr;

use domain::wire::StatusFilter;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query};
use leptos_router::params::{Params, ParamsMap};

/// The status filter as the address spells it; anything else is the default, Open (C4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status(pub StatusFilter);

impl FromStr for Status {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(Status(match s {
            "closed" => StatusFilter::Closed,
            "all" => StatusFilter::All,
            _ => StatusFilter::Open,
        }))
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self.0 {
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
            StatusFilter::All => "all",
        }
    }
}

/// A page number as the address spells it: 1-based, anything else is the first page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page(pub usize);

impl Default for Page {
    fn default() -> Self {
        Page(1)
    }
}

impl FromStr for Page {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(Page(
            s.parse::<usize>().ok().filter(|p| *p >= 1).unwrap_or(1),
        ))
    }
}

/// What the Messages page shows. Every field parses (an unknown value reads as its default),
/// so the address never fails to read.
#[derive(Params, Clone, Debug, Default, PartialEq)]
pub struct MessagesQuery {
    /// The selected folder; `None` is the Messages page of SPEC C4 (My requests and the
    /// covered folders).
    pub folder: Option<String>,
    pub status: Option<Status>,
    /// The server's opaque cursor of the page shown (API.md); `None` for the first page.
    pub cursor: Option<String>,
    /// The number of that page, for the words "Requests 51 to 100"; the cursor decides which
    /// requests are shown.
    pub page: Option<Page>,
    /// The request shown in detail, if any.
    pub request: Option<String>,
}

impl MessagesQuery {
    /// The address as read, with empty values as absent.
    fn cleaned(self) -> MessagesQuery {
        let some = |v: Option<String>| v.filter(|v| !v.is_empty());
        MessagesQuery {
            folder: some(self.folder),
            cursor: some(self.cursor),
            request: some(self.request),
            ..self
        }
    }

    pub fn status(&self) -> StatusFilter {
        self.status.unwrap_or_default().0
    }

    pub fn page(&self) -> usize {
        self.page.unwrap_or_default().0
    }

    /// The address of this view. The status is always written, so that no address of a
    /// folder is the bare `/messages` the router would mark as the current page for all of them.
    pub fn href(&self) -> String {
        let status = self.status.unwrap_or_default().as_str().to_string();
        let page = self.cursor.as_ref().map(|_| self.page().to_string());
        let params: ParamsMap = [
            ("status", Some(status)),
            ("folder", self.folder.clone()),
            ("cursor", self.cursor.clone()),
            ("page", page),
            ("request", self.request.clone()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        format!("/messages{}", params.to_query_string())
    }

    /// Another folder (or the Messages page with `None`), from its first page.
    pub fn with_folder(&self, folder: Option<String>) -> MessagesQuery {
        MessagesQuery {
            folder,
            status: self.status,
            ..MessagesQuery::default()
        }
    }

    /// The same folder with another status filter, from its first page.
    pub fn with_status(&self, status: StatusFilter) -> MessagesQuery {
        MessagesQuery {
            folder: self.folder.clone(),
            status: Some(Status(status)),
            ..MessagesQuery::default()
        }
    }

    /// Another page of the same list: the server's cursor for it and its number (the first
    /// page has no cursor).
    pub fn with_page(&self, cursor: Option<String>, page: usize) -> MessagesQuery {
        let page = cursor.as_ref().map(|_| Page(page.max(1)));
        MessagesQuery {
            cursor,
            page,
            request: None,
            ..self.clone()
        }
    }

    /// One request of this list in detail.
    pub fn with_request(&self, request: &str) -> MessagesQuery {
        MessagesQuery {
            request: Some(request.to_string()),
            ..self.clone()
        }
    }

    /// The list this view shows or was opened from (no request).
    pub fn list(&self) -> MessagesQuery {
        MessagesQuery {
            request: None,
            ..self.clone()
        }
    }
}

/// The page's address as a memo. It freezes once the router has left Messages: a change of
/// address notifies every subscriber in one pass, and when the piece that removes a view runs
/// first, the view's own subscribers, already queued, would read disposed memos ("already
/// disposed", issue 15 A).
pub fn use_messages_query() -> Memo<MessagesQuery> {
    let query = use_query::<MessagesQuery>();
    let path = use_location().pathname;
    Memo::new(move |previous: Option<&MessagesQuery>| {
        let here = path.with(|p| p == "/" || p == "/messages");
        match previous {
            Some(previous) if !here => previous.clone(),
            _ => query.with(|q| q.clone().map(MessagesQuery::cleaned).unwrap_or_default()),
        }
    })
}
