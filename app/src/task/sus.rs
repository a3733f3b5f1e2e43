//! The System Usability Scale at the end of a study (SPEC K5): the ten standard items, one per
//! screen with Back and Next ("Question k of 10"), each agreed with on a scale of 1 to 5, then
//! sent together. One per screen everywhere keeps a narrow screen and a screen reader simple.

use leptos::html::Div;
use leptos::prelude::*;

use super::questions::{point_labels, Scale};
use crate::components::error_summary::{FormCheck, Problem, ProblemSummary};

/// The ten items, worded as Brooke published them (1986), in their order: the score depends
/// on which are odd and which even.
pub const SUS_ITEMS: [&str; 10] = [
    "I think that I would like to use this system frequently.",
    "I found the system unnecessarily complex.",
    "I thought the system was easy to use.",
    "I think that I would need the support of a technical person to be able to use this system.",
    "I found the various functions in this system were well integrated.",
    "I thought there was too much inconsistency in this system.",
    "I would imagine that most people would learn to use this system very quickly.",
    "I found the system very cumbersome to use.",
    "I felt very confident using the system.",
    "I needed to learn a lot of things before I could get going with this system.",
];

/// The id of the radios of the question shown (the field of its problem).
const SUS_FIELD: &str = "sus-answer";

/// Where the participant is in the ten items, and what they chose so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SusSteps {
    answers: [Option<u8>; 10],
    step: usize,
}

impl SusSteps {
    /// The item shown, from 0.
    pub fn step(&self) -> usize {
        self.step
    }

    /// "Question 3 of 10".
    pub fn progress(&self) -> String {
        format!("Question {} of {}", self.step + 1, SUS_ITEMS.len())
    }

    /// The answer chosen for the item shown.
    pub fn chosen(&self) -> Option<u8> {
        self.answers[self.step]
    }

    /// Chooses an answer (1 to 5) for the item shown; anything else is ignored.
    pub fn choose(&mut self, value: u8) {
        if (1..=5).contains(&value) {
            self.answers[self.step] = Some(value);
        }
    }

    pub fn is_first(&self) -> bool {
        self.step == 0
    }

    pub fn is_last(&self) -> bool {
        self.step + 1 == SUS_ITEMS.len()
    }

    /// On to the next item, if the one shown is answered and is not the last.
    pub fn forward(&mut self) -> bool {
        let moved = self.chosen().is_some() && !self.is_last();
        if moved {
            self.step += 1;
        }
        moved
    }

    /// Back to the item before, keeping every answer.
    pub fn back(&mut self) -> bool {
        let moved = !self.is_first();
        if moved {
            self.step -= 1;
        }
        moved
    }

    /// The ten answers, once every item has one.
    pub fn all(&self) -> Option<Vec<u8>> {
        self.answers.iter().copied().collect()
    }
}

