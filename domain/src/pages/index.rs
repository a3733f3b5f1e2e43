//! The ordered indexes of the paged request lists (see the `# Indexes` part of the module docs
//! of `pages`): their keys, the sets per target, holder and involved organisation, the counters
//! for `total`, and how a request's keys move when it changes.

use std::cmp::Reverse;

use imbl::{OrdMap, OrdSet, Vector};

use super::Position;
use crate::ids::RequestId;
use crate::time::Timestamp;
use crate::world::{World, NO_TARGET};

/// A key of the ordered sets: C4 order, then the request's index (unique with the id, so it
/// never decides the order; it only finds the request without a lookup).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    at: Reverse<Timestamp>,
    id: RequestId,
    pub(super) r: u32,
}

impl Key {
    pub(super) fn position(&self) -> Position {
        Position {
            at: self.at.0,
            id: self.id.clone(),
        }
    }

    /// The smallest key after every key at `p` (bound of "strictly after").
    pub(super) fn after(p: &Position) -> Key {
        Key {
            at: Reverse(p.at),
            id: p.id.clone(),
            r: u32::MAX,
        }
    }

    /// The smallest key at `p` (bound of "strictly before").
    pub(super) fn before(p: &Position) -> Key {
        Key {
            at: Reverse(p.at),
            id: p.id.clone(),
            r: 0,
        }
    }
}

/// What the index last recorded of one request, to move its keys when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: Key,
    target: u32,
    holder: u32,
    open: bool,
    /// Organisations in involved(R) other than the holder (Sent Externally).
    sent: Vec<u32>,
    patient: u32,
    /// The patient's preference is `share` (V2), as of the last reindex: a change of
    /// preference reindexes the patient's requests.
    shares: bool,
}

/// The three families of sets.
#[derive(Clone, Copy)]
pub(super) enum Which {
    Target,
    Holder,
    Sent,
}

type Sets = OrdMap<(u32, bool), OrdSet<Key>>;

/// The ordered indexes of the paged lists. See the module docs.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageIndex {
    entries: Vector<Entry>,
    by_target: Sets,
    by_holder: Sets,
    sent: Sets,
    /// (patient, request index): the requests to reindex when a preference changes.
    by_patient: OrdSet<(u32, u32)>,
    /// Counts for `total` without a walk, per (target, open): requests whose patient shares.
    target_sharing: OrdMap<(u32, bool), usize>,
    /// Per (target, organisation, open): requests of the target with the organisation in
    /// involved(R) but not holding it; and of those, the ones whose patient shares.
    target_involved: OrdMap<(u32, u32, bool), usize>,
    target_involved_sharing: OrdMap<(u32, u32, bool), usize>,
}

fn bump<K: Ord + Clone>(counts: &mut OrdMap<K, usize>, at: K, on: bool) {
    let n = counts.get(&at).copied().unwrap_or(0);
    let n = if on { n + 1 } else { n.saturating_sub(1) };
    if n == 0 {
        counts.remove(&at);
    } else {
        counts.insert(at, n);
    }
}

fn add(sets: &mut Sets, at: (u32, bool), key: Key) {
    match sets.get_mut(&at) {
        Some(set) => {
            set.insert(key);
        }
        None => {
            sets.insert(at, OrdSet::unit(key));
        }
    }
}

fn take(sets: &mut Sets, at: (u32, bool), key: &Key) {
    let empty = match sets.get_mut(&at) {
        Some(set) => {
            set.remove(key);
            set.is_empty()
        }
        None => false,
    };
    if empty {
        sets.remove(&at);
    }
}

