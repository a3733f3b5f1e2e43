//! The audit log paged (API.md "Audit", SPEC L2, issue 19): one page of an organisation's log,
//! newest first, optionally of one action, found by a walk of an ordered per-organisation
//! index instead of a scan and sort of the whole log.
//!
//! # Index
//! `World` keeps an [`AuditIndex`] beside its other indexes: persistent ordered sets (`imbl`, so
//! a copy of the state stays O(1)) of [`LogKey`]s `(Reverse(at), Reverse(position in the log))`,
//! one set per organisation and one per (organisation, action). An event is in the sets of
//! the organisation that made it (or received the request) and of every party to it (shares
//! and agreements, L2), the same rule as the full scan kept as the oracle (`World::audit_for`,
//! feature `oracles`). Appending an event costs O(log n) per set; a page costs O(log n +
//! page); `total` is the set's size, kept by `imbl`.
//!
//! # Cursors
//! An [`AuditCursor`] is a position `(at, position in the log)` and a direction: where a walk
//! resumes, nothing more. The log only grows, so a walk is stable: new events go before every
//! cursor (to the top) and later pages neither repeat nor skip anything.

use std::cmp::Reverse;
use std::ops::Bound;

use imbl::{OrdMap, OrdSet};

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::ods::OdsCode;
use crate::pages::MAX_LIMIT;
use crate::time::Timestamp;
use crate::world::World;

/// What the OpenAPI document says of an audit cursor (`pattern`): every text it matches is a
/// cursor [`AuditCursor::decode`] accepts.
pub const AUDIT_CURSOR_PATTERN: &str = r"^L[ab]\.(0|-?[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,8})$";

/// A place in an organisation's log, newest first: an event's time and its position in the
/// whole log (which breaks ties: the later appended first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogPosition {
    pub at: Timestamp,
    pub seq: u32,
}

/// Where the next page of a log starts: strictly after a position (older events) or strictly
/// before it (newer ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditCursor {
    After(LogPosition),
    Before(LogPosition),
}

impl AuditCursor {
    /// The opaque text: `L`, `a` or `b`, `.`, the time in milliseconds, `.`, the position.
    pub fn encode(&self) -> String {
        let (dir, p) = match self {
            AuditCursor::After(p) => ('a', p),
            AuditCursor::Before(p) => ('b', p),
        };
        format!("L{dir}.{}.{}", p.at.as_millis(), p.seq)
    }

    /// Reads a cursor written by [`AuditCursor::encode`]; anything else (a request cursor, a
    /// damaged or non-canonical text) is `Invalid { field: "cursor" }`.
    pub fn decode(text: &str) -> Result<AuditCursor, DomainError> {
        let bad = DomainError::Invalid { field: "cursor" };
        if text.len() > 40 {
            return Err(bad);
        }
        let mut parts = text.split('.');
        let (Some(head), Some(millis), Some(seq), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad);
        };
        let ms: i64 = millis.parse().map_err(|_| bad.clone())?;
        let seq: u32 = seq.parse().map_err(|_| bad.clone())?;
        let p = LogPosition {
            at: Timestamp::from_millis(ms),
            seq,
        };
        let cursor = match head {
            "La" => AuditCursor::After(p),
            "Lb" => AuditCursor::Before(p),
            _ => return Err(bad),
        };
        // One text per cursor: "+5", "05" or "-0" are damaged, not synonyms.
        if cursor.encode() != text {
            return Err(bad);
        }
        Ok(cursor)
    }
}

/// One page of an organisation's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage<'a> {
    /// At most `limit` events, newest first.
    pub items: Vec<&'a AuditEvent>,
    /// Every event of the organisation's log (of the action, when one is asked for).
    pub total: usize,
    /// The page of older events, if any follows the last item.
    pub next: Option<AuditCursor>,
    /// The page of newer events, if any precedes the first item.
    pub prev: Option<AuditCursor>,
}

/// A key of the ordered sets: newest first, then the later appended first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LogKey {
    at: Reverse<Timestamp>,
    seq: Reverse<u32>,
}

impl LogKey {
    fn of(p: LogPosition) -> LogKey {
        LogKey {
            at: Reverse(p.at),
            seq: Reverse(p.seq),
        }
    }

