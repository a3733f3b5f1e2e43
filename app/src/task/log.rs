//! The client's part of a participant's interaction log (SPEC K6, API.md `POST /api/task/log`):
//! the screens visited (route templates, `screens`), the dialogs opened and closed (by name)
//! and the validation problems shown (a field id and a short code). Only names and codes go in,
//! never typed text and never an error's words (they may repeat what was typed).
//!
//! Entries wait in memory and are sent in batches: 2 s after the first one waiting, at once
//! when 20 are waiting, and when the page is hidden or goes away (`pagehide`), at most 100 per
//! call. A batch that fails is sent once more with the next one; if that fails too it is
//! dropped: the log is evidence for the facilitator, not worth holding the page for, and the
//! server's own `call` lines still say what the participant did.
//!
//! The recorder is off except in a participant's session (the task panel turns it on and off),
//! so staff and persona sessions send nothing. It holds no reactive values: it is called from
//! effects, event handlers and timers alike, and nothing in it can be disposed.

use std::cell::RefCell;
use std::time::Duration;

use domain::research::wire::ClientLogEntry;

/// How long an entry may wait for others before its batch is sent.
pub const FLUSH_AFTER: Duration = Duration::from_secs(2);
/// Entries waiting that are sent at once, without waiting for the timer.
pub const FLUSH_AT: usize = 20;
/// The most entries one call may carry (API.md).
pub const PER_CALL: usize = 100;
/// Entries kept while the server cannot be reached; the oldest go first beyond this.
pub const KEEP_AT_MOST: usize = 1000;

/// Whether a push asks for the batch to go now or with the timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Now,
    Later,
}

/// An entry waiting, and whether it has already been in a batch that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub entry: ClientLogEntry,
    pub retried: bool,
}

/// The entries waiting to be sent, in the order they happened.
#[derive(Debug, Default)]
pub struct Queue {
    waiting: Vec<Waiting>,
}

impl Queue {
    /// Adds an entry; `Due::Now` once `FLUSH_AT` are waiting.
    pub fn push(&mut self, entry: ClientLogEntry) -> Due {
        self.waiting.push(Waiting {
            entry,
            retried: false,
        });
        if self.waiting.len() > KEEP_AT_MOST {
            let over = self.waiting.len() - KEEP_AT_MOST;
            self.waiting.drain(..over);
        }
        if self.waiting.len() >= FLUSH_AT {
            Due::Now
        } else {
            Due::Later
        }
    }

    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Everything waiting, in batches of at most `PER_CALL`, oldest first.
    pub fn take(&mut self) -> Vec<Vec<Waiting>> {
        let all = std::mem::take(&mut self.waiting);
        all.chunks(PER_CALL).map(<[Waiting]>::to_vec).collect()
    }

    /// A batch the server did not take: its entries tried once go back to the front, to be
    /// sent with the next batch; those that had already been retried are dropped.
    pub fn failed(&mut self, batch: Vec<Waiting>) {
        let again: Vec<Waiting> = batch
            .into_iter()
            .filter(|w| !w.retried)
            .map(|w| Waiting {
                entry: w.entry,
                retried: true,
            })
            .collect();
        self.waiting.splice(0..0, again);
    }

    /// Forgets everything (the session is no longer a participant's).
    pub fn clear(&mut self) {
        self.waiting.clear();
    }
}

/// A screen visited, by its route template.
pub fn screen(template: &str) -> ClientLogEntry {
    named("screen", template)
}

/// A dialog opened or closed, by its name.
pub fn dialog(open: bool, name: &str) -> ClientLogEntry {
    named(if open { "dialog_open" } else { "dialog_close" }, name)
}

/// A validation problem shown: the field's id and a code such as `required`.
pub fn problem(field: &str, code: &str) -> ClientLogEntry {
    ClientLogEntry {
        kind: "problem".to_owned(),
        name: None,
        field: Some(field.to_owned()),
        code: Some(code.to_owned()),
    }
}

fn named(kind: &str, name: &str) -> ClientLogEntry {
    ClientLogEntry {
        kind: kind.to_owned(),
        name: Some(name.to_owned()),
        field: None,
        code: None,
    }
}

/// The recorder of this tab.
#[derive(Default)]
struct Recorder {
    on: bool,
    queue: Queue,
    /// A flush is already set to run on the timer.
    timer: bool,
}

