//! Covers (C1, C2) and their loss when a share leaves `enabled` (S6).

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::folders::FolderId;
use crate::ids::{EventId, TargetId, UserId};
use crate::ods::OdsCode;
use crate::time::Timestamp;

use super::World;

impl World {
    pub(super) fn checked_covers(
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

    /// S6: when a share leaves `enabled`, the partner's users lose their covers of its target.
    /// Returns how many users lost a cover.
    pub(super) fn drop_covers(&mut self, target: &TargetId, partner: &OdsCode) -> usize {
        let folder = FolderId::Target(target.clone());
        let mut losing = Vec::new();
        for user in self.users.iter().filter(|u| &u.ods_code == partner) {
            if let Some(list) = self.covers.get(&user.id) {
                if list.contains(&folder) {
                    let kept: Vec<FolderId> =
                        list.iter().filter(|f| *f != &folder).cloned().collect();
                    losing.push((user.id.clone(), kept));
                }
            }
        }
        let dropped = losing.len();
        for (user, kept) in losing {
            self.replace_covers(&user, kept);
        }
        dropped
    }

    /// Sets the user's covers (none: no entry) and records the change if there is one.
    pub(super) fn replace_covers(&mut self, user: &UserId, list: Vec<FolderId>) {
        if self.covers(user) == list.as_slice() {
            return;
        }
        if list.is_empty() {
            self.covers.remove(user);
        } else {
            self.covers.insert(user.clone(), list);
        }
        self.changes.covers(user);
    }

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
        self.replace_covers(actor, list);
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
