//! The popup of the combobox (a WAI-ARIA listbox of the organisations found, the matched parts
//! marked) and what is said under it: no match, a failed search with Retry, what was chosen.

use domain::wire::Organisation;
use leptos::prelude::*;

use super::search::{marked, Search, Searcher};
use crate::format::org_kind_label;

/// The options found; an unavailable one says why and cannot be chosen.
#[component]
pub fn Listbox(
    id: &'static str,
    listbox_id: String,
    search: RwSignal<Search>,
    results: Memo<Vec<Organisation>>,
    open: Signal<bool>,
    unavailable: Callback<Organisation, Option<String>>,
    choose: Callback<usize>,
    active: RwSignal<Option<usize>>,
) -> impl IntoView {
    let option_id = move |i: usize| format!("{id}-option-{i}");
    view! {
        <ul
            class="app-combobox__listbox"
            id=listbox_id
            role="listbox"
            aria-label="Organisations"
            hidden=move || !open.get()
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
                            org_kind_label(&org.kind),
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
                                on:click=move |_| choose.run(i)
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
    }
}

/// No match, a failed search with Retry, or the organisation chosen.
#[component]
pub fn SearchOutcome(
    id: &'static str,
    searcher: Searcher,
    selected: RwSignal<Option<Organisation>>,
    retry: Callback<String>,
) -> impl IntoView {
    let Searcher {
        search, loading, ..
    } = searcher;
    view! {
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
                                    on:click=move |_| retry.run(query.clone())
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