thread_local! {
    static RECORDER: RefCell<Recorder> = RefCell::new(Recorder::default());
}

/// Turns the recorder on (a participant's session) or off, forgetting what waits.
pub fn set_on(on: bool) {
    RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        r.on = on;
        if !on {
            r.queue.clear();
        }
    });
}

/// Records an entry, if the recorder is on: sent within `FLUSH_AFTER`, or now if enough wait.
pub fn record(entry: ClientLogEntry) {
    let due = RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        if !r.on {
            return None;
        }
        let due = r.queue.push(entry);
        let start_timer = due == Due::Later && !r.timer;
        if start_timer {
            r.timer = true;
        }
        Some((due, start_timer))
    });
    match due {
        Some((Due::Now, _)) => flush(),
        Some((Due::Later, true)) => later(),
        _ => {}
    }
}

fn later() {
    leptos::prelude::set_timeout(flush, FLUSH_AFTER);
}

/// Sends everything waiting now (also on `pagehide`: each call is made before this returns,
/// with `keepalive`, so it outlives the page).
pub fn flush() {
    let batches = RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        r.timer = false;
        if r.on {
            r.queue.take()
        } else {
            Vec::new()
        }
    });
    for batch in batches {
        let events = batch.iter().map(|w| w.entry.clone()).collect();
        let sent = crate::api::task::send_log(events);
        leptos::task::spawn_local(async move {
            if sent.await {
                return;
            }
            let retry = RECORDER.with(|r| {
                let mut r = r.borrow_mut();
                if !r.on {
                    return false;
                }
                r.queue.failed(batch);
                let start = !r.queue.is_empty() && !r.timer;
                if start {
                    r.timer = true;
                }
                start
            });
            if retry {
                later();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screens(n: usize) -> Vec<ClientLogEntry> {
        (0..n).map(|i| screen(&format!("/s{i}"))).collect()
    }

    #[test]
    fn entries_wait_for_the_timer_until_twenty_are_queued() {
        let mut q = Queue::default();
        for (i, e) in screens(FLUSH_AT).into_iter().enumerate() {
            let due = q.push(e);
            let expected = if i + 1 == FLUSH_AT {
                Due::Now
            } else {
                Due::Later
            };
            assert_eq!(due, expected, "entry {i}");
        }
    }

    #[test]
    fn a_flush_sends_at_most_a_hundred_per_call_in_order() {
        let mut q = Queue::default();
        for e in screens(250) {
            q.push(e);
        }
        let batches = q.take();
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [100, 100, 50]);
        assert_eq!(batches[1][0].entry, screen("/s100"));
        assert!(q.is_empty());
    }

    #[test]
    fn nothing_waiting_sends_nothing() {
        assert!(Queue::default().take().is_empty());
    }

    #[test]
    fn a_failed_batch_is_retried_once_before_what_came_after_then_dropped() {
        let mut q = Queue::default();
        q.push(screen("/a"));
        let first = q.take().remove(0);
        q.push(screen("/b"));
        q.failed(first);
        let second = q.take().remove(0);
        let names: Vec<_> = second.iter().map(|w| w.entry.name.clone()).collect();
        assert_eq!(names, [Some("/a".into()), Some("/b".into())]);
        q.failed(second);
        // "/a" failed twice and is gone; "/b" gets its one retry.
        let third = q.take().remove(0);
        assert_eq!(third.len(), 1);
        assert_eq!(third[0].entry, screen("/b"));
        assert!(third[0].retried);
    }

    #[test]
    fn a_server_out_of_reach_keeps_only_the_latest_entries() {
        let mut q = Queue::default();
        for e in screens(KEEP_AT_MOST + 5) {
            q.push(e);
        }
        assert_eq!(q.len(), KEEP_AT_MOST);
        assert_eq!(q.take()[0][0].entry, screen("/s5"));
    }

    #[test]
    fn entries_carry_names_and_codes_only() {
        let p = problem("share-org-input", "required");
        assert_eq!(p.kind, "problem");
        assert_eq!(p.name, None);
        assert_eq!(dialog(true, "share").kind, "dialog_open");
        assert_eq!(dialog(false, "share").kind, "dialog_close");
        let json = serde_json::to_string(&screen("/groups")).expect("an entry serialises");
        assert_eq!(json, r#"{"kind":"screen","name":"/groups"}"#);
    }
}
