//! `World`: the whole state of SPEC §2, its private indexes, the loading methods for seeds and
//! snapshots, and every command of SPEC §3.
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

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::folders::FolderId;
use crate::ids::{
    AgreementId, EventId, GroupId, PatientId, RequestId, ShareId, TargetId, UserId, RESERVED_IDS,
};
use crate::model::{
    Agreement, Answer, Assignee, Group, HistoryAction, HistoryEvent, NewRequest, Organisation,
    Override, Patient, Request, RequestStatus, Role, Share, ShareState, Sharing, TargetInfo,
    TargetKind, User,
};
use crate::ods::OdsCode;
use crate::time::{parse_date, Timestamp};
use crate::visibility::Consent;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// "No target": the request is in an inbox.
pub(crate) const NO_TARGET: u32 = u32::MAX;

/// The longest agreement reference and override reason accepted, in code points.
pub const MAX_TEXT: usize = 1000;

/// The compact per-request record the visibility filter reads: 24 bytes, no pointers, so that
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
    pub(crate) open: bool,
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
#[derive(Debug, Clone, Default)]
pub struct World {
    pub(crate) orgs: Vec<Organisation>,
    pub(crate) org_ix: HashMap<OdsCode, u32>,
    pub(crate) users: Vec<User>,
    pub(crate) user_ix: HashMap<UserId, u32>,
    pub(crate) groups: Vec<Group>,
    pub(crate) targets: Vec<TargetSlot>,
    pub(crate) target_ix: HashMap<TargetId, u32>,
    pub(crate) patients: Vec<Patient>,
    pub(crate) patient_ix: HashMap<PatientId, u32>,
    /// Bit per patient: preference is `share` (read live by V2).
    pub(crate) patient_share: Vec<u64>,
    pub(crate) requests: Vec<Request>,
    pub(crate) request_ix: HashMap<RequestId, u32>,
    pub(crate) rows: Vec<Row>,
    /// involved(R) as sorted organisation indexes, parallel to `requests`.
    pub(crate) involved: Vec<Vec<u32>>,
    pub(crate) shares: BTreeMap<ShareId, Share>,
    /// (target, partner) → share (S2).
    pub(crate) share_pair: HashMap<(u32, u32), ShareId>,
    /// Per organisation, a bitset over targets: an enabled, unrestricted share of the target
    /// with that organisation exists (V2). Vectors grow on demand; a missing word is zero.
    pub(crate) v2: Vec<Vec<u64>>,
    pub(crate) agreements: BTreeMap<AgreementId, Agreement>,
    /// (lower org index, higher org index) → agreement (D1).
    pub(crate) agreement_pair: HashMap<(u32, u32), AgreementId>,
    pub(crate) covers: BTreeMap<UserId, Vec<FolderId>>,
    pub(crate) audit: Vec<AuditEvent>,
    pub(crate) event_ids: HashSet<EventId>,
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

/// Checks an override reason (A3): 10–1000 code points after trimming.
pub(crate) fn check_reason(reason: Option<&str>) -> Result<String, DomainError> {
    let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
        return Err(DomainError::ConsentOverrideRequired);
    };
    let n = reason.trim().chars().count();
    if !(10..=MAX_TEXT).contains(&n) {
        return Err(DomainError::InvalidOverrideReason);
    }
    Ok(reason.to_owned())
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
        self.audit.push(event.clone());
        vec![event]
    }

    fn set_v2(&mut self, target: u32, partner: u32, on: bool) {
        if let Some(words) = self.v2.get_mut(partner as usize) {
            set_bit(words, target, on);
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

    /// S6: when a share leaves `enabled`, the partner's users lose their covers of its target.
    /// Returns how many users lost a cover.
    fn drop_covers(&mut self, target: &TargetId, partner: &OdsCode) -> usize {
        let folder = FolderId::Target(target.clone());
        let mut dropped = 0;
        for user in self.users.iter().filter(|u| &u.ods_code == partner) {
            if let Some(list) = self.covers.get_mut(&user.id) {
                let before = list.len();
                list.retain(|f| f != &folder);
                if list.len() != before {
                    dropped += 1;
                }
            }
        }
        self.covers.retain(|_, list| !list.is_empty());
        dropped
    }

    // -----------------------------------------------------------------------------------------
    // Reading
    // -----------------------------------------------------------------------------------------

    /// An organisation by code (any organisation: the directory is public).
    pub fn organisation(&self, code: &OdsCode) -> Option<&Organisation> {
        self.org_of(code).map(|o| &self.orgs[o as usize])
    }

    /// Every organisation, in load order.
    pub fn organisations(&self) -> &[Organisation] {
        &self.orgs
    }

    /// A user by id.
    pub fn user(&self, id: &UserId) -> Option<&User> {
        self.user_ix.get(id).map(|&u| &self.users[u as usize])
    }

    /// Every user, in load order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// A group by id.
    pub fn group(&self, id: &GroupId) -> Option<&Group> {
        self.target_ix
            .get(&TargetId::new(id.as_str()))
            .and_then(|&t| {
                let slot = &self.targets[t as usize];
                (slot.kind == TargetKind::Group).then(|| &self.groups[slot.entity as usize])
            })
    }

    /// A patient by id.
    pub fn patient(&self, id: &PatientId) -> Option<&Patient> {
        self.patient_ix.get(id).map(|&p| &self.patients[p as usize])
    }

    /// Every patient, in load order.
    pub fn patients(&self) -> &[Patient] {
        &self.patients
    }

    /// A target (group or colleague) by id, whoever owns it. The server must not reveal
    /// another organisation's target unless a share makes it visible; see `targets_of` and
    /// `external_for`.
    pub fn target(&self, id: &TargetId) -> Option<TargetInfo> {
        self.target_ix.get(id).map(|&t| self.target_info_ix(t))
    }

    /// A request by id, unfiltered: for the server's own bookkeeping only. Answers to users go
    /// through `request_for` (V4).
    pub fn request(&self, id: &RequestId) -> Option<&Request> {
        self.request_ix.get(id).map(|&r| &self.requests[r as usize])
    }

    /// Every request, unfiltered, in arrival order.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    /// holder(R): the organisation of the current assignee (SPEC §2).
    pub fn holder<'a>(&'a self, request: &'a Request) -> Option<&'a OdsCode> {
        match &request.assignee {
            Assignee::Inbox(code) => Some(code),
            Assignee::Target(id) => self
                .target_ix
                .get(id)
                .map(|&t| self.org_code(self.targets[t as usize].owner)),
        }
    }

    /// A share as `org` may see it: only its owner and its partner know it exists (S4, R1).
    pub fn share_for(&self, id: &ShareId, org: &OdsCode) -> Option<&Share> {
        self.shares
            .get(id)
            .filter(|s| &s.owner == org || &s.partner == org)
    }

    /// An agreement as `org` may see it: only its two parties know it exists (R1).
    pub fn agreement_for(&self, id: &AgreementId, org: &OdsCode) -> Option<&Agreement> {
        self.agreements.get(id).filter(|a| a.is_party(org))
    }

    /// The agreement between two organisations, if any (D1: at most one per pair).
    pub fn agreement_between(&self, a: &OdsCode, b: &OdsCode) -> Option<&Agreement> {
        let (a, b) = (self.org_of(a)?, self.org_of(b)?);
        let id = self.agreement_pair.get(&(a.min(b), a.max(b)))?;
        self.agreements.get(id)
    }

    /// `org`'s own groups and colleagues with their shares (API `GET /api/targets`): groups
    /// by name, then colleagues by name; shares by partner name.
    pub fn targets_of(&self, org: &OdsCode) -> Vec<(TargetInfo, Vec<&Share>)> {
        let Some(o) = self.org_of(org) else {
            return Vec::new();
        };
        let mut out: Vec<(TargetInfo, Vec<&Share>)> = self
            .targets
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.owner == o)
            .map(|(t, slot)| {
                let mut shares: Vec<&Share> = self
                    .shares
                    .values()
                    .filter(|s| s.target == slot.id)
                    .collect();
                shares.sort_by(|a, b| {
                    self.org_sort_key(&a.partner)
                        .cmp(&self.org_sort_key(&b.partner))
                });
                (self.target_info_ix(ix(t)), shares)
            })
            .collect();
        out.sort_by(|(a, _), (b, _)| {
            (a.kind == TargetKind::Colleague, &a.name, &a.id).cmp(&(
                b.kind == TargetKind::Colleague,
                &b.name,
                &b.id,
            ))
        });
        out
    }

    pub(crate) fn org_sort_key<'a>(&'a self, code: &'a OdsCode) -> (&'a str, &'a OdsCode) {
        (
            self.organisation(code).map_or("", |o| o.name.as_str()),
            code,
        )
    }

    /// Shares of other organisations' targets with `org`, in every state (API
    /// `GET /api/external`): by owner name, then target name.
    pub fn external_for(&self, org: &OdsCode) -> Vec<&Share> {
        let mut out: Vec<&Share> = self.shares.values().filter(|s| &s.partner == org).collect();
        out.sort_by(|a, b| {
            let ka = (
                self.org_sort_key(&a.owner),
                self.target(&a.target).map(|t| t.name),
            );
            let kb = (
                self.org_sort_key(&b.owner),
                self.target(&b.target).map(|t| t.name),
            );
            ka.cmp(&kb)
        });
        out
    }

    /// The agreements `org` is a party to, newest first.
    pub fn agreements_for(&self, org: &OdsCode) -> Vec<&Agreement> {
        let mut out: Vec<&Agreement> = self
            .agreements
            .values()
            .filter(|a| a.is_party(org))
            .collect();
        out.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    /// The folders `user` covers (C2), sorted.
    pub fn covers(&self, user: &UserId) -> &[FolderId] {
        self.covers.get(user).map_or(&[], |v| v.as_slice())
    }

    // -----------------------------------------------------------------------------------------
    // Loading (seeds and snapshots)
    // -----------------------------------------------------------------------------------------

    /// Adds an organisation; a second one with the same code is refused.
    pub fn add_organisation(&mut self, org: Organisation) -> Result<(), DomainError> {
        if self.org_ix.contains_key(&org.ods_code) {
            return Err(DomainError::Invalid { field: "ods_code" });
        }
        if org.name.trim().is_empty() {
            return Err(DomainError::Invalid { field: "name" });
        }
        self.org_ix
            .insert(org.ods_code.clone(), ix(self.orgs.len()));
        self.orgs.push(org);
        self.v2.push(Vec::new());
        Ok(())
    }

    fn check_target_id(&self, id: &str) -> Result<(), DomainError> {
        if id.is_empty()
            || RESERVED_IDS.contains(&id)
            || self.target_ix.contains_key(&TargetId::new(id))
        {
            return Err(DomainError::Invalid { field: "id" });
        }
        Ok(())
    }

    /// Registers a group or colleague in the shared target namespace and its index.
    fn push_target(&mut self, id: TargetId, kind: TargetKind, owner: u32, entity: u32) {
        let t = ix(self.targets.len());
        self.target_ix.insert(id.clone(), t);
        self.targets.push(TargetSlot {
            id,
            kind,
            owner,
            entity,
        });
    }

    /// Adds a user (a colleague target) of a known organisation. Group and user ids share one
    /// namespace.
    pub fn add_user(&mut self, user: User) -> Result<(), DomainError> {
        self.check_target_id(user.id.as_str())?;
        let owner = self.org_of(&user.ods_code).ok_or(DomainError::NotFound)?;
        if user.name.trim().is_empty() {
            return Err(DomainError::Invalid { field: "name" });
        }
        let u = ix(self.users.len());
        self.push_target(TargetId::from(&user.id), TargetKind::Colleague, owner, u);
        self.user_ix.insert(user.id.clone(), u);
        self.users.push(user);
        Ok(())
    }

    /// Adds a group of a known organisation.
    pub fn add_group(&mut self, group: Group) -> Result<(), DomainError> {
        self.check_target_id(group.id.as_str())?;
        let owner = self.org_of(&group.ods_code).ok_or(DomainError::NotFound)?;
        if group.name.trim().is_empty() {
            return Err(DomainError::Invalid { field: "name" });
        }
        let g = ix(self.groups.len());
        self.push_target(TargetId::from(&group.id), TargetKind::Group, owner, g);
        self.groups.push(group);
        Ok(())
    }

    /// Adds a patient; the date of birth must be a real `YYYY-MM-DD` date.
    pub fn add_patient(&mut self, patient: Patient) -> Result<(), DomainError> {
        if self.patient_ix.contains_key(&patient.id) {
            return Err(DomainError::Invalid { field: "id" });
        }
        parse_date(&patient.date_of_birth)?;
        let p = ix(self.patients.len());
        set_bit(
            &mut self.patient_share,
            p,
            patient.sharing == Sharing::Share,
        );
        self.patient_ix.insert(patient.id.clone(), p);
        self.patients.push(patient);
        Ok(())
    }

    /// Adds a share in a given state (seeds): the owner must own the target, the partner must
    /// be another known organisation, and the pair must be new (S2, S3). Inactive partners are
    /// accepted here because an organisation may close after it was shared with.
    pub fn add_share_seeded(&mut self, share: Share) -> Result<(), DomainError> {
        if self.shares.contains_key(&share.id) {
            return Err(DomainError::Invalid { field: "share_id" });
        }
        let t = *self
            .target_ix
            .get(&share.target)
            .ok_or(DomainError::NotFound)?;
        let p = self
            .org_of(&share.partner)
            .ok_or(DomainError::PartnerNotAvailable)?;
        let owner = self.targets[t as usize].owner;
        if self.org_code(owner) != &share.owner {
            return Err(DomainError::Invalid { field: "owner" });
        }
        if p == owner {
            return Err(DomainError::PartnerNotAvailable);
        }
        if self.share_pair.contains_key(&(t, p)) {
            return Err(DomainError::AlreadyShared);
        }
        let id = share.id.clone();
        self.share_pair.insert((t, p), id.clone());
        self.shares.insert(id.clone(), share);
        self.refresh_share_index(&id);
        Ok(())
    }

    /// Adds an agreement with its answers (seeds, snapshots): two distinct known parties, at
    /// most one per pair (D1).
    pub fn add_agreement_seeded(&mut self, agreement: Agreement) -> Result<(), DomainError> {
        if self.agreements.contains_key(&agreement.id) {
            return Err(DomainError::Invalid {
                field: "agreement_id",
            });
        }
        let a = self
            .org_of(&agreement.proposer)
            .ok_or(DomainError::NotFound)?;
        let b = self
            .org_of(&agreement.partner)
            .ok_or(DomainError::PartnerNotAvailable)?;
        if a == b {
            return Err(DomainError::PartnerNotAvailable);
        }
        if agreement.reference.trim().is_empty() {
            return Err(DomainError::Invalid { field: "reference" });
        }
        let key = (a.min(b), a.max(b));
        if self.agreement_pair.contains_key(&key) {
            return Err(DomainError::AgreementExists);
        }
        self.agreement_pair.insert(key, agreement.id.clone());
        self.agreements.insert(agreement.id.clone(), agreement);
        Ok(())
    }

    /// Sets a user's covers without an audit event (seeds): the same checks as `set_covers`.
    pub fn seed_covers(&mut self, user: &UserId, folders: &[FolderId]) -> Result<(), DomainError> {
        let list = self.checked_covers(user, folders)?;
        if list.is_empty() {
            self.covers.remove(user);
        } else {
            self.covers.insert(user.clone(), list);
        }
        Ok(())
    }

    fn checked_covers(
        &self,
        user: &UserId,
        folders: &[FolderId],
    ) -> Result<Vec<FolderId>, DomainError> {
        let coverable = self.coverable(user)?;
        let mut list: Vec<FolderId> = folders.to_vec();
        list.sort();
        list.dedup();
        if list.iter().any(|f| !coverable.contains(f)) {
            return Err(DomainError::TargetNotAvailable);
        }
        Ok(list)
    }

    fn insert_request(&mut self, request: Request) -> Result<(), DomainError> {
        if self.request_ix.contains_key(&request.id) {
            return Err(DomainError::Invalid {
                field: "request_id",
            });
        }
        let origin = self.org_of(&request.origin).ok_or(DomainError::NotFound)?;
        let patient = *self
            .patient_ix
            .get(&request.patient)
            .ok_or(DomainError::NotFound)?;
        let (target, holder) = match &request.assignee {
            Assignee::Inbox(code) => (NO_TARGET, self.org_of(code).ok_or(DomainError::NotFound)?),
            Assignee::Target(id) => {
                let t = *self.target_ix.get(id).ok_or(DomainError::NotFound)?;
                (t, self.targets[t as usize].owner)
            }
        };
        let mut involved = Vec::with_capacity(request.involved.len());
        for code in &request.involved {
            involved.push(self.org_of(code).ok_or(DomainError::NotFound)?);
        }
        involved.sort_unstable();
        involved.dedup();
        let sorted = request.involved.windows(2).all(|w| w[0] < w[1]);
        if !sorted
            || involved.binary_search(&origin).is_err()
            || involved.binary_search(&holder).is_err()
            || request.version == 0
            || request.history.is_empty()
        {
            return Err(DomainError::Invalid { field: "request" });
        }
        let mask = involved.iter().fold(0u64, |m, &o| m | 1u64 << (o % 64));
        self.rows.push(Row {
            mask,
            target,
            patient,
            holder,
            open: request.status == RequestStatus::Open,
        });
        self.involved.push(involved);
        for e in &request.history {
            self.event_ids.insert(e.id.clone());
        }
        self.request_ix
            .insert(request.id.clone(), ix(self.requests.len()));
        self.requests.push(request);
        Ok(())
    }

    /// The whole state as plain data.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_with_organisations(self.orgs.len())
    }

    /// The state as plain data with only the first `count` organisations (in load order), for
    /// a caller that re-creates the rest itself before `from_snapshot`: the server regenerates
    /// its synthetic directory from the seed instead of writing 20 000 organisations on every
    /// change. Appending the left-out organisations, in order, gives back `snapshot()`.
    pub fn snapshot_with_organisations(&self, count: usize) -> Snapshot {
        Snapshot {
            organisations: self.orgs[..count.min(self.orgs.len())].to_vec(),
            users: self.users.clone(),
            groups: self.groups.clone(),
            patients: self.patients.clone(),
            shares: self.shares.values().cloned().collect(),
            agreements: self.agreements.values().cloned().collect(),
            requests: self.requests.clone(),
            covers: self
                .covers
                .iter()
                .map(|(user, folders)| Covers {
                    user: user.clone(),
                    folders: folders.clone(),
                })
                .collect(),
            audit: self.audit.clone(),
        }
    }

    /// Checks a snapshot and rebuilds the indexes. Users and groups are added in snapshot
    /// order; a reference that does not resolve, a duplicate id or a broken invariant refuses
    /// the whole snapshot.
    pub fn from_snapshot(s: Snapshot) -> Result<World, DomainError> {
        let mut w = World::new();
        for o in s.organisations {
            w.add_organisation(o)?;
        }
        for u in s.users {
            w.add_user(u)?;
        }
        for g in s.groups {
            w.add_group(g)?;
        }
        for p in s.patients {
            w.add_patient(p)?;
        }
        for sh in s.shares {
            w.add_share_seeded(sh)?;
        }
        for a in s.agreements {
            w.add_agreement_seeded(a)?;
        }
        for r in s.requests {
            w.insert_request(r)?;
        }
        for c in s.covers {
            w.seed_covers(&c.user, &c.folders)?;
        }
        let mut seen = HashSet::new();
        for e in s.audit {
            if !seen.insert(e.id.clone()) || w.org_of(&e.ods_code).is_none() {
                return Err(DomainError::Invalid { field: "audit" });
            }
            w.event_ids.insert(e.id.clone());
            w.audit.push(e);
        }
        Ok(w)
    }

    // -----------------------------------------------------------------------------------------
    // Commands: requests (L1, A1–A6, V2)
    // -----------------------------------------------------------------------------------------

    /// L1: a patient request arrives at `origin`, unassigned in its inbox, version 1.
    pub fn receive_request(
        &mut self,
        new: NewRequest,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        if self.request_ix.contains_key(&new.id) || new.id.as_str().is_empty() {
            return Err(DomainError::Invalid { field: "id" });
        }
        if new.subject.trim().is_empty() {
            return Err(DomainError::Invalid { field: "subject" });
        }
        self.fresh_event(&event_id)?;
        let origin = self.org_of(&new.origin).ok_or(DomainError::NotFound)?;
        if !self.patient_ix.contains_key(&new.patient) {
            return Err(DomainError::NotFound);
        }
        let history = vec![HistoryEvent {
            id: event_id.clone(),
            at: now,
            action: HistoryAction::Received,
            user: None,
            ods_code: new.origin.clone(),
            from: None,
            to: Some(Assignee::Inbox(new.origin.clone())),
            consent_override: Override::None,
        }];
        let detail = format!(
            "Request {} ({}) received by {}.",
            new.id,
            new.subject.trim(),
            self.org_label(origin)
        );
        let request = Request {
            id: new.id.clone(),
            origin: new.origin.clone(),
            patient: new.patient,
            received_at: now,
            kind: new.kind,
            subject: new.subject,
            message: new.message,
            status: RequestStatus::Open,
            assignee: Assignee::Inbox(new.origin.clone()),
            version: 1,
            involved: vec![new.origin.clone()],
            history,
        };
        self.insert_request(request)?;
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: None,
            ods_code: new.origin,
            action: AuditAction::RequestReceived,
            subject_id: new.id.to_string(),
            detail,
            parties: Vec::new(),
        }))
    }

    /// V2: the patient changes their preference; it takes effect at once (read live). Not an
    /// audited change in L1.
    pub fn set_patient_sharing(
        &mut self,
        patient: &PatientId,
        sharing: Sharing,
    ) -> Result<(), DomainError> {
        let p = *self.patient_ix.get(patient).ok_or(DomainError::NotFound)?;
        self.patients[p as usize].sharing = sharing;
        set_bit(&mut self.patient_share, p, sharing == Sharing::Share);
        Ok(())
    }

    /// The request at index `r` if `o` sees it (V1–V4), else `NotFound` as for an unknown id.
    fn visible_ix(&self, id: &RequestId, o: u32) -> Result<usize, DomainError> {
        let r = *self.request_ix.get(id).ok_or(DomainError::NotFound)? as usize;
        if self.sees_ix(r, o).is_none() {
            return Err(DomainError::NotFound);
        }
        Ok(r)
    }

    /// A2: may organisation `o` assign to target `t`? Its own groups and active colleagues, or
    /// a target shared with it by an enabled share (S6).
    pub(crate) fn can_assign_to(&self, o: u32, t: u32) -> bool {
        if !self.target_active(t) {
            return false;
        }
        let owner = self.targets[t as usize].owner;
        owner == o
            || self
                .share_pair
                .get(&(t, o))
                .and_then(|id| self.shares.get(id))
                .is_some_and(|s| s.state == ShareState::Enabled)
    }

    /// A3: what consent an assignment of request `r` to target `t` needs.
    pub(crate) fn consent_ix(&self, r: usize, t: u32) -> Consent {
        let row = &self.rows[r];
        let owner = self.targets[t as usize].owner;
        if bit(&self.patient_share, row.patient) || self.involved[r].binary_search(&owner).is_ok() {
            return Consent::None;
        }
        let origin = self.org_of(&self.requests[r].origin);
        let agreement = origin
            .and_then(|a| self.agreement_pair.get(&(a.min(owner), a.max(owner))))
            .and_then(|id| self.agreements.get(id))
            .filter(|a| a.active());
        match agreement {
            Some(a) => Consent::Agreement {
                id: a.id.clone(),
                reference: a.reference.clone(),
            },
            None => Consent::Reason,
        }
    }

    fn join_involved(&mut self, r: usize, orgs: &[u32]) {
        for &o in orgs {
            if let Err(pos) = self.involved[r].binary_search(&o) {
                self.involved[r].insert(pos, o);
                self.rows[r].mask |= 1u64 << (o % 64);
                let code = self.orgs[o as usize].ods_code.clone();
                let list = &mut self.requests[r].involved;
                if let Err(p) = list.binary_search(&code) {
                    list.insert(p, code);
                }
            }
        }
    }

    /// A1–A6: assigns request `request` to `target`, based on `version`. `override_reason` is
    /// used only when A3 asks for a reason (otherwise ignored and not recorded).
    ///
    /// Checks, in API order: not visible (404), version (409 `conflict`), closed (422
    /// `invalid_status`), same assignee (`already_assigned`), target (`target_not_available`),
    /// consent (`consent_override_required`, `invalid_override_reason`).
    #[allow(clippy::too_many_arguments)]
    pub fn assign_request(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        target: &TargetId,
        version: u64,
        override_reason: Option<&str>,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o) = self.actor(actor)?;
        let r = self.visible_ix(request, o)?;
        let req = &self.requests[r];
        if req.version != version {
            return Err(DomainError::Conflict);
        }
        if req.status != RequestStatus::Open {
            return Err(DomainError::InvalidStatus);
        }
        let to = Assignee::Target(target.clone());
        if req.assignee == to {
            return Err(DomainError::AlreadyAssigned);
        }
        let t = *self
            .target_ix
            .get(target)
            .ok_or(DomainError::TargetNotAvailable)?;
        if !self.can_assign_to(o, t) {
            return Err(DomainError::TargetNotAvailable);
        }
        let consent_override = match self.consent_ix(r, t) {
            Consent::None => Override::None,
            Consent::Agreement { id, reference } => Override::Agreement {
                agreement_id: id,
                reference,
            },
            Consent::Reason => Override::Reason {
                reason: check_reason(override_reason)?,
            },
        };

        // Everything is checked: apply.
        let owner = self.targets[t as usize].owner;
        let from = self.requests[r].assignee.clone();
        let detail = {
            let mut d = format!(
                "{} assigned request {} from {} to {}.",
                self.users[u as usize].name,
                request,
                self.assignee_label(&from),
                self.assignee_label(&to)
            );
            match &consent_override {
                Override::None => {}
                Override::Reason { reason } => {
                    d.push_str(&format!(" Consent override, reason: {reason}"));
                }
                Override::Agreement {
                    agreement_id,
                    reference,
                } => {
                    d.push_str(&format!(
                        " Consent override by data sharing agreement {agreement_id} ({reference})."
                    ));
                }
            }
            d
        };
        self.join_involved(r, &[owner, o]);
        self.rows[r].target = t;
        self.rows[r].holder = owner;
        let acting = self.org_code(o).clone();
        let req = &mut self.requests[r];
        req.assignee = to.clone();
        req.version += 1;
        req.history.push(HistoryEvent {
            id: event_id.clone(),
            at: now,
            action: HistoryAction::Assigned,
            user: Some(actor.clone()),
            ods_code: acting.clone(),
            from: Some(from),
            to: Some(to),
            consent_override,
        });
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: acting,
            action: AuditAction::RequestAssigned,
            subject_id: request.to_string(),
            detail,
            parties: Vec::new(),
        }))
    }

    /// A4, A5: closes an open request the actor's organisation sees.
    pub fn close_request(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.change_status(
            actor,
            request,
            version,
            now,
            event_id,
            RequestStatus::Closed,
        )
    }

    /// A4, A5, V1: reopens a closed request the actor's organisation sees.
    pub fn reopen_request(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.change_status(actor, request, version, now, event_id, RequestStatus::Open)
    }

    fn change_status(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
        to: RequestStatus,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o) = self.actor(actor)?;
        let r = self.visible_ix(request, o)?;
        let req = &self.requests[r];
        if req.version != version {
            return Err(DomainError::Conflict);
        }
        if req.status == to {
            return Err(DomainError::InvalidStatus);
        }
        let (history_action, action, verb) = match to {
            RequestStatus::Closed => (HistoryAction::Closed, AuditAction::RequestClosed, "closed"),
            RequestStatus::Open => (
                HistoryAction::Reopened,
                AuditAction::RequestReopened,
                "reopened",
            ),
        };
        let detail = format!("{} {verb} request {request}.", self.users[u as usize].name);
        self.join_involved(r, &[o]);
        self.rows[r].open = to == RequestStatus::Open;
        let acting = self.org_code(o).clone();
        let req = &mut self.requests[r];
        req.status = to;
        req.version += 1;
        req.history.push(HistoryEvent {
            id: event_id.clone(),
            at: now,
            action: history_action,
            user: Some(actor.clone()),
            ods_code: acting.clone(),
            from: None,
            to: None,
            consent_override: Override::None,
        });
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: acting,
            action,
            subject_id: request.to_string(),
            detail,
            parties: Vec::new(),
        }))
    }

    // -----------------------------------------------------------------------------------------
    // Commands: sharing (S1–S7)
    // -----------------------------------------------------------------------------------------

    /// S1–S3: an admin of the owner shares `target` with `partner`; the new share is pending
    /// (S4). Checks: target unknown or not known to the actor's organisation (404), not the
    /// owner or not admin (403), already shared (409), Sent Externally (422
    /// `target_not_available`), own, unknown or inactive partner (422).
    #[allow(clippy::too_many_arguments)]
    pub fn share_target(
        &mut self,
        actor: &UserId,
        target: &TargetId,
        partner: &OdsCode,
        restricted: bool,
        now: Timestamp,
        share_id: ShareId,
        event_id: EventId,
    ) -> Result<(Share, Vec<AuditEvent>), DomainError> {
        self.fresh_event(&event_id)?;
        if self.shares.contains_key(&share_id) || share_id.as_str().is_empty() {
            return Err(DomainError::Invalid { field: "share_id" });
        }
        let (u, o) = self.actor(actor)?;
        if target.as_str() == "sent_externally" {
            // S3: the virtual folder is not a target. Only an admin learns this.
            self.admin(actor)?;
            return Err(DomainError::TargetNotAvailable);
        }
        let t = *self.target_ix.get(target).ok_or(DomainError::NotFound)?;
        let owner = self.targets[t as usize].owner;
        if owner != o {
            // The partner of one of its shares knows the target; anyone else does not (R1).
            return Err(if self.share_pair.contains_key(&(t, o)) {
                DomainError::Forbidden
            } else {
                DomainError::NotFound
            });
        }
        self.admin(actor)?;
        let p = self.org_of(partner);
        if let Some(p) = p {
            if self.share_pair.contains_key(&(t, p)) {
                return Err(DomainError::AlreadyShared);
            }
        }
        let p = p
            .filter(|&p| p != o && self.orgs[p as usize].active)
            .ok_or(DomainError::PartnerNotAvailable)?;
        let share = Share {
            id: share_id.clone(),
            target: target.clone(),
            owner: self.org_code(o).clone(),
            partner: partner.clone(),
            restricted,
            state: ShareState::Pending,
            created_at: now,
        };
        let detail = format!(
            "{} shared {} with {}{}.",
            self.users[u as usize].name,
            self.target_name(t),
            self.org_label(p),
            if restricted { ", restricted" } else { "" }
        );
        self.share_pair.insert((t, p), share_id.clone());
        self.shares.insert(share_id.clone(), share.clone());
        let events = self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: share.owner.clone(),
            action: AuditAction::ShareCreated,
            subject_id: share_id.to_string(),
            detail,
            parties: vec![share.owner.clone(), share.partner.clone()],
        });
        Ok((share, events))
    }

    /// The share `id` for a change by the owner's admin (S1, S5): 404 unless the actor's
    /// organisation is a party, 403 unless it is the owner and the actor an admin.
    fn owner_share(
        &self,
        actor: &UserId,
        id: &ShareId,
    ) -> Result<(u32, u32, u32, u32), DomainError> {
        let (u, o) = self.actor(actor)?;
        let share = self
            .share_for(id, self.org_code(o))
            .ok_or(DomainError::NotFound)?;
        if &share.owner != self.org_code(o) {
            return Err(DomainError::Forbidden);
        }
        self.admin(actor)?;
        let t = *self
            .target_ix
            .get(&share.target)
            .ok_or(DomainError::NotFound)?;
        let p = self.org_of(&share.partner).ok_or(DomainError::NotFound)?;
        Ok((u, o, t, p))
    }

    /// The share `id` for a change by the partner's admin (S4): 404 unless a party, 403 unless
    /// the actor is an admin of the partner.
    fn partner_share(&self, actor: &UserId, id: &ShareId) -> Result<(u32, u32, u32), DomainError> {
        let (u, o) = self.actor(actor)?;
        let share = self
            .share_for(id, self.org_code(o))
            .ok_or(DomainError::NotFound)?;
        if &share.partner != self.org_code(o) {
            return Err(DomainError::Forbidden);
        }
        self.admin(actor)?;
        let t = *self
            .target_ix
            .get(&share.target)
            .ok_or(DomainError::NotFound)?;
        Ok((u, o, t))
    }

    #[allow(clippy::too_many_arguments)]
    fn share_event(
        &mut self,
        actor: &UserId,
        o: u32,
        id: &ShareId,
        action: AuditAction,
        now: Timestamp,
        event_id: EventId,
        detail: String,
    ) -> Vec<AuditEvent> {
        let parties = self
            .shares
            .get(id)
            .map(|s| vec![s.owner.clone(), s.partner.clone()])
            .unwrap_or_default();
        self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: self.org_code(o).clone(),
            action,
            subject_id: id.to_string(),
            detail,
            parties,
        })
    }

    /// S5, V4: the owner's admin sets the restricted flag, in any state; the same value changes
    /// nothing (no event).
    pub fn set_share_restricted(
        &mut self,
        actor: &UserId,
        share: &ShareId,
        restricted: bool,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o, t, p) = self.owner_share(actor, share)?;
        let Some(current) = self.shares.get_mut(share) else {
            return Err(DomainError::NotFound);
        };
        if current.restricted == restricted {
            return Ok(Vec::new());
        }
        current.restricted = restricted;
        self.refresh_share_index(share);
        let detail = format!(
            "{} made the share of {} with {} {}.",
            self.users[u as usize].name,
            self.target_name(t),
            self.org_label(p),
            if restricted {
                "restricted"
            } else {
                "unrestricted"
            }
        );
        Ok(self.share_event(
            actor,
            o,
            share,
            AuditAction::ShareRestrictionChanged,
            now,
            event_id,
            detail,
        ))
    }

    /// S5, S7, S6: the owner's admin removes a share. No request moves; the partner's covers of
    /// the target are dropped; V2 visibility ends at once (V4).
    pub fn remove_share(
        &mut self,
        actor: &UserId,
        share: &ShareId,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o, t, p) = self.owner_share(actor, share)?;
        let detail = format!(
            "{} removed the share of {} with {}.",
            self.users[u as usize].name,
            self.target_name(t),
            self.org_label(p)
        );
        let events = self.share_event(
            actor,
            o,
            share,
            AuditAction::ShareRemoved,
            now,
            event_id,
            detail,
        );
        let target_id = self.targets[t as usize].id.clone();
        let partner = self.org_code(p).clone();
        self.set_v2(t, p, false);
        self.share_pair.remove(&(t, p));
        self.shares.remove(share);
        self.drop_covers(&target_id, &partner);
        Ok(events)
    }

    /// S4: the partner's admin enables a pending or disabled share; enabling an enabled share
    /// changes nothing (no event).
    pub fn enable_share(
        &mut self,
        actor: &UserId,
        share: &ShareId,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o, t) = self.partner_share(actor, share)?;
        let Some(current) = self.shares.get_mut(share) else {
            return Err(DomainError::NotFound);
        };
        if current.state == ShareState::Enabled {
            return Ok(Vec::new());
        }
        let owner = current.owner.clone();
        current.state = ShareState::Enabled;
        self.refresh_share_index(share);
        let detail = format!(
            "{} enabled the share of {} from {}.",
            self.users[u as usize].name,
            self.target_name(t),
            self.organisation(&owner).map_or_else(
                || owner.to_string(),
                |org| format!("{} ({})", org.name, owner)
            )
        );
        Ok(self.share_event(
            actor,
            o,
            share,
            AuditAction::ShareEnabled,
            now,
            event_id,
            detail,
        ))
    }

    /// S4, S6, S7: the partner's admin disables an enabled share; its users' covers of the
    /// target are dropped and V2 visibility ends; no request moves. Disabling a disabled share
    /// changes nothing; a pending one is `invalid_transition`.
    pub fn disable_share(
        &mut self,
        actor: &UserId,
        share: &ShareId,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o, t) = self.partner_share(actor, share)?;
        let Some(current) = self.shares.get_mut(share) else {
            return Err(DomainError::NotFound);
        };
        match current.state {
            ShareState::Disabled => return Ok(Vec::new()),
            ShareState::Pending => return Err(DomainError::InvalidTransition),
            ShareState::Enabled => {}
        }
        let owner = current.owner.clone();
        let partner = current.partner.clone();
        current.state = ShareState::Disabled;
        self.refresh_share_index(share);
        let target_id = self.targets[t as usize].id.clone();
        let dropped = self.drop_covers(&target_id, &partner);
        let detail = format!(
            "{} disabled the share of {} from {}{}.",
            self.users[u as usize].name,
            self.target_name(t),
            self.organisation(&owner).map_or_else(
                || owner.to_string(),
                |org| format!("{} ({})", org.name, owner)
            ),
            if dropped > 0 {
                format!("; {dropped} user(s) no longer cover it")
            } else {
                String::new()
            }
        );
        Ok(self.share_event(
            actor,
            o,
            share,
            AuditAction::ShareDisabled,
            now,
            event_id,
            detail,
        ))
    }

    // -----------------------------------------------------------------------------------------
    // Commands: agreements (D1–D3)
    // -----------------------------------------------------------------------------------------

    /// D1: an admin proposes an agreement with `partner`; the proposer's answer starts
    /// `accepted`, the partner's unanswered. Checks: blank or too long reference (400), not
    /// admin (403), an agreement with that partner exists (409), own, unknown or inactive
    /// partner (422).
    #[allow(clippy::too_many_arguments)]
    pub fn propose_agreement(
        &mut self,
        actor: &UserId,
        partner: &OdsCode,
        reference: &str,
        now: Timestamp,
        agreement_id: AgreementId,
        event_id: EventId,
    ) -> Result<(Agreement, Vec<AuditEvent>), DomainError> {
        let reference = reference.trim();
        if reference.is_empty() || reference.chars().count() > MAX_TEXT {
            return Err(DomainError::Invalid { field: "reference" });
        }
        if self.agreements.contains_key(&agreement_id) || agreement_id.as_str().is_empty() {
            return Err(DomainError::Invalid {
                field: "agreement_id",
            });
        }
        self.fresh_event(&event_id)?;
        let (u, o) = self.admin(actor)?;
        let p = self.org_of(partner);
        if let Some(p) = p {
            if self.agreement_pair.contains_key(&(o.min(p), o.max(p))) {
                return Err(DomainError::AgreementExists);
            }
        }
        let p = p
            .filter(|&p| p != o && self.orgs[p as usize].active)
            .ok_or(DomainError::PartnerNotAvailable)?;
        let agreement = Agreement {
            id: agreement_id.clone(),
            proposer: self.org_code(o).clone(),
            partner: partner.clone(),
            reference: reference.to_owned(),
            proposer_answer: Some(Answer::Accepted),
            partner_answer: None,
            created_at: now,
        };
        let detail = format!(
            "{} proposed a data sharing agreement with {} (reference: {reference}).",
            self.users[u as usize].name,
            self.org_label(p)
        );
        self.agreement_pair
            .insert((o.min(p), o.max(p)), agreement_id.clone());
        self.agreements
            .insert(agreement_id.clone(), agreement.clone());
        let events = self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: agreement.proposer.clone(),
            action: AuditAction::AgreementProposed,
            subject_id: agreement_id.to_string(),
            detail,
            parties: vec![agreement.proposer.clone(), agreement.partner.clone()],
        });
        Ok((agreement, events))
    }

    /// D1: an admin of either party accepts; the same answer again changes nothing.
    pub fn accept_agreement(
        &mut self,
        actor: &UserId,
        agreement: &AgreementId,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.answer_agreement(actor, agreement, Answer::Accepted, now, event_id)
    }

    /// D1, D3: an admin of either party refuses (or withdraws an acceptance); no request moves
    /// or hides. The same answer again changes nothing.
    pub fn refuse_agreement(
        &mut self,
        actor: &UserId,
        agreement: &AgreementId,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.answer_agreement(actor, agreement, Answer::Refused, now, event_id)
    }

    fn answer_agreement(
        &mut self,
        actor: &UserId,
        id: &AgreementId,
        answer: Answer,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o) = self.actor(actor)?;
        let code = self.org_code(o).clone();
        let current = self.agreement_for(id, &code).ok_or(DomainError::NotFound)?;
        self.admin(actor)?;
        if current.answers_for(&code).0 == Some(answer) {
            return Ok(Vec::new());
        }
        let other = current.other_party(&code).clone();
        let Some(a) = self.agreements.get_mut(id) else {
            return Err(DomainError::NotFound);
        };
        if a.proposer == code {
            a.proposer_answer = Some(answer);
        } else {
            a.partner_answer = Some(answer);
        }
        let active = a.active();
        let reference = a.reference.clone();
        let parties = vec![a.proposer.clone(), a.partner.clone()];
        let (action, verb) = match answer {
            Answer::Accepted => (AuditAction::AgreementAccepted, "accepted"),
            Answer::Refused => (AuditAction::AgreementRefused, "refused"),
        };
        let other_label = self
            .org_of(&other)
            .map_or_else(|| other.to_string(), |p| self.org_label(p));
        let detail = format!(
            "{} {verb} the data sharing agreement with {other_label} (reference: {reference}); it is now {}.",
            self.users[u as usize].name,
            if active { "active" } else { "inactive" }
        );
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: code,
            action,
            subject_id: id.to_string(),
            detail,
            parties,
        }))
    }

    // -----------------------------------------------------------------------------------------
    // Commands: covers (C1–C2)
    // -----------------------------------------------------------------------------------------

    /// C1, C2: replaces the user's covers. Every folder must be one the user may cover
    /// (`target_not_available` otherwise, and nothing changes); the same set changes nothing.
    pub fn set_covers(
        &mut self,
        actor: &UserId,
        folders: &[FolderId],
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o) = self.actor(actor)?;
        let list = self.checked_covers(actor, folders)?;
        if self.covers(actor) == list.as_slice() {
            return Ok(Vec::new());
        }
        let names: Vec<String> = list
            .iter()
            .map(|f| match f {
                FolderId::Target(id) => self
                    .target_ix
                    .get(id)
                    .map_or_else(|| id.to_string(), |&t| self.target_name(t).to_owned()),
                other => other.default_name().to_owned(),
            })
            .collect();
        let detail = if names.is_empty() {
            format!(
                "{} stopped covering every folder.",
                self.users[u as usize].name
            )
        } else {
            format!(
                "{} now covers: {}.",
                self.users[u as usize].name,
                names.join(", ")
            )
        };
        if list.is_empty() {
            self.covers.remove(actor);
        } else {
            self.covers.insert(actor.clone(), list);
        }
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: self.org_code(o).clone(),
            action: AuditAction::CoversChanged,
            subject_id: actor.to_string(),
            detail,
            parties: Vec::new(),
        }))
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
