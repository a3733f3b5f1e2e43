//! The national directory search (API.md, Organisations).

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::wire;

use super::{limits, ApiRouter};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;

pub fn router() -> ApiRouter {
    OpenApiRouter::new().routes(routes!(organisations_search))
}

#[utoipa::path(
    get,
    path = "/organisations",
    tag = "directory",
    params(("q" = Option<String>, Query, description = "ODS code or words of the name; at most 200 characters (400 beyond).", max_length = 200), ("limit" = Option<i64>, Query, description = "1 to 50 results (clamped), 10 by default.")),
    responses(
        (status = 200, body = wire::OrganisationResults),
        (status = 400, body = wire::ErrorBody),
    ),
)]
pub async fn organisations_search(
    SignedIn { space, .. }: SignedIn,
    query: ApiQuery,
) -> ApiResult<Json<wire::OrganisationResults>> {
    let limit = match query.get("limit") {
        None => 10,
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::invalid("limit", "limit must be a whole number."))?
            .clamp(1, 50) as usize,
    };
    let q = query.get("q").unwrap_or("");
    if q.chars().count() > limits::QUERY {
        return Err(ApiError::invalid(
            "q",
            format!("q must be at most {} characters.", limits::QUERY),
        ));
    }
    let directory = space.read().directory.clone();
    let results = directory.search(q, limit).into_iter().cloned().collect();
    Ok(Json(wire::OrganisationResults { results }))
}
