//! Assignment (A1–A6): who may be assigned (A2), the consent step (A3), and the command.

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::ids::{EventId, RequestId, TargetId, UserId};
use crate::model::{Assignee, HistoryAction, HistoryEvent, Override, RequestStatus, ShareState};
use crate::time::Timestamp;
use crate::visibility::Consent;

use super::{bit, World, MAX_TEXT};

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

    pub(super) fn join_involved(&mut self, r: usize, orgs: &[u32]) {
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
        self.move_in_target_index(r, t);
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
}
