//! The JSON bodies of `shared/API.md`, shared by the client (`app`, wasm32) and the server
//! (`api-mock`) so that the two never drift apart.
//!
//! Plain structs and enums with serde derives only: no std-only dependency, no behaviour.
//! Request bodies refuse unknown fields (API.md: 400 `invalid`); response bodies accept them so
//! the server may add fields without breaking an older client. A field that API.md marks `?` is
//! an `Option` left out when `None`; a field that API.md says may be `null` is an `Option` that
//! is always written.

use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Shared small pieces
// ---------------------------------------------------------------------------------------------

/// A user's role (SPEC R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Staff,
}

/// A patient's data sharing preference (SPEC V2, A3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    Share,
    DoNotShare,
}

/// The state of a share (SPEC S4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    Pending,
    Enabled,
    Disabled,
}

/// What a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Group,
    Colleague,
}

/// Who a request is assigned to: a target, or the inbox of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeKind {
    Group,
    Colleague,
    Inbox,
}

/// The kind of a patient request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Medical,
    Admin,
}

/// Whether a request is open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Closed,
}

/// The `status` filter of `GET /api/requests` (default `open`, SPEC C4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    #[default]
    Open,
    Closed,
    All,
}

/// One side's answer to a data sharing agreement (SPEC D1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accepted,
    Refused,
}

/// An organisation named by code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub ods_code: String,
    pub name: String,
}

/// A target named by id, kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRef {
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
}

/// The error body of every refused call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `{"code","message","field"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `GET /api/health`: `status` is always `"ok"`; the simulated latency and failure rate are
/// present only while switched on, so the client can say so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_rate: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

/// An item of `GET /api/personas`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub ods_code: String,
    pub organisation: String,
}

/// `POST /api/session` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionCreate {
    pub user_id: String,
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub ods_code: String,
}

/// `POST /api/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: UserView,
}

/// An organisation of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub ods_code: String,
    pub name: String,
    pub kind: String,
    pub postcode: String,
    pub active: bool,
}

/// `GET /api/me` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: UserView,
    pub organisation: Organisation,
}

/// `GET /api/organisations` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationResults {
    pub results: Vec<Organisation>,
}

// ---------------------------------------------------------------------------------------------
// Sharing (SPEC S1–S7)
// ---------------------------------------------------------------------------------------------

/// One share as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub id: String,
    pub partner: OrgRef,
    pub restricted: bool,
    pub state: ShareState,
}

/// An item of `GET /api/targets`: one of the organisation's groups or colleagues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
    pub shares: Vec<Share>,
}

/// `POST /api/shares` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareCreate {
    pub target_id: String,
    pub partner_ods_code: String,
    pub restricted: bool,
}

/// `PATCH /api/shares/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareUpdate {
    pub restricted: bool,
}

/// An item of `GET /api/external`: a target another organisation shared with ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalShare {
    pub share_id: String,
    pub target: TargetRef,
    pub owner: OrgRef,
    pub restricted: bool,
    pub state: ShareState,
}

// ---------------------------------------------------------------------------------------------
// Agreements (SPEC D1–D3)
// ---------------------------------------------------------------------------------------------

/// An item of `GET /api/agreements`, seen from the caller's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: String,
    pub partner: OrgRef,
    pub reference: String,
    pub proposed_by_ods_code: String,
    /// `null` while unanswered.
    pub our_answer: Option<Answer>,
    /// `null` while unanswered.
    pub their_answer: Option<Answer>,
    pub active: bool,
    pub created_at: String,
}

/// `POST /api/agreements` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementCreate {
    pub partner_ods_code: String,
    pub reference: String,
}

// ---------------------------------------------------------------------------------------------
// Messages (SPEC V, A, C)
// ---------------------------------------------------------------------------------------------

/// The kind of a folder (SPEC C3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderKind {
    All,
    Mine,
    Target,
    External,
    SentExternally,
}

