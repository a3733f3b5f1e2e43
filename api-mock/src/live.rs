//! Live updates (API.md "Live updates", SPEC E1–E4): the numbered events of the server, the
//! ring that keeps the last of them for replay, the channel that carries them to open streams,
//! and the single-use tickets that open a stream.
//!
//! Invariants:
//! - events are published by the change path only (`AppState::apply`, after the change is
//!   durable and published, while it still holds the writers' turn), so their numbers follow
//!   the order of the changes;
//! - numbers are per organisation (API.md "Live updates"): an event takes the next number of
//!   every organisation its notice names (a covers event: the user's organisation, though only
//!   that user is told; `reset`: every organisation), so an organisation's numbers grow by one
//!   per event it was given and say nothing of the events of others. An organisation first met
//!   after k resets starts at k (it was given those resets, which its ring does not hold: a
//!   replay from before them is a `reset`);
//! - who receives an event is the domain's rule (`World::notices_since`, E2): a stream passes
//!   on only the events whose audience includes its organisation (or, for covers, its user);
//! - the rings and the channel are updated under one lock, and a stream subscribes under the
//!   same lock when it reads its organisation's ring, so each event reaches it exactly once:
//!   from the replay or from the channel;
//! - a stream that falls behind the channel (lagged) resumes from the ring, or gets `reset`
//!   when the ring no longer holds what it missed (E3);
//! - a ticket is 256 random bits, used once, valid 30 s, and bound to the session that asked
//!   for it; none is ever logged.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::response::sse::Event;
use tokio::sync::{broadcast, watch};

use domain::wire::{self, event_kind};
use domain::{LiveEvent, Notice, OdsCode, UserId};

use crate::error::ApiError;

/// How many events each organisation's ring keeps for replay (API.md: at least its last
/// 1,000). More than the channel buffers, so a stream that lags behind the channel finds what
/// it missed in its organisation's ring.
pub const RING: usize = 5_000;

/// How many events the channel buffers per stream before a slow stream lags (and resumes from
/// the ring).
const CHANNEL: usize = 4096;

/// How long a ticket stays valid.
pub const TICKET_TTL: Duration = Duration::from_secs(30);

/// The comment that keeps idle connections open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The most tickets kept at once (expired ones are dropped first); beyond it the oldest goes.
const MAX_TICKETS: usize = 100_000;

/// Bytes of randomness in a ticket.
const TICKET_BYTES: usize = 32;

/// Who receives a published event.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Audience {
    /// Every stream (`reset` after a demo reset).
    Everyone,
    /// The organisations of a domain notice (sorted), or its one user.
    Some {
        organisations: Vec<OdsCode>,
        user: Option<UserId>,
    },
}

/// One event as sent on the wire, shared by every stream, with its number in each
/// organisation that took one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// (organisation, its number for this event), sorted by organisation.
    ids: Vec<(OdsCode, u64)>,
    pub kind: &'static str,
    /// The `data:` JSON: ids, kinds and versions only (E2).
    pub data: String,
    audience: Audience,
}

impl Published {
    /// The event's number in `org`'s numbering, if it took one.
    pub fn id_for(&self, org: &OdsCode) -> Option<u64> {
        self.ids
            .binary_search_by(|(o, _)| o.cmp(org))
            .ok()
            .map(|i| self.ids[i].1)
    }

    /// Whether a stream of `user` of `org` receives it.
    pub fn reaches(&self, org: &OdsCode, user: &UserId) -> bool {
        match &self.audience {
            Audience::Everyone => true,
            Audience::Some {
                user: Some(only), ..
            } => only == user,
            Audience::Some {
                organisations,
                user: None,
            } => organisations.binary_search(org).is_ok(),
        }
    }

    /// The SSE event for a stream of `org`: `id` (the organisation's number), `event`,
    /// `data`.
    pub fn sse(&self, org: &OdsCode) -> Option<Event> {
        let id = self.id_for(org)?;
        Some(
            Event::default()
                .id(id.to_string())
                .event(self.kind)
                .data(&self.data),
        )
    }
}

