//! Demo sign-in: bearer tokens kept in memory only (API.md, Sign-in), so after a restart every
//! old token answers 401 and the client returns to the persona picker.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use domain::{User, UserId};

use crate::error::ApiError;
use crate::state::AppState;

/// Bytes of operating-system randomness in a token: 256 bits, so one token says nothing about
/// another and none can be guessed.
const TOKEN_BYTES: usize = 32;

/// Tokens issued since start.
#[derive(Debug, Default)]
pub struct Sessions {
    tokens: RwLock<HashMap<String, String>>,
}

impl Sessions {
    /// A new token for `user`: 64 hex digits from the operating system's random source.
    pub fn issue(&self, user: String) -> Result<String, ApiError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| ApiError::internal(format!("no randomness for a token: {e}")))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut tokens = match self.tokens.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        tokens.insert(token.clone(), user);
        Ok(token)
    }

    /// Ends a session: its token answers 401 from now on. False if it was unknown.
    pub fn revoke(&self, token: &str) -> bool {
        let mut tokens = match self.tokens.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        tokens.remove(token).is_some()
    }

    /// The user a token was issued to.
    pub fn user(&self, token: &str) -> Option<String> {
        let tokens = match self.tokens.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        tokens.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_and_never_repeat() {
        let sessions = Sessions::default();
        let tokens: Vec<String> = (0..1000)
            .map(|_| sessions.issue("u".into()).expect("randomness"))
            .collect();
        assert!(tokens
            .iter()
            .all(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())));
        let distinct: std::collections::HashSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
        assert_eq!(sessions.user(&tokens[0]).as_deref(), Some("u"));
    }
}

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
