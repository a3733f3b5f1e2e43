//! Sessions (API.md, Sign-in): bearer tokens, kept in the database beside the state so a
//! restart keeps every tab signed in.
//!
//! Invariants:
//! - a token is 256 bits of operating-system randomness, handed out once; only its SHA-256 is
//!   kept, in memory and on disk, so neither the database file nor a memory dump signs anyone
//!   in;
//! - a session ends when it has been idle longer than `--session-idle-hours` (12 by default),
//!   on `DELETE /api/session`, or when `--max-sessions` (10,000 by default) are open and a new
//!   one starts: the one idle longest goes first;
//! - a sign-in or sign-out is answered after its row is committed; the time of last use is
//!   written at most once a minute per session (so a restart may end a session up to a minute
//!   early), in the background;
//! - lookups are in memory: the rows are read once at start.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Bytes of operating-system randomness in a token.
const TOKEN_BYTES: usize = 32;

/// The time of last use is written when it moved on by this much.
const TOUCH_EVERY_MS: i64 = 60_000;

/// `--session-idle-hours` by default.
pub const DEFAULT_IDLE_HOURS: u64 = 12;

/// `--max-sessions` by default.
pub const DEFAULT_MAX: usize = 10_000;

/// Milliseconds since 1970: the sessions' clock (replaced in tests).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The SHA-256 of a token, in hex: the only form a token is kept in.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone)]
struct Entry {
    user: String,
    /// The world the session acts on: `""` (the demo world), a sandbox's key, or the
    /// facilitator's (`research::FACILITATOR`).
    world: String,
    last_seen: i64,
    /// The `last_seen` on disk.
    stored_seen: i64,
}

struct Inner {
    /// By token hash.
    entries: Mutex<HashMap<String, Entry>>,
    /// Sign-ins take turns (so the cap holds), for as long as they write.
    issuing: Mutex<()>,
    /// `None` with `--in-memory`.
    db: Option<Mutex<Connection>>,
    idle_ms: i64,
    max: usize,
    clock: RwLock<Clock>,
}

/// The open sessions; cheap to clone (shared).
#[derive(Clone)]
pub struct Sessions(Arc<Inner>);

impl fmt::Debug for Sessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions")
            .field("open", &self.len())
            .field("stored", &self.0.db.is_some())
            .field("idle_ms", &self.0.idle_ms)
            .field("max", &self.0.max)
            .finish()
    }
}

impl Default for Sessions {
    fn default() -> Self {
        Self::in_memory(Duration::from_secs(DEFAULT_IDLE_HOURS * 3600), DEFAULT_MAX)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn db_err(e: rusqlite::Error) -> String {
    e.to_string()
}

impl Sessions {
    fn build(db: Option<Connection>, idle: Duration, max: usize) -> Self {
        Self(Arc::new(Inner {
            entries: Mutex::new(HashMap::new()),
            issuing: Mutex::new(()),
            db: db.map(Mutex::new),
            idle_ms: i64::try_from(idle.as_millis()).unwrap_or(i64::MAX),
            max: max.max(1),
            clock: RwLock::new(Arc::new(wall_ms)),
        }))
    }

    /// Sessions kept in memory only (`--in-memory`).
    pub fn in_memory(idle: Duration, max: usize) -> Self {
        Self::build(None, idle, max)
    }

    /// Sessions kept in the database at `path` (its `session` table, created by the
    /// migrations): reads them, and forgets those idle too long.
    pub fn open(path: &Path, idle: Duration, max: usize) -> Result<Self, String> {
        let conn = Connection::open(path).map_err(db_err)?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;")
            .map_err(db_err)?;
        let this = Self::build(Some(conn), idle, max);
        let now = this.now();
        let oldest = now.saturating_sub(this.0.idle_ms);
        if let Some(db) = &this.0.db {
            let db = lock(db);
            db.execute("DELETE FROM session WHERE last_seen < ?1", [oldest])
                .map_err(db_err)?;
            let mut stmt = db
                .prepare("SELECT token_sha256, user_id, last_seen, world FROM session")
                .map_err(db_err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(db_err)?;
            let mut entries = lock(&this.0.entries);
            for row in rows {
                let (hash, user, last_seen, world) = row.map_err(db_err)?;
                entries.insert(
                    hash,
                    Entry {
                        user,
                        world,
                        last_seen,
                        stored_seen: last_seen,
                    },
                );
            }
        }
        Ok(this)
    }

    /// Replaces the clock (tests: a session's idle time without waiting 12 hours).
    pub fn set_clock(&self, clock: Clock) {
        match self.0.clock.write() {
            Ok(mut g) => *g = clock,
            Err(poisoned) => *poisoned.into_inner() = clock,
        }
    }

    fn now(&self) -> i64 {
        let clock = match self.0.clock.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        clock()
    }

    fn expired(&self, e: &Entry, now: i64) -> bool {
        now.saturating_sub(e.last_seen) > self.0.idle_ms
    }

    /// How many sessions are open (idle ones not yet noticed included).
    pub fn len(&self) -> usize {
        lock(&self.0.entries).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new session for `user`: its token (64 hex digits), answered once its row is committed.
    /// Over the cap, the sessions idle longest end first.
    pub async fn issue(&self, user: String) -> Result<String, ApiError> {
        self.issue_in(user, String::new()).await
    }

    /// [`issue`](Self::issue) bound to `world` (a sandbox's key, or the facilitator's).
    pub async fn issue_in(&self, user: String, world: String) -> Result<String, ApiError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.issue_now(user, world))
            .await
            .map_err(|e| ApiError::internal(format!("a sign-in did not finish: {e}")))?
    }

    fn issue_now(&self, user: String, world: String) -> Result<String, ApiError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| ApiError::internal(format!("no randomness for a token: {e}")))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let hash = token_hash(&token);
        let _turn = lock(&self.0.issuing);
        let now = self.now();
        // Who goes: the idle, then the longest idle while the cap is reached.
        let ended: Vec<String> = {
            let entries = lock(&self.0.entries);
            let mut by_idle: Vec<(&String, &Entry)> = entries.iter().collect();
            by_idle.sort_by_key(|(h, e)| (e.last_seen, *h));
            let expired = by_idle.iter().filter(|(_, e)| self.expired(e, now)).count();
            let over = (entries.len() - expired + 1).saturating_sub(self.0.max);
            by_idle
                .into_iter()
                .take(expired + over)
                .map(|(h, _)| h.clone())
                .collect()
        };
        if let Some(db) = &self.0.db {
            let mut db = lock(db);
            let written = (|| {
                let tx = db.transaction()?;
                for h in &ended {
                    tx.execute("DELETE FROM session WHERE token_sha256 = ?1", [h])?;
                }
                tx.execute(
                    "INSERT INTO session (token_sha256, user_id, created_at, last_seen, world)
                     VALUES (?1, ?2, ?3, ?3, ?4)",
                    params![hash, user, now, world],
                )?;
                tx.commit()
            })();
            written.map_err(|e| {
                tracing::error!("cannot write a session to the database: {e}");
                ApiError::new(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The session could not be saved: try again later.",
                )
            })?;
        }
        let mut entries = lock(&self.0.entries);
        for h in &ended {
            entries.remove(h);
        }
        entries.insert(
            hash,
            Entry {
                user,
                world,
                last_seen: now,
                stored_seen: now,
            },
        );
        Ok(token)
    }

