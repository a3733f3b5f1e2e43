//! The Messages page: folders and covering (SPEC C1–C4), requests, their assignment and status
//! (SPEC V, A).

use std::sync::Arc;

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::{
    pages, wire, Cursor, FolderId, OdsCode, RequestId, StatusFilter, TargetId, User, UserId, World,
};

use super::{limits, ApiRouter};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{text, ApiJson, ApiPath, ApiQuery, Validate};
use crate::state::Space;
use crate::views;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(folders_list))
        .routes(routes!(covers_update))
        .routes(routes!(requests_list))
        .routes(routes!(requests_get))
        .routes(routes!(requests_assignable))
        .routes(routes!(requests_assign))
        .routes(routes!(requests_close))
        .routes(routes!(requests_reopen))
}

impl Validate for wire::CoversUpdate {
    fn validate(&self) -> ApiResult<()> {
        if self.folder_ids.len() > limits::FOLDERS {
            return Err(ApiError::invalid(
                "folder_ids",
                format!("At most {} folders.", limits::FOLDERS),
            ));
        }
        for (i, id) in self.folder_ids.iter().enumerate() {
            text(&format!("folder_ids[{i}]"), id, limits::ID)?;
        }
        Ok(())
    }
}

impl Validate for wire::AssignCommand {
    fn validate(&self) -> ApiResult<()> {
        // The override reason is checked by the domain (A3: 422, not 400).
        text("target_id", &self.target_id, limits::ID)
    }
}

impl Validate for wire::VersionCommand {
    fn validate(&self) -> ApiResult<()> {
        Ok(())
    }
}

fn folders_of(world: &World, user: &UserId) -> ApiResult<Vec<wire::Folder>> {
    Ok(world
        .folders(user)?
        .iter()
        .map(|f| views::folder(world, f))
        .collect())
}

/// A request as `org` sees it, or 404 when it may not (V4).
pub(crate) fn detail_for(
    world: &World,
    id: &RequestId,
    org: &OdsCode,
) -> ApiResult<wire::RequestDetail> {
    let why = world.visibility(id, org).ok_or_else(ApiError::not_found)?;
    let request = world.request(id).ok_or_else(ApiError::not_found)?;
    Ok(views::detail(world, request, why))
}

#[utoipa::path(
    get,
    path = "/folders",
    tag = "messages",
    responses(
        (status = 200, body = Vec<wire::Folder>),
    ),
)]
pub async fn folders_list(
    SignedIn { user, space, .. }: SignedIn,
) -> ApiResult<Json<Vec<wire::Folder>>> {
    Ok(Json(folders_of(&space.read().world, &user.id)?))
}

