//! The organisation search box of the Share dialog and the Agreements page: a WAI-ARIA 1.2
//! combobox with a listbox popup that searches `GET /api/organisations` as the user types.
//!
//! At most one search is in flight at any time. A keystroke searches at once when none is (so
//! results follow a keystroke by one round trip, with no debounce delay); keystrokes that arrive
//! while one is in flight only remember the newest text, which is searched as soon as the
//! answer comes back, and that answer, now stale, is dropped. A sequence number also drops the
//! answer of a search made stale by clearing the box. So a slow answer to an older query never
//! replaces a newer one, and a burst of typing costs at most one search per round trip (SPEC §4).

mod listbox;
mod search;

use domain::wire::Organisation;
use leptos::prelude::*;

use crate::components::error_summary::{FormCheck, InlineError};
use crate::dom::scroll_into_view;
use listbox::{Listbox, SearchOutcome};
use search::{Search, Searcher};

/// The server ignores shorter queries (API.md), so the client does not send them.
const MIN_CHARS: usize = 2;

/// A combobox choosing one organisation of the directory. `unavailable` says why an
/// organisation cannot be chosen here (own, inactive, already shared…); such options are shown
/// with the reason but are `aria-disabled` and cannot be selected.
#[component]
pub fn OrgCombobox(
    /// Prefix of the element ids, unique on the page.
    id: &'static str,
    /// The visible label of the text box.
    label: &'static str,
    /// The chosen organisation, `None` until one is chosen (typing again clears it).
    selected: RwSignal<Option<Organisation>>,
    /// Why an organisation cannot be chosen, if it cannot.
    unavailable: Callback<Organisation, Option<String>>,
    /// The form's check, whose problem with the field `{id}-input` (nothing chosen) shows as
    /// the inline error by the text box.
    #[prop(optional)]
    check: Option<FormCheck>,
) -> impl IntoView {
    let input_id = format!("{id}-input");
    let listbox_id = format!("{id}-listbox");
    let hint_id = format!("{id}-hint");
    let option_id = move |i: usize| format!("{id}-option-{i}");

    let text = RwSignal::new(String::new());
    let searcher = Searcher::new();
    let Searcher {
        search,
        loading,
        expanded,
        active,
        ..
    } = searcher;

    let results = Memo::new(move |_| match search.get() {
        Search::Done { results, .. } => results,
        _ => Vec::new(),
    });
    let count = move || results.with(Vec::len);
    let is_open = move || expanded.get() && count() > 0;

    on_cleanup(move || searcher.cancel());

    // Closing the list moves what lies below it up. A pointer press elsewhere blurs the text box
    // on mousedown; closing right then would move the button under the pointer before its click
    // lands, so one click on Cancel or Restrict View did nothing (issue 15). While a pointer is
    // held, the list closes only once the press has ended and its click was delivered.
    let pointer_held = StoredValue::new(false);
    let close_when_released = StoredValue::new(false);
    let close = move || {
        let _ = expanded.try_set(false);
        let _ = active.try_set(None);
    };
    let down = window_event_listener(leptos::ev::pointerdown, move |_| {
        let _ = pointer_held.try_set_value(true);
    });
    let up = window_event_listener(leptos::ev::pointerup, move |_| {
        let _ = pointer_held.try_set_value(false);
        if close_when_released.try_get_value() == Some(true) {
            let _ = close_when_released.try_set_value(false);
            // After this event's click has been dispatched (a task of its own).
            set_timeout(close, std::time::Duration::ZERO);
        }
    });
    let cancel_pointer = window_event_listener(leptos::ev::pointercancel, move |_| {
        let _ = pointer_held.try_set_value(false);
        if close_when_released.try_get_value() == Some(true) {
            let _ = close_when_released.try_set_value(false);
            close();
        }
    });
    on_cleanup(move || {
        down.remove();
        up.remove();
        cancel_pointer.remove();
    });
    let run = move |query: String| searcher.request(query);

    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        selected.set(None);
        let query = value.trim().to_string();
        if query.chars().count() < MIN_CHARS {
            searcher.cancel();
            expanded.set(false);
            active.set(None);
            search.set(Search::Idle);
            return;
        }
        run(query);
    };

    let choose = Callback::new(move |i: usize| {
        let Some(org) = results.with(|r| r.get(i).cloned()) else {
            return;
        };
        if unavailable.run(org.clone()).is_some() {
            return;
        }
        text.set(org.name.clone());
        selected.set(Some(org));
        expanded.set(false);
        active.set(None);
    });

    let move_to = move |i: usize| {
        active.set(Some(i));
        scroll_into_view(&option_id(i));
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = count();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                expanded.set(true);
                move_to(match active.get() {
                    Some(i) if i + 1 < n => i + 1,
                    Some(_) => 0,
                    None => 0,
                });
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                expanded.set(true);
                move_to(match active.get() {
                    Some(0) | None => n - 1,
                    Some(i) => i - 1,
                });
            }
            // With an option active, Home and End move within the list; otherwise they keep
            // their text-editing meaning.
            "Home" if is_open() && active.get().is_some() => {
                ev.prevent_default();
                move_to(0);
            }
            "End" if is_open() && active.get().is_some() => {
                ev.prevent_default();
                move_to(n - 1);
            }
            "Enter" if is_open() => {
                // Enter picks an option; it must not also submit the surrounding form.
                ev.prevent_default();
                if let Some(i) = active.get() {
                    choose.run(i);
                }
            }
            "Escape" if is_open() => {
                // Escape closes the popup first; only a second Escape closes the dialog.
                ev.prevent_default();
                ev.stop_propagation();
                expanded.set(false);
                active.set(None);
            }
            _ => {}
        }
    };

    let status = move || {
        if loading.get() {
            return "Searching…".to_string();
        }
        match search.get() {
            Search::Done { results, .. } if results.is_empty() => {
                "No organisations match".to_string()
            }
            Search::Done { results, .. } if results.len() == 1 => "1 result".to_string(),
            Search::Done { results, .. } => format!("{} results", results.len()),
            Search::Failed { .. } | Search::Idle => String::new(),
        }
    };

    let listbox_for = listbox_id.clone();
    let field = StoredValue::new(input_id.clone());
    let has_error = move || check.is_some_and(|c| field.with_value(|f| c.error(f).is_some()));
    let hint_for = hint_id.clone();
    let described_by = move || match check {
        Some(c) => field.with_value(|f| c.described_by(f, Some(&hint_for))),
        None => Some(hint_for.clone()),
    };
    view! {
        <div
            class="nhsuk-form-group app-combobox"
            class:nhsuk-form-group--error=has_error
            data-testid=format!("{id}-combobox")
        >
            <label class="nhsuk-label" for=input_id.clone()>
                {label}
            </label>
            <div class="nhsuk-hint" id=hint_id.clone()>
                "Type at least 2 characters of the organisation's name or its ODS code, then choose it from the list."
            </div>
            {check.map(|check| view! { <InlineError check=check field=field.get_value() /> })}
            <input
                class="nhsuk-input app-combobox__input"
                class:nhsuk-input--error=has_error
                id=input_id
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls=listbox_for
                aria-describedby=described_by
                aria-invalid=move || has_error().then_some("true")
                aria-expanded=move || is_open().to_string()
                aria-activedescendant=move || {
                    if is_open() { active.get().map(option_id) } else { None }
                }
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                // Blur also fires as the dialog removes the text box, after this component
                // is gone: hence the try_ accesses.
                on:blur=move |_| {
                    if pointer_held.try_get_value() == Some(true) {
                        let _ = close_when_released.try_set_value(true);
                    } else {
                        close();
                    }
                }
                on:focus=move |_| {
                    let _ = close_when_released.try_set_value(false);
                    if count() > 0 && selected.with(Option::is_none) {
                        expanded.set(true);
                    }
                }
                data-testid=format!("{id}-input")
            />
            <Listbox
                id=id
                listbox_id=listbox_id
                search=searcher.search
                results=results
                open=Signal::derive(is_open)
                unavailable=unavailable
                choose=choose
                active=active
            />
            <SearchOutcome id=id searcher=searcher selected=selected retry=Callback::new(run) />
            <div class="nhsuk-u-visually-hidden" role="status" data-testid=format!("{id}-status")>
                {status}
            </div>
        </div>
    }
}
