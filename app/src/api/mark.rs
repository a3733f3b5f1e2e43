//! Where the answers' `x-last-event-id` goes (API-additions.md): read by the live loop to start
//! a session's first stream.

use leptos::prelude::*;

/// The lowest `x-last-event-id` the answers carried since [`ReadMark::restart`]: the state the
/// screens were read from, so a session's first stream resumes from there and a change made
/// between those reads and the stream's opening is replayed, not lost (E1, E3). `App`
/// provides it; a call made where it is in context notes its answer's number in it.
#[derive(Clone, Copy)]
pub struct ReadMark(StoredValue<Option<u64>>);

impl ReadMark {
    pub fn new() -> Self {
        ReadMark(StoredValue::new(None))
    }

    /// Forgets the numbers noted so far (a new session starts reading).
    pub fn restart(self) {
        self.0.try_set_value(None);
    }

    /// The lowest number noted since the last restart.
    pub fn lowest(self) -> Option<u64> {
        self.0.try_get_value().flatten()
    }

    /// An answer from an older session can only lower it: more is replayed, and a replayed
    /// event only reloads a screen.
    pub(super) fn note(self, n: u64) {
        self.0
            .try_update_value(|m| *m = Some(m.map_or(n, |m| m.min(n))));
    }
}

impl Default for ReadMark {
    fn default() -> Self {
        Self::new()
    }
}