#[utoipa::path(
    put,
    path = "/covers",
    tag = "messages",
    request_body = wire::CoversUpdate,
    responses(
        (status = 200, body = Vec<wire::Folder>),
        (status = 400, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn covers_update(
    SignedIn { user, space, .. }: SignedIn,
    ApiJson(body): ApiJson<wire::CoversUpdate>,
) -> ApiResult<Json<Vec<wire::Folder>>> {
    let folders = space
        .change(move |store| {
            let folders: Vec<FolderId> =
                body.folder_ids.iter().map(|f| FolderId::parse(f)).collect();
            let event = store.new_event();
            let now = store.now();
            store.world.set_covers(&user.id, &folders, now, event)?;
            folders_of(&store.world, &user.id)
        })
        .await?;
    Ok(Json(folders))
}

#[utoipa::path(
    get,
    path = "/requests",
    tag = "messages",
    params(
        ("status" = Option<wire::StatusFilter>, Query, description = "open (default), closed or all."),
        ("folder" = Option<String>, Query, description = "A folder id: all, mine, sent_externally or a target id. Without it: the Messages page (C4)."),
        ("limit" = Option<String>, Query, description = "Page size, a whole number: 50 by default, clamped to 1-200 (any whole number is clamped, however long); anything else: 400.", pattern = r"^-?[0-9]+$"),
        ("cursor" = Option<String>, Query, description = "Opaque, from next_cursor or prev_cursor of an earlier answer; damaged: 400.", pattern = r"^1[ab]\.(0|-?[1-9][0-9]{0,17})\.([2-7][0-9a-f]){1,256}$", max_length = 600),
    ),
    responses(
        (status = 200, body = wire::RequestPage),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn requests_list(
    SignedIn { user, space, .. }: SignedIn,
    query: ApiQuery,
) -> ApiResult<Json<wire::RequestPage>> {
    let status = match query.get("status") {
        None | Some("open") => StatusFilter::Open,
        Some("closed") => StatusFilter::Closed,
        Some("all") => StatusFilter::All,
        Some(_) => {
            return Err(ApiError::invalid(
                "status",
                "status must be open, closed or all.",
            ))
        }
    };
    let limit = page_limit(query.get("limit"))?;
    let cursor = query
        .get("cursor")
        .map(|c| {
            Cursor::decode(c).map_err(|_| {
                ApiError::invalid(
                    "cursor",
                    "cursor must be a next_cursor or prev_cursor of an earlier answer.",
                )
            })
        })
        .transpose()?;
    let folder = query.get("folder").map(FolderId::parse);
    let store = space.read();
    let world = &store.world;
    let page = world.request_page(&user.id, folder.as_ref(), status, limit, cursor.as_ref())?;
    Ok(Json(wire::RequestPage {
        items: page
            .items
            .into_iter()
            .map(|r| views::summary(world, r))
            .collect(),
        total: page.total as u64,
        next_cursor: page.next.map(|c| c.encode()),
        prev_cursor: page.prev.map(|c| c.encode()),
    }))
}

/// API.md: `limit` defaults to 50 and is clamped to 1–200; a value that is not a whole number
/// is 400 `invalid` with field `limit`.
pub(crate) fn page_limit(text: Option<&str>) -> ApiResult<usize> {
    let Some(text) = text else {
        return Ok(pages::DEFAULT_LIMIT);
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid("limit", "limit must be a whole number."));
    }
    let n = match text.parse::<i64>() {
        Ok(n) => n,
        // A whole number too long for i64: as far out as it gets.
        Err(_) if text.starts_with('-') => i64::MIN,
        Err(_) => i64::MAX,
    };
    Ok(usize::try_from(n.clamp(1, pages::MAX_LIMIT as i64)).unwrap_or(pages::DEFAULT_LIMIT))
}

#[utoipa::path(
    get,
    path = "/requests/{id}",
    tag = "messages",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = wire::RequestDetail),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn requests_get(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
) -> ApiResult<Json<wire::RequestDetail>> {
    let store = space.read();
    Ok(Json(detail_for(
        &store.world,
        &RequestId::new(id),
        &user.ods_code,
    )?))
}

#[utoipa::path(
    get,
    path = "/requests/{id}/assignable",
    tag = "messages",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Vec<wire::Assignable>),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn requests_assignable(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
) -> ApiResult<Json<Vec<wire::Assignable>>> {
    let store = space.read();
    let world = &store.world;
    Ok(Json(
        world
            .assignable(&user.id, &RequestId::new(id))?
            .iter()
            .map(|a| views::assignable(world, a))
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/requests/{id}/assign",
    tag = "messages",
    params(("id" = String, Path)),
    request_body = wire::AssignCommand,
    responses(
        (status = 200, body = wire::RequestDetail),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn requests_assign(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::AssignCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    let detail = space
        .change(move |store| {
            let id = RequestId::new(id);
            let event = store.new_event();
            let now = store.now();
            store.world.assign_request(
                &user.id,
                &id,
                &TargetId::new(body.target_id.as_str()),
                body.version,
                body.override_reason.as_deref(),
                now,
                event,
            )?;
            detail_for(&store.world, &id, &user.ods_code)
        })
        .await?;
    Ok(Json(detail))
}

async fn set_status(
    space: &Arc<Space>,
    user: User,
    id: String,
    version: u64,
    close: bool,
) -> ApiResult<Json<wire::RequestDetail>> {
    let detail = space
        .change(move |store| {
            let id = RequestId::new(id);
            let event = store.new_event();
            let now = store.now();
            if close {
                store
                    .world
                    .close_request(&user.id, &id, version, now, event)?;
            } else {
                store
                    .world
                    .reopen_request(&user.id, &id, version, now, event)?;
            }
            detail_for(&store.world, &id, &user.ods_code)
        })
        .await?;
    Ok(Json(detail))
}

#[utoipa::path(
    post,
    path = "/requests/{id}/close",
    tag = "messages",
    params(("id" = String, Path)),
    request_body = wire::VersionCommand,
    responses(
        (status = 200, body = wire::RequestDetail),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn requests_close(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::VersionCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    set_status(&space, user, id, body.version, true).await
}

#[utoipa::path(
    post,
    path = "/requests/{id}/reopen",
    tag = "messages",
    params(("id" = String, Path)),
    request_body = wire::VersionCommand,
    responses(
        (status = 200, body = wire::RequestDetail),
        (status = 400, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
        (status = 409, body = wire::ErrorBody),
        (status = 413, body = wire::ErrorBody),
        (status = 422, body = wire::ErrorBody),
    ),
)]
pub async fn requests_reopen(
    SignedIn { user, space, .. }: SignedIn,
    ApiPath(id): ApiPath,
    ApiJson(body): ApiJson<wire::VersionCommand>,
) -> ApiResult<Json<wire::RequestDetail>> {
    set_status(&space, user, id, body.version, false).await
}
