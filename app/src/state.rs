//! Contexts shared across the page tree: the service's health and the signed-in session.

use domain::research::wire::ParticipantOf;
use domain::wire::{Health, Role, Session};
use leptos::prelude::*;

use crate::api::{self, ApiError};

const SESSION_KEY: &str = "engage.collaboration.session";

/// The service's health, loaded at start, again whenever the session changes, and on demand
/// ("Try again").
#[derive(Clone, Copy)]
pub struct HealthContext {
    pub health: LocalResource<Result<Health, ApiError>>,
}

/// Starts the health check and provides it to the tree. It carries the session's token when
/// there is one: in a participant's sandbox the server answers that sandbox's own knobs
/// (API.md "Research studies"), so the Test mode banner shows there and nowhere else.
pub fn provide_health_context(session: SessionContext) {
    let health = LocalResource::new(move || {
        // Tracked: a sign-in, a persona switch or a sign-out checks again.
        session.session.with(|s| s.as_ref().map(|s| s.token.len()));
        api::health()
    });
    provide_context(HealthContext { health });
}

/// The health context provided by `App`.
pub fn use_health() -> HealthContext {
    expect_context::<HealthContext>()
}

/// Who is signed in (a demo persona), kept in sessionStorage so a reload keeps the tab signed
/// in while a new tab starts at the persona picker.
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub session: RwSignal<Option<Session>>,
    /// The signed-in user's organisation, empty when signed out: derived here once.
    pub ods_code: Memo<String>,
    /// Why the user is back at the persona picker, e.g. after a 401.
    pub notice: RwSignal<Option<String>>,
    /// Set when the session starts or ends: the page shown next moves focus to its `<h1>`
    /// (`PageHeading`), so keyboard and screen-reader users are not left on the body (WCAG 2.4.3).
    pub focus_heading: RwSignal<bool>,
    /// A participant is choosing another of the study's personas: the page gives way to the
    /// study's personas while the session (and its sandbox) stays.
    pub choosing: RwSignal<bool>,
    /// A participant's session ended by the server (the participant was deleted): the tab says
    /// the study link is no longer valid rather than offering the demo's personas (K1).
    pub study_ended: RwSignal<bool>,
}

impl SessionContext {
    /// Signs in: remembers the session for this tab and sends its token from now on.
    pub fn start(&self, session: Session) {
        api::set_token(Some(session.token.clone()));
        if let Ok(text) = serde_json::to_string(&session) {
            if let Some(storage) = storage() {
                let _ = storage.set_item(SESSION_KEY, &text);
            }
        }
        self.notice.set(None);
        self.study_ended.set(false);
        self.choosing.set(false);
        self.focus_heading.set(true);
        self.session.set(Some(session));
    }

    /// A participant's persona switch answered: the new session, in the same sandbox. The
    /// previous token is ended on the server as on any persona switch (`DELETE /api/session`,
    /// sent once its calls are answered), prepared before the new token replaces it.
    pub fn switch_within_study(&self, mut session: Session) {
        if session.participant.is_none() {
            session.participant = self.participant_untracked();
        }
        if self.session.with_untracked(Option::is_some) {
            leptos::task::spawn_local(api::sign_out());
        }
        self.start(session);
    }

    /// The study this session is in, if it is a participant's (tracked).
    pub fn participant(&self) -> Option<ParticipantOf> {
        self.session
            .with(|s| s.as_ref().and_then(|s| s.participant.clone()))
    }

    /// The study this session is in, read once.
    pub fn participant_untracked(&self) -> Option<ParticipantOf> {
        self.session
            .with_untracked(|s| s.as_ref().and_then(|s| s.participant.clone()))
    }

    /// Signs out (or switches persona): back to the picker, with an optional reason. The
    /// server is told to end the session too (`DELETE /api/session`: it closes the stream and
    /// forgets the token); the call is made with the old token before it is forgotten, and its
    /// answer, whatever it is, touches nothing here.
    pub fn end(&self, notice: Option<String>) {
        if self.session.with_untracked(Option::is_some) {
            leptos::task::spawn_local(api::sign_out());
        }
        api::set_token(None);
        if let Some(storage) = storage() {
            let _ = storage.remove_item(SESSION_KEY);
        }
        self.notice.set(notice);
        self.choosing.set(false);
        self.focus_heading.set(true);
        self.session.set(None);
    }

    /// The organisation, read once without tracking: for pages that remount on a persona
    /// switch.
    pub fn ods_code_untracked(&self) -> String {
        self.ods_code.get_untracked()
    }

    /// Whether the signed-in user is an admin (SPEC R1); the server decides, this only hides
    /// controls staff cannot use.
    pub fn is_admin(&self) -> bool {
        self.session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin))
    }

    /// The signed-in user's id, read once.
    pub fn user_id_untracked(&self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
            .unwrap_or_default()
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Restores the tab's session, if any, and ends it on any 401 from the server.
pub fn provide_session_context() -> SessionContext {
    let restored = storage()
        .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Session>(&text).ok());
    api::set_token(restored.as_ref().map(|s| s.token.clone()));
    let session = RwSignal::new(restored);
    let ctx = SessionContext {
        session,
        ods_code: Memo::new(move |_| {
            session
                .with(|s| s.as_ref().map(|s| s.user.ods_code.clone()))
                .unwrap_or_default()
        }),
        notice: RwSignal::new(None),
        focus_heading: RwSignal::new(false),
        choosing: RwSignal::new(false),
        study_ended: RwSignal::new(false),
    };
    api::on_unauthorized(move || {
        if ctx.participant_untracked().is_some() {
            ctx.study_ended.set(true);
            ctx.end(None);
            return;
        }
        ctx.end(Some(
            "Your session has ended (the demo server may have restarted). Choose a persona to \
             sign in again."
                .to_string(),
        ))
    });
    provide_context(ctx);
    ctx
}

/// The session context provided by `App`.
pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// Runs `handle` with the action's answer each time one arrives after this call (not for an
/// answer that was already there), while the calling component lives.
pub fn on_answer<I, O>(action: Action<I, O>, handle: impl Fn(&O) + 'static)
where
    I: Send + Sync + 'static,
    O: Send + Sync + 'static,
{
    Effect::new(move |seen: Option<usize>| {
        let version = action.version().get();
        if seen.is_some_and(|seen| seen != version) {
            action.value().with_untracked(|answer| {
                if let Some(answer) = answer {
                    handle(answer);
                }
            });
        }
        version
    });
}
