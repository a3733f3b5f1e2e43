//! Paged request lists (API.md "Messages", issue 13): one page of a folder or of the Messages
//! page (C3, C4) in the C4 order (last activity, newest first, then request id), found by a
//! walk of ordered indexes instead of a scan and sort of every request.
//!
//! # Indexes
//! `World` keeps a [`PageIndex`] beside its other indexes: persistent ordered sets (`imbl`, so a
//! copy of the state stays O(1)) of [`Key`]s `(Reverse(last activity), id, index)`, one set per
//! status and
//! - per target (a colleague's or a group's folder: My requests, own targets, external ones),
//! - per holder organisation (the inbox and own targets: the "held" half of All),
//! - per involved organisation that does not hold the request (Sent Externally).
//!
//! Every command that changes a request's activity, assignee, holder, involvement or status
//! calls [`World::reindex_request`], which moves the request's keys (O(log n) each). Whether an
//! organisation sees a request through an unrestricted share (V2) depends on the share and on
//! the patient's preference now, which change without touching the request: those parts
//! (external folders, the shared half of All) are walked with the visibility filter applied to
//! each key, so a page costs O(k log n + page + keys filtered out), k the number of sets merged.
//!
//! # Cursors
//! A [`Cursor`] is a position `(last activity, request id)` and a direction, nothing more: it
//! says where a walk resumes, never that a request exists, so a cursor made up or taken from
//! another user's folder only selects a place in the caller's own folder. Keyset paging keeps a
//! walk stable: a request that gains activity moves before every cursor of the walk (to the
//! top), so the later pages neither repeat nor skip anything.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Bound;

use imbl::OrdSet;

use crate::error::DomainError;
use crate::folders::{FolderId, Slot, StatusFilter};
use crate::ids::UserId;
use crate::model::Request;
use crate::world::{bit, World, NO_TARGET};

mod cursor;
mod index;

// Cursors (their text) and the ordered indexes (their upkeep), in modules of their own; named
// here as before (`pages::Cursor`, `pages::CURSOR_PATTERN`).
pub use cursor::{Cursor, Position, CURSOR_PATTERN};
pub(crate) use index::PageIndex;
use index::{Key, Which};

/// The default page size (API.md).
pub const DEFAULT_LIMIT: usize = 50;
/// The largest page (API.md): larger limits are clamped to it.
pub const MAX_LIMIT: usize = 200;

/// One page of a request list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    /// At most `limit` requests, in the C4 order.
    pub items: Vec<&'a Request>,
    /// Every request of the folder and status the caller sees (V1–V4).
    pub total: usize,
    /// The page after this one, if a request follows the last item.
    pub next: Option<Cursor>,
    /// The page before this one, if a request precedes the first item.
    pub prev: Option<Cursor>,
}

/// One ordered set to merge, and whether each key must pass the visibility filter.
#[derive(Clone, Copy)]
struct Source<'a> {
    set: &'a OrdSet<Key>,
    filtered: bool,
    part: Part,
}

/// What a source is, for the count of `total`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Every key is in the folder (own targets, held by the organisation).
    Plain,
    /// Sent Externally, open or closed.
    Sent(bool),
    /// Another organisation's target (status open or closed), filtered by visibility.
    Target(u32, bool),
}

/// A source's iterator and its next key, ordered for the merge heap.
struct Head<'a> {
    key: &'a Key,
    source: usize,
    forward: bool,
}

impl PartialEq for Head<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head<'_> {}
impl PartialOrd for Head<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap pops the greatest: forward wants the smallest key first.
        let by_key = if self.forward {
            other.key.cmp(self.key)
        } else {
            self.key.cmp(other.key)
        };
        by_key.then_with(|| other.source.cmp(&self.source))
    }
}

type KeyIter<'a> = Box<dyn Iterator<Item = &'a Key> + 'a>;

/// A k-way merge of ordered sets from a bound, in one direction, filtered, without repeats.
struct Walk<'a> {
    world: &'a World,
    org: u32,
    iters: Vec<(KeyIter<'a>, bool)>,
    heap: BinaryHeap<Head<'a>>,
    last: Option<&'a Key>,
    forward: bool,
}

