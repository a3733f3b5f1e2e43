//! An accessible modal dialog on the native `<dialog>` element: `showModal()` makes the rest of
//! the page inert, traps focus, closes on Escape, and the browser returns focus to the element
//! that opened it when it closes (lists keep their rows by id, so the opener is still there;
//! a page whose change removed it moves focus itself, `focus`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

/// A modal dialog, shown while `open` is true. `on_close` runs when the user dismisses it
/// (Escape or the Cancel button); the parent then sets `open` to false.
#[component]
pub fn Dialog(
    /// Whether the dialog is shown.
    open: Signal<bool>,
    /// Its accessible name, shown as the heading.
    #[prop(into)]
    title: String,
    /// Called when the user dismisses the dialog.
    on_close: Callback<()>,
    /// For tests.
    #[prop(into, optional)]
    test_id: String,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog_ref = NodeRef::<html::Dialog>::new();
    let heading_id = format!("dialog-title-{}", test_id_or(&test_id));
    let labelled_by = heading_id.clone();
    // In a study participant's session, each opening and closing is logged by the dialog's
    // name (SPEC K6); one left open when its page goes counts as closed.
    let name = log_name(&test_id);
    // Not a reactive value: the cleanup below must read it whatever was disposed first.
    let shown = Arc::new(AtomicBool::new(false));
    let note = {
        let (name, shown) = (name.clone(), shown.clone());
        move |open: bool| {
            if shown.swap(open, Ordering::Relaxed) != open {
                crate::study_log::dialog(open, &name);
            }
        }
    };
    on_cleanup(move || {
        if shown.load(Ordering::Relaxed) {
            crate::study_log::dialog(false, &name);
        }
    });
    // Syncing the signal with the element's own open state is work for an Effect.
    Effect::new(move |_| {
        let Some(dialog) = dialog_ref.get() else {
            return;
        };
        match (open.get(), dialog.open()) {
            (true, false) => {
                let _ = dialog.show_modal();
                note(true);
            }
            (false, true) => {
                dialog.close();
                note(false);
            }
            _ => {}
        }
    });
    view! {
        <dialog
            node_ref=dialog_ref
            class="app-dialog"
            aria-labelledby=labelled_by
            data-testid=test_id
            // Escape fires `cancel`; let the parent decide, keeping signal and element in step.
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_close.run(());
            }
        >
            <h2 class="nhsuk-heading-m" id=heading_id>
                {title}
            </h2>
            {move || open.get().then(|| children())}
        </dialog>
    }
}

/// The name a dialog is logged by: its test id without `-dialog` (`share`, `edit-share`,
/// `assign`), stable across releases since the browser tests rely on the same ids.
fn log_name(test_id: &str) -> String {
    let name = test_id_or(test_id);
    name.strip_suffix("-dialog").unwrap_or(name).to_owned()
}

fn test_id_or(test_id: &str) -> &str {
    if test_id.is_empty() {
        "modal"
    } else {
        test_id
    }
}

/// A dialog form's Cancel button: closes the dialog, changing nothing.
#[component]
pub fn CancelButton(
    on_cancel: Callback<()>,
    /// For tests.
    #[prop(into)]
    test_id: String,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="nhsuk-button nhsuk-button--secondary"
            on:click=move |_| on_cancel.run(())
            data-testid=test_id
        >
            "Cancel"
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::log_name;

    #[test]
    fn a_dialog_is_logged_by_its_test_id_without_dialog() {
        assert_eq!(log_name("share-dialog"), "share");
        assert_eq!(log_name("edit-share-dialog"), "edit-share");
        assert_eq!(log_name("assign-dialog"), "assign");
        assert_eq!(log_name(""), "modal");
    }
}
