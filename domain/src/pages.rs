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

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::ops::Bound;

use imbl::{OrdMap, OrdSet, Vector};

use crate::error::DomainError;
use crate::folders::{FolderId, Slot, StatusFilter};
use crate::ids::{RequestId, UserId};
use crate::model::Request;
use crate::time::Timestamp;
use crate::world::{bit, World, NO_TARGET};

/// The default page size (API.md).
pub const DEFAULT_LIMIT: usize = 50;
/// The largest page (API.md): larger limits are clamped to it.
pub const MAX_LIMIT: usize = 200;
/// The longest request id a cursor may carry, in bytes (longer is damaged).
const MAX_CURSOR_ID: usize = 256;

/// What the OpenAPI document says of a cursor (`pattern`): every text it matches is a cursor
/// [`Cursor::decode`] accepts (ids of printable ASCII; the server's ids are), so a tool that
/// generates "valid" cursors from the document gets pages, not 400s.
pub const CURSOR_PATTERN: &str = r"^1[ab]\.(0|-?[1-9][0-9]{0,17})\.([2-7][0-9a-f]){1,256}$";

/// A position in the C4 order: the last activity and id of a request (which may since have
/// moved or never have existed: a position is only a place between keys).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    pub at: Timestamp,
    pub id: RequestId,
}

impl Position {
    /// The position of a request now.
    pub fn of(request: &Request) -> Position {
        Position {
            at: request.last_activity(),
            id: request.id.clone(),
        }
    }
}

/// Where the next page starts: strictly after a position (Next) or strictly before it
/// (Previous).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    After(Position),
    Before(Position),
}

impl Cursor {
    /// The opaque text of the cursor: `1`, `a` or `b`, `.`, the time in milliseconds, `.`, the
    /// id's UTF-8 bytes in lower-case hexadecimal.
    pub fn encode(&self) -> String {
        let (dir, p) = match self {
            Cursor::After(p) => ('a', p),
            Cursor::Before(p) => ('b', p),
        };
        let mut out = format!("1{dir}.{}.", p.at.as_millis());
        for b in p.id.as_str().bytes() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// Reads a cursor written by [`Cursor::encode`]; anything else (an unknown version, a
    /// damaged or non-canonical text) is `Invalid { field: "cursor" }`. Checks the form only.
    pub fn decode(text: &str) -> Result<Cursor, DomainError> {
        let bad = DomainError::Invalid { field: "cursor" };
        if text.len() > 4 + 20 + 2 * MAX_CURSOR_ID {
            return Err(bad);
        }
        let mut parts = text.split('.');
        let (Some(head), Some(millis), Some(hex), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad);
        };
        let ms: i64 = millis.parse().map_err(|_| bad.clone())?;
        if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > 2 * MAX_CURSOR_ID {
            return Err(bad);
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| {
                let pair = hex.get(i..i + 2).ok_or(())?;
                if pair
                    .bytes()
                    .any(|c| !matches!(c, b'0'..=b'9' | b'a'..=b'f'))
                {
                    return Err(());
                }
                u8::from_str_radix(pair, 16).map_err(|_| ())
            })
            .collect::<Result<Vec<u8>, ()>>()
            .map_err(|()| bad.clone())?;
        let id = String::from_utf8(bytes).map_err(|_| bad.clone())?;
        let p = Position {
            at: Timestamp::from_millis(ms),
            id: RequestId::new(id),
        };
        let cursor = match head {
            "1a" => Cursor::After(p),
            "1b" => Cursor::Before(p),
            _ => return Err(bad),
        };
        // One text per cursor: "+5", "05" or "-0" are damaged, not synonyms.
        if cursor.encode() != text {
            return Err(bad);
        }
        Ok(cursor)
    }
}

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

/// A key of the ordered sets: C4 order, then the request's index (unique with the id, so it
/// never decides the order; it only finds the request without a lookup).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    at: Reverse<Timestamp>,
    id: RequestId,
    r: u32,
}

impl Key {
    fn position(&self) -> Position {
        Position {
            at: self.at.0,
            id: self.id.clone(),
        }
    }

    /// The smallest key after every key at `p` (bound of "strictly after").
    fn after(p: &Position) -> Key {
        Key {
            at: Reverse(p.at),
            id: p.id.clone(),
            r: u32::MAX,
        }
    }

    /// The smallest key at `p` (bound of "strictly before").
    fn before(p: &Position) -> Key {
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
enum Which {
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
    fn target_visible(&self, t: u32, o: u32, open: bool, unrestricted: bool) -> (usize, usize) {
        let get = |m: &OrdMap<(u32, u32, bool), usize>| m.get(&(t, o, open)).copied().unwrap_or(0);
        let involved = get(&self.target_involved);
        let mut visible = involved;
        if unrestricted {
            let sharing = self.target_sharing.get(&(t, open)).copied().unwrap_or(0);
            visible += sharing.saturating_sub(get(&self.target_involved_sharing));
        }
        (visible, involved)
    }

    fn set(&self, which: Which, o: u32, open: bool) -> Option<&OrdSet<Key>> {
        let map = match which {
            Which::Target => &self.by_target,
            Which::Holder => &self.by_holder,
            Which::Sent => &self.sent,
        };
        map.get(&(o, open))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(ms: i64, id: &str) -> Position {
        Position {
            at: Timestamp::from_millis(ms),
            id: RequestId::new(id),
        }
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote_for_any_id_and_time() {
        for c in [
            Cursor::After(pos(1_795_600_800_000, "r1")),
            Cursor::Before(pos(-5, "é/ü?&=.")),
            Cursor::After(pos(0, "x")),
            Cursor::Before(pos(i64::MIN, &"z".repeat(MAX_CURSOR_ID))),
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Ok(c.clone()), "{c:?}");
        }
    }

    #[test]
    fn a_damaged_or_foreign_cursor_is_invalid_with_the_field_cursor() {
        let good = Cursor::After(pos(12, "r1")).encode();
        assert_eq!(good, "1a.12.7231");
        for bad in [
            "",
            "1a",
            "1a.12",
            "1a.12.",
            "1a.12.723",
            "1a.12.7G31",
            "1a.12.7231.00",
            "1c.12.7231",
            "2a.12.7231",
            "1a.+12.7231",
            "1a.012.7231",
            "1a.-0.7231",
            "1a.12.7A31",
            "1a.12.ff",
            "1a.99999999999999999999.7231",
        ] {
            assert_eq!(
                Cursor::decode(bad),
                Err(DomainError::Invalid { field: "cursor" }),
                "{bad:?}"
            );
        }
        let long = Cursor::After(pos(1, &"z".repeat(MAX_CURSOR_ID + 1))).encode();
        assert!(Cursor::decode(&long).is_err());
    }

    proptest::proptest! {
        /// Every text the documented pattern admits decodes, and reads back as written.
        #[test]
        fn every_text_of_the_documented_pattern_is_a_cursor(
            text in proptest::string::string_regex(
                CURSOR_PATTERN.trim_start_matches('^').trim_end_matches('$'),
            )
            .expect("a regex proptest reads"),
        ) {
            let c = Cursor::decode(&text);
            proptest::prop_assert!(c.is_ok(), "{text:?}");
            proptest::prop_assert_eq!(c.map(|c| c.encode()).ok(), Some(text));
        }
    }

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
