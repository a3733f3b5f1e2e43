//! Reading the state: the directory, targets, requests (unfiltered, for the server), shares
//! and agreements as a party may see them (S4, R1), covers.

use crate::folders::FolderId;
use crate::ids::{AgreementId, GroupId, PatientId, RequestId, ShareId, TargetId, UserId};
use crate::model::{
    Agreement, Assignee, Group, Organisation, Patient, Request, Share, TargetInfo, TargetKind, User,
};
use crate::ods::OdsCode;

use super::{ix, World};

impl World {
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

    /// Whether `org` is an organisation of the patient's: a request of theirs has `org` as its
    /// origin (the demo calls act only on such patients, API.md "Demo and operations"). False
    /// for an unknown patient or organisation. O(requests of the patient).
    pub fn is_patient_of(&self, id: &PatientId, org: &OdsCode) -> bool {
        let Some(&p) = self.patient_ix.get(id) else {
            return false;
        };
        self.by_patient
            .range((p, 0)..=(p, u32::MAX))
            .any(|&(_, r)| {
                self.requests
                    .get(r as usize)
                    .is_some_and(|q| &q.origin == org)
            })
    }

    /// Every patient, in load order.
    pub fn patients(&self) -> &imbl::Vector<Patient> {
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
    pub fn requests(&self) -> &imbl::Vector<Request> {
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

    /// The agreement of two organisations, whichever proposed it (research conditions, K3).
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
}
