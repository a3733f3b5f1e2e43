//! `World`: the whole state of SPEC §2, its private indexes, the loading methods for seeds and
//! snapshots, and every command of SPEC §3.
//!
//! This file holds the struct, its indexes and the lookups every concern shares; each concern
//! is an `impl World` block of its own:
//! - `reading`: the directory, targets, requests (unfiltered), shares, agreements, covers;
//! - `loading`: `add_*`, `snapshot` / `from_snapshot`;
//! - `requests`: arrival (L1), the patient's preference (V2), closing and reopening (A4, A5);
//! - `assignment`: who may be assigned (A2), the consent step (A3), `assign_request`;
//! - `sharing`: S1–S7; `agreements`: D1–D3; `covers`: C1, C2 and their loss (S6).
//!
//! Invariants kept here (and checked by `from_snapshot`):
//! - every reference (organisation, user, group, patient, target, share, agreement) resolves;
//! - group and user ids share one namespace, without the reserved folder ids;
//! - at most one share per (target, partner) (S2) and one agreement per pair (D1);
//! - each request's `involved` is sorted, holds its origin and every holder, and only grows;
//! - covers name only folders their user may cover (C1, S6);
//! - event ids are unique.
//!
//! Every command validates everything first and only then applies, so a refusal leaves the
//! `World` exactly as it was.

use std::collections::HashMap;
use std::sync::Arc;

use imbl::{HashMap as PHashMap, HashSet as PHashSet, OrdMap, Vector};

use crate::audit::AuditEvent;
use crate::error::DomainError;
use crate::folders::FolderId;
use crate::ids::{AgreementId, EventId, PatientId, RequestId, ShareId, TargetId, UserId};
use crate::model::{
    Agreement, Assignee, Group, Organisation, Patient, Request, Role, Share, ShareState,
    TargetInfo, TargetKind, User,
};
use crate::ods::OdsCode;

mod agreements;
mod assignment;
mod covers;
mod delta;
pub(crate) use delta::Changes;
pub use delta::Delta;
mod live;
pub use live::{LiveEvent, Notice, Touched};
mod loading;
mod reading;
mod requests;
mod sharing;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// "No target": the request is in an inbox.
pub(crate) const NO_TARGET: u32 = u32::MAX;

/// The longest agreement reference and override reason accepted, in code points.
pub const MAX_TEXT: usize = 1000;

/// How many involved organisations a `Row` holds itself.
const FEW: usize = 2;

/// The compact per-request record the visibility filter reads: 32 bytes, no pointers, so that
/// filtering a million requests is a linear scan of one array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    /// Bit `o % 64` set for every organisation `o` in involved(R): a fast negative test.
    pub(crate) mask: u64,
    /// The assignee's target index, or `NO_TARGET` for an inbox.
    pub(crate) target: u32,
    pub(crate) patient: u32,
    /// holder(R) as an organisation index.
    pub(crate) holder: u32,
    /// involved(R) itself when it has at most `FEW` organisations (most requests), sorted, so
    /// the exact test after a mask hit reads no other memory; `few_len` is then its length,
    /// else `u8::MAX` (read the request's involved list).
    pub(crate) few: [u32; FEW],
    pub(crate) few_len: u8,
    pub(crate) open: bool,
}

impl Row {
    /// A row with the involved organisations `involved` (sorted).
    pub(crate) fn new(involved: &[u32], target: u32, patient: u32, holder: u32, open: bool) -> Row {
        let mut row = Row {
            mask: 0,
            target,
            patient,
            holder,
            few: [NO_TARGET; FEW],
            few_len: 0,
            open,
        };
        row.set_involved(involved);
        row
    }

    /// Records involved(R) (sorted) in the mask and, when short, in the row itself.
    pub(crate) fn set_involved(&mut self, involved: &[u32]) {
        self.mask = involved.iter().fold(0u64, |m, &o| m | 1u64 << (o % 64));
        if involved.len() <= FEW {
            self.few = [NO_TARGET; FEW];
            self.few[..involved.len()].copy_from_slice(involved);
            self.few_len = involved.len() as u8;
        } else {
            self.few_len = u8::MAX;
        }
    }

