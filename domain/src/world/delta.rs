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

impl World {
    /// Shares with `other` the parts of this world that no command changes (organisations,
    /// users, groups, targets and their indexes) where they are equal, so a world read back
    /// from storage holds them once with the world it was made from (SPEC K9: a study's
    /// sandboxes share its seed's memory, after a restart too). Returns how many of the four
    /// were shared; nothing else changes.
    pub fn share_fixed_parts_with(&mut self, other: &World) -> usize {
        let mut shared = 0;
        if self.orgs == other.orgs && self.org_ix == other.org_ix {
            self.orgs = other.orgs.clone();
            self.org_ix = other.org_ix.clone();
            shared += 1;
        }
        if self.users == other.users && self.user_ix == other.user_ix {
            self.users = other.users.clone();
            self.user_ix = other.user_ix.clone();
            shared += 1;
        }
        if self.groups == other.groups {
            self.groups = other.groups.clone();
            shared += 1;
        }
        if self.targets == other.targets && self.target_ix == other.target_ix {
            self.targets = other.targets.clone();
            self.target_ix = other.target_ix.clone();
            shared += 1;
        }
        shared
    }

    /// Whether this world holds its organisations in the same memory as `other`.
    pub fn shares_organisations_with(&self, other: &World) -> bool {
        std::sync::Arc::ptr_eq(&self.orgs, &other.orgs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, Organisation, Role, User};
    use crate::{EventId, GroupId, OdsCode, TargetId, Timestamp};

    /// Found by mutation testing (issue 19, item 11): the server skips the write of a change
    /// whose delta is empty and checks that a published state's log is, so both answers must
    /// say "something changed" after a command and "nothing" after `take_delta`.
    #[test]
    fn a_command_leaves_a_non_empty_delta_and_taking_it_empties_the_log() {
        let mut w = World::new();
        let code = OdsCode::parse("A81001").expect("code");
        w.add_organisation(Organisation {
            ods_code: code.clone(),
            name: "Camelia".into(),
            kind: "gp_practice".into(),
            postcode: "TS1 1AA".into(),
            active: true,
        })
        .expect("org");
        w.add_user(User {
            id: UserId::new("u1"),
            name: "User".into(),
            role: Role::Staff,
            ods_code: code.clone(),
            active: true,
        })
        .expect("user");
        w.add_group(Group {
            id: GroupId::new("g1"),
            name: "Reception".into(),
            ods_code: code,
        })
        .expect("group");
        w.forget_changes();
        assert!(w.has_no_changes());
        assert!(w.take_delta().is_empty());
        w.set_covers(
            &UserId::new("u1"),
            &[FolderId::Target(TargetId::new("g1"))],
            Timestamp::from_millis(1),
            EventId::new("e1"),
        )
        .expect("covers");
        assert!(!w.has_no_changes(), "a command is recorded");
        let delta = w.take_delta();
        assert!(!delta.is_empty(), "{delta:?}");
        assert_eq!((delta.covers.len(), delta.audit.len()), (1, 1));
        assert!(w.has_no_changes(), "taking the delta empties the log");
        assert!(w.take_delta().is_empty());
    }

    /// K9: a world read back from its snapshot holds organisations, users, groups and targets
    /// in the memory of the world it was made from, and is still the same world.
    #[test]
    fn a_world_read_back_shares_its_fixed_parts_and_stays_equal() {
        let mut w = World::new();
        let code = OdsCode::parse("A81001").expect("code");
        w.add_organisation(Organisation {
            ods_code: code.clone(),
            name: "Camelia".into(),
            kind: "gp_practice".into(),
            postcode: "TS1 1AA".into(),
            active: true,
        })
        .expect("org");
        let mut back = World::from_snapshot(w.snapshot()).expect("loads");
        assert!(!back.shares_organisations_with(&w));
        assert_eq!(back.share_fixed_parts_with(&w), 4);
        assert!(back.shares_organisations_with(&w));
        assert_eq!(back.snapshot(), w.snapshot());
        // Different organisations are not shared.
        let mut other = World::new();
        assert_eq!(other.share_fixed_parts_with(&w), 3);
        assert!(!other.shares_organisations_with(&w));
    }
}
