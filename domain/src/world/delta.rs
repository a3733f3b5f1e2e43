//! What a command changed, so a store can write only that (the server's database writes one
//! row per changed entity plus the new audit events, instead of the whole state).
//!
//! Every command records, as it applies, which entities it touched (the dirty log,
//! [`Changes`]); [`World::take_delta`] reads those entities back, in time that grows with the
//! change and not with the world. [`World::delta_from`], the comparison of two whole worlds,
//! is kept as the oracle the tests check the log against (nothing acknowledged may be left
//! out of the database).

use std::collections::BTreeSet;

use imbl::{OrdMap, Vector};

use crate::audit::AuditEvent;
#[cfg(any(test, feature = "oracles"))]
use crate::folders::FolderId;
use crate::ids::{AgreementId, ShareId, UserId};
use crate::model::{Agreement, Group, Patient, Request, Share, User};

use super::{Covers, World};

/// The entities of `after` that are new or differ from `before`, with their position in load
/// order (the order `Snapshot` lists them in), and the ids removed. Organisations never change
/// after loading and are not compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    pub users: Vec<(usize, User)>,
    pub groups: Vec<(usize, Group)>,
    pub patients: Vec<(usize, Patient)>,
    pub requests: Vec<(usize, Request)>,
    pub shares: Vec<Share>,
    pub removed_shares: Vec<ShareId>,
    pub agreements: Vec<Agreement>,
    pub removed_agreements: Vec<AgreementId>,
    pub covers: Vec<Covers>,
    pub removed_covers: Vec<UserId>,
    /// Events appended since `before`, with their position in the log.
    pub audit: Vec<(usize, AuditEvent)>,
}

impl Delta {
    /// True when nothing changed (a command that was a no-op).
    pub fn is_empty(&self) -> bool {
        *self == Delta::default()
    }
}

/// The dirty log: which entities the commands since the last [`World::take_delta`] changed,
/// by load-order index or id, and where the audit log stood. Ordered sets, so the delta lists
/// entities in the order [`World::delta_from`] does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    users: BTreeSet<u32>,
    groups: BTreeSet<u32>,
    patients: BTreeSet<u32>,
    requests: BTreeSet<u32>,
    shares: BTreeSet<ShareId>,
    agreements: BTreeSet<AgreementId>,
    covers: BTreeSet<UserId>,
    /// The length of the audit log at the last `take_delta`: events after it are new.
    audit_from: usize,
}

impl Changes {
    pub(crate) fn user(&mut self, u: u32) {
        self.users.insert(u);
    }
    pub(crate) fn group(&mut self, g: u32) {
        self.groups.insert(g);
    }
    pub(crate) fn patient(&mut self, p: u32) {
        self.patients.insert(p);
    }
    pub(crate) fn request(&mut self, r: u32) {
        self.requests.insert(r);
    }
    pub(crate) fn share(&mut self, id: &ShareId) {
        self.shares.insert(id.clone());
    }
    pub(crate) fn agreement(&mut self, id: &AgreementId) {
        self.agreements.insert(id.clone());
    }
    pub(crate) fn covers(&mut self, user: &UserId) {
        self.covers.insert(user.clone());
    }
}

/// The entries of `items` at the recorded positions.
fn at<T: Clone>(items: &[T], positions: &BTreeSet<u32>) -> Vec<(usize, T)> {
    positions
        .iter()
        .filter_map(|&i| items.get(i as usize).map(|x| (i as usize, x.clone())))
        .collect()
}

/// [`at`] for a persistent vector.
fn at_vector<T: Clone>(items: &Vector<T>, positions: &BTreeSet<u32>) -> Vec<(usize, T)> {
    positions
        .iter()
        .filter_map(|&i| items.get(i as usize).map(|x| (i as usize, x.clone())))
        .collect()
}

/// The recorded keys still in `map` (their values) and those no longer in it (removed).
fn keyed<K: Ord + Clone, V: Clone>(map: &OrdMap<K, V>, keys: &BTreeSet<K>) -> (Vec<V>, Vec<K>) {
    let mut upserted = Vec::new();
    let mut removed = Vec::new();
    for k in keys {
        match map.get(k) {
            Some(v) => upserted.push(v.clone()),
            None => removed.push(k.clone()),
        }
    }
    (upserted, removed)
}