    /// V1: `o` is in involved(R); `all` (the whole list) is read only when the row does not
    /// hold it.
    #[inline]
    pub(crate) fn involves<'a>(&self, o: u32, all: impl FnOnce() -> &'a [u32]) -> bool {
        if self.mask & (1u64 << (o % 64)) == 0 {
            return false;
        }
        match self.few.get(..self.few_len as usize) {
            Some(few) => few.contains(&o),
            None => all().binary_search(&o).is_ok(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TargetSlot {
    pub(crate) id: TargetId,
    pub(crate) kind: TargetKind,
    pub(crate) owner: u32,
    /// Index into `users` or `groups`, by `kind`.
    pub(crate) entity: u32,
}

/// The user's covers as stored in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Covers {
    pub user: UserId,
    pub folders: Vec<FolderId>,
}

/// The whole state as plain data: what the server persists. `World::from_snapshot` checks it
/// and rebuilds the indexes; `World::snapshot` of the result gives it back equal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Snapshot {
    pub organisations: Vec<Organisation>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub patients: Vec<Patient>,
    pub shares: Vec<Share>,
    pub agreements: Vec<Agreement>,
    pub requests: Vec<Request>,
    pub covers: Vec<Covers>,
    pub audit: Vec<AuditEvent>,
}

/// The state of the product and the only way to change it. See the module docs for its
/// invariants.
///
/// Copying a `World` is cheap whatever its size (issue 13): what only loading changes (the
/// directory, users, groups, targets and their indexes) sits behind an `Arc`, copied by the
/// loading methods only when shared (`Arc::make_mut`); everything a command changes is a
/// persistent collection of `imbl` (a vector or map that shares its structure with its
/// copies, so changing one entry copies a path of a few small nodes, not the collection).
/// `changes` records what the commands since the last [`World::take_delta`] touched.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub(crate) orgs: Arc<Vec<Organisation>>,
    pub(crate) org_ix: Arc<HashMap<OdsCode, u32>>,
    pub(crate) users: Arc<Vec<User>>,
    pub(crate) user_ix: Arc<HashMap<UserId, u32>>,
    pub(crate) groups: Arc<Vec<Group>>,
    pub(crate) targets: Arc<Vec<TargetSlot>>,
    pub(crate) target_ix: Arc<HashMap<TargetId, u32>>,
    pub(crate) patients: Vector<Patient>,
    pub(crate) patient_ix: PHashMap<PatientId, u32>,
    /// Bit per patient: preference is `share` (read live by V2).
    pub(crate) patient_share: Bits,
    pub(crate) requests: Vector<Request>,
    pub(crate) request_ix: PHashMap<RequestId, u32>,
    pub(crate) rows: Vector<Row>,
    /// involved(R) as sorted organisation indexes, parallel to `requests`.
    pub(crate) involved: Vector<Vec<u32>>,
    pub(crate) shares: OrdMap<ShareId, Share>,
    /// (target, partner) → share (S2); ordered, so a target's partners are one range.
    pub(crate) share_pair: OrdMap<(u32, u32), ShareId>,
    /// Per organisation, a bitset over targets: an enabled, unrestricted share of the target
    /// with that organisation exists (V2). Vectors grow on demand; a missing word is zero.
    pub(crate) v2: Vector<Vec<u64>>,
    pub(crate) agreements: OrdMap<AgreementId, Agreement>,
    /// (lower org index, higher org index) → agreement (D1).
    pub(crate) agreement_pair: PHashMap<(u32, u32), AgreementId>,
    pub(crate) covers: OrdMap<UserId, Vec<FolderId>>,
    pub(crate) audit: Vector<AuditEvent>,
    pub(crate) event_ids: PHashSet<EventId>,
    /// What changed since the last `take_delta` (the dirty log).
    pub(crate) changes: Changes,
    /// (target, request) for every request assigned to a target, and (patient, request) for
    /// every request: the requests a share or a patient's preference can bring into or out of
    /// sight (live updates, E1), found without a scan. Persistent sets, so copying the state
    /// stays cheap.
    pub(crate) by_target: imbl::OrdSet<(u32, u32)>,
    pub(crate) by_patient: imbl::OrdSet<(u32, u32)>,
    /// Ordered indexes of the paged request lists (`crate::pages`).
    pub(crate) pages: crate::pages::PageIndex,
    /// Ordered per-organisation indexes of the audit log (`crate::audit_pages`).
    pub(crate) audit_ix: crate::audit_pages::AuditIndex,
}

/// A bitset in a persistent vector of words: copied in O(1), a missing word is zero.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bits(Vector<u64>);

impl Bits {
    /// The words, copied out (for a scan that reads many bits).
    pub(crate) fn words(&self) -> Vec<u64> {
        self.0.iter().copied().collect()
    }

