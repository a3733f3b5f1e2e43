//! The questions of a study (SPEC K5): a scale of radios in a fieldset, NHS style, and the
//! Single Ease Question asked after each task. The SUS, asked at the end, is in `sus`.

use leptos::prelude::*;

use crate::components::error_summary::{FormCheck, InlineError, Problem, ProblemSummary};

/// The Single Ease Question, worded as published.
pub const SEQ_QUESTION: &str = "Overall, how difficult or easy was the task to complete?";

/// The id of the SEQ's radios (the field of its problem).
const SEQ_FIELD: &str = "seq-answer";

/// The label of each point of a scale from 1 to `top`: the ends in words, the rest as numbers.
pub fn point_labels(top: u8, low: &str, high: &str) -> Vec<(u8, String)> {
    (1..=top)
        .map(|n| {
            let label = match n {
                1 => format!("1 {low}"),
                n if n == top => format!("{n} {high}"),
                n => n.to_string(),
            };
            (n, label)
        })
        .collect()
}

/// One question answered on a scale: a fieldset whose legend is the question, a radio per
/// point, and the error by it while its check shows one.
#[component]
pub fn Scale(
    /// The id of the radios' container, the field of the problem "nothing chosen".
    #[prop(into)]
    field: String,
    /// The question, the legend.
    #[prop(into)]
    question: String,
    /// A hint under the question, if any.
    #[prop(into, optional)]
    hint: Option<String>,
    points: Vec<(u8, String)>,
    chosen: Signal<Option<u8>>,
    on_choose: Callback<u8>,
    check: FormCheck,
) -> impl IntoView {
    let has_error = {
        let field = field.clone();
        move || check.error(&field).is_some()
    };
    let hint_id = format!("{field}-hint");
    let described_by = {
        let (field, hint) = (field.clone(), hint.as_ref().map(|_| hint_id.clone()));
        move || check.described_by(&field, hint.as_deref())
    };
    let radios = points
        .into_iter()
        .map(|(value, label)| {
            let id = format!("{field}-{value}");
            view! {
                <div class="nhsuk-radios__item">
                    <input
                        class="nhsuk-radios__input"
                        id=id.clone()
                        name=field.clone()
                        type="radio"
                        value=value.to_string()
                        prop:checked=move || chosen.get() == Some(value)
                        on:change=move |_| on_choose.run(value)
                    />
                    <label class="nhsuk-label nhsuk-radios__label" for=id>
                        {label}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group" class:nhsuk-form-group--error=has_error.clone()>
            <fieldset class="nhsuk-fieldset" aria-describedby=described_by>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                    <h3 class="nhsuk-fieldset__heading">{question}</h3>
                </legend>
                {hint.map(|hint| view! { <div class="nhsuk-hint" id=hint_id.clone()>{hint}</div> })}
                <InlineError check=check field=field.clone() />
                <div class="nhsuk-radios app-scale" id=field.clone()>
                    {radios}
                </div>
            </fieldset>
        </div>
    }
}

/// The Single Ease Question after a task: Continue with nothing chosen explains what is
/// missing and sends nothing (the NHS pattern); a choice is sent with `on_answer`.
#[component]
pub fn SeqForm(
    /// Whether an answer is on its way.
    busy: Signal<bool>,
    on_answer: Callback<u8>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<u8>);
    let check = FormCheck::unlogged(move || {
        if chosen.with(Option::is_none) {
            vec![
                Problem::new(SEQ_FIELD, "Select how difficult or easy the task was")
                    .code("required"),
            ]
        } else {
            Vec::new()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        if let Some(value) = chosen.get_untracked() {
            on_answer.run(value);
        }
    };
    view! {
        <form class="app-task-panel__form" on:submit=submit novalidate=true data-testid="seq-form">
            <ProblemSummary check=check test_id="seq-problems" subheading=true />
            <Scale
                field=SEQ_FIELD
                question=SEQ_QUESTION
                points=point_labels(7, "Very difficult", "Very easy")
                chosen=chosen.into()
                on_choose=Callback::new(move |v| chosen.set(Some(v)))
                check=check
            />
            <button
                type="submit"
                class="nhsuk-button app-task-panel__button"
                aria-busy=move || busy.get().then_some("true")
                data-testid="seq-continue"
            >
                "Continue"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_names_its_ends_in_words_and_the_rest_by_number() {
        let labels: Vec<String> = point_labels(7, "Very difficult", "Very easy")
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            labels,
            ["1 Very difficult", "2", "3", "4", "5", "6", "7 Very easy"]
        );
        let sus = point_labels(5, "Strongly disagree", "Strongly agree");
        assert_eq!(sus[0], (1, "1 Strongly disagree".to_string()));
        assert_eq!(sus[4], (5, "5 Strongly agree".to_string()));
    }
}
