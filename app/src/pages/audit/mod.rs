//! Audit page: the organisation's log (SPEC L1–L2), newest first, one page at a time with NHS
//! Previous and Next (API.md "Audit", issue 19), filterable by action, with the server's CSV
//! export of the whole log (the filter applies) offered as a file download. The filter, the
//! page's cursor and its number are in the address, `/audit?action=&cursor=&page=`, so Back
//! and a shared link show the same page. The log follows every change, this tab's and the
//! stream's (`reload`).

mod row;

use std::str::FromStr;

use domain::wire::{AuditAction, AuditPage};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query};
use leptos_router::params::{Params, ParamsMap};

use crate::api::{self, ApiError};
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::pager::{page_number, PageInfo, Pager};
use crate::components::table_head::ResponsiveTableHead;
use crate::dom::download;
use crate::reload::use_reload;
use crate::state::{on_answer, use_session};
use row::{AuditRow, ACTIONS};

/// The action filter as the address spells it (API.md's names); anything else is all actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionFilter(Option<AuditAction>);

impl FromStr for ActionFilter {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ActionFilter(
            ACTIONS.iter().map(|(a, _)| *a).find(|a| a.as_str() == s),
        ))
    }
}

/// What the Audit page shows. Every field parses (an unknown value reads as its default).
#[derive(Params, Clone, Debug, Default, PartialEq)]
pub struct AuditQuery {
    pub action: Option<ActionFilter>,
    /// The server's opaque cursor of the page shown; `None` for the first page.
    pub cursor: Option<String>,
    /// The page's number, for "Events 51 to 100".
    pub page: Option<usize>,
}

impl AuditQuery {
    fn action(&self) -> Option<AuditAction> {
        self.action.and_then(|a| a.0)
    }

    fn href(action: Option<AuditAction>, cursor: Option<String>, page: usize) -> String {
        let page = cursor.as_ref().map(|_| page.to_string());
        let params: ParamsMap = [
            ("action", action.map(|a| a.as_str().to_string())),
            ("cursor", cursor),
            ("page", page),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        format!("/audit{}", params.to_query_string())
    }
}

/// One answer and the address it answers, so a slow answer is never shown for another filter.
type Asked = (Option<AuditAction>, Option<String>);

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let reload = use_reload();
    let raw = use_query::<AuditQuery>();
    let path = use_location().pathname;
    // Frozen once the router has left the page (see `messages::address`).
    let query = Memo::new(move |previous: Option<&AuditQuery>| match previous {
        Some(previous) if path.with(|p| p != "/audit") => previous.clone(),
        _ => raw.with(|q| q.clone().unwrap_or_default()),
    });
    let asked = Memo::new(move |_| {
        query.with(|q| (q.action(), q.cursor.clone().filter(|c| !c.is_empty())))
    });
    let entries: LocalResource<Result<(Asked, AuditPage), ApiError>> =
        LocalResource::new(move || {
            reload.track_all();
            let asked = asked.get();
            let call = api::audit(asked.0.map(AuditAction::as_str), asked.1.as_deref());
            async move { Ok((asked, call.await?)) }
        });
    let loaded =
        Memo::new(move |_| entries.with(|e| e.as_ref().and_then(|e| e.as_ref().ok().cloned())));
    let stale = move || loaded.with(|l| l.as_ref().is_none_or(|(a, _)| *a != asked.get()));
    let info = Memo::new(move |_| {
        loaded.with(|l| {
            let Some((_, page)) = l else {
                return PageInfo::default();
            };
            PageInfo {
                noun: "Events",
                page: page_number(
                    page.prev_cursor.as_deref(),
                    query.with(|q| q.page.unwrap_or(1)),
                ),
                count: page.items.len(),
                total: usize::try_from(page.total).unwrap_or(usize::MAX),
                prev_cursor: page.prev_cursor.clone(),
                next_cursor: page.next_cursor.clone(),
            }
        })
    });
    let items =
        move || loaded.with(|l| l.as_ref().map(|(_, p)| p.items.clone()).unwrap_or_default());