/// An item of `GET /api/folders` and of the `PUT /api/covers` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    pub id: String,
    pub kind: FolderKind,
    pub name: String,
    pub owner_ods_code: String,
    pub owner_name: String,
    pub open_count: u32,
    pub covered: bool,
    /// False for the folder of an inactive colleague.
    pub active: bool,
}

/// `PUT /api/covers` body: the complete new set of covered folders (SPEC C1, C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoversUpdate {
    pub folder_ids: Vec<String>,
}

/// A patient as shown with a request; `date_of_birth` only on the detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patient {
    pub name: String,
    pub nhs_number: String,
    pub sharing: Sharing,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
}

/// Who a request is assigned to; an inbox has the organisation's code as `id` and its name as
/// `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub kind: AssigneeKind,
    pub id: String,
    pub name: String,
    pub ods_code: String,
}

/// An item of `GET /api/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub patient: Patient,
    pub subject: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub origin_ods_code: String,
    pub assignee: Assignee,
    pub updated_at: String,
    pub version: u64,
}

/// Why the caller's organisation sees a request (SPEC V1, V2): `involved` when both apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisibleBecause {
    Involved,
    UnrestrictedShare,
}

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    Received,
    Assigned,
    Closed,
    Reopened,
}

/// A user named in a history event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: String,
    pub name: String,
}

/// How an assignment overrode a `do_not_share` preference (SPEC A3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Override {
    Reason {
        reason: String,
    },
    Agreement {
        agreement_id: String,
        reference: String,
    },
}

/// One event of a request's history (SPEC A4, L2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub id: String,
    pub at: String,
    pub action: HistoryAction,
    /// `null` for a received request.
    pub user: Option<UserRef>,
    pub ods_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Assignee>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Assignee>,
    #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
}

/// `GET /api/requests/{id}` and the answer to every change of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: String,
    pub patient: Patient,
    pub subject: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub origin_ods_code: String,
    pub assignee: Assignee,
    pub updated_at: String,
    pub version: u64,
    pub message: String,
    pub received_at: String,
    pub origin: OrgRef,
    pub holder: OrgRef,
    pub history: Vec<HistoryEvent>,
    pub visible_because: VisibleBecause,
}

/// What an assignment to a target would need (SPEC A3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    None,
    Agreement,
    Reason,
}

/// An agreement named by id and reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementRef {
    pub id: String,
    pub reference: String,
}

/// Who would see a request after an assignment: organisations by name, other unrestricted
/// partners of the target only as a number (SPEC §4, assign dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WouldSee {
    pub organisations: Vec<OrgRef>,
    pub other_unrestricted_partners: u32,
}

/// An item of `GET /api/requests/{id}/assignable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignable {
    pub target: TargetRef,
    pub owner: OrgRef,
    pub consent: Consent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementRef>,
    pub would_see: WouldSee,
}

/// `POST /api/requests/{id}/assign` body (SPEC A1–A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignCommand {
    pub target_id: String,
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// `POST /api/requests/{id}/close` and `/reopen` body (SPEC A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionCommand {
    pub version: u64,
}

// ---------------------------------------------------------------------------------------------
// Audit (SPEC L1–L2)
// ---------------------------------------------------------------------------------------------

/// What an audit event records: the domain's own enum, whose serde names are API.md's.
pub use crate::audit::AuditAction;

/// An item of `GET /api/audit`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    /// `null` for a received request (SPEC L1).
    pub user_id: Option<String>,
    pub ods_code: String,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: String,
}

// ---------------------------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------------------------

/// `POST /api/demo/requests` body: a patient request arriving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoRequestCreate {
    pub ods_code: String,
    pub patient_id: String,
    pub subject: String,
    pub message: String,
    pub kind: RequestKind,
}

/// `POST /api/demo/patients/{id}/sharing` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSharingUpdate {
    pub sharing: Sharing,
}

/// `POST /api/demo/patients/{id}/sharing` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPatient {
    pub id: String,
    pub name: String,
    pub nhs_number: String,
    pub sharing: Sharing,
}
