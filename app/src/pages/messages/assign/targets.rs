//! The choice of where to assign: every target the organisation may assign the request to
//! (SPEC A2), grouped "Your organisation" and one section per partner by name (SPEC §4),
//! filtered by a search box. Sections and radios are keyed by id, so a reload of the choices
//! (a share or agreement changed meanwhile, E1) leaves the radio in focus in place.

use std::collections::BTreeMap;

use domain::text;
use domain::wire::Assignable;
use leptos::prelude::*;

use super::super::context::use_messages;
use super::TARGET_FIELD;
use crate::api::ApiError;
use crate::components::error_summary::{FormCheck, InlineError};
use crate::components::loaded::Loaded;
use crate::format::target_kind_words;

/// One group of choices: the user's own organisation, or one partner.
#[derive(Clone, Debug, PartialEq)]
struct Section {
    key: String,
    title: String,
    items: Vec<Assignable>,
}

#[component]
pub fn TargetChoices(
    targets: LocalResource<Result<Vec<Assignable>, ApiError>>,
    all: Memo<Vec<Assignable>>,
    selected: RwSignal<Option<String>>,
    check: FormCheck,
) -> impl IntoView {
    let ctx = use_messages();
    let filter = RwSignal::new(String::new());
    let sections = Memo::new(move |_| {
        let mine = ctx.my_ods_code.get();
        // Case folds in every language (`domain::text`): "zoë" finds "ZOË".
        let needle = text::fold(filter.get().trim());
        let mut own = Vec::new();
        let mut partners: BTreeMap<(String, String), Vec<Assignable>> = BTreeMap::new();
        all.with(|all| {
            for a in all {
                let matches = needle.is_empty()
                    || text::fold(&a.target.name).contains(&needle)
                    || text::fold(&a.owner.name).contains(&needle)
                    || text::fold(&a.owner.ods_code) == needle;
                if !matches {
                    continue;
                }
                if a.owner.ods_code == mine {
                    own.push(a.clone());
                } else {
                    partners
                        .entry((a.owner.name.clone(), a.owner.ods_code.clone()))
                        .or_default()
                        .push(a.clone());
                }
            }
        });
        let mut out = Vec::new();
        if !own.is_empty() {
            out.push(Section {
                key: "own".to_string(),
                title: "Your organisation".to_string(),
                items: own,
            });
        }
        for ((title, key), items) in partners {
            out.push(Section { key, title, items });
        }
        out
    });
    let items_of = move |key: String| {
        move || {
            sections.with(|s| {
                s.iter()
                    .find(|s| s.key == key)
                    .map(|s| s.items.clone())
                    .unwrap_or_default()
            })
        }
    };

    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label" for="assign-filter">"Search groups and colleagues"</label>
            <input
                class="nhsuk-input"
                id="assign-filter"
                type="search"
                autocomplete="off"
                data-testid="assign-filter"
                bind:value=filter
                // Enter in a search box means "search", never "assign to what is selected".
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                    }
                }
            />
        </div>
        <div
            class="app-assign__targets"
            class:nhsuk-form-group--error=move || check.error(TARGET_FIELD).is_some()
            id=TARGET_FIELD
            data-testid="assign-targets"
        >
            <InlineError check=check field=TARGET_FIELD />
            <Loaded
                resource=targets
                loading="Loading groups and colleagues…"
                error_title="Groups and colleagues could not be loaded"
                error_test_id="assign-load-error"
                subheading=true
            >
                {move || {
                    sections
                        .with(Vec::is_empty)
                        .then(|| {
                            let message = if all.with(Vec::is_empty) {
                                "There is nowhere else to assign this request."
                            } else {
                                "No groups or colleagues match your search."
                            };
                            view! { <p class="app-empty" data-testid="assign-no-targets">{message}</p> }
                        })
                }}
                <For each=move || sections.get() key=|s| s.key.clone() let:section>
                    <fieldset class="nhsuk-fieldset app-assign__section" data-testid=format!("assign-section-{}", section.key)>
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{section.title.clone()}</legend>
                        <div class="nhsuk-radios nhsuk-radios--small">
                            <For each=items_of(section.key.clone()) key=|a| a.target.id.clone() let:a>
                                <TargetRadio target=a selected=selected />
                            </For>
                        </div>
                    </fieldset>
                </For>
            </Loaded>
        </div>
    }
}

#[component]
fn TargetRadio(target: Assignable, selected: RwSignal<Option<String>>) -> impl IntoView {
    let id = target.target.id.clone();
    let input_id = format!("assign-target-{id}");
    let kind = target_kind_words(target.target.kind);
    let checked = {
        let id = id.clone();
        move || selected.with(|s| s.as_deref() == Some(id.as_str()))
    };
    view! {
        <div class="nhsuk-radios__item">
            <input
                class="nhsuk-radios__input"
                id=input_id.clone()
                name="assign-target"
                type="radio"
                value=id.clone()
                data-testid=format!("assign-target-{id}")
                prop:checked=checked
                on:change=move |_| selected.set(Some(id.clone()))
            />
            <label class="nhsuk-label nhsuk-radios__label" for=input_id>
                {target.target.name.clone()}
                <span class="app-assign__kind">{format!(" ({kind})")}</span>
            </label>
        </div>
    }
}
