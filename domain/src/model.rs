//! The plain data of SPEC §2. A `World` owns these and keeps their invariants; it hands out
//! shared references only, so fields are public for reading and mapping to the wire.

use crate::ids::{AgreementId, EventId, GroupId, PatientId, RequestId, ShareId, TargetId, UserId};
use crate::nhs::NhsNumber;
use crate::ods::OdsCode;
use crate::time::Timestamp;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// An NHS organisation (SPEC §2). `kind` is free text (`gp_practice`, `pcn`, `pharmacy`, …):
/// no rule depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Organisation {
    pub ods_code: OdsCode,
    pub name: String,
    pub kind: String,
    pub postcode: String,
    pub active: bool,
}

/// A user's role (R1): changes marked "admin only" are refused to staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Staff,
}

/// A colleague: belongs to one organisation; also a target (A2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub ods_code: OdsCode,
    pub active: bool,
}

/// A group of an organisation: a target.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub ods_code: OdsCode,
}

/// What a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetKind {
    Group,
    Colleague,
}

/// A target as queries describe it: a group or a colleague, with its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    pub id: TargetId,
    pub kind: TargetKind,
    pub name: String,
    pub owner: OdsCode,
    /// Always true for groups; a colleague's `active` flag (A2).
    pub active: bool,
}

/// A patient's sharing preference, read live by V2 and A3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sharing {
    Share,
    DoNotShare,
}

/// A patient (SPEC §2). `date_of_birth` is a checked `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Patient {
    pub id: PatientId,
    pub name: String,
    pub nhs_number: NhsNumber,
    pub date_of_birth: String,
    pub sharing: Sharing,
}

/// Whether a request is open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestStatus {
    Open,
    Closed,
}

/// The kind of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestKind {
    Medical,
    Admin,
}

/// Where a request sits: a target, or the inbox of an organisation (unassigned).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", content = "id", rename_all = "snake_case")
)]
pub enum Assignee {
    Target(TargetId),
    Inbox(OdsCode),
}

/// How the consent step of A3 was satisfied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Override {
    /// No override was needed.
    #[default]
    None,
    /// The user's reason, verbatim (A3).
    Reason { reason: String },
    /// An active agreement between the origin and the target's owner (A3, D2).
    Agreement {
        agreement_id: AgreementId,
        reference: String,
    },
}

/// What happened to a request, in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryAction {
    Received,
    Assigned,
    Closed,
    Reopened,
}

/// One entry of a request's append-only history (A4, L1). Its id is the id of the audit event
/// recorded by the same command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct HistoryEvent {
    pub id: EventId,
    pub at: Timestamp,
    pub action: HistoryAction,
    /// None for a received request.
    pub user: Option<UserId>,
    pub ods_code: OdsCode,
    pub from: Option<Assignee>,
    pub to: Option<Assignee>,
    pub consent_override: Override,
}

/// A patient request (SPEC §2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Request {
    pub id: RequestId,
    pub origin: OdsCode,
    pub patient: PatientId,
    pub received_at: Timestamp,
    pub kind: RequestKind,
    pub subject: String,
    pub message: String,
    pub status: RequestStatus,
    pub assignee: Assignee,
    /// Starts at 1 and grows by one with each change (A5).
    pub version: u64,
    /// involved(R), sorted by ODS code; only ever grows (SPEC §2).
    pub involved: Vec<OdsCode>,
    pub history: Vec<HistoryEvent>,
}

impl Request {
    /// The time of the latest history event (C4 "last activity").
    pub fn last_activity(&self) -> Timestamp {
        self.history.last().map_or(self.received_at, |e| e.at)
    }
}

/// The state of a share (S4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShareState {
    Pending,
    Enabled,
    Disabled,
}

/// A target shared with a partner organisation (SPEC §2, S1–S7).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Share {
    pub id: ShareId,
    pub target: TargetId,
    pub owner: OdsCode,
    pub partner: OdsCode,
    pub restricted: bool,
    pub state: ShareState,
    pub created_at: Timestamp,
}

/// One side's answer to an agreement (D1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Answer {
    Accepted,
    Refused,
}

/// A data sharing agreement between two organisations (D1–D3).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Agreement {
    pub id: AgreementId,
    pub proposer: OdsCode,
    pub partner: OdsCode,
    pub reference: String,
    /// Starts `Some(Accepted)`.
    pub proposer_answer: Option<Answer>,
    /// Starts `None` (unanswered).
    pub partner_answer: Option<Answer>,
    pub created_at: Timestamp,
}

impl Agreement {
    /// Active only while both sides have accepted (D1, D2).
    pub fn active(&self) -> bool {
        self.proposer_answer == Some(Answer::Accepted)
            && self.partner_answer == Some(Answer::Accepted)
    }

    /// Whether `org` is one of the two parties.
    pub fn is_party(&self, org: &OdsCode) -> bool {
        &self.proposer == org || &self.partner == org
    }

    /// `(our answer, their answer)` as seen from `org`, a party.
    pub fn answers_for(&self, org: &OdsCode) -> (Option<Answer>, Option<Answer>) {
        if &self.proposer == org {
            (self.proposer_answer, self.partner_answer)
        } else {
            (self.partner_answer, self.proposer_answer)
        }
    }

    /// The other party, seen from `org`.
    pub fn other_party(&self, org: &OdsCode) -> &OdsCode {
        if &self.proposer == org {
            &self.partner
        } else {
            &self.proposer
        }
    }
}

/// A patient request arriving (L1): the input of `World::receive_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub id: RequestId,
    pub origin: OdsCode,
    pub patient: PatientId,
    pub kind: RequestKind,
    pub subject: String,
    pub message: String,
}
