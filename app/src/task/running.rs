//! The running task's two actions: "I have finished" and "Give up", which asks first.

use leptos::html::{Button, Div};
use leptos::prelude::*;

use super::panel::Call;
use crate::api::task::Mark;

/// "I have finished" and "Give up"; giving up asks first, with focus on the question, so one
/// Enter too many never gives up.
#[component]
pub(super) fn RunningActions(busy: Signal<bool>, send: Callback<Call>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let question = NodeRef::<Div>::new();
    let give_up = NodeRef::<Button>::new();
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(move || {
            if let Some(q) = question.get_untracked() {
                let _ = q.focus();
            }
        });
    };
    let carry_on = move |_| {
        confirming.set(false);
        request_animation_frame(move || {
            if let Some(b) = give_up.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    view! {
        <div class="app-task-panel__actions">
            <button
                type="button"
                class="nhsuk-button app-task-panel__button"
                aria-busy=move || busy.get().then_some("true")
                data-testid="task-finish"
                on:click=move |_| send.run(Call::Mark(Mark::Finish))
            >
                "I have finished"
            </button>
            <button
                type="button"
                class="nhsuk-button nhsuk-button--secondary app-task-panel__button"
                aria-expanded=move || if confirming.get() { "true" } else { "false" }
                aria-controls="task-give-up-question"
                node_ref=give_up
                data-testid="task-give-up"
                on:click=ask
            >
                "Give up"
            </button>
        </div>
        <Show when=move || confirming.get()>
            <div
                class="app-task-panel__confirm"
                id="task-give-up-question"
                role="group"
                aria-labelledby="task-give-up-words"
                tabindex="-1"
                node_ref=question
            >
                <p class="nhsuk-body" id="task-give-up-words">"Are you sure you want to give up this task?"</p>
                <div class="app-task-panel__actions">
                    <button
                        type="button"
                        class="nhsuk-button nhsuk-button--warning app-task-panel__button"
                        data-testid="task-give-up-confirm"
                        on:click=move |_| send.run(Call::Mark(Mark::GiveUp))
                    >
                        "Yes, give up"
                    </button>
                    <button
                        type="button"
                        class="nhsuk-button nhsuk-button--secondary app-task-panel__button"
                        data-testid="task-give-up-cancel"
                        on:click=carry_on
                    >
                        "No, carry on"
                    </button>
                </div>
            </div>
        </Show>
    }
}
