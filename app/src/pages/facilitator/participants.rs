//! The participants of the study: their progress, live (`stream`), one row each keyed by id
//! (`rows`, `row`), creating one (a label gives a link to copy), and deleting one after a
//! confirmation.

use domain::research::wire::{ParticipantCreated, ParticipantRow, TaskSummary};
use leptos::prelude::*;

use super::row::ParticipantRowView;
use super::stream::follow_progress;
use super::use_facilitator;
use crate::api;
use crate::components::action_error::ActionError;
use crate::components::dialog::{CancelButton, Dialog};
use crate::components::error_summary::{FormCheck, InlineError, Problem, ProblemSummary};
use crate::components::loaded::Loaded;
use crate::components::status_notice::StatusNotice;
use crate::components::table_head::ResponsiveTableHead;
use crate::focus::focus_soon;
use crate::rows::keyed;
use crate::state::on_answer;

const LABEL_FIELD: &str = "participant-label";
const HEADING_ID: &str = "participants-heading";

/// The participant a confirmation is about: id and label.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen {
    pub id: String,
    pub label: String,
}

/// The link as the participant will open it: absolute, on this client's origin unless the
/// server's `--base-url` already made it absolute.
pub fn absolute_link(link: &str) -> String {
    if link.starts_with("http://") || link.starts_with("https://") {
        link.to_string()
    } else {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}{link}")
    }
}

/// Copies a link to the clipboard, then says whether it worked in `said` (a polite live
/// region): "Link copied". Safe if the page is gone by then.
pub fn copy_link(link: String, said: RwSignal<Option<String>>) {
    let promise = window().navigator().clipboard().write_text(&link);
    leptos::task::spawn_local(async move {
        let words = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Link copied".to_string(),
            Err(_) => "The link could not be copied: select it and copy it yourself.".to_string(),
        };
        said.try_set(Some(words));
    });
}

#[component]
pub fn ParticipantsSection(
    tasks: Signal<Vec<TaskSummary>>,
    /// Bumped with every reload of the list (a row changed), for the results.
    progress: RwSignal<u32>,
) -> impl IntoView {
    let facilitator = use_facilitator();
    // The list and when it was read (ms since the epoch, the browser's clock): running times
    // count on from the elapsed seconds the server gave then.
    let participants = LocalResource::new(move || {
        let call = api::research::participants(&facilitator.token());
        async move {
            let list = call.await;
            if let Err(e) = &list {
                if e.status() == Some(401) {
                    facilitator.refused(e);
                }
            }
            list.map(|list| (list, js_sys::Date::now()))
        }
    });
    let rows = keyed(
        move || {
            participants.with(|p| match p {
                Some(Ok((list, _))) => list.clone(),
                _ => Vec::new(),
            })
        },
        |p: &ParticipantRow| p.id.clone(),
    );
    let read_at = Signal::derive(move || {
        participants.with(|p| match p {
            Some(Ok((_, at))) => *at,
            _ => 0.0,
        })
    });
    // A clock for the running times, ticking each second while the section lives.
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let reload = Callback::new(move |()| {
        participants.refetch();
        progress.try_update(|v| *v = v.wrapping_add(1));
    });
    let live = RwSignal::new(false);
    follow_progress(facilitator, live, reload);

    let notice = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<Chosen>);
    let delete_error = RwSignal::new(None::<String>);
    let delete = Action::new_local(move |who: &Chosen| {
        api::research::delete_participant(&facilitator.token(), &who.id)
    });
    on_answer(delete, move |result| match result {
        Ok(()) => {
            let label = deleting
                .get_untracked()
                .map(|c| c.label)
                .unwrap_or_default();
            deleting.set(None);
            notice.set(Some(format!(
                "{label} was deleted, with their sandbox and log."
            )));
            participants.refetch();
            // The row, and the button that opened the dialog, are gone: focus goes to the
            // list's heading (WCAG 2.4.3).
            focus_soon(HEADING_ID);
        }
        Err(e) => delete_error.set(Some(facilitator.refused(e))),
    });
    let confirm_delete = Callback::new(move |who: Chosen| {
        delete_error.set(None);
        deleting.set(Some(who));
    });
    let close = Callback::new(move |()| deleting.set(None));
    let deleting_label =
        move || deleting.with(|d| d.as_ref().map(|d| d.label.clone()).unwrap_or_default());

    view! {
        <h2 class="nhsuk-heading-m" id=HEADING_ID tabindex="-1">"Participants"</h2>
        <div role="status" data-testid="facilitator-live" data-state=move || if live.get() { "open" } else { "connecting" }>
            <Show when=move || !live.get()>
                <p class="app-live-status__text">"Live progress is connecting…"</p>
            </Show>
        </div>
        <StatusNotice text=notice test_id="participants-notice" />
        <Loaded
            resource=participants
            loading="Loading participants…"
            error_title="The participants could not be loaded"
            error_test_id="participants-error"
            subheading=true
        >
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=|| view! { <p class="nhsuk-body" data-testid="participants-empty">"No participants yet."</p> }
            >
                <table class="nhsuk-table nhsuk-table--responsive app-table app-participants" role="table" data-testid="participants-table">
                    <caption class="nhsuk-u-visually-hidden">"Participants and their progress"</caption>
                    <ResponsiveTableHead
                        columns=&["Participant", "Task", "State", "Time", "Errors", "Outcomes", "Test mode"]
                        actions="Actions"
                    />
                    <tbody class="nhsuk-table__body" role="rowgroup">
                        <For each=move || rows.get() key=|row| row.id.clone() let:row>
                            <ParticipantRowView
                                row=row
                                tasks=tasks
                                read_at=read_at
                                now=now
                                on_changed=reload
                                on_delete=confirm_delete
                            />
                        </For>
                    </tbody>
                </table>
            </Show>
        </Loaded>
        <CreateParticipant on_created=reload />
        <Dialog
            open=Signal::derive(move || deleting.with(Option::is_some))
            title="Delete participant"
            on_close=close
            test_id="delete-participant-dialog"
        >
            <ActionError text=delete_error title="The participant was not deleted" test_id="delete-participant-error" subheading=true />
            <p class="nhsuk-body">
                {move || format!(
                    "Delete {}? Their sandbox and interaction log are deleted too, and their link stops working. This cannot be undone.",
                    deleting_label(),
                )}
            </p>
            <div class="app-button-row">
                <button
                    type="button"
                    class="nhsuk-button nhsuk-button--warning"
                    data-testid="delete-participant-confirm"
                    disabled=move || delete.pending().get()
                    on:click=move |_| {
                        if let Some(who) = deleting.get_untracked() {
                            delete.dispatch(who);
                        }
                    }
                >
                    {move || format!("Delete {}", deleting_label())}
                </button>
                <CancelButton on_cancel=close test_id="delete-participant-cancel" />
            </div>
        </Dialog>
    }
}