impl<'a> Walk<'a> {
    fn new(
        world: &'a World,
        org: u32,
        sources: &[Source<'a>],
        from: Option<&Key>,
        forward: bool,
    ) -> Walk<'a> {
        let mut walk = Walk {
            world,
            org,
            iters: Vec::with_capacity(sources.len()),
            heap: BinaryHeap::with_capacity(sources.len()),
            last: None,
            forward,
        };
        for (i, s) in sources.iter().enumerate() {
            let iter: KeyIter<'a> = match (forward, from) {
                (true, None) => Box::new(s.set.iter()),
                (false, None) => Box::new(s.set.iter().rev()),
                (true, Some(k)) => {
                    Box::new(s.set.range((Bound::Excluded(k.clone()), Bound::Unbounded)))
                }
                (false, Some(k)) => Box::new(
                    s.set
                        .range((Bound::Unbounded, Bound::Excluded(k.clone())))
                        .rev(),
                ),
            };
            walk.iters.push((iter, s.filtered));
            walk.advance(i);
        }
        walk
    }

    /// Pushes the next key of source `i` that passes its filter.
    fn advance(&mut self, i: usize) {
        let (world, org, forward) = (self.world, self.org, self.forward);
        let (iter, filtered) = &mut self.iters[i];
        let filtered = *filtered;
        let next = iter.find(|k| !filtered || world.sees_ix(k.r as usize, org).is_some());
        if let Some(key) = next {
            self.heap.push(Head {
                key,
                source: i,
                forward,
            });
        }
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = &'a Key;

    fn next(&mut self) -> Option<&'a Key> {
        loop {
            let head = self.heap.pop()?;
            self.advance(head.source);
            if self.last == Some(head.key) {
                continue;
            }
            self.last = Some(head.key);
            return Some(head.key);
        }
    }
}

