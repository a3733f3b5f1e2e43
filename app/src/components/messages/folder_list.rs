//! The folders of SPEC C3 with their open counts (C4) and a cover toggle on each folder the
//! user may cover (C1: not All, not My requests).

use domain::wire::{Folder, FolderKind};
use leptos::prelude::*;

use super::{load_error, on_answer, use_messages, MessagesQuery};
use crate::api::{self, ApiError};

/// The folder list, with the Messages page itself (no folder) first.
#[component]
pub fn FolderList(
    query: Memo<MessagesQuery>,
    folders: LocalResource<Result<Vec<Folder>, ApiError>>,
) -> impl IntoView {
    let ctx = use_messages();
    let rows = Memo::new(move |_| {
        folders
            .with(|f| f.as_ref().and_then(|r| r.as_ref().ok().cloned()))
            .unwrap_or_default()
    });

    // Covering replaces the whole set (PUT /api/covers), computed from what the list shows.
    let cover_error = RwSignal::new(None::<String>);
    let set_cover = Action::new_local(move |(id, covered): &(String, bool)| {
        let mut ids: Vec<String> = rows.with_untracked(|rows| {
            rows.iter()
                .filter(|f| f.covered && f.id != *id)
                .map(|f| f.id.clone())
                .collect()
        });
        if *covered {
            ids.push(id.clone());
        }
        // The action owns the call, and the answer reloads every screen showing folders, even
        // one of another persona; the error is shown only while this list lives.
        let changed = ctx.changed;
        async move {
            let answer = api::set_covers(ids).await;
            changed.bump();
            answer
        }
    });
    on_answer(set_cover, move |answer| {
        cover_error.set(answer.as_ref().err().map(ApiError::user_message));
    });
    let busy = set_cover.pending();

    let home_href = move || query.with(|q| q.with_folder(None).href());
    let home_current = move || query.with(|q| q.folder.is_none()).then_some("page");

    // On a phone the folders would push the requests a screen down, so they sit behind a
    // disclosure that says how many there are, closed at first; on a wider screen it starts
    // open. Either way the user may open or close it.
    let wide = window()
        .match_media("(min-width: 48.0625em)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let summary = move || {
        folders.with(|answer| match answer {
            // "My messages" is one of the places to go too.
            Some(Ok(list)) => format!("Folders ({})", list.len() + 1),
            _ => "Folders".to_string(),
        })
    };

    view! {
        <nav class="app-folders" aria-label="Folders" data-testid="folder-list">
            <details class="nhsuk-details app-folders__details" prop:open=wide>
            <summary class="nhsuk-details__summary" data-testid="folders-toggle">
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
            >
                "My messages"
                <span class="app-folders__hint">"My requests and the folders I cover"</span>
            </a>
            <Transition fallback=|| view! { <p class="app-loading" role="status">"Loading folders…"</p> }>
                {move || {
                    folders
                        .with(|answer| answer.as_ref().map(|r| r.as_ref().err().cloned()))
                        .map(|error| match error {
                            Some(e) => {
                                load_error("folders", &e, Callback::new(move |_| folders.refetch()))
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <ul class="app-folders__list" aria-busy=move || busy.get().to_string()>
                                        <For
                                            each=move || rows.get()
                                            key=|f: &Folder| (f.id.clone(), f.open_count, f.covered, f.active, f.name.clone())
                                            let:folder
                                        >
                                            <FolderRow folder=folder query=query set_cover=set_cover busy=busy.into() />
                                        </For>
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
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
    folder: Folder,
    query: Memo<MessagesQuery>,
    set_cover: Action<(String, bool), Result<Vec<Folder>, ApiError>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let coverable = !matches!(folder.kind, FolderKind::All | FolderKind::Mine);
    // Two folders may share a name (an own "Admin" and a partner's "Admin"), so a partner's
    // folder names its owner wherever it is named.
    let label = match folder.kind {
        FolderKind::External => format!("{} ({})", folder.name, folder.owner_name),
        _ => folder.name.clone(),
    };
    // A colleague who has left keeps a folder (their requests still need someone), marked so
    // that nobody takes it for a person who will read them.
    let inactive = !folder.active;
    let label = if inactive {
        format!("{label} (inactive)")
    } else {
        label
    };
    let id = folder.id.clone();
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
    let count = folder.open_count;
    let count_words = if count == 1 {
        " open request".to_string()
    } else {
        " open requests".to_string()
    };
    let owner = (folder.kind == FolderKind::External).then(|| folder.owner_name.clone());
    let covered = folder.covered;
    let toggle = coverable.then(|| {
        let id = id.clone();
        let aria_label = format!("Cover {label}");
        view! {
            <button
                type="button"
                class="app-cover"
                class:app-cover--on=covered
                aria-pressed=covered.to_string()
                aria-label=aria_label
                aria-disabled=move || busy.get().then_some("true")
                data-testid=format!("cover-{}", folder.id)
                on:click=move |_| {
                    if !busy.get_untracked() {
                        set_cover.dispatch((id.clone(), !covered));
                    }
                }
            >
                <span class="app-cover__box" aria-hidden="true">
                    {if covered { "✓" } else { "" }}
                </span>
                "Cover"
            </button>
        }
    });
    view! {
        <li class="app-folders__item" data-testid=format!("folder-item-{}", folder.id)>
            <a
                class="app-folders__link"
                href=href
                aria-current=current
                data-testid=format!("folder-{}", folder.id)
            >
                <span class="app-folders__name">
                    {folder.name.clone()}
                    {inactive.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey app-folders__inactive">"Inactive"</strong> })}
                </span>
                {owner.map(|o| view! { <span class="app-folders__owner">{o}</span> })}
                <span class="app-folders__count" data-testid=format!("folder-count-{}", folder.id)>
                    {count}
                </span>
                <span class="nhsuk-u-visually-hidden">{count_words}</span>
            </a>
            {toggle}
        </li>
    }
}
