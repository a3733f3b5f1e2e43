//! Live updates (SPEC E1–E4, API.md "Live updates"): one async loop per signed-in session that
//! asks for a ticket, opens the event stream, applies its events to the reload model
//! (`reload`), and when the stream fails waits (1 s, 2 s, 5 s, then every 10 s) and starts
//! again from the last event seen, so nothing is missed (E3). An event carries ids, kinds and
//! versions, never names or patient data (E2): screens reload through the normal calls.
//!
//! The loop is spawned under the reactive owner of the effect that follows the session, with
//! cancellation: a sign-out or persona switch re-runs that effect, which cleans up its owner,
//! which aborts the loop (and drops its stream, which closes it). After every `.await` the loop
//! also checks that its owner still lives before touching anything. It writes only signals
//! that belong to the app, with `try_` writes. `api` knows nothing of this module: the read
//! mark (`api::ReadMark`) reaches both through the context.

pub(crate) mod source;

use std::time::Duration;

use domain::wire::{event_kind, AgreementEvent, RequestEvent, ShareEvent};
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use crate::api::{self, ReadMark};
use crate::reload::{Change, Reload, RequestChange};
use crate::state::SessionContext;
use source::{Message, Source};

/// How long to wait before the n-th reconnection in a row.
const BACKOFF: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(5),
    Duration::from_secs(10),
];

/// The kinds of event of API.md.
const KINDS: [&str; 5] = [
    event_kind::REQUEST,
    event_kind::SHARE,
    event_kind::AGREEMENT,
    event_kind::COVERS,
    event_kind::RESET,
];

/// Where the tab's stream is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamState {
    /// Signed out: no stream.
    Off,
    /// Asking for a ticket and opening the stream for the first time.
    Connecting,
    Open,
    /// The stream failed; a new one is on its way ("Live updates paused — reconnecting").
    Paused,
}

impl StreamState {
    fn as_str(self) -> &'static str {
        match self {
            StreamState::Off => "off",
            StreamState::Connecting => "connecting",
            StreamState::Open => "open",
            StreamState::Paused => "paused",
        }
    }
}

/// The stream's state, for `LiveStatus`.
#[derive(Clone, Copy)]
pub struct Live(RwSignal<StreamState>);

/// Starts one loop for each signed-in session, none while signed out.
pub fn provide_live_updates(session: SessionContext, reload: Reload, mark: ReadMark) {
    let state = RwSignal::new(StreamState::Off);
    provide_context(Live(state));
    Effect::new(move |_| {
        // Tracked: a new token is a new session; the previous run's owner, and its loop, end.
        let signed_in = session
            .session
            .with(|s| s.as_ref().map(|s| s.token.clone()));
        reload.new_session();
        mark.restart();
        match signed_in {
            Some(_) => {
                state.set(StreamState::Connecting);
                // Lives exactly as long as this run of the effect: the loop's disposal check.
                let alive = StoredValue::new(());
                spawn_local_scoped_with_cancellation(follow(alive, state, reload, mark));
            }
            None => state.set(StreamState::Off),
        }
    });
}

/// The loop of one session.
async fn follow(
    alive: StoredValue<()>,
    state: RwSignal<StreamState>,
    reload: Reload,
    mark: ReadMark,
) {
    let gone = move || alive.try_get_value().is_none();
    // The number of the last event seen, carried over reconnections (E3).
    let mut last: Option<u64> = None;
    let mut failures = 0_usize;
    loop {
        if failures > 0 {
            state.try_set(StreamState::Paused);
            crate::dom::sleep(BACKOFF[(failures - 1).min(BACKOFF.len() - 1)]).await;
            if gone() {
                return;
            }
        }
        let ticket = api::events_ticket().await;
        if gone() {
            return;
        }
        let ticket = match ticket {
            Ok(ticket) => ticket.ticket,
            // The session has ended: `api` has sent the tab back to the persona picker, which
            // ends this loop too.
            Err(e) if e.status() == Some(401) => return,
            Err(_) => {
                failures += 1;
                continue;
            }
        };
        // The first stream resumes from the state the screens were read from (E1).
        let from = last.or_else(|| mark.lowest());
        let Some(mut source) = Source::open(&api::events_url(&ticket, from), &KINDS) else {
            failures += 1;
            continue;
        };
        loop {
            let message = source.next().await;
            if gone() {
                return;
            }
            match message {
                Message::Opened => {
                    // Back after a failure with no event number to resume from: whatever
                    // changed while the stream was down cannot be replayed (E3).
                    if failures > 0 && last.is_none() {
                        reload.reset();
                    }
                    failures = 0;
                    state.try_set(StreamState::Open);
                }
                Message::Event { kind, id, data } => {
                    if id.is_some() {
                        last = id;
                    }
                    apply(reload, kind, id, &data);
                }
                Message::Failed => break,
            }
        }
        failures += 1;
    }
}

/// Applies one event of the stream to the reload model.
fn apply(reload: Reload, kind: &str, id: Option<u64>, data: &str) {
    match kind {
        event_kind::REQUEST => {
            if let Ok(event) = serde_json::from_str::<RequestEvent>(data) {
                let change = RequestChange {
                    version: event.version,
                    visible: event.visible,
                    event_id: id.unwrap_or_default(),
                };
                reload.request_event(&event.id, change);
                reload.event(Change::Request {
                    id: event.id,
                    version: event.version,
                });
            }
        }
        event_kind::SHARE => {
            if let Ok(event) = serde_json::from_str::<ShareEvent>(data) {
                reload.event(Change::Share {
                    id: event.id,
                    state: event.state,
                    restricted: event.restricted,
                });
            }
        }
        event_kind::AGREEMENT => {
            if let Ok(event) = serde_json::from_str::<AgreementEvent>(data) {
                reload.event(Change::Agreement {
                    id: event.id,
                    active: event.active,
                });
            }
        }
        event_kind::COVERS => reload.event(Change::Covers),
        event_kind::RESET => reload.reset(),
        _ => {}
    }
}

/// "Live updates paused — reconnecting": a small status while the stream is down. It never
/// blocks the screen; the region is always there, so the change is announced (polite).
/// `data-state` says where the stream is, for tests.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let Live(state) = expect_context::<Live>();
    let paused = move || state.get() == StreamState::Paused;
    view! {
        <div class="app-live-status" role="status" data-testid="live-status" data-state=move || state.get().as_str()>
            <Show when=paused>
                <p class="app-live-status__text" data-testid="live-paused">
                    "Live updates paused — reconnecting"
                </p>
            </Show>
        </div>
    }
}