/// Items of `after` that are not equal to the item at the same position of `before`
/// (entities are only appended or changed in place, never reordered).
#[cfg(any(test, feature = "oracles"))]
fn changed<'a, T: Clone + PartialEq + 'a>(
    before: impl IntoIterator<Item = &'a T>,
    after: impl IntoIterator<Item = &'a T>,
) -> Vec<(usize, T)> {
    let mut before = before.into_iter();
    after
        .into_iter()
        .enumerate()
        .filter(|(_, x)| before.next() != Some(*x))
        .map(|(i, x)| (i, x.clone()))
        .collect()
}

/// Values of `after` that are new or differ, and keys of `before` no longer in `after`.
#[cfg(any(test, feature = "oracles"))]
fn changed_map<K: Ord + Clone, V: Clone + PartialEq>(
    before: &OrdMap<K, V>,
    after: &OrdMap<K, V>,
) -> (Vec<(K, V)>, Vec<K>) {
    let upserted = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (upserted, removed)
}

impl World {
    /// What the commands since the last call changed (see [`Delta`]), from the dirty log, which
    /// it then empties: time and memory grow with the change, not with the world. A refused
    /// command records nothing (it changes nothing).
    pub fn take_delta(&mut self) -> Delta {
        let changes = std::mem::take(&mut self.changes);
        let (shares, removed_shares) = keyed(&self.shares, &changes.shares);
        let (agreements, removed_agreements) = keyed(&self.agreements, &changes.agreements);
        let mut covers = Vec::new();
        let mut removed_covers = Vec::new();
        for user in &changes.covers {
            match self.covers.get(user) {
                Some(folders) => covers.push(Covers {
                    user: user.clone(),
                    folders: folders.clone(),
                }),
                None => removed_covers.push(user.clone()),
            }
        }
        let audit = (changes.audit_from..self.audit.len())
            .filter_map(|i| self.audit.get(i).map(|e| (i, e.clone())))
            .collect();
        self.changes.audit_from = self.audit.len();
        Delta {
            users: at(&self.users, &changes.users),
            groups: at(&self.groups, &changes.groups),
            patients: at_vector(&self.patients, &changes.patients),
            requests: at_vector(&self.requests, &changes.requests),
            shares,
            removed_shares,
            agreements,
            removed_agreements,
            covers,
            removed_covers,
            audit,
        }
    }

    /// Empties the dirty log without building a delta: after loading, whose state the store
    /// writes whole.
    pub fn forget_changes(&mut self) {
        self.changes = Changes {
            audit_from: self.audit.len(),
            ..Changes::default()
        };
    }

    /// Whether the dirty log is empty (a published state's always is).
    pub fn has_no_changes(&self) -> bool {
        self.changes
            == Changes {
                audit_from: self.audit.len(),
                ..Changes::default()
            }
    }

    /// What changed from `before` to `self`, by comparing the two whole worlds: linear in their
    /// size. The test oracle of [`World::take_delta`]; no production path uses it (feature
    /// `oracles`).
    #[cfg(any(test, feature = "oracles"))]
    pub fn delta_from(&self, before: &World) -> Delta {
        let (shares, removed_shares) = changed_map(&before.shares, &self.shares);
        let (agreements, removed_agreements) = changed_map(&before.agreements, &self.agreements);
        let (covers, removed_covers) =
            changed_map::<UserId, Vec<FolderId>>(&before.covers, &self.covers);
        let audit = self
            .audit
            .iter()
            .enumerate()
            .skip(before.audit.len())
            .map(|(i, e)| (i, e.clone()))
            .collect();
        Delta {
            users: changed(before.users.iter(), self.users.iter()),
            groups: changed(before.groups.iter(), self.groups.iter()),
            patients: changed(&before.patients, &self.patients),
            requests: changed(&before.requests, &self.requests),
            shares: shares.into_iter().map(|(_, s)| s).collect(),
            removed_shares,
            agreements: agreements.into_iter().map(|(_, a)| a).collect(),
            removed_agreements,
            covers: covers
                .into_iter()
                .map(|(user, folders)| Covers { user, folders })
                .collect(),
            removed_covers,
            audit,
        }
    }
}
