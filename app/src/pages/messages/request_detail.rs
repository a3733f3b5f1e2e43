//! One request: the patient with their sharing preference, the message, "Why can I see this?"
//! (SPEC V1 or V2), the journey of every hop (A4), and the actions any organisation that sees
//! it may take: assign (A1–A6), close and reopen (A5).

use domain::wire::{HistoryEvent, RequestDetail, RequestStatus, VisibleBecause};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

use super::address::MessagesQuery;
use super::assign::AssignDialog;
use super::context::{assignee_words, use_messages, SetOpen, CONFLICT_MESSAGE};
use super::journey::JourneyStep;
use crate::api;
use crate::components::error_summary::ErrorNotice;
use crate::components::loaded::Loaded;
use crate::focus::focus_if_lost;
use crate::format::{format_date, format_time, kind_words, nhs_number, sharing_words};
use crate::reload::{use_reload, Kind};
use crate::state::{on_answer, use_session};

/// Where keyboard focus goes once the request shows this user's change (the version the
/// answer carried, whether the reload came before the answer or after it): the button pressed
/// may be gone (Close becomes Reopen).
#[derive(Clone, Copy, PartialEq)]
enum FocusAfter {
    Heading { version: u64 },
    AssignButton { version: u64 },
}

/// One request. The page mounts a new one for each request id, so `id` is a plain value: this
/// view never subscribes to the part of the address that decides whether it exists (see
/// `address`). `list` is the list it was opened from, for the way back.
#[component]
pub fn RequestDetailView(id: String, list: Memo<MessagesQuery>) -> impl IntoView {
    let ctx = use_messages();
    let reload = use_reload();
    // The last event of this request from the stream (E4): `visible: false` says it has left
    // the organisation's sight. A newer version reloads it through the reload model.
    let change = Memo::new({
        let id = id.clone();
        move |_| reload.request_change(&id)
    });
    let gone = move || change.with(|c| c.is_some_and(|c| !c.visible));
    // `Ok(None)`: no such request, or one this organisation may not see (the same answer).
    let resource = LocalResource::new({
        let id = id.clone();
        move || {
            reload.track(Kind::Requests);
            let call = api::request(&id);
            async move {
                let d = match call.await {
                    Ok(d) => d,
                    Err(e) if e.status() == Some(404) => return Ok(None),
                    Err(e) => return Err(e),
                };
                ctx.names.learn(&d.origin.ods_code, &d.origin.name);
                ctx.names.learn(&d.holder.ods_code, &d.holder.name);
                ctx.names.learn_assignee(&d.assignee);
                for event in &d.history {
                    for a in event.from.iter().chain(event.to.iter()) {
                        ctx.names.learn_assignee(a);
                    }
                }
                Ok(Some(d))
            }
        }
    });
    // The request as last answered.
    let detail = Memo::new(move |_| {
        resource.with(|r| r.as_ref().and_then(|r| r.as_ref().ok().cloned()).flatten())
    });

    let notice = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<String>);
    // Who made the change that brought a newer version on screen, when it was not this user:
    // (user name, organisation code), said at once instead of a conflict later (E4, A5).
    let changed_by = RwSignal::new(None::<(String, String)>);
    let me = use_session().user_id_untracked();
    let assign_open = RwSignal::new(false);
    let focus_after = RwSignal::new(Some(FocusAfter::Heading { version: 0 }));
    let heading_ref = NodeRef::<html::H2>::new();
    let assign_ref = NodeRef::<html::Button>::new();
    Effect::new(move |shown: Option<Option<u64>>| {
        let Some(d) = detail.get() else {
            return shown.flatten();
        };
        if let Some(Some(before)) = shown {
            if d.version > before {
                let by = d
                    .history
                    .last()
                    .and_then(|e| e.user.as_ref().map(|u| (u, e.ods_code.clone())))
                    .filter(|(u, _)| u.id != me)
                    .map(|(u, code)| (u.name.clone(), code));
                // Another user's change re-rendered the request and may have removed the
                // button that had focus: focus goes to its heading (WCAG 2.4.3).
                if by.is_some() && focus_after.get_untracked().is_none() {
                    focus_if_lost("request-detail-heading");
                }
                changed_by.set(by);
            }
        }
        Some(d.version)
    });

    // A new request is a new view: focus starts on its heading, so that keyboard and
    // screen-reader users land on what they opened. After this user's change the detail
    // re-renders, and focus goes to the heading (close, reopen) or back to Assign.
    Effect::new(move |_| {
        // Tracked, so a newly rendered heading or button runs this again.
        let rendered = heading_ref.get().is_some() || assign_ref.get().is_some();
        let shown = detail.with(|d| d.as_ref().map_or(0, |d| d.version));
        let to_assign = match focus_after.get() {
            Some(FocusAfter::Heading { version }) if rendered && shown >= version => false,
            Some(FocusAfter::AssignButton { version }) if rendered && shown >= version => true,
            _ => return,
        };
        focus_after.set(None);
        // Once painted, on the element shown then: a view that has just loaded is put in the
        // page after it is built, and a newer version replaces the one being left.
        request_animation_frame(move || {
            let target: Option<web_sys::HtmlElement> = if to_assign {
                assign_ref.try_get_untracked().flatten().map(Into::into)
            } else {
                heading_ref.try_get_untracked().flatten().map(Into::into)
            };
            if let Some(target) = target {
                let _ = target.focus();
            }
        });
    });

    // The page owns the call (`ctx.set_open`); this view only says how it went, while it lives.
    let set_open = ctx.set_open;
    on_answer(set_open, move |answer| match answer {
        Ok((open, version)) => {
            notice.set(Some(
                if *open {
                    "Request reopened."
                } else {
                    "Request closed."
                }
                .to_string(),
            ));
            focus_after.set(Some(FocusAfter::Heading { version: *version }));
        }
        Err(e) if e.is_conflict() => action_error.set(Some(CONFLICT_MESSAGE.to_string())),
        Err(e) => action_error.set(Some(e.user_message())),
    });
    let busy = set_open.pending();

    // Made here, not inside the async view: callbacks made there would belong to one run of
    // that view and be disposed by the next.
    let on_assigned = Callback::new(move |(message, version): (String, u64)| {
        assign_open.set(false);
        action_error.set(None);
        notice.set(Some(message));
        focus_after.set(Some(FocusAfter::AssignButton { version }));
    });
    let on_assign = Callback::new(move |_| assign_open.set(true));
    let on_set_open = Callback::new(move |open: bool| {
        let Some((request_id, version)) =
            detail.with_untracked(|d| d.as_ref().map(|d| (d.id.clone(), d.version)))
        else {
            return;
        };
        notice.set(None);
        action_error.set(None);
        set_open.dispatch(SetOpen {
            request_id,
            open,
            version,
        });
    });
    let back = move || list.with(MessagesQuery::href);

    view! {
        <section class="app-request-detail" aria-labelledby="request-detail-heading" data-testid="request-detail">
            <p class="app-back">
                <A href=back attr:class="nhsuk-back-link__link" attr:data-testid="back-to-list">
                    "Back to the list"
                </A>
            </p>
            // The request on screen stays while a newer answer loads (after a change), and a
            // failed load says why, with Try again.
            <Loaded
                resource=resource
                loading="Loading the request…"
                error_title="The request could not be loaded"
                error_test_id="messages-load-error"
            >
                {move || {
                    if gone() {
                        return view! { <RequestGone /> }.into_any();
                    }
                    match detail.get() {
                        None => view! { <RequestNotFound /> }.into_any(),
                        Some(d) => view! {
                            <DetailBody
                                detail=d
                                heading_ref=heading_ref
                                assign_ref=assign_ref
                                notice=notice
                                changed_by=changed_by
                                action_error=action_error
                                on_assign=on_assign
                                on_set_open=on_set_open
                                busy=busy.into()
                            />
                        }
                        .into_any(),
                    }
                }}
            </Loaded>
            <AssignDialog open=assign_open detail=detail on_assigned=on_assigned />
        </section>
    }
}

