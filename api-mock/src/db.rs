//! The durable store: an embedded SQLite database (rusqlite, SQLite compiled in), behind the
//! small [`Backend`] trait so another store (e.g. PostgreSQL shared by several instances,
//! ARCHITECTURE.md) could take its place.
//!
//! Invariants:
//! - one transaction per change, committed in WAL mode with `synchronous=FULL`, so a change
//!   is on disk before it is answered and a crash leaves the last committed change;
//! - a change writes only what it changed: one row per entity that differs (`Delta` of the
//!   domain) and one row per new audit event, plus the id counter;
//! - entities are stored as their JSON (the domain's serde shapes) keyed by kind and id
//!   (position for entities kept in load order), so loading rebuilds the same `Snapshot`
//!   and the domain checks it whole (`World::from_snapshot`);
//! - a file that is not a database of this server is refused and never written.

use std::fmt::Debug;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

use domain::{Delta, Snapshot};

/// The first 16 bytes of every SQLite database.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The version of the schema below, in `meta`.
const SCHEMA: &str = "1";

/// What the store holds besides the entities: the id counter and the generated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub next_id: u64,
    /// `Some((count, fingerprint))` when the last organisations are generated (not stored).
    pub generated: Option<(usize, String)>,
}

/// Where acknowledged changes live. Every method runs on a blocking thread, one at a time.
pub trait Backend: Send + Debug {
    /// The stored state, or `None` for a new, empty store.
    fn load(&mut self) -> Result<Option<(Meta, Snapshot)>, String>;
    /// Replaces everything (first start, import, reset), durably, in one transaction.
    fn replace(&mut self, meta: &Meta, snapshot: &Snapshot) -> Result<(), String>;
    /// Writes one change durably, in one transaction.
    fn commit(&mut self, meta: &Meta, delta: &Delta) -> Result<(), String>;
}

/// The SQLite store.
#[derive(Debug)]
pub struct Sqlite {
    conn: Connection,
    path: PathBuf,
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

fn db_err(e: rusqlite::Error) -> String {
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
        let conn = Connection::open_with_flags(
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
            let ours: Option<String> = conn
                .query_row(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db_err)?;
            if ours.is_none() {
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
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS entity (
                 kind TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,
                 PRIMARY KEY (kind, key)) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS audit (pos INTEGER PRIMARY KEY, body TEXT NOT NULL);",
        )
        .map_err(db_err)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn rows<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<T>, String> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM entity WHERE kind = ?1 ORDER BY pos, key")
            .map_err(db_err)?;
        let bodies = stmt
            .query_map([kind], |r| r.get::<_, String>(0))
            .map_err(db_err)?;
        bodies
            .map(|b| {
                let b = b.map_err(db_err)?;
                serde_json::from_str(&b).map_err(|e| format!("a {kind} row: {e}"))
            })
            .collect()
    }
}

/// Upserts one entity row.
fn put<T: Serialize>(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    key: &str,
    pos: usize,
    value: &T,
) -> Result<(), String> {
    tx.prepare_cached(
        "INSERT INTO entity (kind, key, pos, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, key) DO UPDATE SET pos = excluded.pos, body = excluded.body",
    )
    .map_err(db_err)?
    .execute(params![kind, key, pos as i64, json(value)?])
    .map_err(db_err)?;
    Ok(())
}

fn remove(tx: &rusqlite::Transaction<'_>, kind: &str, key: &str) -> Result<(), String> {
    tx.prepare_cached("DELETE FROM entity WHERE kind = ?1 AND key = ?2")
        .map_err(db_err)?
        .execute(params![kind, key])
        .map_err(db_err)?;
    Ok(())
}

fn put_meta(tx: &rusqlite::Transaction<'_>, meta: &Meta) -> Result<(), String> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .map_err(db_err)?;
    stmt.execute(params!["schema", SCHEMA]).map_err(db_err)?;
    stmt.execute(params!["next_id", meta.next_id.to_string()])
        .map_err(db_err)?;
    stmt.execute(params!["generated", json(&meta.generated)?])
        .map_err(db_err)?;
    Ok(())
}

fn put_event(
    tx: &rusqlite::Transaction<'_>,
    pos: usize,
    event: &domain::AuditEvent,
) -> Result<(), String> {
    tx.prepare_cached("INSERT OR REPLACE INTO audit (pos, body) VALUES (?1, ?2)")
        .map_err(db_err)?
        .execute(params![pos as i64, json(event)?])
        .map_err(db_err)?;
    Ok(())
}

impl Backend for Sqlite {
    fn load(&mut self) -> Result<Option<(Meta, Snapshot)>, String> {
        let value = |key: &str| -> Result<Option<String>, String> {
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
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
        let mut audit_stmt = self
            .conn
            .prepare("SELECT body FROM audit ORDER BY pos")
            .map_err(db_err)?;
        let audit = audit_stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(db_err)?
            .map(|b| {
                serde_json::from_str(&b.map_err(db_err)?).map_err(|e| format!("an audit row: {e}"))
            })
            .collect::<Result<Vec<_>, String>>()?;
        drop(audit_stmt);
        let snapshot = Snapshot {
            organisations: self.rows(ORGANISATION)?,
            users: self.rows(USER)?,
            groups: self.rows(GROUP)?,
            patients: self.rows(PATIENT)?,
            shares: self.rows(SHARE)?,
            agreements: self.rows(AGREEMENT)?,
            requests: self.rows(REQUEST)?,
            covers: self.rows(COVERS)?,
            audit,
        };
        Ok(Some((Meta { next_id, generated }, snapshot)))
    }

    fn replace(&mut self, meta: &Meta, s: &Snapshot) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(db_err)?;
        tx.execute_batch("DELETE FROM entity; DELETE FROM audit; DELETE FROM meta;")
            .map_err(db_err)?;
        fn all<T: Serialize>(
            tx: &rusqlite::Transaction<'_>,
            kind: &str,
            items: &[T],
        ) -> Result<(), String> {
            items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| put(tx, kind, &i.to_string(), i, x))
        }
        all(&tx, ORGANISATION, &s.organisations)?;
        all(&tx, USER, &s.users)?;
        all(&tx, GROUP, &s.groups)?;
        all(&tx, PATIENT, &s.patients)?;
        all(&tx, REQUEST, &s.requests)?;
        for x in &s.shares {
            put(&tx, SHARE, x.id.as_str(), 0, x)?;
        }
        for x in &s.agreements {
            put(&tx, AGREEMENT, x.id.as_str(), 0, x)?;
        }
        for x in &s.covers {
            put(&tx, COVERS, x.user.as_str(), 0, x)?;
        }
        for (i, e) in s.audit.iter().enumerate() {
            put_event(&tx, i, e)?;
        }
        put_meta(&tx, meta)?;
        tx.commit().map_err(db_err)?;
        // The whole state went through the WAL: copy it into the database and empty the WAL,
        // so it does not keep the size of a full copy on disk.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(db_err)
    }