    fn position(self) -> LogPosition {
        LogPosition {
            at: self.at.0,
            seq: self.seq.0,
        }
    }
}

/// The ordered indexes of the paged log. See the module docs.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditIndex {
    by_org: OrdMap<u32, OrdSet<LogKey>>,
    by_org_action: OrdMap<(u32, AuditAction), OrdSet<LogKey>>,
}

fn insert<K: Ord + Clone>(sets: &mut OrdMap<K, OrdSet<LogKey>>, at: K, key: LogKey) {
    match sets.get_mut(&at) {
        Some(set) => {
            set.insert(key);
        }
        None => {
            sets.insert(at, OrdSet::unit(key));
        }
    }
}

impl World {
    /// Records the event at position `seq` of the log in the audit indexes: O(log n) per
    /// organisation it belongs to.
    pub(crate) fn index_audit_event(&mut self, seq: usize) {
        let Some(e) = self.audit.get(seq) else {
            return;
        };
        let key = LogKey {
            at: Reverse(e.at),
            seq: Reverse(u32::try_from(seq).unwrap_or(u32::MAX)),
        };
        let mut orgs: Vec<u32> = std::iter::once(&e.ods_code)
            .chain(e.parties.iter())
            .filter_map(|code| self.org_of(code))
            .collect();
        orgs.sort_unstable();
        orgs.dedup();
        let action = e.action;
        for o in orgs {
            insert(&mut self.audit_ix.by_org, o, key);
            insert(&mut self.audit_ix.by_org_action, (o, action), key);
        }
    }

    fn audit_set(&self, org: &OdsCode, action: Option<AuditAction>) -> Option<&OrdSet<LogKey>> {
        let o = self.org_of(org)?;
        match action {
            None => self.audit_ix.by_org.get(&o),
            Some(a) => self.audit_ix.by_org_action.get(&(o, a)),
        }
    }

    /// How many events `org`'s log holds (of `action`, if given): O(log n).
    pub fn audit_total(&self, org: &OdsCode, action: Option<AuditAction>) -> usize {
        self.audit_set(org, action).map_or(0, OrdSet::len)
    }

