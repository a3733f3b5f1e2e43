//! Live updates (SPEC E1–E4, API.md "Live updates"): one server-sent event stream per signed-in
//! tab, and per-kind change counters the screens' resources subscribe to, so each screen
//! reloads exactly what an event says changed, through the normal calls (E2: an event carries
//! ids, kinds and versions, never names or patient data).
//!
//! The stream is a web-sys `EventSource` on a single-use ticket (a browser's `EventSource`
//! cannot send the bearer token). The browser's own reconnection would reuse the spent ticket,
//! so on any error the source is closed and this module reconnects itself: it backs off (1 s,
//! 2 s, 5 s, then every 10 s), asks for a new ticket and reopens the stream from the last event
//! id it saw, so nothing is missed (E3). A 401 on the ticket means the session ended: `api`
//! already returns the tab to the persona picker, which closes the stream.
//!
//! What the stream does to the screen happens only through `try_` writes of signals that live
//! as long as the app, and only while the connection that received the event is the current
//! one (a persona switch or sign-out starts a new generation), so no callback touches disposed
//! reactive state (ARCHITECTURE.md, "A call never outlives its screen's state").

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use domain::wire::{event_kind, RequestEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventSource, HtmlElement, MessageEvent};

use crate::api;
use crate::state::{ServerChanges, SessionContext};

/// How long to wait before the n-th reconnection in a row.
const BACKOFF: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(5),
    Duration::from_secs(10),
];

/// The kinds of event of API.md, each with a listener.
const KINDS: [&str; 5] = [
    event_kind::REQUEST,
    event_kind::SHARE,
    event_kind::AGREEMENT,
    event_kind::COVERS,
    event_kind::RESET,
];

/// The last `request` event received for one request: enough for its open view to know that
/// it changed (a newer version) or left the organisation's sight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestChange {
    pub version: u64,
    pub visible: bool,
    /// The event's number, so two events with the same version still differ.
    pub event_id: u64,
}

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

/// What the screens subscribe to. Every signal belongs to the app (created under `App`), so
/// writing one from an event is always safe; the writes still use `try_update`.
#[derive(Clone, Copy)]
pub struct LiveUpdates {
    requests: RwSignal<u32>,
    shares: RwSignal<u32>,
    agreements: RwSignal<u32>,
    covers: RwSignal<u32>,
    resets: RwSignal<u32>,
    /// The last event of every request that changed since the stream opened, by id.
    changed_requests: RwSignal<HashMap<String, RequestChange>>,
    /// Whether the stream is open, being opened, or down and being reopened.
    state: RwSignal<StreamState>,
    /// The app's change counter, bumped on `reset` so every screen reloads.
    server_changes: ServerChanges,
}

impl LiveUpdates {
    /// Subscribes the caller to requests being received, assigned, closed or reopened, or
    /// coming into or going out of sight (folder counts, the request list).
    pub fn track_requests(self) {
        self.requests.track();
    }

    /// Subscribes the caller to shares the organisation owns or is partner of (Groups,
    /// Colleagues, External, and the folders of external groups).
    pub fn track_shares(self) {
        self.shares.track();
    }

    /// Subscribes the caller to agreements the organisation is party to.
    pub fn track_agreements(self) {
        self.agreements.track();
    }

    /// Subscribes the caller to the user's covers changed in another tab.
    pub fn track_covers(self) {
        self.covers.track();
    }

    /// How many times the server said to reload everything (tracked): a screen comparing
    /// answers across reloads (External's notice) knows not to read a reset as news.
    pub fn resets(self) -> u32 {
        self.resets.get()
    }

    /// The last event of one request since the stream opened (tracked; `None` until one comes).
    pub fn request_change(self, id: &str) -> Option<RequestChange> {
        self.changed_requests.with(|m| m.get(id).copied())
    }

    /// The stream's state (tracked).
    pub fn state(self) -> StreamState {
        self.state.get()
    }

    fn bump(signal: RwSignal<u32>) {
        signal.try_update(|n| *n = n.wrapping_add(1));
    }

    /// Applies one event of the stream.
    fn apply(self, kind: &str, event_id: Option<u64>, data: &str) {
        match kind {
            event_kind::REQUEST => {
                if let Ok(change) = serde_json::from_str::<RequestEvent>(data) {
                    let change_id = event_id.unwrap_or_default();
                    self.changed_requests.try_update(|m| {
                        m.insert(
                            change.id,
                            RequestChange {
                                version: change.version,
                                visible: change.visible,
                                event_id: change_id,
                            },
                        );
                    });
                }
                Self::bump(self.requests);
            }
            event_kind::SHARE => Self::bump(self.shares),
            event_kind::AGREEMENT => Self::bump(self.agreements),
            event_kind::COVERS => Self::bump(self.covers),
            event_kind::RESET => {
                Self::bump(self.resets);
                self.server_changes.bump();
            }
            _ => {}
        }
    }
}

