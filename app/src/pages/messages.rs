//! Messages page (SPEC §4, rules V, A, C): the folders beside either the request list or one
//! request. What is shown lives in the address (`?folder=&status=&page=&request=`), so links,
//! reloads and the browser's Back button all work.

use domain::wire::{AssignCommand, Folder};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::{self, ApiError};
use crate::components::messages::folder_list::FolderList;
use crate::components::messages::request_detail::RequestDetailView;
use crate::components::messages::request_list::RequestList;
use crate::components::messages::{MessagesContext, MessagesQuery, OrgNames};
use crate::components::page_heading::PageHeading;
use crate::live::use_live;
use crate::state::{use_server_changes, use_session};

#[component]
pub fn MessagesPage() -> impl IntoView {
    let session = use_session();
    let params = use_query_map();
    let path = use_location().pathname;
    // Each piece below subscribes only to the part of the address that it shows, never to the
    // part that decides whether it exists. A change of address notifies every subscriber in
    // one pass; when the piece that removes a view (the `request` switch below, or the router
    // leaving this page) runs first, it disposes the view's memos, and the view's own
    // subscribers, already queued, would then read them ("already disposed", issue 15 A).
    // So: the address freezes once the router has left Messages, the list sees the address
    // without `request`, and the request view gets its id as a plain value.
    let query = Memo::new(move |previous: Option<&MessagesQuery>| {
        let here = path.with(|p| p == "/" || p == "/messages");
        match previous {
            Some(previous) if !here => previous.clone(),
            _ => params.with(MessagesQuery::from_params),
        }
    });
    let list_query = Memo::new(move |_| {
        query.with(|q| MessagesQuery {
            request: None,
            ..q.clone()
        })
    });
    let request_id = Memo::new(move |_| query.with(|q| q.request.clone()));
    let my_ods_code = Signal::derive(move || {
        session
            .session
            .with(|s| s.as_ref().map(|s| s.user.ods_code.clone()))
            .unwrap_or_default()
    });
    // Each answer (a refused one too: the request may have changed under us, SPEC A5) bumps the
    // app's change counter from inside the action's own future, so folders, list and detail
    // reload whatever became of the request, the dialog, the page or the persona meanwhile.
    let changed = use_server_changes();
    let set_open = Action::new_local(move |(id, open, version): &(String, bool, u64)| {
        let (id, open, version) = (id.clone(), *open, *version);
        async move {
            let answer = api::set_request_open(&id, open, version)
                .await
                .map(|_| open);
            changed.bump();
            answer
        }
    });
    let assign = Action::new_local(move |(id, body, words): &(String, AssignCommand, String)| {
        let (id, body, words) = (id.clone(), body.clone(), words.clone());
        async move {
            let answer = api::assign(&id, &body).await.map(|_| words);
            changed.bump();
            answer
        }
    });
    let ctx = MessagesContext {
        changed,
        names: OrgNames::new(),
        my_ods_code,
        set_open,
        assign,
    };
    provide_context(ctx);

    // The folders feed both the folder list and the list's heading; one answer serves both.
    // Switching persona re-reads them: the session is part of what they depend on.
    // The stream reloads them too (E4): open counts follow requests, the external folders
    // follow shares, the covered flags follow covers changed in another tab.
    let live = use_live();
    let folders: LocalResource<Result<Vec<Folder>, ApiError>> = LocalResource::new(move || {
        ctx.changed.track();
        live.track_requests();
        live.track_shares();
        live.track_covers();
        my_ods_code.track();
        async move {
            let answer = api::folders().await;
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
