//! Demo sign-in: the bearer token of a request and the signed-in caller. The sessions
//! themselves (kept hashed in the database, idle expiry, cap) are `sessions.rs`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use domain::{User, UserId};

use crate::error::ApiError;
use crate::state::AppState;

pub use crate::sessions::Sessions;

/// The bearer token of a request, if it has one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
}

/// The signed-in caller: extracting it is the 401 check, done before the body is read (API.md
/// order: 401 first).
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl FromRequestParts<Arc<AppState>> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let user = state
            .sessions
            .user(token)
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(Actor(user))
    }
}

/// The signed-in user with the session's token, which a live-update ticket is bound to.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub token: String,
    pub user: User,
}

impl FromRequestParts<Arc<AppState>> for SessionUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers)
            .ok_or_else(ApiError::unauthenticated)?
            .to_owned();
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        Ok(SessionUser { token, user })
    }
}

/// The signed-in user, checked active: the handlers' caller. A token whose user has gone
/// (after a reset to another seed) is 401, like an unknown token.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl FromRequestParts<Arc<AppState>> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Actor(id) = Actor::from_request_parts(parts, state).await?;
        state
            .read()
            .world
            .user(&UserId::new(id))
            .filter(|u| u.active)
            .cloned()
            .map(CurrentUser)
            .ok_or_else(ApiError::unauthenticated)
    }
}
