//! Demo sign-in: bearer tokens kept in memory only (API.md, Sign-in), so after a restart every
//! old token answers 401 and the client returns to the persona picker.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::rng::SplitMix64;
use crate::state::AppState;

/// Tokens issued since start.
#[derive(Debug)]
pub struct Sessions {
    tokens: RwLock<HashMap<String, String>>,
    counter: AtomicU64,
    /// Differs on every start, so a token from an earlier run never matches.
    salt: u64,
}

impl Default for Sessions {
    fn default() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Self {
            tokens: RwLock::new(HashMap::new()),
            counter: AtomicU64::new(0),
            salt: nanos ^ u64::from(std::process::id()).rotate_left(32),
        }
    }
}

impl Sessions {
    /// A new token for `user`.
    pub fn issue(&self, user: String) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut rng = SplitMix64::new(self.salt ^ n.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let token = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let mut tokens = match self.tokens.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        tokens.insert(token.clone(), user);
        token
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
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .ok_or_else(ApiError::unauthenticated)?;
        let user = state
            .sessions
            .user(token)
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(Actor(user))
    }
}