    pub(crate) fn get(&self, i: u32) -> bool {
        self.0
            .get((i / 64) as usize)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    pub(crate) fn set(&mut self, i: u32, on: bool) {
        let w = (i / 64) as usize;
        while self.0.len() <= w {
            if !on {
                return;
            }
            self.0.push_back(0);
        }
        if let Some(word) = self.0.get_mut(w) {
            if on {
                *word |= 1u64 << (i % 64);
            } else {
                *word &= !(1u64 << (i % 64));
            }
        }
    }
}

pub(crate) fn bit(words: &[u64], i: u32) -> bool {
    words
        .get((i / 64) as usize)
        .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
}

fn set_bit(words: &mut Vec<u64>, i: u32, on: bool) {
    let w = (i / 64) as usize;
    if words.len() <= w {
        if !on {
            return;
        }
        words.resize(w + 1, 0);
    }
    if on {
        words[w] |= 1u64 << (i % 64);
    } else {
        words[w] &= !(1u64 << (i % 64));
    }
}

fn ix(n: usize) -> u32 {
    // Indexes are u32 by design (interning); more than 4 billion entities is out of scope.
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl World {
    /// An empty world.
    pub fn new() -> World {
        World::default()
    }

    // -----------------------------------------------------------------------------------------
    // Lookups used across the crate
    // -----------------------------------------------------------------------------------------
    pub(crate) fn org_of(&self, code: &OdsCode) -> Option<u32> {
        self.org_ix.get(code).copied()
    }

    pub(crate) fn org_code(&self, o: u32) -> &OdsCode {
        &self.orgs[o as usize].ods_code
    }

    pub(crate) fn org_label(&self, o: u32) -> String {
        let org = &self.orgs[o as usize];
        format!("{} ({})", org.name, org.ods_code)
    }

    pub(crate) fn target_name(&self, t: u32) -> &str {
        let slot = &self.targets[t as usize];
        match slot.kind {
            TargetKind::Group => &self.groups[slot.entity as usize].name,
            TargetKind::Colleague => &self.users[slot.entity as usize].name,
        }
    }

    pub(crate) fn target_active(&self, t: u32) -> bool {
        let slot = &self.targets[t as usize];
        match slot.kind {
            TargetKind::Group => true,
            TargetKind::Colleague => self.users[slot.entity as usize].active,
        }
    }

    pub(crate) fn target_info_ix(&self, t: u32) -> TargetInfo {
        let slot = &self.targets[t as usize];
        TargetInfo {
            id: slot.id.clone(),
            kind: slot.kind,
            name: self.target_name(t).to_owned(),
            owner: self.org_code(slot.owner).clone(),
            active: self.target_active(t),
        }
    }

    pub(crate) fn assignee_label(&self, a: &Assignee) -> String {
        match a {
            Assignee::Inbox(code) => match self.org_of(code) {
                Some(o) => format!("the inbox of {}", self.org_label(o)),
                None => format!("the inbox of {code}"),
            },
            Assignee::Target(id) => match self.target_ix.get(id) {
                Some(&t) => {
                    let owner = self.targets[t as usize].owner;
                    format!("{} ({})", self.target_name(t), self.org_label(owner))
                }
                None => id.to_string(),
            },
        }
    }

    /// The acting user and their organisation; unknown or inactive users may do nothing.
    pub(crate) fn actor(&self, id: &UserId) -> Result<(u32, u32), DomainError> {
        let u = *self.user_ix.get(id).ok_or(DomainError::Forbidden)?;
        let user = &self.users[u as usize];
        if !user.active {
            return Err(DomainError::Forbidden);
        }
        let o = self.org_of(&user.ods_code).ok_or(DomainError::Forbidden)?;
        Ok((u, o))
    }

    fn admin(&self, id: &UserId) -> Result<(u32, u32), DomainError> {
        let (u, o) = self.actor(id)?;
        if self.users[u as usize].role != Role::Admin {
            return Err(DomainError::Forbidden);
        }
        Ok((u, o))
    }

    fn fresh_event(&self, id: &EventId) -> Result<(), DomainError> {
        if self.event_ids.contains(id) {
            return Err(DomainError::Invalid { field: "event_id" });
        }
        Ok(())
    }

    fn push_event(&mut self, event: AuditEvent) -> Vec<AuditEvent> {
        self.event_ids.insert(event.id.clone());
        self.audit.push_back(event.clone());
        self.index_audit_event(self.audit.len() - 1);
        vec![event]
    }

    fn set_v2(&mut self, target: u32, partner: u32, on: bool) {
        // Only a real change copies the path to the partner's bitset.
        if self
            .v2
            .get(partner as usize)
            .is_some_and(|words| bit(words, target) != on)
        {
            if let Some(words) = self.v2.get_mut(partner as usize) {
                set_bit(words, target, on);
            }
        }
    }

    fn refresh_share_index(&mut self, id: &ShareId) {
        let Some(share) = self.shares.get(id) else {
            return;
        };
        let on = share.state == ShareState::Enabled && !share.restricted;
        let key = (
            self.target_ix.get(&share.target).copied(),
            self.org_of(&share.partner),
        );
        if let (Some(t), Some(p)) = key {
            self.set_v2(t, p, on);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(code: &str) -> Organisation {
        Organisation {
            ods_code: OdsCode::parse(code).expect("valid code"),
            name: format!("Organisation {code}"),
            kind: "gp_practice".into(),
            postcode: "TS1 1AA".into(),
            active: true,
        }
    }

    #[test]
    fn a_snapshot_without_the_last_organisations_gives_back_the_whole_once_they_are_appended() {
        let mut w = World::new();
        for code in ["A81001", "A81002", "U12345", "FA123"] {
            w.add_organisation(org(code)).expect("new code");
        }
        let mut part = w.snapshot_with_organisations(2);
        let codes: Vec<&str> = part
            .organisations
            .iter()
            .map(|o| o.ods_code.as_str())
            .collect();
        assert_eq!(codes, ["A81001", "A81002"]);
        part.organisations
            .extend(w.organisations()[2..].iter().cloned());
        assert_eq!(part, w.snapshot());
        let back = World::from_snapshot(part).expect("valid snapshot");
        assert_eq!(back.snapshot(), w.snapshot());
        assert_eq!(w.snapshot_with_organisations(99), w.snapshot());
    }
}
