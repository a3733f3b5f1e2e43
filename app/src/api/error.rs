//! `ApiError`: why a call did not give the expected answer, in words a user can act on. It is a
//! `std::error::Error`, so a view can hand it to `<ErrorBoundary>` (`components::loaded`).

use std::fmt;

/// Why a call to the API did not give the expected answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server could not be reached at all (offline, stopped, blocked).
    Unreachable,
    /// The server answered with an error status and, usually, the error shape of API.md.
    Status {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
    /// The server answered 2xx with a body this client does not understand.
    Malformed,
}

impl ApiError {
    /// A sentence for the interface (the same as `Display`).
    pub fn user_message(&self) -> String {
        self.to_string()
    }

    /// The API.md error code, if the server gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { code, .. } if !code.is_empty() => Some(code),
            _ => None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether someone else changed the request first (SPEC A5).
    pub fn is_conflict(&self) -> bool {
        self.code() == Some("conflict") || self.status() == Some(409)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unreachable => f.write_str(
                "The Collaboration service cannot be reached. Check your connection and try again.",
            ),
            ApiError::Status { status: 503, .. } => {
                f.write_str("The service is busy or unavailable right now. Try again.")
            }
            ApiError::Status {
                status, message, ..
            } if message.is_empty() => write!(f, "The service answered with an error ({status})."),
            ApiError::Status { message, .. } => f.write_str(message),
            ApiError::Malformed => f.write_str(
                "The service sent an answer this page does not understand. Reload the page to \
                 get the latest version.",
            ),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::ApiError;

    fn status(status: u16, message: &str) -> ApiError {
        ApiError::Status {
            status,
            code: String::new(),
            message: message.to_string(),
            field: None,
        }
    }

    #[test]
    fn a_refusal_reads_as_the_servers_sentence() {
        assert_eq!(status(422, "Give a reason.").to_string(), "Give a reason.");
    }

    #[test]
    fn an_error_without_words_names_its_status() {
        assert_eq!(
            status(500, "").to_string(),
            "The service answered with an error (500)."
        );
    }

    #[test]
    fn a_busy_service_says_try_again_whatever_it_sent() {
        assert!(status(503, "x").to_string().ends_with("Try again."));
    }
}