#[component]
fn CreateParticipant(on_created: Callback<()>) -> impl IntoView {
    let facilitator = use_facilitator();
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<ParticipantCreated>);
    let copied = RwSignal::new(None::<String>);
    let create = Action::new_local(move |label: &String| {
        api::research::create_participant(&facilitator.token(), label)
    });
    on_answer(create, move |result| match result {
        Ok(p) => {
            created.set(Some(p.clone()));
            copied.set(None);
            label.set(String::new());
            on_created.run(());
            focus_soon("participant-created");
        }
        Err(e) => error.set(Some(facilitator.refused(e))),
    });
    let busy = create.pending();
    let check = FormCheck::new(move || {
        let length = label.with(|l| l.trim().chars().count());
        if length == 0 {
            vec![Problem::new(
                LABEL_FIELD,
                "Enter a label for the participant",
            )]
        } else if length > 100 {
            vec![Problem::new(
                LABEL_FIELD,
                "The label must be 100 characters or fewer",
            )]
        } else {
            Vec::new()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        error.set(None);
        create.dispatch(label.get_untracked().trim().to_string());
    };
    let copy = move |_| {
        if let Some(link) = created.with_untracked(|c| c.as_ref().map(|c| absolute_link(&c.link))) {
            copy_link(link, copied);
        }
    };
    let label_error = move || check.error(LABEL_FIELD).is_some();
    view! {
        <h2 class="nhsuk-heading-m">"Create a participant"</h2>
        <form on:submit=submit novalidate=true data-testid="create-participant">
            <ActionError text=error title="The participant was not created" test_id="create-participant-error" subheading=true />
            <ProblemSummary check=check test_id="create-participant-problems" subheading=true />
            <div class="nhsuk-form-group" class:nhsuk-form-group--error=label_error>
                <label class="nhsuk-label" for=LABEL_FIELD>"Label"</label>
                <div class="nhsuk-hint" id="participant-label-hint">
                    "A name for your notes, for example P1. Do not use the participant's real name."
                </div>
                <InlineError check=check field=LABEL_FIELD />
                <input
                    class="nhsuk-input nhsuk-input--width-10"
                    class:nhsuk-input--error=label_error
                    id=LABEL_FIELD
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || label_error().then_some("true")
                    aria-describedby=move || check.described_by(LABEL_FIELD, Some("participant-label-hint"))
                    bind:value=label
                    data-testid="participant-label"
                />
            </div>
            <button
                type="submit"
                class="nhsuk-button"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")
                data-testid="create-participant-submit"
            >
                "Create participant"
            </button>
        </form>
        {move || created.get().map(|p| {
            let link = absolute_link(&p.link);
            view! {
                <div class="nhsuk-inset-text" id="participant-created" tabindex="-1" data-testid="participant-created">
                    <p>{format!("Link for {}: give it to the participant to open in their browser.", p.label)}</p>
                    <p class="app-link-text"><code data-testid="participant-link">{link}</code></p>
                    <button
                        type="button"
                        class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                        data-testid="copy-link"
                        on:click=copy
                    >
                        "Copy link"
                        <span class="nhsuk-u-visually-hidden">{format!(" for {}", p.label)}</span>
                    </button>
                </div>
            }
        })}
        <p class="nhsuk-body" role="status" aria-live="polite" data-testid="copy-status">{move || copied.get()}</p>
    }
}