    fn commit(&mut self, meta: &Meta, d: &Delta) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(db_err)?;
        for (i, x) in &d.users {
            put(&tx, USER, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.groups {
            put(&tx, GROUP, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.patients {
            put(&tx, PATIENT, &i.to_string(), *i, x)?;
        }
        for (i, x) in &d.requests {
            put(&tx, REQUEST, &i.to_string(), *i, x)?;
        }
        for x in &d.shares {
            put(&tx, SHARE, x.id.as_str(), 0, x)?;
        }
        for id in &d.removed_shares {
            remove(&tx, SHARE, id.as_str())?;
        }
        for x in &d.agreements {
            put(&tx, AGREEMENT, x.id.as_str(), 0, x)?;
        }
        for id in &d.removed_agreements {
            remove(&tx, AGREEMENT, id.as_str())?;
        }
        for x in &d.covers {
            put(&tx, COVERS, x.user.as_str(), 0, x)?;
        }
        for id in &d.removed_covers {
            remove(&tx, COVERS, id.as_str())?;
        }
        for (i, e) in &d.audit {
            put_event(&tx, *i, e)?;
        }
        put_meta(&tx, meta)?;
        tx.commit().map_err(db_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{EventId, NewRequest, RequestId, RequestKind, Timestamp};

    /// Issue 13: a change writes its own rows (one request, one audit event) and the three
    /// meta rows, however large the stored state; and what it wrote reads back.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_change_writes_only_the_rows_it_changed_and_reads_back_equal() {
        let dir = std::env::temp_dir().join(format!("api-mock-db-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let seed = crate::seed::SeedFile::demo().unwrap();
        let mut loaded = crate::state::world_from_seed_with(&seed, 300).unwrap();
        let meta = Meta {
            next_id: loaded.next_id,
            generated: None,
        };
        let mut db = Sqlite::open(&dir.join("collab.db")).unwrap();
        db.replace(&meta, &loaded.world.snapshot()).unwrap();
        loaded.world.forget_changes();
        let world = &mut loaded.world;
        let origin = world.organisations()[0].ods_code.clone();
        let patient = world.patients()[0].id.clone();
        world
            .receive_request(
                NewRequest {
                    id: RequestId::new("r-new"),
                    origin,
                    patient,
                    kind: RequestKind::Admin,
                    subject: "Repeat prescription".into(),
                    message: "Please.".into(),
                },
                Timestamp::from_millis(1_800_000_000_000),
                EventId::new("ev-new"),
            )
            .unwrap();
        let delta = world.take_delta();
        let before = db.conn.total_changes();
        db.commit(&meta, &delta).unwrap();
        assert_eq!(db.conn.total_changes() - before, 1 + 1 + 3, "{delta:?}");
        let (_, stored) = db.load().unwrap().unwrap();
        assert_eq!(stored, world.snapshot());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
