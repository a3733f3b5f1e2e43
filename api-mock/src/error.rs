//! The one error type of the API: every refused call answers
//! `{"error":{"code","message","field"?}}` (API.md, Errors).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::wire::{ErrorBody, ErrorDetail};
use domain::DomainError;

/// A refused call: status, stable code, human message and the offending field, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Names the field the error is about.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// 400 `invalid` about one field of the body or query.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", message).with_field(field)
    }

    /// 400 `invalid` about the body as a whole (malformed JSON, wrong Content-Type).
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in first: this call needs a valid bearer token.",
        )
    }

    /// 404 `not_found`. The body never names the id, so an id that exists but is not visible
    /// answers byte for byte like an unknown one (SPEC V4, R1).
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is nothing here, or you may not see it.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This method is not allowed on this path.",
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The body is larger than 64 KiB.",
        )
    }

    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Simulated failure (--fail-rate): try again.",
        )
    }

    /// A failure of the server itself (the disk, a broken invariant); never caused by input.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() && self.status != StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(
                status = self.status.as_u16(),
                code = self.code,
                "{}",
                self.message
            );
        }
        let bytes = serde_json::to_vec(&self.body()).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, bytes).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// API.md's status and error code for a refusal of the domain.
pub fn status_and_code(e: &DomainError) -> (StatusCode, &'static str) {
    match e {
        DomainError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        DomainError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        DomainError::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid"),
        DomainError::AlreadyShared => (StatusCode::CONFLICT, "already_shared"),
        DomainError::AgreementExists => (StatusCode::CONFLICT, "agreement_exists"),
        DomainError::Conflict => (StatusCode::CONFLICT, "conflict"),
        DomainError::PartnerNotAvailable => {
            (StatusCode::UNPROCESSABLE_ENTITY, "partner_not_available")
        }
        DomainError::InvalidTransition => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_transition"),
        DomainError::TargetNotAvailable => {
            (StatusCode::UNPROCESSABLE_ENTITY, "target_not_available")
        }
        DomainError::ConsentOverrideRequired => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "consent_override_required",
        ),
        DomainError::InvalidOverrideReason => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_override_reason")
        }
        DomainError::InvalidStatus => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_status"),
        DomainError::AlreadyAssigned => (StatusCode::UNPROCESSABLE_ENTITY, "already_assigned"),
    }
}

/// The request field a refusal is about, where API.md names one.
pub fn field_of(e: &DomainError) -> Option<&'static str> {
    match e {
        DomainError::Invalid { field } => Some(field),
        DomainError::PartnerNotAvailable => Some("partner_ods_code"),
        DomainError::InvalidOverrideReason | DomainError::ConsentOverrideRequired => {
            Some("override_reason")
        }
        _ => None,
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        if e == DomainError::NotFound {
            // One body for unknown and not visible (V4, R1).
            return ApiError::not_found();
        }
        let (status, code) = status_and_code(&e);
        let mut message = e.to_string();
        if let Some(first) = message.get(..1) {
            message = format!("{}{}.", first.to_uppercase(), &message[1..]);
        }
        let mut error = ApiError::new(status, code, message);
        error.field = field_of(&e).map(str::to_owned);
        error
    }
}

/// The answer of a successful call, or the refusal.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_error_maps_to_the_status_api_md_gives_its_code() {
        let status = |e: DomainError| status_and_code(&e).0.as_u16();
        assert_eq!(status(DomainError::NotFound), 404);
        assert_eq!(status_and_code(&DomainError::Conflict).1, "conflict");
        assert_eq!(status(DomainError::AlreadyShared), 409);
        assert_eq!(status(DomainError::AgreementExists), 409);
        assert_eq!(status(DomainError::ConsentOverrideRequired), 422);
        assert_eq!(status(DomainError::Invalid { field: "reference" }), 400);
        assert_eq!(
            field_of(&DomainError::PartnerNotAvailable),
            Some("partner_ods_code")
        );
    }
}
