//! The audit log of the caller's organisation (SPEC L1, L2): one page as JSON, paged like
//! `GET /api/requests` from the domain's ordered per-organisation index (`World::audit_page`:
//! the cost of a page does not grow with the log), or the whole log as CSV, streamed in parts
//! from one published state (`World::audit_walk`), so the export never holds the log in memory
//! at once and never mixes two states.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::csv::{audit_csv_row, AUDIT_CSV_HEADER};
use domain::{wire, AuditAction, AuditCursor, LogPosition, OdsCode};

use super::messages::page_limit;
use super::ApiRouter;
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::views;

/// Events per part of the streamed CSV.
const CSV_PART: usize = 1000;

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

/// The `action` filter: one of API.md's actions, else 400.
fn action_filter(query: &ApiQuery) -> ApiResult<Option<AuditAction>> {
    match query.get("action") {
        None | Some("") => Ok(None),
        Some(name) => AuditAction::parse(name).map(Some).ok_or_else(|| {
            ApiError::invalid(
                "action",
                "action must be one of the actions of the audit log (share_created ...).",
            )
        }),
    }
}

#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(
        ("format" = Option<AuditFormat>, Query, description = "json (default): one page; csv: the whole log (the filters apply; limit and cursor do not), streamed."),
        ("action" = Option<AuditAction>, Query, description = "Only the events of this action."),
        ("limit" = Option<String>, Query, description = "Page size, a whole number: 50 by default, clamped to 1-200; anything else: 400.", pattern = r"^-?[0-9]+$"),
        ("cursor" = Option<String>, Query, description = "Opaque, from next_cursor or prev_cursor of an earlier answer; damaged: 400 with field cursor.", pattern = r"^L[ab]\.(0|-?[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,8})$", max_length = 40),
    ),
    responses(
        (status = 200, content((wire::AuditPage = "application/json"), (String = "text/csv")), description = "One page of the log, newest first (JSON), or the whole log (CSV)."),
        (status = 400, body = wire::ErrorBody),
    ),
)]
pub async fn audit_list(
    SignedIn { user, space, .. }: SignedIn,
    query: ApiQuery,
) -> ApiResult<Response> {
    let csv = match query.get("format") {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid("format", "format must be json or csv.")),
    };
    let action = action_filter(&query)?;
    if csv {
        return Ok(csv_export(space.read(), user.ods_code, action));
    }
    let limit = page_limit(query.get("limit"))?;
    let cursor = query
        .get("cursor")
        .map(|c| {
            AuditCursor::decode(c).map_err(|_| {
                ApiError::invalid(
                    "cursor",
                    "cursor must be a next_cursor or prev_cursor of an earlier answer.",
                )
            })
        })
        .transpose()?;
    let store = space.read();
    let world = &store.world;
    let page = world.audit_page(&user.ods_code, action, limit, cursor.as_ref());
    Ok(Json(wire::AuditPage {
        items: page
            .items
            .into_iter()
            .map(|e| views::audit_entry(world, &user.ods_code, e))
            .collect(),
        total: page.total as u64,
        next_cursor: page.next.map(|c| c.encode()),
        prev_cursor: page.prev.map(|c| c.encode()),
    })
    .into_response())
}

/// The whole log of `org` as CSV (L2), in parts of `CSV_PART` events from one published state:
/// each part resumes after the last event of the one before (O(log n + part)).
fn csv_export(
    store: std::sync::Arc<crate::state::Store>,
    org: OdsCode,
    action: Option<AuditAction>,
) -> Response {
    // (space, where the next part starts, whether the header is still to send); None: done.
    type Next = Option<(
        std::sync::Arc<crate::state::Store>,
        Option<LogPosition>,
        bool,
    )>;
    let start: Next = Some((store, None, true));
    let parts = futures_util::stream::unfold(start, move |next| {
        let org = org.clone();
        async move {
            let (store, after, first) = next?;
            let mut text = String::new();
            if first {
                text.push_str(AUDIT_CSV_HEADER);
                text.push_str("\r\n");
            }
            let mut last = None;
            let mut n = 0;
            for (e, at) in store.world.audit_walk(&org, action, after).take(CSV_PART) {
                // The same names as the JSON entries (World::audit_names), beside the ids.
                audit_csv_row(&mut text, e, store.world.audit_names(&org, e));
                last = Some(at);
                n += 1;
            }
            let more: Next = (n == CSV_PART).then_some((store, last, false));
            if text.is_empty() {
                return None;
            }
            Some((Ok::<_, Infallible>(Bytes::from(text)), more))
        }
    });
    // Fused: the compression layer polls the body once more after its end, which a bare
    // `unfold` answers with a panic (the connection dropped mid-answer).
    let mut response = Body::from_stream(parts.fuse()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"audit.csv\""),
    );
    response
}