/// The context provided by `App`.
pub fn use_live() -> LiveUpdates {
    expect_context::<LiveUpdates>()
}

/// An open stream and the listeners it calls, kept alive exactly as long as the stream.
struct Stream {
    source: EventSource,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

impl Stream {
    fn close(&self) {
        self.source.close();
    }
}

/// The tab's one connection.
#[derive(Default)]
struct Connection {
    /// Grows with every sign-in, sign-out and persona switch: work begun for an older
    /// generation (a ticket on its way, a retry timer, an event) is dropped.
    generation: u64,
    stream: Option<Stream>,
    /// The number of the last event seen, carried over a reconnection (E3).
    last_event_id: Option<u64>,
    /// The lowest latest-event number the answers of this generation carried before its first
    /// stream opened (`x-last-event-id`): where that stream resumes, so that a change made
    /// between the screens' first reads and the opening is replayed, not lost (E1, E3).
    first_read: Option<u64>,
    /// Whether a stream of this generation has opened (later reads no longer matter).
    opened: bool,
    /// Reconnections in a row without the stream opening.
    failures: usize,
    retry: Option<TimeoutHandle>,
}

thread_local! {
    static CONNECTION: RefCell<Connection> = RefCell::new(Connection::default());
}

fn is_current(generation: u64) -> bool {
    CONNECTION.with(|c| c.borrow().generation == generation)
}

/// Closes the stream and cancels any reconnection; a new generation starts.
fn stop() -> u64 {
    let (stream, retry, generation) = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.generation += 1;
        c.last_event_id = None;
        c.first_read = None;
        c.opened = false;
        c.failures = 0;
        (c.stream.take(), c.retry.take(), c.generation)
    });
    if let Some(stream) = stream {
        stream.close();
    }
    if let Some(retry) = retry {
        retry.clear();
    }
    generation
}

/// Asks for a ticket and opens the stream, or schedules another try.
fn connect(live: LiveUpdates, generation: u64) {
    spawn_local(async move {
        let ticket = api::events_ticket().await;
        if !is_current(generation) {
            return;
        }
        match ticket {
            Ok(ticket) => open(live, generation, &ticket.ticket),
            // The session has ended: `api` has sent the tab back to the persona picker, and
            // that ends this generation too. Nothing to retry.
            Err(e) if e.status() == Some(401) => {}
            Err(_) => {
                live.state.try_set(StreamState::Paused);
                reconnect_later(live, generation, None);
            }
        }
    });
}

/// Records the latest-event number an answer carried (see `Connection::first_read`). An
/// answer that arrives late from an older generation can only lower it: more is replayed, and
/// a replayed event only reloads a screen.
pub fn read_state_as_of(n: u64) {
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        if !c.opened {
            c.first_read = Some(c.first_read.map_or(n, |m| m.min(n)));
        }
    });
}

fn open(live: LiveUpdates, generation: u64, ticket: &str) {
    let last = CONNECTION.with(|c| {
        let c = c.borrow();
        c.last_event_id.or(c.first_read)
    });
    let Ok(source) = EventSource::new(&api::events_url(ticket, last)) else {
        live.state.try_set(StreamState::Paused);
        reconnect_later(live, generation, None);
        return;
    };
    let mut listeners: Vec<Closure<dyn FnMut(Event)>> = Vec::new();

    let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        if !is_current(generation) {
            return;
        }
        let (failures, last) = CONNECTION.with(|c| {
            let mut c = c.borrow_mut();
            c.opened = true;
            (std::mem::take(&mut c.failures), c.last_event_id)
        });
        // Back after a failure with no event number to resume from: whatever changed while
        // the stream was down cannot be replayed, so every screen reloads (E3).
        if failures > 0 && last.is_none() {
            live.apply(event_kind::RESET, None, "{}");
        }
        live.state.try_set(StreamState::Open);
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    listeners.push(on_open);

    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        if !is_current(generation) {
            return;
        }
        // Never let the browser retry with the spent ticket: close, and reconnect ourselves.
        let stream = CONNECTION.with(|c| c.borrow_mut().stream.take());
        if let Some(stream) = &stream {
            stream.close();
        }
        live.state.try_set(StreamState::Paused);
        // The stream, with this very listener, is dropped by the retry timer, not here: a
        // closure must not be freed while it runs.
        reconnect_later(live, generation, stream);
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    listeners.push(on_error);

    for kind in KINDS {
        let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            if !is_current(generation) {
                return;
            }
            let Some(message) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let event_id = message.last_event_id().parse::<u64>().ok();
            if event_id.is_some() {
                CONNECTION.with(|c| c.borrow_mut().last_event_id = event_id);
            }
            let data = message.data().as_string().unwrap_or_default();
            live.apply(kind, event_id, &data);
        });
        if source
            .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref())
            .is_ok()
        {
            listeners.push(listener);
        }
    }

    CONNECTION.with(|c| {
        c.borrow_mut().stream = Some(Stream {
            source,
            _listeners: listeners,
        });
    });
}

