//! Commands on shares (S1–S7).

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::ids::{EventId, ShareId, TargetId, UserId};
use crate::model::{Share, ShareState};
use crate::ods::OdsCode;
use crate::time::Timestamp;

use super::World;

impl World {
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
        self.changes.share(&share_id);
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
        self.changes.share(share);
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
        self.changes.share(share);
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
        self.changes.share(share);
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
        self.changes.share(share);
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
}
