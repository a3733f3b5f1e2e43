//! The JSON bodies of `shared/API.md`, shared by the client (`app`, wasm32) and the server
//! (`api-mock`) so that the two never drift apart.
//!
//! Plain structs with serde derives only (the enums are the domain's own, re-exported): no
//! std-only dependency, no behaviour.
//! Request bodies refuse unknown fields (API.md: 400 `invalid`); response bodies accept them so
//! the server may add fields without breaking an older client. A field that API.md marks `?` is
//! an `Option` left out when `None`; a field that API.md says may be `null` is an `Option` that
//! is always written.
//!
//! With the `openapi` feature every type also derives utoipa's `ToSchema`, and request bodies
//! carry the limits the server enforces (API.md: longer or blank texts are 400 `invalid`), so
//! the server's generated OpenAPI document says what it accepts.

use serde::{Deserialize, Serialize};

// The domain's own enums go on the wire as they are (their serde names are API.md's): one
// definition each, re-exported here so client and server name them `wire::Role` and so on.
pub use crate::audit::AuditAction;
pub use crate::folders::{FolderKind, StatusFilter};
pub use crate::model::{
    Answer, HistoryAction, RequestKind, RequestStatus, Role, ShareState, Sharing, TargetKind,
};
pub use crate::visibility::VisibleBecause;

// ---------------------------------------------------------------------------------------------
// Shared small pieces
// ---------------------------------------------------------------------------------------------

/// Who a request is assigned to: a target, or the inbox of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssigneeKind {
    Group,
    Colleague,
    Inbox,
}

/// An organisation named by code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgRef {
    pub ods_code: String,
    pub name: String,
}

/// A target named by id, kind and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetRef {
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
}

/// The error body of every refused call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `{"code","message","field"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `GET /api/health`: `status` is always `"ok"`; the simulated latency and failure rate are
/// present only while switched on, so the client can say so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Persona {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub ods_code: String,
    pub organisation: String,
}

/// `POST /api/session` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub user_id: String,
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub ods_code: String,
}

/// `POST /api/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub token: String,
    pub user: UserView,
    /// With a participant's token (API.md "Research studies"): the study and the personas
    /// the participant may switch between; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<crate::research::wire::ParticipantOf>,
}

/// An organisation of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub ods_code: String,
    pub name: String,
    pub kind: String,
    pub postcode: String,
    pub active: bool,
}

/// `GET /api/me` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserView,
    pub organisation: Organisation,
    /// With a participant's token (API.md "Research studies"): the study and the personas
    /// the participant may switch between; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<crate::research::wire::ParticipantOf>,
}

/// `GET /api/organisations` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationResults {
    pub results: Vec<Organisation>,
}

// ---------------------------------------------------------------------------------------------
// Sharing (SPEC S1–S7)
// ---------------------------------------------------------------------------------------------

/// One share as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    pub id: String,
    pub partner: OrgRef,
    pub restricted: bool,
    pub state: ShareState,
}

/// An item of `GET /api/targets`: one of the organisation's groups or colleagues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    pub id: String,
    pub kind: TargetKind,
    pub name: String,
    pub shares: Vec<Share>,
}

/// `POST /api/shares` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShareCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub target_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 16, pattern = r"\S")
    )]
    pub partner_ods_code: String,
    pub restricted: bool,
}

/// `PATCH /api/shares/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShareUpdate {
    pub restricted: bool,
}

/// An item of `GET /api/external`: a target another organisation shared with ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgreementCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 16, pattern = r"\S")
    )]
    pub partner_ods_code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 1000, pattern = r"\S")
    )]
    pub reference: String,
}

// ---------------------------------------------------------------------------------------------
// Messages (SPEC V, A, C)
// ---------------------------------------------------------------------------------------------

/// An item of `GET /api/folders` and of the `PUT /api/covers` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CoversUpdate {
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::folder_ids))]
    pub folder_ids: Vec<String>,
}

/// A patient as shown with a request; `date_of_birth` only on the detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    pub kind: AssigneeKind,
    pub id: String,
    pub name: String,
    pub ods_code: String,
}

/// An item of `GET /api/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// `GET /api/requests`: one page of a folder or of the Messages page, in the C4 order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    /// Every request of the folder and status the caller sees (after visibility).
    pub total: u64,
    /// Opaque: the `cursor` of the next page, null on the last page.
    pub next_cursor: Option<String>,
    /// Opaque: the `cursor` of the previous page, null on the first page.
    pub prev_cursor: Option<String>,
}

/// A user named in a history event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: String,
    pub name: String,
}

/// How an assignment overrode a `do_not_share` preference (SPEC A3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    None,
    Agreement,
    Reason,
}

/// An agreement named by id and reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementRef {
    pub id: String,
    pub reference: String,
}

/// Who would see a request after an assignment: organisations by name, other unrestricted
/// partners of the target only as a number (SPEC §4, assign dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WouldSee {
    pub organisations: Vec<OrgRef>,
    pub other_unrestricted_partners: u32,
}

/// An item of `GET /api/requests/{id}/assignable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignCommand {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub target_id: String,
    #[serde(deserialize_with = "whole_number")]
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// `POST /api/requests/{id}/close` and `/reopen` body (SPEC A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionCommand {
    #[serde(deserialize_with = "whole_number")]
    pub version: u64,
}