/// Waits (longer after each failure in a row), then asks for a new ticket.
fn reconnect_later(live: LiveUpdates, generation: u64, closed: Option<Stream>) {
    let failures = CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.failures += 1;
        c.failures
    });
    let delay = BACKOFF[(failures - 1).min(BACKOFF.len() - 1)];
    let handle = set_timeout_with_handle(
        move || {
            drop(closed);
            if is_current(generation) {
                CONNECTION.with(|c| c.borrow_mut().retry = None);
                connect(live, generation);
            }
        },
        delay,
    );
    if let Ok(handle) = handle {
        CONNECTION.with(|c| c.borrow_mut().retry = Some(handle));
    }
}

/// Provides the live updates and keeps one stream open while a persona is signed in: a new
/// one for each persona, none while signed out.
pub fn provide_live_updates(session: SessionContext, server_changes: ServerChanges) {
    let live = LiveUpdates {
        requests: RwSignal::new(0),
        shares: RwSignal::new(0),
        agreements: RwSignal::new(0),
        covers: RwSignal::new(0),
        resets: RwSignal::new(0),
        changed_requests: RwSignal::new(HashMap::new()),
        state: RwSignal::new(StreamState::Off),
        server_changes,
    };
    provide_context(live);
    install_focus_keeper();
    Effect::new(move |previous: Option<Option<String>>| {
        let token = session
            .session
            .with(|s| s.as_ref().map(|s| s.token.clone()));
        if previous.as_ref() != Some(&token) {
            let generation = stop();
            live.changed_requests.try_update(HashMap::clear);
            if token.is_some() {
                live.state.try_set(StreamState::Connecting);
                connect(live, generation);
            } else {
                live.state.try_set(StreamState::Off);
            }
        }
        token
    });
}

/// "Live updates paused — reconnecting": a small status while the stream is down. It never
/// blocks the screen; the region is always there, so the change is announced (polite).
/// `data-state` says where the stream is, for tests.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let live = use_live();
    let paused = move || live.state() == StreamState::Paused;
    view! {
        <div class="app-live-status" role="status" data-testid="live-status" data-state=move || live.state().as_str()>
            <Show when=paused>
                <p class="app-live-status__text" data-testid="live-paused">
                    "Live updates paused — reconnecting"
                </p>
            </Show>
        </div>
    }
}

thread_local! {
    /// The element that last had keyboard focus, so a reload that replaced it can hand focus to
    /// its replacement.
    static LAST_FOCUSED: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// Remembers which element has focus, for `restore_focus_soon`. Installed once by `App`.
fn install_focus_keeper() {
    let listener = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        if let Some(element) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            LAST_FOCUSED.with(|l| *l.borrow_mut() = Some(element));
        }
    });
    let _ =
        document().add_event_listener_with_callback("focusin", listener.as_ref().unchecked_ref());
    // The listener serves the whole life of the page.
    listener.forget();
}

/// Whether keyboard focus has fallen back to the page itself.
fn focus_lost() -> bool {
    document()
        .active_element()
        .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"))
}

/// Focuses the element with this id, if there is one.
fn focus_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// A reload (after an event of another organisation, E4) re-renders the rows whose data it
/// returns, and a control that had keyboard focus may be replaced by an equal one: then focus
/// fell back to the page. Once the browser has painted, this gives focus to the replacement
/// (the element with the same id), so keyboard and screen-reader users keep their place
/// (WCAG 2.4.3). Focus the user moved elsewhere is left alone.
pub fn restore_focus_soon() {
    request_animation_frame(|| {
        if !focus_lost() {
            return;
        }
        let last = LAST_FOCUSED.with(|l| l.borrow().clone());
        if let Some(last) = last.filter(|l| !l.is_connected() && !l.id().is_empty()) {
            focus_id(&last.id());
        }
    });
}

/// When a dialog closed, the browser gave focus back to the element that opened it; if a reload
/// replaced that element meanwhile, focus goes to its replacement (the same id).
pub fn return_focus_soon(opener_id: String) {
    request_animation_frame(move || {
        if focus_lost() && !opener_id.is_empty() {
            focus_id(&opener_id);
        }
    });
}
