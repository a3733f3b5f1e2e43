//! The national directory search (API.md, Organisations).

use axum::routing::get;
use axum::{Json, Router};

use domain::wire;

use super::{ApiRouter, AppStateRef};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;

pub fn router() -> ApiRouter {
    Router::new().route("/organisations", get(organisations_search))
}

pub async fn organisations_search(
    state: AppStateRef,
    _user: CurrentUser,
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
    let directory = state.read().directory.clone();
    let q = query.get("q").unwrap_or("");
    let results = directory.search(q, limit).into_iter().cloned().collect();
    Ok(Json(wire::OrganisationResults { results }))
}
