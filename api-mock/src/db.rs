//! The durable store: an embedded SQLite database (rusqlite, SQLite compiled in), behind the
//! small [`Backend`] trait so another store (e.g. PostgreSQL shared by several instances,
//! ARCHITECTURE.md) could take its place.
//!
//! Invariants:
//! - one transaction per change, committed in WAL mode with `synchronous=FULL`, so a change
//!   is on disk before it is answered and a crash leaves the last committed change;
//! - a change writes only what it changed: one row per entity that differs (`Delta` of the
//!   domain) and one row per new audit event, plus the id counter;
//! - entities are stored as their JSON keyed by kind and id (position for entities kept in
//!   load order), so loading rebuilds the same `Snapshot` and the domain checks it whole
//!   (`World::from_snapshot`); every row carries the version of its JSON shape (`shape`), kept
//!   apart from the domain's serde: shape 1 is the domain's shape as of schema 1, and a
//!   domain change that alters a stored shape adds shape 2 (with a frozen copy of shape 1 to
//!   read older rows) instead of silently misreading them;
//! - the schema is numbered and migrated by `rusqlite_migration` (the number is SQLite's
//!   `user_version`, all pending migrations in one transaction); a database written before
//!   the migrations (version 0 with the tables of schema 1) is adopted as version 1, an SQLite
//!   file with no tables at all (a first start killed before its first commit) as a new one;
//! - the stored state exists once its `meta` row `schema` does, written in the same
//!   transaction as the state (first start, import, reset): a database without it is new, so
//!   an import or first start killed half-way is done again;
//! - audit rows are plain `INSERT`s: a position written twice is an error, never an
//!   overwrite;
//! - a file that is not a database of this server is refused and never written.

use std::fmt::Debug;
use std::io::Read;
use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use rusqlite_migration::Migrations;

use crate::migrations::MIGRATIONS;
pub use crate::migrations::SCHEMA_VERSION;
use serde::de::DeserializeOwned;
use serde::Serialize;

use domain::{Delta, Snapshot};

/// The first 16 bytes of every SQLite database.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The `meta` row that says the state is stored (its value is the state's format).
const SCHEMA: &str = "1";

/// The JSON shape of the rows this server writes (`entity.shape`, `audit.shape`).
const SHAPE: i64 = 1;

/// What the store holds besides the entities: the id counter and the generated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub next_id: u64,
    /// `Some((count, fingerprint))` when the last organisations are generated (not stored).
    pub generated: Option<(usize, String)>,
    /// The clock's last reading (ms), so time never goes backwards after a restart; 0 in
    /// databases written before it was kept.
    pub last_now: i64,
}

/// Where acknowledged changes live. Every method runs on a blocking thread, one at a time.
///
/// Every world has a key: `""` for the demo world, another for each research sandbox (and its
/// snapshots), see [`crate::research`].
pub trait Backend: Send + Debug {
    /// The stored state of `world`, or `None` for a new, empty one.
    fn load(&mut self, world: &str) -> Result<Option<(Meta, Snapshot)>, String>;
    /// Replaces everything of `world` (first start, import, reset), durably, in one
    /// transaction.
    fn replace(&mut self, world: &str, meta: &Meta, snapshot: &Snapshot) -> Result<(), String>;
    /// Writes one change of `world` durably, in one transaction.
    fn commit(&mut self, world: &str, meta: &Meta, delta: &Delta) -> Result<(), String>;
    /// Replaces world `to` with a copy of world `from` (rows copied inside the database).
    fn copy_world(&mut self, from: &str, to: &str) -> Result<(), String>;
    /// The research part of the store (study, participants, logs), if it has one.
    fn research(&mut self) -> Option<&mut dyn crate::research::store::ResearchStore>;
}

/// The SQLite store.
#[derive(Debug)]
pub struct Sqlite {
    pub(crate) conn: Connection,
}

/// Kinds kept in load order (keyed by position) and kinds keyed by their id.
const ORGANISATION: &str = "organisation";
const USER: &str = "user";
const GROUP: &str = "group";
const PATIENT: &str = "patient";
const REQUEST: &str = "request";
const SHARE: &str = "share";
const AGREEMENT: &str = "agreement";
const COVERS: &str = "covers";

fn json<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("cannot encode: {e}"))
}

pub(crate) fn db_err(e: rusqlite::Error) -> String {
    e.to_string()
}