    let navigate = use_navigate();
    let choose = move |value: String| {
        let action = ACTIONS
            .iter()
            .map(|(a, _)| *a)
            .find(|a| a.as_str() == value);
        navigate(&AuditQuery::href(action, None, 1), Default::default());
    };
    let href = Callback::new(move |(cursor, page): (Option<String>, usize)| {
        AuditQuery::href(query.with(AuditQuery::action), cursor, page)
    });

    view! {
        <div data-testid="page-audit">
            <PageHeading title="Audit" />
            <p class="nhsuk-body">
                "Every change your organisation's users made, and every change to the shares and agreements your organisation is a party to, newest first."
            </p>
            <div class="app-audit-tools">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="audit-filter">"Show"</label>
                    <select
                        class="nhsuk-select"
                        id="audit-filter"
                        data-testid="audit-filter"
                        on:change=move |ev| choose(event_target_value(&ev))
                    >
                        <option value="" selected=move || query.with(|q| q.action().is_none())>
                            "All actions"
                        </option>
                        {ACTIONS
                            .iter()
                            .map(|(a, l)| {
                                let a = *a;
                                view! {
                                    <option value=a.as_str() selected=move || query.with(|q| q.action() == Some(a))>
                                        {*l}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <CsvDownload ods_code=session.ods_code action=Signal::derive(move || query.with(AuditQuery::action)) />
            </div>
            <Loaded
                resource=entries
                loading="Loading the audit log…"
                error_title="The audit log could not be loaded"
                error_test_id="audit-error"
            >
                <div aria-busy=move || stale().to_string()>
                    <Show
                        when=move || info.with(|i| i.total > 0)
                        fallback=|| view! { <p class="nhsuk-body" role="status" data-testid="audit-empty">"No events to show."</p> }
                    >
                        <p class="nhsuk-body-s" role="status" data-testid="audit-count">
                            {move || info.with(|i| if i.total == 1 { "1 event".to_string() } else { format!("{} events: {}", crate::format::thousands(i.total), i.range()) })}
                        </p>
                        <table class="nhsuk-table nhsuk-table--responsive app-table" role="table" data-testid="audit-table">
                            <caption class="nhsuk-u-visually-hidden">"Audit log, newest first"</caption>
                            <ResponsiveTableHead columns=&["Time", "Action", "User", "Organisation", "Detail"] />
                            <tbody class="nhsuk-table__body" role="rowgroup">
                                // Events are immutable (L1): the id names all of a row.
                                <For each=items key=|e| e.id.clone() let:entry>
                                    <AuditRow entry=entry />
                                </For>
                            </tbody>
                        </table>
                        <Pager info=info href=href label="Pages of the audit log" />
                    </Show>
                </div>
            </Loaded>
        </div>
    }
}

/// "Download CSV": the whole log of the filter chosen, saved as `audit-<ODS>.csv` (L2).
#[component]
fn CsvDownload(ods_code: Memo<String>, action: Signal<Option<AuditAction>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    // The download owns its call; saving the file needs no state of this page.
    let fetch_csv = Action::new_local(move |filename: &String| {
        let filename = filename.clone();
        let call = api::audit_csv(action.get_untracked().map(AuditAction::as_str));
        async move {
            let text = call.await.map_err(|e| e.user_message())?;
            download(&text, &filename, "text/csv;charset=utf-8")
                .map_err(|_| "The browser could not save the file.".to_string())
        }
    });
    on_answer(fetch_csv, move |result| {
        error.set(result.as_ref().err().cloned())
    });
    let downloading = fetch_csv.pending();
    view! {
        <button
            type="button"
            class="nhsuk-button nhsuk-button--secondary"
            on:click=move |_| {
                error.set(None);
                fetch_csv.dispatch(format!("audit-{}.csv", ods_code.get_untracked()));
            }
            disabled=move || downloading.get()
            aria-busy=move || downloading.get().then_some("true")
            data-testid="audit-download"
        >
            "Download CSV"
        </button>
        <ActionError text=error title="The CSV could not be downloaded" test_id="audit-download-error" />
    }
}
