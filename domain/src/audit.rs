//! The audit log (L1–L2): immutable events appended by every command.

use crate::ids::EventId;
use crate::ids::{RequestId, UserId};
use crate::ods::OdsCode;
use crate::time::Timestamp;
use crate::world::World;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// What an audit event records, with the API.md snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AuditAction {
    ShareCreated,
    ShareRestrictionChanged,
    ShareRemoved,
    ShareEnabled,
    ShareDisabled,
    RequestReceived,
    RequestAssigned,
    RequestClosed,
    RequestReopened,
    CoversChanged,
    AgreementProposed,
    AgreementAccepted,
    AgreementRefused,
}

impl AuditAction {
    /// Every action, in API.md's order.
    pub const ALL: [AuditAction; 13] = [
        AuditAction::ShareCreated,
        AuditAction::ShareRestrictionChanged,
        AuditAction::ShareRemoved,
        AuditAction::ShareEnabled,
        AuditAction::ShareDisabled,
        AuditAction::RequestReceived,
        AuditAction::RequestAssigned,
        AuditAction::RequestClosed,
        AuditAction::RequestReopened,
        AuditAction::CoversChanged,
        AuditAction::AgreementProposed,
        AuditAction::AgreementAccepted,
        AuditAction::AgreementRefused,
    ];

    /// The action of an API.md name; None for any other text.
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The API.md name, `share_created` …
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ShareCreated => "share_created",
            AuditAction::ShareRestrictionChanged => "share_restriction_changed",
            AuditAction::ShareRemoved => "share_removed",
            AuditAction::ShareEnabled => "share_enabled",
            AuditAction::ShareDisabled => "share_disabled",
            AuditAction::RequestReceived => "request_received",
            AuditAction::RequestAssigned => "request_assigned",
            AuditAction::RequestClosed => "request_closed",
            AuditAction::RequestReopened => "request_reopened",
            AuditAction::CoversChanged => "covers_changed",
            AuditAction::AgreementProposed => "agreement_proposed",
            AuditAction::AgreementAccepted => "agreement_accepted",
            AuditAction::AgreementRefused => "agreement_refused",
        }
    }
}

/// One immutable audit event (L1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct AuditEvent {
    pub id: EventId,
    pub at: Timestamp,
    /// None for a received request.
    pub user: Option<UserId>,
    /// The acting organisation (the origin for a received request).
    pub ods_code: OdsCode,
    pub action: AuditAction,
    /// The share, agreement, request or user the event is about.
    pub subject_id: String,
    /// A human sentence, with the override reason where one was given.
    pub detail: String,
    /// For share and agreement events, the two organisations party to them (L2): both see the
    /// event in their audit log. Empty for request and covers events.
    pub parties: Vec<OdsCode>,
}

/// The names people read beside an audit event's ids (issue 15), as `viewer`'s log shows them:
/// the acting user's and organisation's names, and a request event's subject only while
/// `viewer` sees the request (V1–V4). An organisation's log may hold events on a request it no
/// longer sees, and the subject must not leak through it. The JSON log and the CSV export both
/// take their names from here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditNames<'a> {
    /// None for a received request, or a user the world does not know.
    pub user_name: Option<&'a str>,
    pub organisation_name: Option<&'a str>,
    /// None for an event not about a request, or a request `viewer` does not see.
    pub request_subject: Option<&'a str>,
}

impl AuditAction {
    /// Whether the event's `subject_id` is a request id.
    pub fn is_about_a_request(self) -> bool {
        matches!(
            self,
            AuditAction::RequestReceived
                | AuditAction::RequestAssigned
                | AuditAction::RequestClosed
                | AuditAction::RequestReopened
        )
    }
}

impl World {
    /// The names of `e` for `viewer`'s log (see [`AuditNames`]).
    pub fn audit_names(&self, viewer: &OdsCode, e: &AuditEvent) -> AuditNames<'_> {
        let request_subject = e
            .action
            .is_about_a_request()
            .then(|| self.request_for(&RequestId::new(e.subject_id.clone()), viewer))
            .flatten()
            .map(|r| r.subject.as_str());
        AuditNames {
            user_name: e
                .user
                .as_ref()
                .and_then(|u| self.user(u))
                .map(|u| u.name.as_str()),
            organisation_name: self.organisation(&e.ods_code).map(|o| o.name.as_str()),
            request_subject,
        }
    }

    /// L2: the events `org`'s users made (and requests it received), plus the events on shares
    /// and agreements it is a party to, newest first. Events other organisations made on a
    /// request appear only in that request's history.
    ///
    /// A scan and sort of the whole log: the oracle the paged walk (`World::audit_page`,
    /// `crate::audit_pages`) is tested against, for tests only (feature `oracles`).
    #[cfg(any(test, feature = "oracles"))]
    pub fn audit_for(&self, org: &OdsCode) -> Vec<&AuditEvent> {
        let mut out: Vec<&AuditEvent> = self
            .audit
            .iter()
            .rev()
            .filter(|e| &e.ods_code == org || e.parties.contains(org))
            .collect();
        // The log is appended in command order; callers may pass clocks that are not monotonic,
        // so sort by time too (stable: ties keep newest-appended first).
        out.sort_by_key(|e| std::cmp::Reverse(e.at));
        out
    }

    /// The whole log, oldest first (for the server's persistence and tests).
    pub fn audit_log(&self) -> &imbl::Vector<AuditEvent> {
        &self.audit
    }
}
