//! Loading seeds and snapshots: the `add_*` methods that check each reference, and
//! `snapshot` / `from_snapshot`.

use std::collections::HashSet;
use std::sync::Arc;

use crate::error::DomainError;
use crate::folders::FolderId;
use crate::ids::{TargetId, UserId, RESERVED_IDS};
use crate::model::{
    Agreement, Assignee, Group, Organisation, Patient, Request, RequestStatus, Share, Sharing,
    TargetKind, User,
};
use crate::time::parse_date;

use super::{ix, Covers, Row, Snapshot, TargetSlot, World, NO_TARGET};

impl World {
    /// Adds an organisation; a second one with the same code is refused.
    pub fn add_organisation(&mut self, org: Organisation) -> Result<(), DomainError> {
        if self.org_ix.contains_key(&org.ods_code) {
            return Err(DomainError::Invalid { field: "ods_code" });
        }
        if org.name.trim().is_empty() {
            return Err(DomainError::Invalid { field: "name" });
        }
        Arc::make_mut(&mut self.org_ix).insert(org.ods_code.clone(), ix(self.orgs.len()));
        Arc::make_mut(&mut self.orgs).push(org);
        self.v2.push_back(Vec::new());
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
        Arc::make_mut(&mut self.target_ix).insert(id.clone(), t);
        Arc::make_mut(&mut self.targets).push(TargetSlot {
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
        Arc::make_mut(&mut self.user_ix).insert(user.id.clone(), u);
        Arc::make_mut(&mut self.users).push(user);
        self.changes.user(u);
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
        Arc::make_mut(&mut self.groups).push(group);
        self.changes.group(g);
        Ok(())
    }

    /// Adds a patient; the date of birth must be a real `YYYY-MM-DD` date.
    pub fn add_patient(&mut self, patient: Patient) -> Result<(), DomainError> {
        if self.patient_ix.contains_key(&patient.id) {
            return Err(DomainError::Invalid { field: "id" });
        }
        parse_date(&patient.date_of_birth)?;
        let p = ix(self.patients.len());
        self.patient_share.set(p, patient.sharing == Sharing::Share);
        self.patient_ix.insert(patient.id.clone(), p);
        self.patients.push_back(patient);
        self.changes.patient(p);
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
        self.changes.share(&id);
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
        self.changes.agreement(&agreement.id);
        self.agreements.insert(agreement.id.clone(), agreement);
        Ok(())
    }

    /// Sets a user's covers without an audit event (seeds): the same checks as `set_covers`.
    pub fn seed_covers(&mut self, user: &UserId, folders: &[FolderId]) -> Result<(), DomainError> {
        let list = self.checked_covers(user, folders)?;
        self.replace_covers(user, list);
        Ok(())
    }

    pub(super) fn insert_request(&mut self, request: Request) -> Result<(), DomainError> {
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
        self.rows.push_back(Row::new(
            &involved,
            target,
            patient,
            holder,
            request.status == RequestStatus::Open,
        ));
        self.involved.push_back(involved);
        for e in &request.history {
            self.event_ids.insert(e.id.clone());
        }
        let r = ix(self.requests.len());
        if target != NO_TARGET {
            self.by_target.insert((target, r));
        }
        self.by_patient.insert((patient, r));
        self.request_ix.insert(request.id.clone(), r);
        self.requests.push_back(request);
        self.changes.request(r);
        self.reindex_request(r as usize);
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
            users: self.users.to_vec(),
            groups: self.groups.to_vec(),
            patients: self.patients.iter().cloned().collect(),
            shares: self.shares.values().cloned().collect(),
            agreements: self.agreements.values().cloned().collect(),
            requests: self.requests.iter().cloned().collect(),
            covers: self
                .covers
                .iter()
                .map(|(user, folders)| Covers {
                    user: user.clone(),
                    folders: folders.clone(),
                })
                .collect(),
            audit: self.audit.iter().cloned().collect(),
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
            w.audit.push_back(e);
            w.index_audit_event(w.audit.len() - 1);
        }
        // The loaded state is the baseline of the next change.
        w.forget_changes();
        Ok(w)
    }
}
