//! The one way the client shows a problem: an NHS error summary announced to screen readers,
//! with a "Try again" button when retrying can help (a failed load), none when it cannot; and,
//! for a form whose answers are wrong, [`FormCheck`] with its [`ProblemSummary`] and the
//! [`InlineError`] by each field.

use leptos::prelude::*;

use crate::components::page_heading::sync_error_title;

#[component]
pub fn ErrorSummary(
    /// What went wrong, as a heading ("Your groups could not be loaded").
    #[prop(into)]
    title: String,
    /// What the user can do about it, usually `ApiError::user_message()`.
    #[prop(into)]
    message: String,
    /// For tests.
    #[prop(into, optional)]
    test_id: Option<String>,
    /// Shown as "Try again" when given.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    /// Under an `<h2>` of its own (a dialog's title, a page section), the summary's heading is an
    /// `<h3>`, so the outline stays in order.
    #[prop(optional)]
    subheading: bool,
) -> impl IntoView {
    // The page title says "Error: " while this shows (issue 20, item 8).
    Effect::new(|_| sync_error_title());
    on_cleanup(sync_error_title);
    let heading = if subheading {
        view! { <h3 class="nhsuk-error-summary__title">{title}</h3> }.into_any()
    } else {
        view! { <h2 class="nhsuk-error-summary__title">{title}</h2> }.into_any()
    };
    view! {
        <div class="nhsuk-error-summary" role="alert" tabindex="-1" data-testid=test_id>
            {heading}
            <div class="nhsuk-error-summary__body">
                <p>{message}</p>
                {on_retry
                    .map(|retry| {
                        view! {
                            <button
                                type="button"
                                class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                                on:click=move |_| retry.run(())
                            >
                                "Try again"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
}

/// A refusal shown where the action was (a request's Close, the assign dialog's Assign): the
/// error summary's red box with one sentence and no heading, announced to screen readers.
#[component]
pub fn ErrorNotice(
    #[prop(into)] message: String,
    /// For tests.
    #[prop(into)]
    test_id: String,
) -> impl IntoView {
    Effect::new(|_| sync_error_title());
    on_cleanup(sync_error_title);
    view! {
        <div class="nhsuk-error-summary app-inline-error" role="alert" data-testid=test_id>
            <p>{message}</p>
        </div>
    }
}

/// One thing wrong with a form's answers: the words (an instruction, "Choose an organisation
/// to share with") and the id of the field they are about. The inline error by the field has
/// the id `{field}-error` ([`error_id`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The id of the field the summary's link moves focus to. When it is a container (a set of
    /// radios), focus goes to the first control inside it.
    pub field: String,
    pub words: String,
    /// What kind of problem it is (`required`, `too_short`…), for a study's interaction log
    /// (SPEC K6), which records the field and this code, never the words.
    pub code: &'static str,
}

impl Problem {
    pub fn new(field: impl Into<String>, words: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            words: words.into(),
            code: "invalid",
        }
    }

    /// The same problem with its code.
    pub fn code(self, code: &'static str) -> Self {
        Self { code, ..self }
    }
}

/// The id of the inline error of `field`, for its `aria-describedby`.
pub fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The NHS pattern for every form (issue 15, item 7): nothing is greyed out until valid.
/// Submitting checks the answers; if something is wrong, nothing is sent, an error summary
/// (focused, a link to each field) appears above the form and an error by each field. A
/// problem stays shown until it is put right; a new one shows only on the next submit.
#[derive(Clone, Copy)]
pub struct FormCheck {
    /// What is wrong now, recomputed as the answers change.
    now: Memo<Vec<Problem>>,
    /// What was wrong when the form was last submitted.
    found: RwSignal<Vec<Problem>>,
    /// Submits refused so far; each one focuses the summary again.
    refusals: RwSignal<u32>,
    /// Whether a refusal is logged in a participant's session (SPEC K6): yes for the screens
    /// under study, no for the study's own questions.
    logged: bool,
}

impl FormCheck {
    /// `problems` lists what is wrong with the answers as they are (reading them tracked).
    pub fn new(problems: impl Fn() -> Vec<Problem> + Send + Sync + 'static) -> Self {
        Self {
            now: Memo::new(move |_| problems()),
            found: RwSignal::new(Vec::new()),
            refusals: RwSignal::new(0),
            logged: true,
        }
    }

    /// A check whose refusals are not part of a study's interaction log (the task panel's own
    /// questions: they are about the study, not the screens under study).
    pub fn unlogged(problems: impl Fn() -> Vec<Problem> + Send + Sync + 'static) -> Self {
        Self {
            logged: false,
            ..Self::new(problems)
        }
    }

    /// On submit: true when the answers may be sent; otherwise shows and focuses the summary.
    pub fn passes(&self) -> bool {
        let found = self.now.get_untracked();
        let ok = found.is_empty();
        self.found.set(found);
        if !ok {
            if self.logged {
                // Names and codes only (K6): the words may repeat what was typed.
                self.found.with_untracked(|found| {
                    for p in found {
                        crate::study_log::problem(&p.field, p.code);
                    }
                });
            }
            self.refusals.update(|n| *n += 1);
        }
        ok
    }

    /// Forgets what was found (a form emptied after it was sent).
    pub fn clear(&self) {
        self.found.set(Vec::new());
    }

    /// The problems shown: those found at the last submit that are still there.
    pub fn shown(&self) -> Vec<Problem> {
        self.found.with(|found| {
            self.now
                .with(|now| found.iter().filter(|p| now.contains(p)).cloned().collect())
        })
    }

    /// The words of the error shown by `field`, if any.
    pub fn error(&self, field: &str) -> Option<String> {
        self.shown()
            .into_iter()
            .find(|p| p.field == field)
            .map(|p| p.words)
    }

    /// `aria-describedby` of a field: its hint (if any), then its error while one is shown.
    pub fn described_by(&self, field: &str, hint: Option<&str>) -> Option<String> {
        let error = self.error(field).map(|_| error_id(field));
        let ids: Vec<String> = hint.map(str::to_string).into_iter().chain(error).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The summary of a [`FormCheck`]: "There is a problem" and a link to each field, focused
/// each time a submit is refused; nothing while nothing is shown.
#[component]
pub fn ProblemSummary(
    check: FormCheck,
    /// For tests.
    #[prop(into)]
    test_id: String,
    /// Under an `<h2>` (a dialog's title, a page section) the heading is an `<h3>`.
    #[prop(optional)]
    subheading: bool,
) -> impl IntoView {
    let summary_ref = NodeRef::<leptos::html::Div>::new();
    let title_id = format!("{test_id}-title");
    // The page title says "Error: " while the summary shows (issue 20, item 8).
    Effect::new(move |_| {
        let _ = check.shown();
        sync_error_title();
    });
    on_cleanup(sync_error_title);
    Effect::new(move |_| {
        // Focus moves to the summary when it appears after a refused submit (and again on each
        // refused submit after that), as the NHS error summary does.
        if check.refusals.get() > 0 {
            if let Some(summary) = summary_ref.get() {
                let _ = summary.focus();
            }
        }
    });
    move || {
        let shown = check.shown();
        if shown.is_empty() {
            return None;
        }
        let title_id = title_id.clone();
        let heading = if subheading {
            view! { <h3 class="nhsuk-error-summary__title" id=title_id.clone()>"There is a problem"</h3> }
                .into_any()
        } else {
            view! { <h2 class="nhsuk-error-summary__title" id=title_id.clone()>"There is a problem"</h2> }
                .into_any()
        };
        Some(view! {
            <div
                class="nhsuk-error-summary"
                aria-labelledby=title_id
                role="alert"
                tabindex="-1"
                node_ref=summary_ref
                data-testid=test_id.clone()
            >
                {heading}
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        {shown.into_iter().map(problem_link).collect_view()}
                    </ul>
                </div>
            </div>
        })
    }
}

/// A link of the error summary: it moves focus to the field, or to the first control inside
/// it when the field is a group of radios.
fn problem_link(problem: Problem) -> impl IntoView {
    let field = problem.field;
    view! {
        <li>
            <a
                href=format!("#{field}")
                on:click=move |ev| {
                    // Not a navigation: the router must not see it. Focus the field instead.
                    ev.prevent_default();
                    focus_field(&field);
                }
            >
                {problem.words}
            </a>
        </li>
    }
}

fn focus_field(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(element) = document().get_element_by_id(id) else {
        return;
    };
    let control = if element
        .matches("input, textarea, select, button")
        .unwrap_or(false)
    {
        Some(element)
    } else {
        element
            .query_selector("input, textarea, select, button")
            .ok()
            .flatten()
    };
    if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = control.focus();
    }
}

/// The error by a field, NHS style: "Error:" for screen readers, then what to do. Put it after
/// the field's label and hint, before the field.
#[component]
pub fn InlineError(check: FormCheck, #[prop(into)] field: String) -> impl IntoView {
    move || {
        check.error(&field).map(|words| {
            view! {
                <span class="nhsuk-error-message" id=error_id(&field)>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>
                    {words}
                </span>
            }
        })
    }
}
