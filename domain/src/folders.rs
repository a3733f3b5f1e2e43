//! Covering and folders (C1–C4) for a user.

use crate::error::DomainError;
use crate::ids::{TargetId, UserId};
#[cfg(any(test, feature = "oracles"))]
use crate::model::Request;
use crate::model::{RequestStatus, ShareState, TargetKind};
use crate::ods::OdsCode;
use crate::visibility::Viewer;
use crate::world::{Row, World};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// A folder of the Messages page. Its text form is the API folder id: `all`, `mine`,
/// `sent_externally`, or a target id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "String", into = "String"))]
pub enum FolderId {
    All,
    Mine,
    SentExternally,
    Target(TargetId),
}

impl FolderId {
    /// Reads an API folder id; anything but the three reserved words is a target id.
    pub fn parse(s: &str) -> FolderId {
        match s {
            "all" => FolderId::All,
            "mine" => FolderId::Mine,
            "sent_externally" => FolderId::SentExternally,
            other => FolderId::Target(TargetId::new(other)),
        }
    }

    /// The API folder id.
    pub fn as_str(&self) -> &str {
        match self {
            FolderId::All => "all",
            FolderId::Mine => "mine",
            FolderId::SentExternally => "sent_externally",
            FolderId::Target(id) => id.as_str(),
        }
    }

    /// The display name of the virtual folders (targets use their own name).
    pub fn default_name(&self) -> &str {
        match self {
            FolderId::All => "All",
            FolderId::Mine => "My requests",
            FolderId::SentExternally => "Sent Externally",
            FolderId::Target(id) => id.as_str(),
        }
    }
}

impl From<String> for FolderId {
    fn from(s: String) -> Self {
        FolderId::parse(&s)
    }
}

impl From<FolderId> for String {
    fn from(f: FolderId) -> String {
        f.as_str().to_owned()
    }
}

impl std::fmt::Display for FolderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The API folder kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FolderKind {
    All,
    Mine,
    SentExternally,
    /// One of the organisation's own groups or colleagues.
    Target,
    /// A target shared with the organisation by an enabled share.
    External,
}

/// A folder with its open count (C4, counted after visibility) and covered flag (C2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub id: FolderId,
    pub kind: FolderKind,
    pub name: String,
    /// The target's owner; the user's organisation for the virtual folders.
    pub owner: OdsCode,
    pub open_count: usize,
    pub covered: bool,
    /// False for the folder of a colleague who is no longer active (their requests can still
    /// be covered, but nothing new can be assigned to them, A2).
    pub active: bool,
}

/// The status filter of the Messages list (C4): open by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StatusFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl StatusFilter {
    /// Whether a request of this status passes.
    pub fn admits(self, status: RequestStatus) -> bool {
        match self {
            StatusFilter::Open => status == RequestStatus::Open,
            StatusFilter::Closed => status == RequestStatus::Closed,
            StatusFilter::All => true,
        }
    }
}

/// A folder resolved to indexes, for one pass over the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    All,
    Mine(u32),
    SentExternally,
    Own(u32),
    External(u32),
}

impl World {
    /// The user and their organisation for a query; unknown or inactive users see nothing.
    fn user_and_org(&self, user: &UserId) -> Result<(u32, u32), DomainError> {
        self.actor(user)
    }

    /// C1: the folders `user` may cover, in API order: Sent Externally, own groups and
    /// colleagues (not the user) by name, then targets shared with the organisation by an
    /// enabled share, by owner name then name.
    fn coverable_slots(&self, u: u32, o: u32) -> Vec<(FolderId, Slot)> {
        let me = &self.users[u as usize].id;
        let mut own: Vec<(String, TargetId, u32)> = Vec::new();
        let mut external: Vec<((&str, &OdsCode), String, TargetId, u32)> = Vec::new();
        for (t, slot) in self.targets.iter().enumerate() {
            let t = t as u32;
            if slot.owner == o {
                if slot.kind == TargetKind::Colleague && slot.id.as_str() == me.as_str() {
                    continue;
                }
                own.push((self.target_name(t).to_owned(), slot.id.clone(), t));
            }
        }
        for share in self.shares.values() {
            if self.org_of(&share.partner) != Some(o) || share.state != ShareState::Enabled {
                continue;
            }
            if let Some(&t) = self.target_ix.get(&share.target) {
                external.push((
                    self.org_sort_key(&share.owner),
                    self.target_name(t).to_owned(),
                    share.target.clone(),
                    t,
                ));
            }
        }
        own.sort();
        external.sort();
        let mut out = vec![(FolderId::SentExternally, Slot::SentExternally)];
        out.extend(
            own.into_iter()
                .map(|(_, id, t)| (FolderId::Target(id), Slot::Own(t))),
        );
        out.extend(
            external
                .into_iter()
                .map(|(_, _, id, t)| (FolderId::Target(id), Slot::External(t))),
        );
        out
    }