// ---------------------------------------------------------------------------------------------
// Audit (SPEC L1–L2)
// ---------------------------------------------------------------------------------------------

/// An item of `GET /api/audit`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    /// `null` for a received request (SPEC L1).
    pub user_id: Option<String>,
    pub ods_code: String,
    pub action: AuditAction,
    pub subject_id: String,
    pub detail: String,
    /// The acting user's name; absent for a received request (issue 15: the log in people's
    /// words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The acting organisation's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_name: Option<String>,
    /// For a request event, the request's subject, only while the caller's organisation may
    /// see the request (SPEC V1–V4); absent otherwise, so the log reveals no subject it could
    /// not read in Messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_subject: Option<String>,
}

/// `GET /api/audit`: one page of the organisation's log, newest first, paged like
/// `GET /api/requests` (issue 19; earlier versions answered the whole log as a bare array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Every event of the organisation's log (of the `action` asked for, if any).
    pub total: u64,
    /// Opaque: the `cursor` of the next (older) page, null on the last page.
    pub next_cursor: Option<String>,
    /// Opaque: the `cursor` of the previous (newer) page, null on the first page.
    pub prev_cursor: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------------------------

/// `POST /api/demo/requests` body: a patient request arriving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoRequestCreate {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 16, pattern = r"\S")
    )]
    pub ods_code: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub patient_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub subject: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, pattern = r"\S")
    )]
    pub message: String,
    pub kind: RequestKind,
    /// While a study is loaded (facilitator only): the participant whose sandbox this acts on;
    /// without it, the plain demo world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
}

/// `POST /api/demo/patients/{id}/sharing` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoSharingUpdate {
    pub sharing: Sharing,
    /// While a study is loaded (facilitator only): the participant whose sandbox this acts on;
    /// without it, the plain demo world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
}

/// `POST /api/demo/reset` body (optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoReset {
    /// While a study is loaded (facilitator only): the participant whose sandbox this acts on;
    /// without it, the plain demo world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
}

/// `POST /api/demo/patients/{id}/sharing` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoPatient {
    pub id: String,
    pub name: String,
    pub nhs_number: String,
    pub sharing: Sharing,
}

// ---------------------------------------------------------------------------------------------
// Live updates (SPEC E1–E4)
// ---------------------------------------------------------------------------------------------

/// `POST /api/events/ticket` answer: a single-use ticket for `GET /api/events?ticket=T`
/// (a browser's `EventSource` cannot send an `Authorization` header; the token never goes into
/// a URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventTicket {
    pub ticket: String,
    pub expires_in_s: u64,
}

/// The `data:` of a `request` event: the request changed, or came into (`visible: true`) or
/// went out of (`visible: false`) the organisation's sight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestEvent {
    pub id: String,
    pub version: u64,
    pub visible: bool,
}

/// A share's state in a `share` event: its state, or `removed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareEventState {
    Pending,
    Enabled,
    Disabled,
    Removed,
}

impl From<Option<ShareState>> for ShareEventState {
    fn from(state: Option<ShareState>) -> Self {
        match state {
            Some(ShareState::Pending) => ShareEventState::Pending,
            Some(ShareState::Enabled) => ShareEventState::Enabled,
            Some(ShareState::Disabled) => ShareEventState::Disabled,
            None => ShareEventState::Removed,
        }
    }
}

/// The `data:` of a `share` event (to the owner and the partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareEvent {
    pub id: String,
    pub target_id: String,
    pub state: ShareEventState,
    pub restricted: bool,
}

/// The `data:` of an `agreement` event (to both parties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementEvent {
    pub id: String,
    pub active: bool,
}

/// The `data:` of `covers` and `reset` events: `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmptyEvent {}

/// The `event:` names of the stream.
pub mod event_kind {
    pub const REQUEST: &str = "request";
    pub const SHARE: &str = "share";
    pub const AGREEMENT: &str = "agreement";
    pub const COVERS: &str = "covers";
    pub const RESET: &str = "reset";
}

/// A version in a command: a JSON number with no fractional part, `3` or `3.0` (JSON Schema
/// 2020-12, which the OpenAPI 3.1 document follows, calls both integers). Negative, fractional
/// or non-finite numbers are refused.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Whole;

    impl serde::de::Visitor<'_> for Whole {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number from 0")
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            if v.is_finite() && v.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&v) {
                Ok(v as u64)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
    }

    deserializer.deserialize_u64(Whole)
}

/// Schemas utoipa cannot derive here.
#[cfg(feature = "openapi")]
pub mod openapi {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::RefOr;
    use utoipa::{PartialSchema, ToSchema};

    /// `CoversUpdate.folder_ids`: at most 500 ids, each a non-blank text of at most 100.
    pub fn folder_ids() -> ArrayBuilder {
        ArrayBuilder::new().max_items(Some(500)).items(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .min_length(Some(1))
                .max_length(Some(100))
                .pattern(Some(r"\S")),
        )
    }

    // `VisibleBecause` lives in `visibility.rs`; its schema is written here, from its serde
    // names, which `wire_json` and the tests check.
    impl PartialSchema for super::VisibleBecause {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(["involved", "unrestricted_share"]))
                .into()
        }
    }

    impl ToSchema for super::VisibleBecause {}
}
