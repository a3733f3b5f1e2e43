//! Pieces of the Messages screen (folders, request list and detail, assign dialog), and what
//! they share: the address of the current view, the "something changed" counter that makes
//! every piece reload after an assignment, and a cache of organisation names.

pub mod assign_dialog;
pub mod folder_list;
pub mod request_detail;
pub mod request_list;

use std::collections::{HashMap, HashSet};

use domain::wire::{AssignCommand, Assignee, AssigneeKind, RequestKind, Sharing, StatusFilter};
use domain::{NhsNumber, Timestamp};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::params::ParamsMap;
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};
use crate::components::error_summary::ErrorSummary;
pub use crate::state::on_answer;
use crate::state::ServerChanges;

/// How many requests one page of the list shows: the server's default page size (API.md), so
/// the client never asks for more than one page (issue 13).
pub const PAGE_SIZE: usize = 50;

/// What the Messages page shows, read from and written to its address, so that links, reloads
/// and the browser's Back button all work:
/// `/messages?folder=ID&status=S&cursor=C&page=N&request=ID`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessagesQuery {
    /// The selected folder; `None` is the Messages page of SPEC C4 (My requests and the
    /// covered folders).
    pub folder: Option<String>,
    pub status: StatusFilter,
    /// The server's opaque cursor of the page shown (API.md); `None` for the first page.
    pub cursor: Option<String>,
    /// 1-based number of that page, for the words "Requests 51 to 100"; the cursor decides
    /// which requests are shown.
    pub page: usize,
    /// The request shown in detail, if any.
    pub request: Option<String>,
}

impl MessagesQuery {
    /// Reads the query string, ignoring values it does not understand.
    pub fn from_params(params: &ParamsMap) -> MessagesQuery {
        let status = match params.get_str("status") {
            Some("closed") => StatusFilter::Closed,
            Some("all") => StatusFilter::All,
            _ => StatusFilter::Open,
        };
        MessagesQuery {
            folder: params.get("folder").filter(|f| !f.is_empty()),
            status,
            cursor: params.get("cursor").filter(|c| !c.is_empty()),
            page: params
                .get_str("page")
                .and_then(|p| p.parse::<usize>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            request: params.get("request").filter(|r| !r.is_empty()),
        }
    }

    /// The address of this view. The status is always written, so that no address of a
    /// folder is the bare `/messages` the router would mark as the current page for all of them.
    pub fn href(&self) -> String {
        let mut href = format!("/messages?status={}", status_param(self.status));
        if let Some(folder) = &self.folder {
            href.push_str("&folder=");
            href.push_str(&api::encode(folder));
        }
        if let Some(cursor) = &self.cursor {
            href.push_str("&cursor=");
            href.push_str(&api::encode(cursor));
            href.push_str(&format!("&page={}", self.page));
        }
        if let Some(request) = &self.request {
            href.push_str("&request=");
            href.push_str(&api::encode(request));
        }
        href
    }

    /// Another folder (or the Messages page with `None`), from its first page.
    pub fn with_folder(&self, folder: Option<String>) -> MessagesQuery {
        MessagesQuery {
            folder,
            status: self.status,
            cursor: None,
            page: 1,
            request: None,
        }
    }

    /// The same folder with another status filter, from its first page.
    pub fn with_status(&self, status: StatusFilter) -> MessagesQuery {
        MessagesQuery {
            status,
            cursor: None,
            page: 1,
            request: None,
            ..self.clone()
        }
    }

    /// Another page of the same list: the server's cursor for it and its number (the first
    /// page has no cursor).
    pub fn with_page(&self, cursor: Option<String>, page: usize) -> MessagesQuery {
        let page = if cursor.is_some() { page.max(1) } else { 1 };
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
}

fn status_param(status: StatusFilter) -> &'static str {
    match status {
        StatusFilter::Open => "open",
        StatusFilter::Closed => "closed",
        StatusFilter::All => "all",
    }
}

/// What the pieces of the Messages page share.
#[derive(Clone, Copy)]
pub struct MessagesContext {
    /// Grows by one after every change this user makes (covers, assign, close, reopen), so that
    /// folders, list and detail all reload without a page reload.
    /// The app's change counter (`state::ServerChanges`), so an answer that arrives after the
    /// page was left or the persona switched still reloads the Messages shown then.
    pub changed: ServerChanges,
    pub names: OrgNames,
    /// The signed-in user's organisation.
    pub my_ods_code: Signal<String>,
    /// Close or reopen `(request id, open, version)`; owned by the page, so the answer reloads
    /// the page even if the request or its dialog closed meanwhile.
    pub set_open: Action<(String, bool, u64), Result<bool, ApiError>>,
    /// Assign `(request id, command, words for the notice)`; owned by the page likewise.
    pub assign: Action<(String, AssignCommand, String), Result<String, ApiError>>,
}

impl MessagesContext {
    /// Tells every piece of the page to reload.
    pub fn reload(&self) {
        self.changed.bump();
    }
}

/// The context provided by `MessagesPage`.
pub fn use_messages() -> MessagesContext {
    expect_context::<MessagesContext>()
}

/// Organisation names by ODS code. The API names an organisation in some answers (folders,
/// origin, holder, inboxes, assign targets) but gives only the code in others (a list's origin,
/// the organisation that acted in a history event); this cache fills the gaps, asking the
/// directory for a code it has not yet seen.
#[derive(Clone, Copy)]
pub struct OrgNames {
    names: RwSignal<HashMap<String, String>>,
    asked: StoredValue<HashSet<String>>,
}

impl OrgNames {
    pub fn new() -> OrgNames {
        OrgNames {
            names: RwSignal::new(HashMap::new()),
            asked: StoredValue::new(HashSet::new()),
        }
    }