    /// C1: the ids of the folders `user` may cover, in API order.
    pub fn coverable(&self, user: &UserId) -> Result<Vec<FolderId>, DomainError> {
        let (u, o) = self.user_and_org(user)?;
        Ok(self
            .coverable_slots(u, o)
            .into_iter()
            .map(|(id, _)| id)
            .collect())
    }

    /// Whether the request of `row` and `involved` is in the folder (C3), for the viewer's
    /// organisation.
    #[inline]
    fn in_slot(row: &Row, involved: &[u32], v: &Viewer<'_>, slot: Slot) -> bool {
        let o = v.o;
        match slot {
            Slot::All => {
                v.sees(row, involved).is_some()
                    && (row.holder == o
                        || (row.target != crate::world::NO_TARGET && v.shared(row.target)))
            }
            Slot::Mine(t) | Slot::Own(t) => row.target == t,
            Slot::SentExternally => row.holder != o && row.involves(o, || involved),
            Slot::External(t) => row.target == t && v.sees(row, involved).is_some(),
        }
    }

    fn mine_slot(&self, u: u32) -> Slot {
        let id = TargetId::from(&self.users[u as usize].id);
        Slot::Mine(
            self.target_ix
                .get(&id)
                .copied()
                .unwrap_or(crate::world::NO_TARGET),
        )
    }

    /// C3, C4: All, My requests and every folder the user may cover, in API order, with open
    /// counts after visibility and the covered flag. One pass over the requests.
    pub fn folders(&self, user: &UserId) -> Result<Vec<Folder>, DomainError> {
        let (u, o) = self.user_and_org(user)?;
        let own_code = self.org_code(o).clone();
        let mut slots = vec![
            (FolderId::All, Slot::All),
            (FolderId::Mine, self.mine_slot(u)),
        ];
        slots.extend(self.coverable_slots(u, o));
        // Count: each target folder is keyed by target index; the three virtual ones apart.
        let mut by_target: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (i, (_, slot)) in slots.iter().enumerate() {
            if let Slot::Own(t) | Slot::External(t) = slot {
                by_target.insert(*t, i);
            }
        }
        let mut counts = vec![0usize; slots.len()];
        let mine = slots[1].1;
        let v = self.viewer(o);
        for (_, row, involved) in self.scan() {
            if !row.open {
                continue;
            }
            if Self::in_slot(row, involved, &v, Slot::All) {
                counts[0] += 1;
            }
            if Self::in_slot(row, involved, &v, mine) {
                counts[1] += 1;
            }
            if Self::in_slot(row, involved, &v, Slot::SentExternally) {
                counts[2] += 1;
            }
            if let Some(&i) = by_target.get(&row.target) {
                if Self::in_slot(row, involved, &v, slots[i].1) {
                    counts[i] += 1;
                }
            }
        }
        let covers = self.covers(user);
        Ok(slots
            .into_iter()
            .zip(counts)
            .map(|((id, slot), open_count)| {
                let (kind, name, owner) = match slot {
                    Slot::All => (
                        FolderKind::All,
                        id.default_name().to_owned(),
                        own_code.clone(),
                    ),
                    Slot::Mine(_) => (
                        FolderKind::Mine,
                        id.default_name().to_owned(),
                        own_code.clone(),
                    ),
                    Slot::SentExternally => (
                        FolderKind::SentExternally,
                        id.default_name().to_owned(),
                        own_code.clone(),
                    ),
                    Slot::Own(t) => (
                        FolderKind::Target,
                        self.target_name(t).to_owned(),
                        own_code.clone(),
                    ),
                    Slot::External(t) => (
                        FolderKind::External,
                        self.target_name(t).to_owned(),
                        self.org_code(self.targets[t as usize].owner).clone(),
                    ),
                };
                let covered = covers.contains(&id);
                let active = match slot {
                    Slot::Own(t) | Slot::External(t) => self.target_active(t),
                    Slot::All | Slot::Mine(_) | Slot::SentExternally => true,
                };
                Folder {
                    id,
                    kind,
                    name,
                    owner,
                    open_count,
                    covered,
                    active,
                }
            })
            .collect())
    }

