//! The folders of SPEC C3 with their open counts (C4) and a cover toggle on each folder the
//! user may cover (C1: not All, not My requests). Rows are keyed by folder id and read their
//! folder from a signal (`rows`), so a reload updates counts and toggles in place.

use domain::wire::{Folder, FolderKind};
use leptos::html;
use leptos::prelude::*;

use super::address::MessagesQuery;
use crate::api::{self, ApiError};
use crate::components::loaded::Loaded;
use crate::reload::{use_reload, Change, Kind};
use crate::rows::{keyed, Row};
use crate::state::on_answer;

/// Cover (`covered: true`) or uncover one folder.
#[derive(Clone, Debug, PartialEq)]
pub struct SetCover {
    pub folder_id: String,
    pub covered: bool,
}

/// The folder list, with the Messages page itself (no folder) first.
#[component]
pub fn FolderList(
    query: Memo<MessagesQuery>,
    folders: LocalResource<Result<Vec<Folder>, ApiError>>,
) -> impl IntoView {
    let reload = use_reload();
    let loaded = Memo::new(move |_| {
        folders
            .with(|f| f.as_ref().and_then(|r| r.as_ref().ok().cloned()))
            .unwrap_or_default()
    });
    let rows = keyed(move || loaded.get(), |f: &Folder| f.id.clone());

    // Covering replaces the whole set (PUT /api/covers), computed from what the list shows.
    let cover_error = RwSignal::new(None::<String>);
    let set_cover = Action::new_local(move |input: &SetCover| {
        let mut ids: Vec<String> = loaded.with_untracked(|rows| {
            rows.iter()
                .filter(|f| f.covered && f.id != input.folder_id)
                .map(|f| f.id.clone())
                .collect()
        });
        if input.covered {
            ids.push(input.folder_id.clone());
        }
        // The action owns the call, and the answer reloads every screen showing folders, even
        // one of another persona; the error is shown only while this list lives.
        let call = api::set_covers(ids);
        async move {
            let answer = call.await;
            match &answer {
                Ok(_) => reload.answered(Change::Covers),
                Err(_) => reload.stale(Kind::Covers),
            }
            answer
        }
    });
    on_answer(set_cover, move |answer| {
        cover_error.set(answer.as_ref().err().map(ApiError::user_message));
    });
    let busy: Signal<bool> = set_cover.pending().into();

    // On a phone the folders would push the requests a screen down, so they sit behind a
    // disclosure that says how many there are, closed at first; on a wider screen it starts
    // open. Either way the user may open or close it. Choosing a folder on a phone closes it
    // every time and leaves focus on its summary, right above the results (issue 20, item 8).
    let wide = move || {
        window()
            .match_media("(min-width: 48.0625em)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches())
    };
    let open = RwSignal::new(wide());
    let details_ref = NodeRef::<html::Details>::new();
    let summary_ref = NodeRef::<html::Summary>::new();
    let chose = Callback::new(move |_: ()| {
        if !wide() {
            open.set(false);
            if let Some(summary) = summary_ref.get_untracked() {
                let _ = summary.focus();
            }
        }
    });
    let summary = move || {
        folders.with(|answer| match answer {
            // "My messages" is one of the places to go too.
            Some(Ok(list)) => format!("Folders ({})", list.len() + 1),
            _ => "Folders".to_string(),
        })
    };
    let home_href = move || query.with(|q| q.with_folder(None).href());
    let home_current = move || query.with(|q| q.folder.is_none()).then_some("page");

    view! {
        <nav class="app-folders" aria-label="Folders" data-testid="folder-list">
            <details
                class="nhsuk-details app-folders__details"
                node_ref=details_ref
                prop:open=move || open.get()
                on:toggle=move |_| {
                    if let Some(d) = details_ref.get_untracked() {
                        open.set(d.open());
                    }
                }
            >
            <summary class="nhsuk-details__summary" node_ref=summary_ref data-testid="folders-toggle">
                <span class="nhsuk-details__summary-text">{summary}</span>
            </summary>
            <div class="nhsuk-details__text app-folders__body">
            // Folder links are plain anchors: the router's `<A>` marks the current page by path
            // alone, which is the same for every folder; here the query decides.
            <a
                class="app-folders__home"
                href=home_href
                aria-current=home_current
                data-testid="folder-home"
                on:click=move |_| chose.run(())
            >
                "My messages"
                <span class="app-folders__hint">"My requests and the folders I cover"</span>
            </a>
            <Loaded
                resource=folders
                loading="Loading folders…"
                error_title="The folders could not be loaded"
                error_test_id="messages-load-error"
            >
                <ul class="app-folders__list" aria-busy=move || busy.get().to_string()>
                    <For each=move || rows.get() key=|row| row.id.clone() let:row>
                        <FolderRow row=row query=query set_cover=set_cover busy=busy chose=chose />
                    </For>
                </ul>
            </Loaded>
            </div>
            </details>
            {move || {
                cover_error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="nhsuk-error-message" role="alert" data-testid="cover-error">
                                {message}
                            </p>
                        }
                    })
            }}
        </nav>
    }
}