    /// Remembers a name from an answer. Writes only when it is new, so views reading the cache
    /// do not re-render for nothing.
    ///
    /// Called from answers that may arrive after the page is gone, so it only tries: a disposed
    /// cache is left alone.
    pub fn learn(&self, ods_code: &str, name: &str) {
        let known = self
            .names
            .try_with_untracked(|n| n.get(ods_code).is_some_and(|n| n == name))
            .unwrap_or(true);
        if !known {
            self.names.try_update(|n| {
                n.insert(ods_code.to_string(), name.to_string());
            });
        }
    }

    /// Remembers the organisation named by an inbox (whose name is the organisation's).
    pub fn learn_assignee(&self, assignee: &Assignee) {
        if assignee.kind == AssigneeKind::Inbox {
            self.learn(&assignee.ods_code, &assignee.name);
        }
    }

    /// The organisation's name, or its code until the directory has answered.
    pub fn name(&self, ods_code: &str) -> String {
        if let Some(name) = self.names.with(|n| n.get(ods_code).cloned()) {
            return name;
        }
        self.look_up(ods_code);
        ods_code.to_string()
    }

    fn look_up(&self, ods_code: &str) {
        let first_time = self
            .asked
            .try_update_value(|asked| asked.insert(ods_code.to_string()))
            .unwrap_or(false);
        if !first_time {
            return;
        }
        let this = *self;
        let code = ods_code.to_string();
        spawn_local(async move {
            if let Ok(found) = api::search_organisations(&code, 5, None).await {
                if let Some(org) = found.results.iter().find(|o| o.ods_code == code) {
                    this.learn(&org.ods_code, &org.name);
                }
            }
        });
    }
}

impl Default for OrgNames {
    fn default() -> Self {
        OrgNames::new()
    }
}

/// An NHS number as people read it, 3-3-4 (`943 476 5919`); kept as sent if it does not parse.
pub fn nhs_number(text: &str) -> String {
    NhsNumber::parse(text)
        .map(|n| n.formatted())
        .unwrap_or_else(|_| text.to_string())
}

/// A time for people in England: `24 Nov 2026, 08:05`, in UK time whatever the computer's
/// zone, through the browser's own `Intl` (no date library in the bundle).
pub fn format_time(rfc3339: &str) -> String {
    let Ok(at) = Timestamp::parse_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    // Millisecond counts of real dates fit an f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.as_millis() as f64));
    UK_TIME
        .with(|format| format.format().call1(&JsValue::UNDEFINED, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

thread_local! {
    /// One formatter for every time on the page: building one per call (what
    /// `Date.toLocaleString` with options does) costs more than the whole row.
    static UK_TIME: js_sys::Intl::DateTimeFormat = {
        let options = js_sys::Object::new();
        for (key, value) in [
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZone", "Europe/London"),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        let locales = js_sys::Array::of1(&"en-GB".into());
        js_sys::Intl::DateTimeFormat::new(&locales, &options)
    };
}

/// A date of birth `YYYY-MM-DD` as `12 Apr 1938`.
pub fn format_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match domain::time::parse_date(date) {
        Ok((y, m, d)) => {
            let month = usize::try_from(m.saturating_sub(1))
                .ok()
                .and_then(|i| MONTHS.get(i))
                .copied()
                .unwrap_or("");
            format!("{d} {month} {y}")
        }
        Err(_) => date.to_string(),
    }
}

/// The patient's preference in plain words (SPEC V2, A3).
pub fn sharing_words(sharing: Sharing) -> &'static str {
    match sharing {
        Sharing::Share => "Shares data with other organisations",
        Sharing::DoNotShare => "Has asked not to share data",
    }
}

pub fn kind_words(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Medical => "Medical",
        RequestKind::Admin => "Admin",
    }
}

/// Who holds a request, in words: `Care Home Team (North Tees PCN)` or `Camelia Surgery inbox`.
pub fn assignee_words(assignee: &Assignee, names: OrgNames) -> String {
    match assignee.kind {
        AssigneeKind::Inbox => format!("{} inbox", assignee.name),
        AssigneeKind::Group | AssigneeKind::Colleague => {
            format!("{} ({})", assignee.name, names.name(&assignee.ods_code))
        }
    }
}

/// The error summary of a failed load, with a way to try again.
pub fn load_error(what: &'static str, error: &ApiError, retry: Callback<()>) -> impl IntoView {
    view! {
        <ErrorSummary
            title=format!("The {what} could not be loaded")
            message=error.user_message()
            test_id="messages-load-error"
            on_retry=retry
        />
    }
}

/// Whether a refused change failed because someone else changed the request first (SPEC A5).
pub fn is_conflict(error: &ApiError) -> bool {
    error.code() == Some("conflict") || error.status() == Some(409)
}

/// What the user reads after a conflict: the request is reloaded at once.
pub const CONFLICT_MESSAGE: &str =
    "This request changed — reloading the latest version. Check it and try again.";