/// A `reset` for one stream, numbered with the last event of its organisation (nothing new
/// was published: the stream is told where it stands after reloading).
pub fn reset_event(last_id: u64) -> Event {
    Event::default()
        .id(last_id.to_string())
        .event(event_kind::RESET)
        .data("{}")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

/// The kind and `data:` of a domain event.
fn wire_of(event: &LiveEvent) -> (&'static str, String) {
    match event {
        LiveEvent::Request {
            id,
            version,
            visible,
        } => (
            event_kind::REQUEST,
            json(&wire::RequestEvent {
                id: id.as_str().to_owned(),
                version: *version,
                visible: *visible,
            }),
        ),
        LiveEvent::Share {
            id,
            target,
            state,
            restricted,
        } => (
            event_kind::SHARE,
            json(&wire::ShareEvent {
                id: id.as_str().to_owned(),
                target_id: target.as_str().to_owned(),
                state: (*state).into(),
                restricted: *restricted,
            }),
        ),
        LiveEvent::Agreement { id, active } => (
            event_kind::AGREEMENT,
            json(&wire::AgreementEvent {
                id: id.as_str().to_owned(),
                active: *active,
            }),
        ),
        LiveEvent::Covers => (event_kind::COVERS, json(&wire::EmptyEvent {})),
    }
}

/// One organisation's numbering and the last events it was given.
#[derive(Debug, Default)]
struct OrgLog {
    events: VecDeque<Arc<Published>>,
    last_id: u64,
}

/// Every organisation's log, and how many resets went to every organisation.
#[derive(Debug, Default)]
struct Ring {
    orgs: HashMap<OdsCode, OrgLog>,
    resets: u64,
}

impl Ring {
    /// The organisation's log, started at the resets so far when first met (see the module
    /// docs).
    fn log(&mut self, org: &OdsCode) -> &mut OrgLog {
        let resets = self.resets;
        self.orgs.entry(org.clone()).or_insert_with(|| OrgLog {
            events: VecDeque::new(),
            last_id: resets,
        })
    }

    fn last_id(&self, org: &OdsCode) -> u64 {
        self.orgs.get(org).map_or(self.resets, |l| l.last_id)
    }
}

/// A ticket waiting to be used.
#[derive(Debug, Clone)]
struct Ticket {
    token: String,
    user: String,
    expires: Instant,
}

/// Where a stream starts: the events it missed (for its organisation or user), or `reset`
/// when they are no longer kept, and the channel for what follows.
pub struct Resume {
    pub replay: Vec<Arc<Published>>,
    /// Set when the stream must reload everything: the number to carry on from.
    pub reset: Option<u64>,
    /// The number of the organisation's last event when the stream subscribed.
    pub last_id: u64,
    pub rx: broadcast::Receiver<Arc<Published>>,
}

/// The live-update hub of one server.
pub struct Live {
    ring: Mutex<Ring>,
    tx: broadcast::Sender<Arc<Published>>,
    tickets: Mutex<HashMap<String, Ticket>>,
    /// How long a ticket stays valid, in ms (`TICKET_TTL`; shorter in tests).
    ticket_ttl_ms: AtomicU64,
    /// Bumped whenever sessions end, or the server stops: open streams re-check theirs.
    sessions_ended: watch::Sender<u64>,
    /// Set when the server stops: every stream ends, so a graceful shutdown does not wait for
    /// open tabs.
    closing: AtomicBool,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").finish_non_exhaustive()
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl Live {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(CHANNEL);
        let (sessions_ended, _) = watch::channel(0);
        Self {
            ring: Mutex::new(Ring::default()),
            tx,
            tickets: Mutex::new(HashMap::new()),
            ticket_ttl_ms: AtomicU64::new(TICKET_TTL.as_millis() as u64),
            sessions_ended,
            closing: AtomicBool::new(false),
        }
    }

    /// Numbers, keeps and sends events, in order: each takes the next number of every
    /// organisation its audience names (`Everyone`: every organisation).
    fn push(&self, events: impl IntoIterator<Item = (&'static str, String, Audience)>) {
        let mut ring = lock(&self.ring);
        for (kind, data, audience) in events {
            let orgs: Vec<OdsCode> = match &audience {
                Audience::Everyone => {
                    ring.resets += 1;
                    ring.orgs.keys().cloned().collect()
                }
                Audience::Some { organisations, .. } => organisations.clone(),
            };
            let mut ids: Vec<(OdsCode, u64)> = orgs
                .into_iter()
                .map(|org| {
                    let log = ring.log(&org);
                    log.last_id += 1;
                    (org, log.last_id)
                })
                .collect();
            ids.sort();
            ids.dedup_by(|a, b| a.0 == b.0);
            let published = Arc::new(Published {
                ids,
                kind,
                data,
                audience,
            });
            for (org, _) in &published.ids {
                let log = ring.log(org);
                log.events.push_back(published.clone());
                if log.events.len() > RING {
                    log.events.pop_front();
                }
            }
            // No stream open is not an error.
            let _ = self.tx.send(published);
        }
    }

    /// Publishes the domain's notices of one change (E1, E2).
    pub fn publish(&self, notices: Vec<Notice>) {
        if notices.is_empty() {
            return;
        }
        self.push(notices.into_iter().map(|n| {
            let (kind, data) = wire_of(&n.event);
            (
                kind,
                data,
                Audience::Some {
                    organisations: n.organisations,
                    user: n.user,
                },
            )
        }));
    }

    /// Publishes `reset` to every stream (after `POST /api/demo/reset`).
    pub fn publish_reset(&self) {
        self.push([(event_kind::RESET, "{}".to_owned(), Audience::Everyone)]);
    }

    /// The number of `org`'s last event (what `x-last-event-id` carries).
    pub fn last_id(&self, org: &OdsCode) -> u64 {
        lock(&self.ring).last_id(org)
    }

    /// Subscribes a stream of `user` of `org` that has seen every event of `org` up to
    /// `after` (None: a new stream, which starts with what follows).
    pub fn resume(&self, after: Option<u64>, org: &OdsCode, user: &UserId) -> Resume {
        let mut ring = lock(&self.ring);
        let rx = self.tx.subscribe();
        let log = ring.log(org);
        let last_id = log.last_id;
        let oldest = log.events.front().and_then(|e| e.id_for(org));
        let oldest = oldest.unwrap_or(last_id + 1);
        let (replay, reset) = match after {
            None => (Vec::new(), None),
            // A number the organisation was never given (another run of the server), or
            // events no longer kept: reload everything (E3).
            Some(n) if n > last_id || n + 1 < oldest => (Vec::new(), Some(last_id)),
            Some(n) => {
                let skip = (n + 1 - oldest) as usize;
                (
                    log.events
                        .iter()
                        .skip(skip)
                        .filter(|e| e.reaches(org, user))
                        .cloned()
                        .collect(),
                    None,
                )
            }
        };
        Resume {
            replay,
            reset,
            last_id,
            rx,
        }
    }

    /// A new single-use ticket for the session `token` of `user`.
    pub fn issue_ticket(&self, token: &str, user: &str) -> Result<String, ApiError> {
        let mut bytes = [0u8; TICKET_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| ApiError::internal(format!("no randomness for a ticket: {e}")))?;
        let ticket: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut tickets = lock(&self.tickets);
        if tickets.len() >= MAX_TICKETS {
            tickets.retain(|_, t| t.expires > now);
        }
        if tickets.len() >= MAX_TICKETS {
            if let Some(oldest) = tickets
                .iter()
                .min_by_key(|(_, t)| t.expires)
                .map(|(k, _)| k.clone())
            {
                tickets.remove(&oldest);
            }
        }
        tickets.insert(
            ticket.clone(),
            Ticket {
                token: token.to_owned(),
                user: user.to_owned(),
                expires: now + self.ticket_ttl(),
            },
        );
        Ok(ticket)
    }

    /// How long a new ticket stays valid.
    pub fn ticket_ttl(&self) -> Duration {
        Duration::from_millis(self.ticket_ttl_ms.load(Ordering::Relaxed))
    }

    /// Sets how long new tickets stay valid (tests of expiry).
    pub fn set_ticket_ttl(&self, ttl: Duration) {
        self.ticket_ttl_ms
            .store(ttl.as_millis() as u64, Ordering::Relaxed);
    }

    /// Whether a ticket exists and has not expired (without using it).
    pub fn ticket_is_valid(&self, ticket: &str) -> bool {
        lock(&self.tickets)
            .get(ticket)
            .is_some_and(|t| t.expires > Instant::now())
    }

    /// Uses a ticket: the session token and user it was issued to, once, before it expires.
    pub fn redeem(&self, ticket: &str) -> Option<(String, String)> {
        let t = lock(&self.tickets).remove(ticket)?;
        (t.expires > Instant::now()).then_some((t.token, t.user))
    }

    /// Tells open streams that sessions ended (they check their own).
    pub fn sessions_ended(&self) {
        self.sessions_ended.send_modify(|n| *n += 1);
    }

    /// Ends every open stream (the server is stopping).
    pub fn close(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.sessions_ended();
    }

    /// Whether the server is stopping.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    /// A receiver that changes when sessions end.
    pub fn watch_sessions(&self) -> watch::Receiver<u64> {
        self.sessions_ended.subscribe()
    }
}

#[cfg(test)]
mod tests;
