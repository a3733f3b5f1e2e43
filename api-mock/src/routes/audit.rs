//! The audit log of the caller's organisation (SPEC L1, L2), as JSON or CSV.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::wire;

use super::{ApiRouter, AppStateRef};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::views;

/// The `format` query parameter (documentation only: the handler reads the query itself, so
/// an unknown value gets API.md's 400 `invalid` with the field named).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum AuditFormat {
    Json,
    Csv,
}

pub fn router() -> ApiRouter {
    OpenApiRouter::new().routes(routes!(audit_list))
}

#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(("format" = Option<AuditFormat>, Query, description = "json (default) or csv.")),
    responses(
        (status = 200, content((Vec<wire::AuditEntry> = "application/json"), (String = "text/csv"))),
        (status = 400, body = wire::ErrorBody),
    ),
)]
pub async fn audit_list(
    state: AppStateRef,
    SignedIn { user, .. }: SignedIn,
    query: ApiQuery,
) -> ApiResult<Response> {
    let csv = match query.get("format") {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid("format", "format must be json or csv.")),
    };
    let store = state.read();
    let events = store.world.audit_for(&user.ods_code);
    if csv {
        // The same names as the JSON entries (World::audit_names), beside the ids (issue 15).
        let body = domain::csv::audit_csv(
            events
                .into_iter()
                .map(|e| (e, store.world.audit_names(&user.ods_code, e))),
        );
        let mut response = body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"audit.csv\""),
        );
        return Ok(response);
    }
    let entries: Vec<wire::AuditEntry> = events
        .into_iter()
        .map(|e| views::audit_entry(&store.world, &user.ods_code, e))
        .collect();
    Ok(Json(entries).into_response())
}
