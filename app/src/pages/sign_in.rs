//! The persona picker: demo sign-in as any user of the seeded network, grouped by organisation.

use domain::wire::{Persona, Role};
use leptos::prelude::*;

use crate::api;
use crate::components::action_error::ActionError;
use crate::components::loaded::Loaded;
use crate::components::page_heading::PageHeading;
use crate::components::status_notice::StatusNotice;
use crate::state::{on_answer, use_session};

/// Personas grouped by organisation, organisations by name, admins first, then by name.
fn group_personas(mut personas: Vec<Persona>) -> Vec<(String, String, Vec<Persona>)> {
    personas.sort_by(|a, b| {
        (&a.organisation, &a.ods_code, a.role != Role::Admin, &a.name).cmp(&(
            &b.organisation,
            &b.ods_code,
            b.role != Role::Admin,
            &b.name,
        ))
    });
    let mut groups: Vec<(String, String, Vec<Persona>)> = Vec::new();
    for persona in personas {
        match groups.last_mut() {
            Some((_, code, list)) if *code == persona.ods_code => list.push(persona),
            _ => groups.push((
                persona.organisation.clone(),
                persona.ods_code.clone(),
                vec![persona],
            )),
        }
    }
    groups
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "Administrator",
        Role::Staff => "Staff",
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let personas = LocalResource::new(api::personas);
    let (error, set_error) = signal(None::<String>);
    let sign_in = Action::new_local(|user_id: &String| api::sign_in(user_id));
    // Starting the session unmounts this page; nothing of it is touched afterwards.
    on_answer(sign_in, move |result| match result {
        Ok(s) => session.start(s.clone()),
        Err(e) => set_error.set(Some(e.user_message())),
    });
    // The persona being signed in, while its call is on its way.
    let busy = Signal::derive(move || sign_in.input().get());

    let choose = move |user_id: String| {
        set_error.set(None);
        sign_in.dispatch(user_id);
    };

    view! {
        <div data-testid="page-sign-in">
            <PageHeading title="Choose a persona" />
            <p class="nhsuk-body">
                "This is a demonstration. Sign in as any member of staff below to see Collaboration as they would; you can switch persona at any time from the header."
            </p>
            <StatusNotice text=session.notice test_id="sign-in-notice" />
            <ActionError text=error title="Sign-in failed" />
            <Loaded
                resource=personas
                loading="Loading personas…"
                error_title="Personas could not be loaded"
                error_test_id="personas-error"
            >
                {move || {
                    let list = personas.get().and_then(Result::ok).unwrap_or_default();
                    if list.is_empty() {
                        return view! {
                            <p class="nhsuk-body">
                                "This demo has no personas. Start the server with a seed that has users."
                            </p>
                        }
                            .into_any();
                    }
                                group_personas(list)
                                    .into_iter()
                                    .map(|(organisation, ods_code, people)| {
                                        let heading_id = format!("org-{ods_code}");
                                        let labelled_by = heading_id.clone();
                                        view! {
                                            <section class="app-persona-org" aria-labelledby=labelled_by>
                                                <h2 class="nhsuk-heading-s" id=heading_id>
                                                    {organisation}
                                                    " "
                                                    <span class="app-ods">{format!("({ods_code})")}</span>
                                                </h2>
                                                <ul class="app-persona-list">
                                                    {people
                                                        .into_iter()
                                                        .map(|p| {
                                                            let id = p.user_id.clone();
                                                            let id_for_busy = p.user_id.clone();
                                                            view! {
                                                                <li>
                                                                    <button
                                                                        type="button"
                                                                        class="nhsuk-button nhsuk-button--secondary app-persona"
                                                                        data-testid=format!("persona-{}", p.user_id)
                                                                        disabled=move || busy.get().is_some()
                                                                        aria-busy=move || {
                                                                            (busy.get().as_deref() == Some(id_for_busy.as_str()))
                                                                                .then_some("true")
                                                                        }
                                                                        on:click=move |_| choose(id.clone())
                                                                    >
                                                                        <span class="app-persona__name">{p.name.clone()}</span>
                                                                        " "
                                                                        <span class="nhsuk-tag nhsuk-tag--white">
                                                                            {role_label(p.role)}
                                                                        </span>
                                                                    </button>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            </section>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                }}
            </Loaded>
        </div>
    }
}