impl World {
    /// The sets a folder slot reads for organisation `o`, per status.
    fn slot_sources<'a>(
        &'a self,
        o: u32,
        slot: Slot,
        status: StatusFilter,
        out: &mut Vec<Source<'a>>,
    ) {
        let statuses: &[bool] = match status {
            StatusFilter::Open => &[true],
            StatusFilter::Closed => &[false],
            StatusFilter::All => &[true, false],
        };
        let p = &self.pages;
        for &open in statuses {
            let mut push = |set: Option<&'a OrdSet<Key>>, part: Part| {
                if let Some(set) = set {
                    let filtered = matches!(part, Part::Target(..));
                    out.push(Source {
                        set,
                        filtered,
                        part,
                    });
                }
            };
            match slot {
                Slot::Mine(t) | Slot::Own(t) => {
                    if t != NO_TARGET {
                        push(p.set(Which::Target, t, open), Part::Plain);
                    }
                }
                Slot::External(t) => push(p.set(Which::Target, t, open), Part::Target(t, open)),
                Slot::SentExternally => push(p.set(Which::Sent, o, open), Part::Sent(open)),
                Slot::All => {
                    push(p.set(Which::Holder, o, open), Part::Plain);
                    let words = self.v2.get(o as usize).map_or(&[][..], |w| w.as_slice());
                    for t in 0..u32::try_from(words.len() * 64).unwrap_or(u32::MAX) {
                        if bit(words, t) {
                            push(p.set(Which::Target, t, open), Part::Target(t, open));
                        }
                    }
                }
            }
        }
    }

    /// The number of requests the sources hold after the visibility filter, each once, from
    /// the sets' sizes and the index's counters: O(k log n) for k sources, no walk. The
    /// unfiltered sets are disjoint by construction (one target per request; held by `o` or
    /// not); another organisation's target adds what `o` sees of it, less the requests `o` is
    /// involved in when Sent Externally (which holds exactly those) is among the sources.
    fn count(&self, o: u32, sources: &[Source<'_>]) -> usize {
        let words = self.v2.get(o as usize).map_or(&[][..], |w| w.as_slice());
        let mut total = 0;
        for s in sources {
            match s.part {
                Part::Plain | Part::Sent(_) => total += s.set.len(),
                Part::Target(t, open) => {
                    let (visible, involved) = self.pages.target_visible(t, o, open, bit(words, t));
                    total += visible;
                    if sources.iter().any(|x| x.part == Part::Sent(open)) {
                        total -= involved.min(visible);
                    }
                }
            }
        }
        total
    }

    /// C3, C4, API.md: one page of a folder (`Some`, any folder of `folders`) or of the
    /// Messages page (`None`: My requests and every covered folder, without repeats), in the C4
    /// order, after visibility (V1–V4). `limit` is clamped to 1–[`MAX_LIMIT`]. A folder the user
    /// does not have is `NotFound`, as for `folder_requests`.
    ///
    /// Without a cursor: the first page. `After(p)`: the requests strictly after `p`.
    /// `Before(p)`: the `limit` requests strictly before `p`, or the first page when fewer
    /// remain before it (Previous back to the start gives a full first page).
    pub fn request_page(
        &self,
        user: &UserId,
        folder: Option<&FolderId>,
        status: StatusFilter,
        limit: usize,
        cursor: Option<&Cursor>,
    ) -> Result<Page<'_>, DomainError> {
        let (u, o) = self.actor(user)?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let slots = match folder {
            Some(f) => vec![self.slot_of(u, o, f)?],
            None => self.messages_slots(user, u, o),
        };
        let mut sources = Vec::new();
        for slot in dedup_slots(slots) {
            self.slot_sources(o, slot, status, &mut sources);
        }
        let total = self.count(o, &sources);
        let walk = |from: Option<&Key>, forward: bool| Walk::new(self, o, &sources, from, forward);
        let request = |k: &Key| &self.requests[k.r as usize];

        let first_page = |total| {
            let mut it = walk(None, true);
            let keys: Vec<&Key> = it.by_ref().take(limit).collect();
            let next = match (keys.last(), it.next()) {
                (Some(last), Some(_)) => Some(Cursor::After(last.position())),
                _ => None,
            };
            Page {
                items: keys.into_iter().map(request).collect(),
                total,
                next,
                prev: None,
            }
        };

        match cursor {
            None => Ok(first_page(total)),
            Some(Cursor::After(p)) => {
                let from = Key::after(p);
                let mut it = walk(Some(&from), true);
                let keys: Vec<&Key> = it.by_ref().take(limit).collect();
                let next = match (keys.last(), it.next()) {
                    (Some(last), Some(_)) => Some(Cursor::After(last.position())),
                    _ => None,
                };
                let anchor = keys.first().map_or_else(|| p.clone(), |k| k.position());
                let prev = walk(Some(&Key::before(&anchor)), false)
                    .next()
                    .map(|_| Cursor::Before(anchor));
                Ok(Page {
                    items: keys.into_iter().map(request).collect(),
                    total,
                    next,
                    prev,
                })
            }
            Some(Cursor::Before(p)) => {
                let mut it = walk(Some(&Key::before(p)), false);
                let mut keys: Vec<&Key> = it.by_ref().take(limit).collect();
                let earlier = it.next().is_some();
                if keys.len() < limit && !earlier {
                    return Ok(first_page(total));
                }
                keys.reverse();
                let prev = earlier.then(|| Cursor::Before(keys[0].position()));
                let next = keys.last().and_then(|last| {
                    let at = last.position();
                    walk(Some(&Key::after(&at)), true)
                        .next()
                        .map(|_| Cursor::After(at))
                });
                Ok(Page {
                    items: keys.into_iter().map(request).collect(),
                    total,
                    next,
                    prev,
                })
            }
        }
    }
}

/// The slots without repeats (a folder covered twice is read once).
fn dedup_slots(slots: Vec<Slot>) -> Vec<Slot> {
    let mut out: Vec<Slot> = Vec::with_capacity(slots.len());
    for s in slots {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}