    pub(crate) fn slot_of(&self, u: u32, o: u32, folder: &FolderId) -> Result<Slot, DomainError> {
        match folder {
            FolderId::All => Ok(Slot::All),
            FolderId::Mine => Ok(self.mine_slot(u)),
            other => self
                .coverable_slots(u, o)
                .into_iter()
                .find(|(id, _)| id == other)
                .map(|(_, slot)| slot)
                .ok_or(DomainError::NotFound),
        }
    }

    #[cfg(any(test, feature = "oracles"))]
    fn sort_by_activity(list: &mut [&Request]) {
        list.sort_by(|a, b| {
            b.last_activity()
                .cmp(&a.last_activity())
                .then_with(|| a.id.cmp(&b.id))
        });
    }

    /// C3: the requests of one folder (any folder of `folders`), newest activity first. A
    /// folder the user does not have is `NotFound`. A scan and sort of every request: the
    /// oracle of the paged walk (`World::request_page`), for tests only (feature `oracles`).
    #[cfg(any(test, feature = "oracles"))]
    pub fn folder_requests(
        &self,
        user: &UserId,
        folder: &FolderId,
        status: StatusFilter,
    ) -> Result<Vec<&Request>, DomainError> {
        let (u, o) = self.user_and_org(user)?;
        let slot = self.slot_of(u, o, folder)?;
        let v = self.viewer(o);
        let mut out: Vec<&Request> = self
            .scan()
            .zip(self.requests.iter())
            .filter(|((_, row, involved), request)| {
                status.admits(request.status) && Self::in_slot(row, involved, &v, slot)
            })
            .map(|(_, request)| request)
            .collect();
        Self::sort_by_activity(&mut out);
        Ok(out)
    }

    /// C4: the folders of the Messages page: My requests and every folder the user covers.
    pub(crate) fn messages_slots(&self, user: &UserId, u: u32, o: u32) -> Vec<Slot> {
        let mut slots = vec![self.mine_slot(u)];
        let covers = self.covers(user);
        slots.extend(
            self.coverable_slots(u, o)
                .into_iter()
                .filter(|(id, _)| covers.contains(id))
                .map(|(_, slot)| slot),
        );
        slots
    }

    /// C4: the Messages page: My requests and every folder the user covers, without repeats,
    /// ordered by last activity (newest first), then id. The oracle of `World::request_page`
    /// without a folder, for tests only (feature `oracles`).
    #[cfg(any(test, feature = "oracles"))]
    pub fn messages(
        &self,
        user: &UserId,
        status: StatusFilter,
    ) -> Result<Vec<&Request>, DomainError> {
        let (u, o) = self.user_and_org(user)?;
        let slots = self.messages_slots(user, u, o);
        let v = self.viewer(o);
        let mut out: Vec<&Request> = self
            .scan()
            .zip(self.requests.iter())
            .filter(|(_, request)| status.admits(request.status))
            .filter(|((_, row, involved), _)| {
                slots.iter().any(|&s| Self::in_slot(row, involved, &v, s))
            })
            .map(|(_, request)| request)
            .collect();
        Self::sort_by_activity(&mut out);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c3_folder_ids_read_and_write_the_api_text_and_name_the_virtual_folders() {
        for (text, id, name) in [
            ("all", FolderId::All, "All"),
            ("mine", FolderId::Mine, "My requests"),
            (
                "sent_externally",
                FolderId::SentExternally,
                "Sent Externally",
            ),
            (
                "g_team",
                FolderId::Target(TargetId::new("g_team")),
                "g_team",
            ),
        ] {
            assert_eq!(FolderId::parse(text), id);
            assert_eq!(FolderId::from(text.to_owned()), id);
            assert_eq!(String::from(id.clone()), text);
            assert_eq!(id.to_string(), text);
            assert_eq!(id.as_str(), text);
            assert_eq!(id.default_name(), name);
        }
    }
}