impl Sqlite {
    /// Opens (or creates) the database at `path`. Refuses, without writing, a file that is not
    /// an SQLite database, fails SQLite's quick check, or holds another schema.
    pub fn open(path: &Path) -> Result<Self, String> {
        let existing = match std::fs::File::open(path) {
            Ok(mut f) => {
                let mut head = Vec::with_capacity(16);
                f.by_ref()
                    .take(16)
                    .read_to_end(&mut head)
                    .map_err(|e| e.to_string())?;
                if !head.is_empty() && head.as_slice() != SQLITE_HEADER {
                    return Err("it is not an SQLite database (damaged or another file)".into());
                }
                !head.is_empty()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(e.to_string()),
        };
        if !existing {
            crate::persist::ensure_parent(path)
                .map_err(|e| format!("cannot create its folder: {e}"))?;
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db_err)?;
        if existing {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(db_err)?;
            if check != "ok" {
                return Err(format!("SQLite's check failed: {check}"));
            }
            let version: usize = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(db_err)?;
            if version > SCHEMA_VERSION {
                return Err(format!(
                    "it was written by a newer api-mock (schema {version}; this one knows up \
                     to {SCHEMA_VERSION})"
                ));
            }
            let mut tables = conn
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
                .map_err(db_err)?
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(db_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_err)?;
            tables.retain(|t| !t.starts_with("sqlite_"));
            // No tables: a first start killed before its first commit; it is new.
            if version == 0 && !tables.is_empty() && !tables.iter().any(|t| t == "meta") {
                return Err("it is an SQLite database of something else (no meta table)".into());
            }
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!(
                "cannot use write-ahead logging (journal mode {mode})"
            ));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;")
            .map_err(db_err)?;
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .map_err(|e| format!("cannot migrate its schema: {e}"))?;
        Ok(Self { conn })
    }

    fn rows<T: DeserializeOwned>(&self, world: &str, kind: &str) -> Result<Vec<T>, String> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT body, shape FROM entity WHERE world = ?1 AND kind = ?2 ORDER BY pos, key",
            )
            .map_err(db_err)?;
        let bodies = stmt
            .query_map([world, kind], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(db_err)?;
        bodies
            .map(|b| {
                let (body, shape) = b.map_err(db_err)?;
                decode_row(kind, &body, shape)
            })
            .collect()
    }
}

/// A stored row, by the version of its shape.
fn decode_row<T: DeserializeOwned>(kind: &str, body: &str, shape: i64) -> Result<T, String> {
    match shape {
        SHAPE => serde_json::from_str(body).map_err(|e| format!("a {kind} row: {e}")),
        other => Err(format!(
            "a {kind} row of shape {other}, which this api-mock cannot read (shape {SHAPE})"
        )),
    }
}

/// Upserts one entity row.
fn put<T: Serialize>(
    tx: &rusqlite::Transaction<'_>,
    world: &str,
    kind: &str,
    key: &str,
    pos: usize,
    value: &T,
) -> Result<(), String> {
    tx.prepare_cached(
        "INSERT INTO entity (world, kind, key, pos, body, shape) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (world, kind, key) DO UPDATE
         SET pos = excluded.pos, body = excluded.body, shape = excluded.shape",
    )
    .map_err(db_err)?
    .execute(params![world, kind, key, pos as i64, json(value)?, SHAPE])
    .map_err(db_err)?;
    Ok(())
}

fn remove(
    tx: &rusqlite::Transaction<'_>,
    world: &str,
    kind: &str,
    key: &str,
) -> Result<(), String> {
    tx.prepare_cached("DELETE FROM entity WHERE world = ?1 AND kind = ?2 AND key = ?3")
        .map_err(db_err)?
        .execute(params![world, kind, key])
        .map_err(db_err)?;
    Ok(())
}

fn put_meta(tx: &rusqlite::Transaction<'_>, world: &str, meta: &Meta) -> Result<(), String> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO meta (world, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT (world, key) DO UPDATE SET value = excluded.value",
        )
        .map_err(db_err)?;
    stmt.execute(params![world, "schema", SCHEMA])
        .map_err(db_err)?;
    stmt.execute(params![world, "next_id", meta.next_id.to_string()])
        .map_err(db_err)?;
    stmt.execute(params![world, "generated", json(&meta.generated)?])
        .map_err(db_err)?;
    stmt.execute(params![world, "last_now", meta.last_now.to_string()])
        .map_err(db_err)?;
    Ok(())
}

fn put_event(
    tx: &rusqlite::Transaction<'_>,
    world: &str,
    pos: usize,
    event: &domain::AuditEvent,
) -> Result<(), String> {
    tx.prepare_cached("INSERT INTO audit (world, pos, body, shape) VALUES (?1, ?2, ?3, ?4)")
        .map_err(db_err)?
        .execute(params![world, pos as i64, json(event)?, SHAPE])
        .map_err(db_err)?;
    Ok(())
}

