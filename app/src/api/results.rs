//! The facilitator's results and exports (SPEC K7, API.md "Research studies"): the results as
//! JSON, and the CSV, the JSON file with every log and one participant's log as text for a
//! download. Every call carries the facilitator's token in its header, never in the address
//! (K8), which is why the page fetches the files itself rather than linking to them.

use std::future::Future;

use domain::research::wire::ResultsView;
use gloo_net::http::{Method, RequestBuilder};

use super::research::{participant_path, prepare, send};
use super::{json, ApiError};

const RESULTS: &str = "/api/research/results";

/// The body of an answer as text.
fn text(builder: RequestBuilder) -> impl Future<Output = Result<String, ApiError>> {
    let sent = send(builder.build());
    async move {
        let response = sent.await?;
        response.text().await.map_err(|_| ApiError::Unreachable)
    }
}

/// `GET /api/research/results`.
pub fn results(token: &str) -> impl Future<Output = Result<ResultsView, ApiError>> {
    let sent = send(prepare(Method::GET, RESULTS, token).build());
    async move { json(sent.await?).await }
}

/// `GET /api/research/results?format=csv`: a row per participant and task attempted.
pub fn results_csv(token: &str) -> impl Future<Output = Result<String, ApiError>> {
    text(prepare(Method::GET, RESULTS, token).query([("format", "csv")]))
}

/// `GET /api/research/results?format=json`: the results and every participant's log.
pub fn results_json(token: &str) -> impl Future<Output = Result<String, ApiError>> {
    text(prepare(Method::GET, RESULTS, token).query([("format", "json")]))
}

/// `GET /api/research/participants/{id}/log`: the log as JSON lines.
pub fn participant_log(token: &str, id: &str) -> impl Future<Output = Result<String, ApiError>> {
    text(prepare(
        Method::GET,
        &participant_path(id, Some("log")),
        token,
    ))
}
