//! The only module that knows the API's URLs and wire format.

use gloo_net::http::Request;
use serde::Deserialize;

/// Why a call to the API did not give the expected answer, in words a user can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server could not be reached at all (offline, stopped, blocked).
    Unreachable,
    /// The server answered with an error status.
    Status { status: u16, code: String, message: String },
    /// The server answered 2xx with a body this client does not understand.
    Malformed,
}

impl ApiError {
    /// A sentence for the interface.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Unreachable => {
                "The Collaboration service cannot be reached. Check your connection and try again."
                    .to_string()
            }
            ApiError::Status { status, message, .. } if message.is_empty() => {
                format!("The service answered with an error ({status}).")
            }
            ApiError::Status { message, .. } => message.clone(),
            ApiError::Malformed => "The service sent an answer this page does not understand. \
                                    Reload the page to get the latest version."
                .to_string(),
        }
    }
}

/// `GET /api/health`: whether the service is up, and which UX-testing knobs are on.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Health {
    pub status: String,
    /// Simulated latency, e.g. "300" or "100-400" milliseconds, when `--latency-ms` is set.
    #[serde(default)]
    pub latency_ms: Option<serde_json::Value>,
    /// Share of calls failed on purpose, when `--fail-rate` is set.
    #[serde(default)]
    pub fail_rate: Option<f64>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

/// Checks the service and reads its knobs.
pub async fn health() -> Result<Health, ApiError> {
    let response = Request::get("/api/health").send().await.map_err(|_| ApiError::Unreachable)?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    response.json::<Health>().await.map_err(|_| ApiError::Malformed)
}

async fn error_from(response: gloo_net::http::Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Status { status, code: body.error.code, message: body.error.message },
        // A proxy or a stopped backend answers without our error shape.
        Err(_) if status == 502 || status == 503 || status == 504 => ApiError::Unreachable,
        Err(_) => ApiError::Status { status, code: String::new(), message: String::new() },
    }
}
