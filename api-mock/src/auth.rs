//! Demo sign-in: the bearer token of a request and the signed-in caller. The sessions
//! themselves (kept hashed in the database, idle expiry, cap) are `sessions.rs`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use domain::{User, UserId};

use crate::error::ApiError;
use crate::state::{AppState, Space};

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

/// The signed-in caller, the one extractor of every route that needs one: the session's
/// token (a live-update ticket is bound to it) and its user, checked active. Extracting it is
/// the 401 check, done before the body is read (API.md order: 401 first). An unknown, ended
/// or expired token, or one whose user has gone (after a reset to another seed) or is
/// inactive, is 401 alike.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub user: User,
    /// The world the session acts on (K1): the demo world or the participant's sandbox.
    pub space: Arc<Space>,
}

impl SignedIn {
    /// Whether the session is a research participant's (its world is a sandbox).
    pub fn is_participant(&self) -> bool {
        !self.space.key.is_empty()
    }
}

impl FromRequestParts<Arc<AppState>> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let (id, world) = state
            .sessions
            .session(token)
            .ok_or_else(ApiError::unauthenticated)?;
        // A deleted participant's sandbox, or the facilitator's session: no world here.
        let space = state.space(&world).ok_or_else(ApiError::unauthenticated)?;
        let user = space
            .read()
            .world
            .user(&UserId::new(id))
            .filter(|u| u.active)
            .cloned()
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(SignedIn {
            token: token.to_owned(),
            user,
            space,
        })
    }
}
