//! The facilitator's progress stream (API.md "Research studies"): a ticket asked with the
//! facilitator's token, then `GET /api/research/events?ticket=T`; each `participant` event
//! or `study` event calls `on_change`. On failure it waits (1 s, 2 s, 5 s, then every 10 s) and opens a new
//! stream, and calls `on_change` once open again, since events may have been missed.
//!
//! Kept apart from the staff live loop (`live`), which follows the persona session. This one
//! is spawned under the participants section's owner with cancellation: it ends when the
//! section unmounts, and after every `.await` checks that its owner still lives.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

use super::Facilitator;
use crate::api;
use crate::live::source::{Message, Source};

const BACKOFF: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(5),
    Duration::from_secs(10),
];

/// The event a participant's row changed with.
const PARTICIPANT: &str = "participant";
/// The study changed, or the stream missed events: every row is read again.
const STUDY: &str = "study";

/// Starts the loop under the current owner. `open` says whether the stream is open now.
pub fn follow_progress(facilitator: Facilitator, open: RwSignal<bool>, on_change: Callback<()>) {
    let alive = StoredValue::new(());
    spawn_local_scoped_with_cancellation(async move {
        let gone = move || alive.try_get_value().is_none();
        let mut failures = 0_usize;
        loop {
            if failures > 0 {
                open.try_set(false);
                crate::dom::sleep(BACKOFF[(failures - 1).min(BACKOFF.len() - 1)]).await;
                if gone() {
                    return;
                }
            }
            let ticket = api::research::events_ticket(&facilitator.token()).await;
            if gone() {
                return;
            }
            let ticket = match ticket {
                Ok(ticket) => ticket.ticket,
                Err(e) if e.status() == Some(401) => {
                    // The sign-in form comes back, which ends this section and the loop.
                    facilitator.refused(&e);
                    return;
                }
                Err(_) => {
                    failures += 1;
                    continue;
                }
            };
            let url = api::research::events_url(&ticket);
            let Some(mut source) = Source::open(&url, &[PARTICIPANT, STUDY]) else {
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
                        if failures > 0 {
                            on_change.run(());
                        }
                        failures = 0;
                        open.try_set(true);
                    }
                    Message::Event { .. } => on_change.run(()),
                    Message::Failed => break,
                }
            }
            failures += 1;
        }
    });
}