    /// L2: `org`'s log (of `action`, if given), newest first, from the start or strictly after
    /// `after`, each event with its position (for a cursor). Lazy: taking k events costs
    /// O(log n + k).
    pub fn audit_walk<'a>(
        &'a self,
        org: &OdsCode,
        action: Option<AuditAction>,
        after: Option<LogPosition>,
    ) -> impl Iterator<Item = (&'a AuditEvent, LogPosition)> + 'a {
        let keys: Box<dyn Iterator<Item = &'a LogKey> + 'a> =
            match (self.audit_set(org, action), after) {
                (None, _) => Box::new(std::iter::empty()),
                (Some(set), None) => Box::new(set.iter()),
                (Some(set), Some(p)) => {
                    Box::new(set.range((Bound::Excluded(LogKey::of(p)), Bound::Unbounded)))
                }
            };
        keys.filter_map(move |k| {
            let p = k.position();
            self.audit.get(p.seq as usize).map(|e| (e, p))
        })
    }

    /// The events newer than `before` (strictly), oldest of them first.
    fn audit_walk_back<'a>(
        &'a self,
        org: &OdsCode,
        action: Option<AuditAction>,
        before: LogPosition,
    ) -> impl Iterator<Item = LogKey> + 'a {
        self.audit_set(org, action)
            .into_iter()
            .flat_map(move |set| {
                set.range((Bound::Unbounded, Bound::Excluded(LogKey::of(before))))
                    .rev()
            })
            .copied()
    }

    /// API.md "Audit": one page of `org`'s log (of `action`, if given), newest first, as
    /// `GET /api/requests` pages (`crate::pages`): `limit` clamped to 1–[`MAX_LIMIT`]; without
    /// a cursor the first page; `After(p)` the events strictly after `p`; `Before(p)` the
    /// `limit` events strictly before `p`, or the first page when fewer remain before it.
    pub fn audit_page<'a>(
        &'a self,
        org: &OdsCode,
        action: Option<AuditAction>,
        limit: usize,
        cursor: Option<&AuditCursor>,
    ) -> AuditPage<'a> {
        let limit = limit.clamp(1, MAX_LIMIT);
        let total = self.audit_total(org, action);
        let forward = |after: Option<LogPosition>| {
            let mut it = self.audit_walk(org, action, after);
            let items: Vec<(&AuditEvent, LogPosition)> = it.by_ref().take(limit).collect();
            let next = match (items.last(), it.next()) {
                (Some(&(_, last)), Some(_)) => Some(AuditCursor::After(last)),
                _ => None,
            };
            (items, next)
        };
        let page = |items: Vec<(&'a AuditEvent, LogPosition)>, next, prev| AuditPage {
            items: items.into_iter().map(|(e, _)| e).collect(),
            total,
            next,
            prev,
        };
        match cursor {
            None => {
                let (items, next) = forward(None);
                page(items, next, None)
            }
            Some(AuditCursor::After(p)) => {
                let (items, next) = forward(Some(*p));
                let anchor = items.first().map_or(*p, |&(_, first)| first);
                let prev = self
                    .audit_walk_back(org, action, anchor)
                    .next()
                    .map(|_| AuditCursor::Before(anchor));
                page(items, next, prev)
            }
            Some(AuditCursor::Before(p)) => {
                let mut back = self.audit_walk_back(org, action, *p);
                let mut keys: Vec<LogKey> = back.by_ref().take(limit).collect();
                let earlier = back.next().is_some();
                if keys.len() < limit && !earlier {
                    let (items, next) = forward(None);
                    return page(items, next, None);
                }
                keys.reverse();
                let items: Vec<(&AuditEvent, LogPosition)> = keys
                    .iter()
                    .filter_map(|k| {
                        let p = k.position();
                        self.audit.get(p.seq as usize).map(|e| (e, p))
                    })
                    .collect();
                let prev = items
                    .first()
                    .filter(|_| earlier)
                    .map(|&(_, first)| AuditCursor::Before(first));
                let next = items.last().and_then(|&(_, last)| {
                    self.audit_walk(org, action, Some(last))
                        .next()
                        .map(|_| AuditCursor::After(last))
                });
                page(items, next, prev)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(ms: i64, seq: u32) -> LogPosition {
        LogPosition {
            at: Timestamp::from_millis(ms),
            seq,
        }
    }

    #[test]
    fn an_audit_cursor_reads_back_what_it_wrote() {
        for c in [
            AuditCursor::After(pos(1_795_600_800_000, 7)),
            AuditCursor::Before(pos(-5, 0)),
            AuditCursor::After(pos(i64::MIN, u32::MAX)),
        ] {
            assert_eq!(AuditCursor::decode(&c.encode()), Ok(c), "{c:?}");
        }
        assert_eq!(AuditCursor::After(pos(12, 3)).encode(), "La.12.3");
    }

    #[test]
    fn a_damaged_or_foreign_audit_cursor_is_invalid_with_the_field_cursor() {
        for bad in [
            "",
            "La",
            "La.12",
            "La.12.",
            "La.12.x",
            "La.12.3.4",
            "Lc.12.3",
            "1a.12.7231",
            "La.+12.3",
            "La.012.3",
            "La.-0.3",
            "La.12.03",
            "La.12.-3",
            "La.12.4294967296",
            "La.99999999999999999999.3",
        ] {
            assert_eq!(
                AuditCursor::decode(bad),
                Err(DomainError::Invalid { field: "cursor" }),
                "{bad:?}"
            );
        }
    }

    proptest::proptest! {
        /// Every text the documented pattern admits decodes, and reads back as written.
        #[test]
        fn every_text_of_the_documented_audit_pattern_is_a_cursor(
            text in proptest::string::string_regex(
                AUDIT_CURSOR_PATTERN.trim_start_matches('^').trim_end_matches('$'),
            )
            .expect("a regex proptest reads"),
        ) {
            // The pattern admits 9-digit positions; u32 holds them all.
            let c = AuditCursor::decode(&text);
            proptest::prop_assert!(c.is_ok(), "{text:?}");
            proptest::prop_assert_eq!(c.map(|c| c.encode()).ok(), Some(text));
        }
    }
}