impl Backend for Sqlite {
    fn load(&mut self, world: &str) -> Result<Option<(Meta, Snapshot)>, String> {
        let value = |key: &str| -> Result<Option<String>, String> {
            self.conn
                .query_row(
                    "SELECT value FROM meta WHERE world = ?1 AND key = ?2",
                    [world, key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db_err)
        };
        let Some(schema) = value("schema")? else {
            return Ok(None);
        };
        if schema != SCHEMA {
            return Err(format!("unknown schema {schema}"));
        }
        let next_id = value("next_id")?
            .ok_or("no next_id")?
            .parse::<u64>()
            .map_err(|e| format!("next_id: {e}"))?;
        let generated = serde_json::from_str(&value("generated")?.ok_or("no generated")?)
            .map_err(|e| format!("generated: {e}"))?;
        let last_now = match value("last_now")? {
            Some(v) => v.parse::<i64>().map_err(|e| format!("last_now: {e}"))?,
            None => 0,
        };
        let mut audit_stmt = self
            .conn
            .prepare("SELECT body, shape FROM audit WHERE world = ?1 ORDER BY pos")
            .map_err(db_err)?;
        let audit = audit_stmt
            .query_map([world], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(db_err)?
            .map(|b| {
                let (body, shape) = b.map_err(db_err)?;
                decode_row("audit", &body, shape)
            })
            .collect::<Result<Vec<_>, String>>()?;
        drop(audit_stmt);
        let snapshot = Snapshot {
            organisations: self.rows(world, ORGANISATION)?,
            users: self.rows(world, USER)?,
            groups: self.rows(world, GROUP)?,
            patients: self.rows(world, PATIENT)?,
            shares: self.rows(world, SHARE)?,
            agreements: self.rows(world, AGREEMENT)?,
            requests: self.rows(world, REQUEST)?,
            covers: self.rows(world, COVERS)?,
            audit,
        };
        Ok(Some((
            Meta {
                next_id,
                generated,
                last_now,
            },
            snapshot,
        )))
    }

    fn replace(&mut self, world: &str, meta: &Meta, s: &Snapshot) -> Result<(), String> {
        let w = world;
        let tx = self.conn.transaction().map_err(db_err)?;
        delete_world(&tx, w)?;
        fn all<T: Serialize>(
            tx: &rusqlite::Transaction<'_>,
            world: &str,
            kind: &str,
            items: &[T],
        ) -> Result<(), String> {
            items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| put(tx, world, kind, &i.to_string(), i, x))
        }
        all(&tx, w, ORGANISATION, &s.organisations)?;
        all(&tx, w, USER, &s.users)?;
        all(&tx, w, GROUP, &s.groups)?;
        all(&tx, w, PATIENT, &s.patients)?;
        all(&tx, w, REQUEST, &s.requests)?;
        for x in &s.shares {
            put(&tx, w, SHARE, x.id.as_str(), 0, x)?;
        }
        for x in &s.agreements {
            put(&tx, w, AGREEMENT, x.id.as_str(), 0, x)?;
        }
        for x in &s.covers {
            put(&tx, w, COVERS, x.user.as_str(), 0, x)?;
        }
        for (i, e) in s.audit.iter().enumerate() {
            put_event(&tx, w, i, e)?;
        }
        put_meta(&tx, w, meta)?;
        tx.commit().map_err(db_err)?;
        // The whole state went through the WAL: copy it into the database and empty the WAL,
        // so it does not keep the size of a full copy on disk.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(db_err)
    }

    fn commit(&mut self, world: &str, meta: &Meta, d: &Delta) -> Result<(), String> {
        let w = world;
        let tx = self.conn.transaction().map_err(db_err)?;
        for (i, x) in &d.users {
            put(&tx, w, USER, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.groups {
            put(&tx, w, GROUP, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.patients {
            put(&tx, w, PATIENT, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.requests {
            put(&tx, w, REQUEST, &i.to_string(), *i, x)?;
        }
        for x in &d.shares {
            put(&tx, w, SHARE, x.id.as_str(), 0, x)?;
        }
        for id in &d.removed_shares {
            remove(&tx, w, SHARE, id.as_str())?;
        }
        for x in &d.agreements {
            put(&tx, w, AGREEMENT, x.id.as_str(), 0, x)?;
        }
        for id in &d.removed_agreements {
            remove(&tx, w, AGREEMENT, id.as_str())?;
        }
        for x in &d.covers {
            put(&tx, w, COVERS, x.user.as_str(), 0, x)?;
        }
        for id in &d.removed_covers {
            remove(&tx, w, COVERS, id.as_str())?;
        }
        for (i, e) in &d.audit {
            put_event(&tx, w, *i, e)?;
        }
        put_meta(&tx, w, meta)?;
        tx.commit().map_err(db_err)
    }

    fn copy_world(&mut self, from: &str, to: &str) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(db_err)?;
        delete_world(&tx, to)?;
        tx.execute(
            "INSERT INTO entity (world, kind, key, pos, body, shape)
             SELECT ?2, kind, key, pos, body, shape FROM entity WHERE world = ?1",
            [from, to],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT INTO audit (world, pos, body, shape)
             SELECT ?2, pos, body, shape FROM audit WHERE world = ?1",
            [from, to],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT INTO meta (world, key, value) SELECT ?2, key, value FROM meta WHERE world = ?1",
            [from, to],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn research(&mut self) -> Option<&mut dyn crate::research::store::ResearchStore> {
        Some(self)
    }
}

/// Deletes every row of one world (its `meta` rows first written last, so a world is either
/// whole or absent after a crash: both are in the caller's transaction).
pub(crate) fn delete_world(tx: &rusqlite::Transaction<'_>, world: &str) -> Result<(), String> {
    for sql in [
        "DELETE FROM entity WHERE world = ?1",
        "DELETE FROM audit WHERE world = ?1",
        "DELETE FROM meta WHERE world = ?1",
    ] {
        tx.prepare_cached(sql)
            .map_err(db_err)?
            .execute([world])
            .map_err(db_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
