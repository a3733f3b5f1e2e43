//! The bodies of Messages (SPEC V, A, C): folders, covers, requests and their pages, the
//! request detail, the assign dialog's consent step and the commands on a request.

use serde::{Deserialize, Serialize};

use super::*;

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