/// The SUS, one item per screen; Submit on the last sends all ten with `on_answer`.
#[component]
pub fn SusForm(busy: Signal<bool>, on_answer: Callback<Vec<u8>>) -> impl IntoView {
    let steps = RwSignal::new(SusSteps::default());
    let step = Memo::new(move |_| steps.with(SusSteps::step));
    let check = FormCheck::unlogged(move || {
        if steps.with(|s| s.chosen().is_none()) {
            vec![
                Problem::new(SUS_FIELD, "Select how much you agree with the statement")
                    .code("required"),
            ]
        } else {
            Vec::new()
        }
    });
    // Each new item takes the focus on its "Question k of 10", read first by a screen reader;
    // the radios come next in the tab order.
    let top = NodeRef::<Div>::new();
    Effect::new(move |seen: Option<usize>| {
        let now = step.get();
        if seen.is_some_and(|seen| seen != now) {
            if let Some(top) = top.get_untracked() {
                let _ = top.focus();
            }
        }
        now
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !check.passes() {
            return;
        }
        if steps.with_untracked(SusSteps::is_last) {
            if let Some(all) = steps.with_untracked(SusSteps::all) {
                on_answer.run(all);
            }
        } else {
            check.clear();
            steps.update(|s| {
                s.forward();
            });
        }
    };
    let back = move |_| {
        check.clear();
        steps.update(|s| {
            s.back();
        });
    };
    let question = move || {
        let k = step.get();
        view! {
            <Scale
                field=SUS_FIELD
                question=SUS_ITEMS[k]
                points=point_labels(5, "Strongly disagree", "Strongly agree")
                chosen=Signal::derive(move || steps.with(SusSteps::chosen))
                on_choose=Callback::new(move |v| steps.update(|s| s.choose(v)))
                check=check
            />
        }
    };
    view! {
        <form class="app-task-panel__form" on:submit=submit novalidate=true data-testid="sus-form">
            <p class="nhsuk-body">
                "Last, ten statements about the system you used. Choose how much you agree with each one."
            </p>
            <ProblemSummary check=check test_id="sus-problems" subheading=true />
            <div class="app-task-panel__step" tabindex="-1" node_ref=top data-testid="sus-progress">
                {move || steps.with(SusSteps::progress)}
            </div>
            {question}
            <div class="app-task-panel__actions">
                <Show when=move || !steps.with(SusSteps::is_first)>
                    <button
                        type="button"
                        class="nhsuk-button nhsuk-button--secondary app-task-panel__button"
                        on:click=back
                        data-testid="sus-back"
                    >
                        "Back"
                    </button>
                </Show>
                <Show
                    when=move || steps.with(SusSteps::is_last)
                    fallback=|| view! {
                        <button type="submit" class="nhsuk-button app-task-panel__button" data-testid="sus-next">
                            "Next"
                        </button>
                    }
                >
                    <button
                        type="submit"
                        class="nhsuk-button app-task-panel__button"
                        aria-busy=move || busy.get().then_some("true")
                        data-testid="sus-submit"
                    >
                        "Submit answers"
                    </button>
                </Show>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_waits_for_an_answer_and_stops_at_the_tenth() {
        let mut s = SusSteps::default();
        assert_eq!(s.progress(), "Question 1 of 10");
        assert!(!s.forward(), "no answer yet");
        for k in 0..10 {
            assert_eq!(s.step(), k);
            s.choose(3);
            let moved = s.forward();
            assert_eq!(moved, k < 9);
        }
        assert!(s.is_last());
        assert_eq!(s.progress(), "Question 10 of 10");
    }

    #[test]
    fn back_keeps_the_answers_given() {
        let mut s = SusSteps::default();
        s.choose(5);
        s.forward();
        s.choose(1);
        assert!(s.back());
        assert_eq!(s.chosen(), Some(5));
        assert!(!s.back(), "nothing before the first");
        s.forward();
        assert_eq!(s.chosen(), Some(1));
    }

    #[test]
    fn the_answers_are_sent_only_once_all_ten_are_given() {
        let mut s = SusSteps::default();
        for v in [1, 2, 3, 4, 5, 5, 4, 3, 2] {
            s.choose(v);
            s.forward();
        }
        assert_eq!(s.all(), None);
        s.choose(1);
        assert_eq!(s.all(), Some(vec![1, 2, 3, 4, 5, 5, 4, 3, 2, 1]));
    }

    #[test]
    fn an_answer_outside_one_to_five_is_ignored() {
        let mut s = SusSteps::default();
        s.choose(0);
        s.choose(6);
        assert_eq!(s.chosen(), None);
    }

    #[test]
    fn the_items_are_the_ten_standard_ones() {
        assert_eq!(SUS_ITEMS.len(), 10);
        assert!(SUS_ITEMS[1].contains("unnecessarily complex"));
        assert!(SUS_ITEMS[9].starts_with("I needed to learn a lot"));
    }
}