impl PageIndex {
    fn apply(&mut self, e: &Entry, on: bool) {
        let each = |sets: &mut Sets, o: u32| {
            if on {
                add(sets, (o, e.open), e.key.clone());
            } else {
                take(sets, (o, e.open), &e.key);
            }
        };
        if e.target != NO_TARGET {
            each(&mut self.by_target, e.target);
            if e.shares {
                bump(&mut self.target_sharing, (e.target, e.open), on);
            }
            for &o in &e.sent {
                bump(&mut self.target_involved, (e.target, o, e.open), on);
                if e.shares {
                    bump(&mut self.target_involved_sharing, (e.target, o, e.open), on);
                }
            }
        }
        each(&mut self.by_holder, e.holder);
        for &o in &e.sent {
            each(&mut self.sent, o);
        }
        let at = (e.patient, e.key.r);
        if on {
            self.by_patient.insert(at);
        } else {
            self.by_patient.remove(&at);
        }
    }

    /// How many requests of target `t` (status `open`) organisation `o` sees, given whether
    /// `o` has an enabled unrestricted share of it (V1–V3): the involved ones, plus, through
    /// the share, those whose patient shares. The second number is how many of them are
    /// involved (they are also in Sent Externally).
    pub(super) fn target_visible(
        &self,
        t: u32,
        o: u32,
        open: bool,
        unrestricted: bool,
    ) -> (usize, usize) {
        let get = |m: &OrdMap<(u32, u32, bool), usize>| m.get(&(t, o, open)).copied().unwrap_or(0);
        let involved = get(&self.target_involved);
        let mut visible = involved;
        if unrestricted {
            let sharing = self.target_sharing.get(&(t, open)).copied().unwrap_or(0);
            visible += sharing.saturating_sub(get(&self.target_involved_sharing));
        }
        (visible, involved)
    }

    pub(super) fn set(&self, which: Which, o: u32, open: bool) -> Option<&OrdSet<Key>> {
        let map = match which {
            Which::Target => &self.by_target,
            Which::Holder => &self.by_holder,
            Which::Sent => &self.sent,
        };
        map.get(&(o, open))
    }
}

impl World {
    /// Records request `r` in the page indexes as it is now (after loading it or after a
    /// command changed it): O(log n) per set it belongs to.
    pub(crate) fn reindex_request(&mut self, r: usize) {
        let request = &self.requests[r];
        let row = &self.rows[r];
        let entry = Entry {
            key: Key {
                at: Reverse(request.last_activity()),
                id: request.id.clone(),
                r: u32::try_from(r).unwrap_or(u32::MAX),
            },
            target: row.target,
            holder: row.holder,
            open: row.open,
            sent: self.involved[r]
                .iter()
                .copied()
                .filter(|&o| o != row.holder)
                .collect(),
            patient: row.patient,
            shares: self.patient_share.get(row.patient),
        };
        let pages = &mut self.pages;
        if let Some(old) = pages.entries.get(r).cloned() {
            if old == entry {
                return;
            }
            pages.apply(&old, false);
            pages.apply(&entry, true);
            pages.entries.set(r, entry);
        } else {
            pages.apply(&entry, true);
            pages.entries.push_back(entry);
        }
    }

    /// Reindexes the requests of patient `p` after a change of preference (V2 counts).
    pub(crate) fn reindex_patient(&mut self, p: u32) {
        let rs: Vec<u32> = self
            .pages
            .by_patient
            .range((p, 0)..=(p, u32::MAX))
            .map(|&(_, r)| r)
            .collect();
        for r in rs {
            self.reindex_request(r as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::cursor::tests::pos;
    use super::*;

    #[test]
    fn keys_at_a_position_fall_between_the_before_and_after_bounds() {
        let p = pos(100, "r5");
        let k = Key {
            at: Reverse(p.at),
            id: p.id.clone(),
            r: 7,
        };
        assert!(Key::before(&p) <= k && k < Key::after(&p));
        // Newer activity sorts first (C4), then the id.
        let newer = Key::before(&pos(200, "r9"));
        let same_time_smaller_id = Key::after(&pos(100, "r4"));
        assert!(newer < k && same_time_smaller_id < k);
    }
}
