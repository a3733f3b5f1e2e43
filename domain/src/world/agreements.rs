//! Commands on data sharing agreements (D1–D3).

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::ids::{AgreementId, EventId, UserId};
use crate::model::{Agreement, Answer};
use crate::ods::OdsCode;
use crate::time::Timestamp;

use super::{World, MAX_TEXT};

impl World {
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
        self.changes.agreement(&agreement_id);
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
        self.changes.agreement(id);
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
}
