//! Commands on requests other than assignment: arrival (L1), the patient's preference (V2),
//! closing and reopening (A4, A5).

use crate::audit::{AuditAction, AuditEvent};
use crate::error::DomainError;
use crate::ids::{EventId, PatientId, RequestId, UserId};
use crate::model::{
    Assignee, HistoryAction, HistoryEvent, NewRequest, Override, Request, RequestStatus, Sharing,
};
use crate::time::Timestamp;

use super::{ix, World};

impl World {
    /// L1: a patient request arrives at `origin`, unassigned in its inbox, version 1.
    pub fn receive_request(
        &mut self,
        new: NewRequest,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        if self.request_ix.contains_key(&new.id) || new.id.as_str().is_empty() {
            return Err(DomainError::Invalid { field: "id" });
        }
        if new.subject.trim().is_empty() {
            return Err(DomainError::Invalid { field: "subject" });
        }
        self.fresh_event(&event_id)?;
        let origin = self.org_of(&new.origin).ok_or(DomainError::NotFound)?;
        if !self.patient_ix.contains_key(&new.patient) {
            return Err(DomainError::NotFound);
        }
        let history = vec![HistoryEvent {
            id: event_id.clone(),
            at: now,
            action: HistoryAction::Received,
            user: None,
            ods_code: new.origin.clone(),
            from: None,
            to: Some(Assignee::Inbox(new.origin.clone())),
            consent_override: Override::None,
        }];
        let detail = format!(
            "Request {} ({}) received by {}.",
            new.id,
            new.subject.trim(),
            self.org_label(origin)
        );
        let request = Request {
            id: new.id.clone(),
            origin: new.origin.clone(),
            patient: new.patient,
            received_at: now,
            kind: new.kind,
            subject: new.subject,
            message: new.message,
            status: RequestStatus::Open,
            assignee: Assignee::Inbox(new.origin.clone()),
            version: 1,
            involved: vec![new.origin.clone()],
            history,
        };
        self.insert_request(request)?;
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: None,
            ods_code: new.origin,
            action: AuditAction::RequestReceived,
            subject_id: new.id.to_string(),
            detail,
            parties: Vec::new(),
        }))
    }

    /// V2: the patient changes their preference; it takes effect at once (read live). Not an
    /// audited change in L1.
    pub fn set_patient_sharing(
        &mut self,
        patient: &PatientId,
        sharing: Sharing,
    ) -> Result<(), DomainError> {
        let p = *self.patient_ix.get(patient).ok_or(DomainError::NotFound)?;
        if self.patients[p as usize].sharing == sharing {
            return Ok(());
        }
        self.patients[p as usize].sharing = sharing;
        self.patient_share.set(p, sharing == Sharing::Share);
        self.changes.patient(p);
        self.reindex_patient(p);
        Ok(())
    }

    /// The request at index `r` if `o` sees it (V1–V4), else `NotFound` as for an unknown id.
    pub(super) fn visible_ix(&self, id: &RequestId, o: u32) -> Result<usize, DomainError> {
        let r = *self.request_ix.get(id).ok_or(DomainError::NotFound)? as usize;
        if self.sees_ix(r, o).is_none() {
            return Err(DomainError::NotFound);
        }
        Ok(r)
    }

    /// A4, A5: closes an open request the actor's organisation sees.
    pub fn close_request(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.change_status(
            actor,
            request,
            version,
            now,
            event_id,
            RequestStatus::Closed,
        )
    }

    /// A4, A5, V1: reopens a closed request the actor's organisation sees.
    pub fn reopen_request(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.change_status(actor, request, version, now, event_id, RequestStatus::Open)
    }

    fn change_status(
        &mut self,
        actor: &UserId,
        request: &RequestId,
        version: u64,
        now: Timestamp,
        event_id: EventId,
        to: RequestStatus,
    ) -> Result<Vec<AuditEvent>, DomainError> {
        self.fresh_event(&event_id)?;
        let (u, o) = self.actor(actor)?;
        let r = self.visible_ix(request, o)?;
        let req = &self.requests[r];
        if req.version != version {
            return Err(DomainError::Conflict);
        }
        if req.status == to {
            return Err(DomainError::InvalidStatus);
        }
        let (history_action, action, verb) = match to {
            RequestStatus::Closed => (HistoryAction::Closed, AuditAction::RequestClosed, "closed"),
            RequestStatus::Open => (
                HistoryAction::Reopened,
                AuditAction::RequestReopened,
                "reopened",
            ),
        };
        let detail = format!("{} {verb} request {request}.", self.users[u as usize].name);
        self.join_involved(r, &[o]);
        self.rows[r].open = to == RequestStatus::Open;
        self.changes.request(ix(r));
        let acting = self.org_code(o).clone();
        let req = &mut self.requests[r];
        req.status = to;
        req.version += 1;
        req.history.push(HistoryEvent {
            id: event_id.clone(),
            at: now,
            action: history_action,
            user: Some(actor.clone()),
            ods_code: acting.clone(),
            from: None,
            to: None,
            consent_override: Override::None,
        });
        self.reindex_request(r);
        Ok(self.push_event(AuditEvent {
            id: event_id,
            at: now,
            user: Some(actor.clone()),
            ods_code: acting,
            action,
            subject_id: request.to_string(),
            detail,
            parties: Vec::new(),
        }))
    }
}
