//! The errors of the domain boundary: one enum for the rules (`DomainError`) and one for parsing
//! values (`ParseError`). Variants are named after the rule they enforce (SPEC.md rule ids).

use thiserror::Error;

/// A value that does not have the shape its type requires.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// An ODS code must be 3–10 upper-case ASCII letters or digits (SPEC §2).
    #[error("an ODS code is 3 to 10 upper-case letters or digits")]
    OdsCode,
    /// An NHS number must be 10 digits with a valid modulus-11 check digit (SPEC §2).
    #[error("an NHS number is 10 digits with a valid modulus-11 check digit")]
    NhsNumber,
    /// A time must be RFC 3339 (`2026-11-25T10:00:00Z`).
    #[error("a time is RFC 3339, for example 2026-11-25T10:00:00Z")]
    Timestamp,
    /// A date must be `YYYY-MM-DD` and exist in the calendar.
    #[error("a date is YYYY-MM-DD")]
    Date,
}

impl ParseError {
    /// The API field this error is about, for a 400 `invalid` answer.
    pub fn field(&self) -> &'static str {
        match self {
            ParseError::OdsCode => "ods_code",
            ParseError::NhsNumber => "nhs_number",
            ParseError::Timestamp => "at",
            ParseError::Date => "date_of_birth",
        }
    }
}

/// Why a command or a load was refused. Every refusal leaves the `World` unchanged. The HTTP
/// status and error code each variant answers with are the server's business (api-mock's
/// `error.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// Unknown, or exists but not visible to the caller (V4, R1): the two are indistinguishable.
    #[error("not found")]
    NotFound,
    /// The caller's role or organisation may not make this change (S1, S4, S5, D1, R1).
    #[error("you may not make this change")]
    Forbidden,
    /// A malformed or missing input value.
    #[error("invalid value for {field}")]
    Invalid {
        /// The input field at fault.
        field: &'static str,
    },
    /// S2: the target is already shared with this partner.
    #[error("this target is already shared with that organisation")]
    AlreadyShared,
    /// S3, D1: own, unknown or inactive organisation.
    #[error("that organisation cannot be chosen")]
    PartnerNotAvailable,
    /// S4: Disable on a pending share.
    #[error("a pending share cannot be disabled")]
    InvalidTransition,
    /// A2, C1, S3: the target (or folder) is not available to this organisation.
    #[error("that target is not available")]
    TargetNotAvailable,
    /// A3: a reason is needed to override the patient's do_not_share preference.
    #[error("the patient asked not to share: give a reason to override")]
    ConsentOverrideRequired,
    /// A3: the override reason must be 10–1000 characters after trimming.
    #[error("the override reason must be 10 to 1000 characters")]
    InvalidOverrideReason,
    /// A1: a closed request cannot be assigned (and only a closed one reopened, an open one
    /// closed).
    #[error("the request's status does not allow this")]
    InvalidStatus,
    /// A1: the request is already assigned to that target.
    #[error("the request is already assigned there")]
    AlreadyAssigned,
    /// A5: the change was based on another version of the request.
    #[error("the request changed meanwhile")]
    Conflict,
    /// D1: an agreement already exists between the two organisations.
    #[error("an agreement already exists with that organisation")]
    AgreementExists,
}

impl From<ParseError> for DomainError {
    fn from(e: ParseError) -> Self {
        DomainError::Invalid { field: e.field() }
    }
}
