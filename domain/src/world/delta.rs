//! What a command changed: the entities that differ between two worlds, so a store can write
//! only those (the server's database writes one row per changed entity plus the new audit
//! events, instead of the whole state).

use std::collections::BTreeMap;

use crate::audit::AuditEvent;
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

/// Items of `after` that are not equal to the item at the same position of `before`
/// (entities are only appended or changed in place, never reordered).
fn changed<T: Clone + PartialEq>(before: &[T], after: &[T]) -> Vec<(usize, T)> {
    after
        .iter()
        .enumerate()
        .filter(|(i, x)| before.get(*i) != Some(x))
        .map(|(i, x)| (i, x.clone()))
        .collect()
}

/// Values of `after` that are new or differ, and keys of `before` no longer in `after`.
fn changed_map<K: Ord + Clone, V: Clone + PartialEq>(
    before: &BTreeMap<K, V>,
    after: &BTreeMap<K, V>,
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
    /// What changed from `before` to `self` (see [`Delta`]). Comparing is linear in the size of
    /// the world but touches memory only; the cost that matters, writing, is linear in the
    /// change.
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
            users: changed(&before.users, &self.users),
            groups: changed(&before.groups, &self.groups),
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