#[component]
fn RequestGone() -> impl IntoView {
    view! {
        <div data-testid="request-gone" role="status">
            <h2 class="nhsuk-heading-m" id="request-detail-heading">
                "This request is no longer visible to your organisation"
            </h2>
            <p>
                "It was assigned where your organisation cannot see it, or a share or the patient's sharing preference changed. It has gone from your lists."
            </p>
        </div>
    }
}

#[component]
fn RequestNotFound() -> impl IntoView {
    view! {
        <div data-testid="request-not-found">
            <h2 class="nhsuk-heading-m" id="request-detail-heading">"Request not found"</h2>
            <p>"This request does not exist or your organisation cannot see it."</p>
        </div>
    }
}

#[component]
fn DetailBody(
    detail: RequestDetail,
    heading_ref: NodeRef<html::H2>,
    assign_ref: NodeRef<html::Button>,
    notice: RwSignal<Option<String>>,
    changed_by: RwSignal<Option<(String, String)>>,
    action_error: RwSignal<Option<String>>,
    on_assign: Callback<()>,
    on_set_open: Callback<bool>,
    busy: Signal<bool>,
) -> impl IntoView {
    let names = use_messages().names;
    let open = detail.status == RequestStatus::Open;
    let why = why_words(&detail);
    let assignee = assignee_words(&detail.assignee, names);
    let history = detail.history.clone();
    let dob = detail.patient.date_of_birth.as_deref().map(format_date);
    view! {
        <h2 class="nhsuk-heading-m app-request-detail__heading" id="request-detail-heading" tabindex="-1" node_ref=heading_ref>
            {detail.subject.clone()}
        </h2>
        <p class="app-request-detail__tags">
            <strong class="nhsuk-tag nhsuk-tag--white">{kind_words(detail.kind)}</strong>
            " "
            {if open {
                view! { <strong class="nhsuk-tag nhsuk-tag--green" data-testid="request-status">"Open"</strong> }
            } else {
                view! { <strong class="nhsuk-tag nhsuk-tag--grey" data-testid="request-status">"Closed"</strong> }
            }}
        </p>
        {move || {
            notice.get().map(|n| view! { <div class="app-notice" role="status" data-testid="request-notice">{n}</div> })
        }}
        {move || {
            changed_by
                .get()
                .map(|(user, ods_code)| {
                    let text = format!("Changed by {user}, {}, just now", names.name(&ods_code));
                    view! { <div class="app-notice" role="status" data-testid="request-changed-by">{text}</div> }
                })
        }}
        {move || {
            action_error
                .get()
                .map(|e| {
                    view! { <ErrorNotice message=e test_id="request-error" /> }
                })
        }}
        <div class="app-request-actions">
            {open.then(|| view! {
                <button
                    type="button"
                    class="nhsuk-button"
                    node_ref=assign_ref
                    id="request-assign-button"
                    data-testid="assign-button"
                    on:click=move |_| on_assign.run(())
                >
                    "Assign"
                </button>
            })}
            // An open request can be closed, a closed one reopened (A5).
            <button
                type="button"
                class="nhsuk-button nhsuk-button--secondary"
                id=if open { "request-close-button" } else { "request-reopen-button" }
                data-testid=if open { "close-button" } else { "reopen-button" }
                disabled=move || busy.get()
                on:click=move |_| on_set_open.run(!open)
            >
                {if open { "Close request" } else { "Reopen request" }}
            </button>
        </div>
        <h3 class="nhsuk-heading-s">"Patient"</h3>
        <dl class="nhsuk-summary-list" data-testid="patient">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Name"</dt>
                <dd class="nhsuk-summary-list__value" data-testid="patient-name">{detail.patient.name.clone()}</dd>
            </div>
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"NHS number"</dt>
                <dd class="nhsuk-summary-list__value" data-testid="patient-nhs-number">{nhs_number(&detail.patient.nhs_number)}</dd>
            </div>
            {dob.map(|dob| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Date of birth"</dt>
                    <dd class="nhsuk-summary-list__value">{dob}</dd>
                </div>
            })}
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Data sharing"</dt>
                <dd class="nhsuk-summary-list__value" data-testid="patient-sharing">{sharing_words(detail.patient.sharing)}</dd>
            </div>
        </dl>
        <h3 class="nhsuk-heading-s">"Request"</h3>
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Received"</dt>
                <dd class="nhsuk-summary-list__value">
                    <time datetime=detail.received_at.clone()>{format_time(&detail.received_at)}</time>
                    {format!(" by {}", detail.origin.name)}
                </dd>
            </div>
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Assigned to"</dt>
                <dd class="nhsuk-summary-list__value" data-testid="request-assignee">{assignee}</dd>
            </div>
        </dl>
        <h3 class="nhsuk-heading-s">"Message"</h3>
        // Text nodes, never markup: a patient's message is shown exactly as typed.
        <p class="app-message" data-testid="request-message">{detail.message.clone()}</p>
        <h3 class="nhsuk-heading-s" id="why-heading">"Why can I see this?"</h3>
        <p data-testid="why-visible">{why}</p>
        <h3 class="nhsuk-heading-s">"Journey"</h3>
        <ol class="app-journey" data-testid="journey">
            <For each=move || history.clone() key=|e: &HistoryEvent| e.id.clone() let:event>
                <JourneyStep event=event names=names />
            </For>
        </ol>
    }
}

/// Which of SPEC V1 / V2 lets the organisation see the request, in words.
fn why_words(detail: &RequestDetail) -> String {
    match detail.visible_because {
        VisibleBecause::Involved => "Your organisation has been involved in this request: it \
             received it, held it, or one of your colleagues assigned, closed or reopened it. \
             You can always see it, open or closed."
            .to_string(),
        VisibleBecause::UnrestrictedShare => format!(
            "It is assigned to {}, which {} shares with your organisation without restriction, \
             and the patient has agreed to share their data. You can see it while it is \
             assigned there.",
            detail.assignee.name, detail.holder.name
        ),
    }
}
