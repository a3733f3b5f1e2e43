//! The organisation search box of the Share dialog and the Agreements page: a WAI-ARIA 1.2
//! combobox with a listbox popup that searches `GET /api/organisations` as the user types.
//!
//! At most one search is in flight at any time. A keystroke searches at once when none is (so
//! results follow a keystroke by one round trip, with no debounce delay); keystrokes that arrive
//! while one is in flight only remember the newest text, which is searched as soon as the
//! answer comes back, and that answer, now stale, is dropped. A sequence number also drops the
//! answer of a search made stale by clearing the box. So a slow answer to an older query never
//! replaces a newer one, and a burst of typing costs at most one search per round trip (SPEC §4).

use domain::text;
use domain::wire::Organisation;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::kind_label;
use crate::api::{self, ApiError};
use crate::components::error_summary::{FormCheck, InlineError};

/// How many organisations one search lists.
const LIMIT: u32 = 10;
/// The server ignores shorter queries (API.md), so the client does not send them.
const MIN_CHARS: usize = 2;

/// What the search has answered, for the query it was sent with.
#[derive(Clone, Debug, PartialEq)]
enum Search {
    /// Nothing, or fewer than two characters, typed.
    Idle,
    /// The answer to `query`.
    Done {
        query: String,
        results: Vec<Organisation>,
    },
    /// The search for `query` failed; Retry sends it again.
    Failed { query: String, message: String },
}

/// Splits `text` into runs, marking (true) the parts that the directory search matched: for a
/// name, the start of each word that a word of the query is (`domain::text`, the server's own
/// word splitting and case folding); for an ODS code, the prefix equal to the query (API.md).
pub fn marked(text: &str, query: &str, is_code: bool) -> Vec<(String, bool)> {
    let ranges = if is_code {
        code_prefix(text, query.trim())
            .map(|end| 0..end)
            .into_iter()
            .collect()
    } else {
        text::matched_ranges(text, query)
    };
    let mut runs = Vec::new();
    let mut at = 0;
    for range in ranges {
        if range.start > at {
            runs.push((text[at..range.start].to_string(), false));
        }
        runs.push((text[range.clone()].to_string(), true));
        at = range.end;
    }
    if at < text.len() || runs.is_empty() {
        runs.push((text[at..].to_string(), false));
    }
    runs
}

/// The length in bytes of the start of `code` that equals `prefix` ignoring case, if any.
fn code_prefix(code: &str, prefix: &str) -> Option<usize> {
    let n = prefix.chars().count();
    if n == 0 {
        return None;
    }
    let end = code.char_indices().nth(n).map_or(code.len(), |(i, _)| i);
    let head = &code[..end];
    (head.chars().count() == n && text::fold(head) == text::fold(prefix)).then_some(end)
}

/// The search scheduling of one combobox: every handle is a signal or stored value, so the
/// whole thing is `Copy` and can be moved into event handlers and into its own answers.
#[derive(Clone, Copy)]
struct Searcher {
    /// Bumped when what is on the way becomes irrelevant (box cleared, combobox gone).
    seq: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    /// The newest text typed while a search was in flight.
    pending: StoredValue<Option<String>>,
    search: RwSignal<Search>,
    loading: RwSignal<bool>,
    expanded: RwSignal<bool>,
    active: RwSignal<Option<usize>>,
}

impl Searcher {
    /// Searches `query` now, or as soon as the search in flight has answered.
    fn request(self, query: String) {
        if self.in_flight.try_get_value().unwrap_or(false) {
            self.pending.try_set_value(Some(query));
            return;
        }
        self.send(query);
    }

    fn send(self, query: String) {
        let Some(mine) = self.seq.try_get_value() else {
            return;
        };
        self.in_flight.set_value(true);
        self.loading.set(true);
        spawn_local(async move {
            let answer = api::search_organisations(&query, LIMIT, None).await;
            // `try_` forms: the combobox may be gone (its dialog closed mid-search).
            self.in_flight.try_set_value(false);
            if let Some(Some(newer)) = self.pending.try_update_value(Option::take) {
                // Typing went on meanwhile: this answer is stale, the newest text is not.
                self.send(newer);
                return;
            }
            if self.seq.try_get_value() != Some(mine) {
                return;
            }
            self.loading.set(false);
            match answer {
                Ok(found) => {
                    self.active.set(None);
                    self.expanded.set(!found.results.is_empty());
                    self.search.set(Search::Done {
                        query,
                        results: found.results,
                    });
                }
                Err(ApiError::Aborted) => {}
                Err(e) => {
                    self.expanded.set(false);
                    self.search.set(Search::Failed {
                        query,
                        message: e.user_message(),
                    });
                }
            }
        });
    }

