//! Messages page (SPEC §4, rules V, A, C): the folders beside either the request list or one
//! request. What is shown lives in the address (`address`), so links, reloads and the browser's
//! Back button all work.

mod address;
mod assign;
mod context;
mod folder_list;
mod journey;
mod request_detail;
mod request_list;

use domain::wire::Folder;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::page_heading::PageHeading;
use crate::reload::{use_reload, Change, Kind};
use crate::state::use_session;
use address::use_messages_query;
pub use address::MessagesQuery;
use context::{AssignInput, MessagesContext, OrgNames, SetOpen};
use folder_list::FolderList;
use request_detail::RequestDetailView;
use request_list::RequestList;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let session = use_session();
    // Each piece below subscribes only to the part of the address that it shows, never to the
    // part that decides whether it exists: the list sees the address without `request`, and
    // the request view gets its id as a plain value (see `address::use_messages_query`).
    let query = use_messages_query();
    let list_query = Memo::new(move |_| query.with(MessagesQuery::list));
    let request_id = Memo::new(move |_| query.with(|q| q.request.clone()));
    // Each answer names what it changed (`reload`): an accepted one the request at its new
    // version, a refused one (the request may have changed under us, SPEC A5) just that
    // requests may be out of date. The reload model belongs to the app, so this holds whatever
    // became of the request, the dialog, the page or the persona meanwhile.
    let reload = use_reload();
    let set_open = Action::new_local(move |input: &SetOpen| {
        let open = input.open;
        let call = api::set_request_open(&input.request_id, open, input.version);
        async move {
            let answer = call.await;
            match &answer {
                Ok(detail) => reload.answered(Change::request(detail)),
                Err(_) => reload.stale(Kind::Requests),
            }
            answer.map(|d| (open, d.version))
        }
    });
    let assign = Action::new_local(move |input: &AssignInput| {
        let words = input.words.clone();
        let call = api::assign(&input.request_id, &input.command);
        async move {
            let answer = call.await;
            match &answer {
                Ok(detail) => reload.answered(Change::request(detail)),
                Err(_) => reload.stale(Kind::Requests),
            }
            answer.map(|d| (words, d.version))
        }
    });
    let ctx = MessagesContext {
        names: OrgNames::new(),
        my_ods_code: session.ods_code,
        set_open,
        assign,
    };
    provide_context(ctx);

    // The folders feed both the folder list and the list's heading; one answer serves both.
    // Open counts follow requests, the external folders follow shares, the covered flags
    // follow covers (E4).
    let folders: LocalResource<Result<Vec<Folder>, ApiError>> = LocalResource::new(move || {
        reload.track(Kind::Requests);
        reload.track(Kind::Shares);
        reload.track(Kind::Covers);
        let call = api::folders();
        async move {
            let answer = call.await;
            if let Ok(folders) = &answer {
                for f in folders {
                    ctx.names.learn(&f.owner_ods_code, &f.owner_name);
                }
            }
            answer
        }
    });

    view! {
        <div data-testid="page-messages" class="app-messages">
            <PageHeading title="Messages" />
            <div class="app-messages__layout">
                <FolderList query=list_query folders=folders />
                <div class="app-messages__main">
                    {move || match request_id.get() {
                        Some(id) => view! { <RequestDetailView id=id list=list_query /> }.into_any(),
                        None => view! { <RequestList query=list_query folders=folders /> }.into_any(),
                    }}
                </div>
            </div>
        </div>
    }
}
