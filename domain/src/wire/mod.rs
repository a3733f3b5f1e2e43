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

mod events;
mod messages;

// Messages (SPEC V, A, C) and live updates (SPEC E1–E4), in modules of their own; named here
// as before (`wire::Folder`, `wire::event_kind::REQUEST`).
pub use events::*;
pub use messages::*;

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