#[component]
fn FolderRow(
    row: Row<Folder>,
    query: Memo<MessagesQuery>,
    set_cover: Action<SetCover, Result<Vec<Folder>, ApiError>>,
    busy: Signal<bool>,
    chose: Callback<()>,
) -> impl IntoView {
    let id = row.id.clone();
    let folder = row.value;
    // Two folders may share a name (an own "Admin" and a partner's "Admin"), so a partner's
    // folder names its owner wherever it is named. A colleague who has left keeps a folder
    // (their requests still need someone), marked so nobody takes it for a person who reads.
    let label = {
        let folder = folder.clone();
        move || {
            folder.with(|f| {
                let name = match f.kind {
                    FolderKind::External => format!("{} ({})", f.name, f.owner_name),
                    _ => f.name.clone(),
                };
                if f.active {
                    name
                } else {
                    format!("{name} (inactive)")
                }
            })
        }
    };
    let read = {
        let folder = folder.clone();
        move |f: fn(&Folder) -> String| {
            let folder = folder.clone();
            move || folder.with(f)
        }
    };
    let coverable =
        folder.with_untracked(|f| !matches!(f.kind, FolderKind::All | FolderKind::Mine));
    let covered = {
        let folder = folder.clone();
        Signal::derive(move || folder.with(|f| f.covered))
    };
    let inactive = {
        let folder = folder.clone();
        move || folder.with(|f| !f.active)
    };
    let owner = {
        let folder = folder.clone();
        move || {
            folder.with(|f| {
                (f.kind == FolderKind::External).then(
                    || view! { <span class="app-folders__owner">{f.owner_name.clone()}</span> },
                )
            })
        }
    };
    let count = {
        let folder = folder.clone();
        move || folder.with(|f| f.open_count)
    };
    let for_words = count.clone();
    let count_words = move || {
        if for_words() == 1 {
            " open request"
        } else {
            " open requests"
        }
    };
    let href = {
        let id = id.clone();
        move || query.with(|q| q.with_folder(Some(id.clone())).href())
    };
    let current = {
        let id = id.clone();
        move || {
            query
                .with(|q| q.folder.as_deref() == Some(id.as_str()))
                .then_some("page")
        }
    };
    let toggle = coverable.then(|| {
        let id = id.clone();
        let label = label.clone();
        view! {
            <button
                type="button"
                class="app-cover"
                class:app-cover--on=move || covered.get()
                aria-pressed=move || covered.get().to_string()
                aria-label=move || format!("Cover {}", label())
                aria-disabled=move || busy.get().then_some("true")
                data-testid=format!("cover-{id}")
                on:click={
                    let id = id.clone();
                    move |_| {
                        if !busy.get_untracked() {
                            set_cover.dispatch(SetCover {
                                folder_id: id.clone(),
                                covered: !covered.get_untracked(),
                            });
                        }
                    }
                }
            >
                <span class="app-cover__box" aria-hidden="true">
                    {move || if covered.get() { "✓" } else { "" }}
                </span>
                "Cover"
            </button>
        }
    });
    view! {
        <li class="app-folders__item" data-testid=format!("folder-item-{id}")>
            <a
                class="app-folders__link"
                href=href
                aria-current=current
                data-testid=format!("folder-{id}")
                on:click=move |_| chose.run(())
            >
                <span class="app-folders__name">
                    {read(|f| f.name.clone())}
                    {move || inactive().then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey app-folders__inactive">"Inactive"</strong> })}
                </span>
                {owner}
                <span class="app-folders__count" data-testid=format!("folder-count-{id}")>
                    {count}
                </span>
                <span class="nhsuk-u-visually-hidden">{count_words}</span>
            </a>
            {toggle}
        </li>
    }
}