    /// Ends a session: its token answers 401 from now on. False if it was unknown.
    pub async fn revoke(&self, token: &str) -> bool {
        let hash = token_hash(token);
        let known = lock(&self.0.entries).remove(&hash).is_some();
        if known {
            self.write_later(move |db| {
                db.execute("DELETE FROM session WHERE token_sha256 = ?1", [&hash])
                    .map(|_| ())
            })
            .await;
        }
        known
    }

    /// The user of a session still open, and a use of it (its idle time starts again).
    pub fn user(&self, token: &str) -> Option<String> {
        self.session(token).map(|(user, _)| user)
    }

    /// Ends every session bound to `world` (a deleted participant's), in memory; the rows
    /// go with the participant's (`research::store`).
    pub fn revoke_world(&self, world: &str) -> usize {
        let mut entries = lock(&self.0.entries);
        let before = entries.len();
        entries.retain(|_, e| e.world != world);
        before - entries.len()
    }

    /// The user and world of a session still open, and a use of it.
    pub fn session(&self, token: &str) -> Option<(String, String)> {
        let hash = token_hash(token);
        let now = self.now();
        let mut entries = lock(&self.0.entries);
        let entry = entries.get_mut(&hash)?;
        if self.expired(entry, now) {
            entries.remove(&hash);
            drop(entries);
            self.spawn_write(move |db| {
                db.execute("DELETE FROM session WHERE token_sha256 = ?1", [&hash])
                    .map(|_| ())
            });
            return None;
        }
        entry.last_seen = entry.last_seen.max(now);
        let user = (entry.user.clone(), entry.world.clone());
        if entry.last_seen - entry.stored_seen >= TOUCH_EVERY_MS {
            entry.stored_seen = entry.last_seen;
            let seen = entry.last_seen;
            drop(entries);
            self.spawn_write(move |db| {
                db.execute(
                    "UPDATE session SET last_seen = ?1 WHERE token_sha256 = ?2",
                    params![seen, hash],
                )
                .map(|_| ())
            });
        }
        Some(user)
    }

    /// Runs `write` on the database on a blocking thread and waits for it.
    async fn write_later(
        &self,
        write: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
    ) {
        if self.0.db.is_none() {
            return;
        }
        let this = self.clone();
        let _ = tokio::task::spawn_blocking(move || this.write_now(write)).await;
    }

    /// Runs `write` on the database in the background (on this thread outside a runtime).
    fn spawn_write(
        &self,
        write: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static,
    ) {
        if self.0.db.is_none() {
            return;
        }
        let this = self.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(move || this.write_now(write));
            }
            Err(_) => this.write_now(write),
        }
    }

    fn write_now(&self, write: impl FnOnce(&Connection) -> rusqlite::Result<()>) {
        if let Some(db) = &self.0.db {
            if let Err(e) = write(&lock(db)) {
                tracing::warn!("cannot update a session in the database: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokens_are_256_random_bits_never_repeat_and_are_kept_only_hashed() {
        let sessions = Sessions::default();
        let mut tokens = Vec::new();
        for _ in 0..1000 {
            tokens.push(sessions.issue("u".into()).await.expect("randomness"));
        }
        assert!(tokens
            .iter()
            .all(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())));
        let distinct: std::collections::HashSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
        assert_eq!(sessions.user(&tokens[0]).as_deref(), Some("u"));
        let kept = lock(&sessions.0.entries);
        assert!(!kept.contains_key(&tokens[0]));
        assert!(kept.contains_key(&token_hash(&tokens[0])));
    }
}
