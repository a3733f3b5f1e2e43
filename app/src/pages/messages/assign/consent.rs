//! The consent step of SPEC A3 for the chosen target (no reason needed, an agreement applies,
//! or a reason is required), and who would see the request afterwards.

use domain::wire::{Assignable, Consent, RequestDetail, Sharing};
use leptos::prelude::*;

use super::super::context::use_messages;
use super::{REASON_FIELD, REASON_MAX, REASON_MIN};
use crate::components::error_summary::{FormCheck, InlineError};

/// SPEC A3 for the chosen target, and who would see the request afterwards.
#[component]
pub fn ConsentStep(
    chosen: Assignable,
    detail: Memo<Option<RequestDetail>>,
    reason: RwSignal<String>,
    reason_count: Memo<usize>,
    /// The form's check, whose problem with the reason shows by the text box.
    check: FormCheck,
) -> impl IntoView {
    let ctx = use_messages();
    let (patient, sharing, origin_code, origin_name) = detail.with_untracked(|d| match d {
        Some(d) => (
            d.patient.name.clone(),
            Some(d.patient.sharing),
            d.origin.ods_code.clone(),
            d.origin.name.clone(),
        ),
        None => (String::new(), None, String::new(), String::new()),
    });
    let owner = chosen.owner.name.clone();
    let consent = match chosen.consent {
        Consent::None => (sharing == Some(Sharing::DoNotShare)).then(|| {
            view! {
                <p class="app-consent" data-testid="consent-none">
                    {format!("{owner} has already been involved in this request, so no reason is needed.")}
                </p>
            }
            .into_any()
        }),
        Consent::Agreement => {
            let reference = chosen
                .agreement
                .as_ref()
                .map(|a| a.reference.clone())
                .unwrap_or_default();
            let text = if origin_code == ctx.my_ods_code.get_untracked() {
                format!("Your data sharing agreement {reference} with {owner} applies, so no reason is needed.")
            } else {
                format!(
                    "The data sharing agreement {reference} between {origin_name} and {owner} \
                     applies, so no reason is needed."
                )
            };
            Some(
                view! {
                    <div class="nhsuk-inset-text app-consent" data-testid="consent-agreement">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>{text}</p>
                    </div>
                }
                .into_any(),
            )
        }
        Consent::Reason => {
            let why = format!(
                "{patient} has asked not to share their data, and there is no active data sharing \
                 agreement between {origin_name} and {owner}. Give a reason for sharing this \
                 request with {owner}."
            );
            let count_text = move || {
                let n = reason_count.get();
                if n > REASON_MAX {
                    format!("{n} characters: {} too many (at most {REASON_MAX}).", n - REASON_MAX)
                } else if n < REASON_MIN {
                    format!("{n} characters: at least {REASON_MIN} needed.")
                } else {
                    format!("{n} of at most {REASON_MAX} characters.")
                }
            };
            let has_error = move || check.error(REASON_FIELD).is_some();
            let described_by = move || {
                if has_error() {
                    "assign-reason-hint assign-reason-error assign-reason-count"
                } else {
                    "assign-reason-hint assign-reason-count"
                }
            };
            Some(
                view! {
                    <div class="nhsuk-form-group app-consent" class:nhsuk-form-group--error=has_error data-testid="consent-reason">
                        <label class="nhsuk-label nhsuk-label--s" for="assign-reason">
                            "Reason for sharing (required)"
                        </label>
                        <div class="nhsuk-hint" id="assign-reason-hint" data-testid="consent-reason-why">{why}</div>
                        <InlineError check=check field=REASON_FIELD />
                        <textarea
                            class="nhsuk-textarea"
                            class:nhsuk-textarea--error=has_error
                            id=REASON_FIELD
                            aria-invalid=move || has_error().then_some("true")
                            name="reason"
                            rows="4"
                            required
                            aria-describedby=described_by
                            data-testid="assign-reason"
                            bind:value=reason
                        ></textarea>
                        <p class="nhsuk-hint app-count" id="assign-reason-count" aria-live="polite" data-testid="assign-reason-count">
                            {count_text}
                        </p>
                    </div>
                }
                .into_any(),
            )
        }
    };
    let orgs = chosen
        .would_see
        .organisations
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>();
    let others = chosen.would_see.other_unrestricted_partners;
    let others_text = match others {
        0 => None,
        1 => Some("and 1 other organisation".to_string()),
        n => Some(format!("and {n} other organisations")),
    };
    view! {
        {consent}
        <div class="app-would-see" data-testid="would-see">
            <h3 class="nhsuk-heading-xs">"Who will see this request afterwards"</h3>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {orgs.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                {others_text.map(|t| view! { <li data-testid="would-see-others">{t}</li> })}
            </ul>
        </div>
    }
}