    /// Forgets the search on its way and any text waiting for it.
    fn cancel(self) {
        self.seq.try_update_value(|s| *s += 1);
        self.pending.try_set_value(None);
        self.loading.try_set(false);
    }
}

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
    let search = RwSignal::new(Search::Idle);
    let loading = RwSignal::new(false);
    let expanded = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let searcher = Searcher {
        seq: StoredValue::new(0),
        in_flight: StoredValue::new(false),
        pending: StoredValue::new(None),
        search,
        loading,
        expanded,
        active,
    };

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

    let choose = move |i: usize| {
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
    };

    let move_to = move |i: usize| {
        active.set(Some(i));
        super::scroll_into_view(option_id(i));
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
                    choose(i);
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
            <ul
                class="app-combobox__listbox"
                id=listbox_id
                role="listbox"
                aria-label="Organisations"
                hidden=move || !is_open()
            >
                {move || {
                    let query = match search.get() {
                        Search::Done { query, .. } => query,
                        _ => String::new(),
                    };
                    results
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, org)| {
                            let reason = unavailable.run(org.clone());
                            let disabled = reason.is_some();
                            let name = marked(&org.name, &query, false);
                            let code = marked(&org.ods_code, &query, true);
                            let details = format!(
                                " · {} · {}",
                                kind_label(&org.kind),
                                org.postcode,
                            );
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class="app-combobox__option"
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    aria-disabled=disabled.then_some("true")
                                    data-testid=format!("org-option-{}", org.ods_code)
                                    // Keeps focus in the text box while the pointer chooses.
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:click=move |_| choose(i)
                                >
                                    <span class="app-combobox__name">
                                        <Marked runs=name />
                                    </span>
                                    <span class="app-combobox__details">
                                        <Marked runs=code />
                                        {details}
                                    </span>
                                    {reason
                                        .map(|r| {
                                            view! { <span class="app-combobox__reason">{r}</span> }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || match search.get() {
                Search::Done { query, results } if results.is_empty() && !loading.get() => {
                    Some(
                        view! {
                            <p class="app-combobox__empty" data-testid=format!("{id}-no-results")>
                                {format!("No organisations match “{query}”.")}
                            </p>
                        }
                            .into_any(),
                    )
                }
                Search::Failed { query, message } if !loading.get() => {
                    Some(
                        view! {
                            <div class="app-combobox__error" role="alert" data-testid=format!("{id}-error")>
                                <p class="nhsuk-error-message">
                                    "The search failed. "
                                    {message}
                                </p>
                                <button
                                    type="button"
                                    class="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                                    on:click=move |_| run(query.clone())
                                >
                                    "Retry"
                                </button>
                            </div>
                        }
                            .into_any(),
                    )
                }
                _ => None,
            }}
            {move || {
                selected
                    .get()
                    .map(|org| {
                        view! {
                            <p class="app-combobox__chosen" data-testid=format!("{id}-selected")>
                                "Chosen: "
                                <strong>{org.name}</strong>
                                {format!(" ({})", org.ods_code)}
                            </p>
                        }
                    })
            }}
            <div class="nhsuk-u-visually-hidden" role="status" data-testid=format!("{id}-status")>
                {status}
            </div>
        </div>
    }
}

/// Text runs with the matched parts in `<mark>`.
#[component]
fn Marked(runs: Vec<(String, bool)>) -> impl IntoView {
    runs.into_iter()
        .map(|(text, hit)| {
            if hit {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::marked;

    fn hits(runs: &[(String, bool)]) -> Vec<&str> {
        runs.iter()
            .filter(|(_, hit)| *hit)
            .map(|(t, _)| t.as_str())
            .collect()
    }

    #[test]
    fn every_query_word_marks_the_start_of_a_name_word() {
        let runs = marked("Riverside Medical Practice", "riv med", false);
        assert_eq!(hits(&runs), vec!["Riv", "Med"]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, "Riverside Medical Practice");
    }

    #[test]
    fn an_ods_code_is_marked_by_its_prefix() {
        assert_eq!(hits(&marked("A81001", "a810", true)), vec!["A810"]);
        assert!(hits(&marked("A81001", "810", true)).is_empty());
    }

    #[test]
    fn text_without_a_match_is_one_plain_run() {
        assert_eq!(
            marked("Camelia Surgery", "zz", false),
            vec![("Camelia Surgery".to_string(), false)]
        );
    }

    #[test]
    fn words_split_at_punctuation_and_fold_beyond_ascii_like_the_server_search() {
        assert_eq!(
            hits(&marked("Hartley-Smith Surgery", "smith", false)),
            vec!["Smith"]
        );
        assert_eq!(
            hits(&marked("ZOË Health Centre", "zoë", false)),
            vec!["ZOË"]
        );
    }

    #[test]
    fn a_match_inside_a_word_is_not_marked() {
        assert!(hits(&marked("Camelia Surgery", "urg", false)).is_empty());
    }
}
