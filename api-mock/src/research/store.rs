//! The research part of the database (migration 4): the loaded study, its participants (their
//! progress as JSON) and their logs. A participant's sandbox is a world of the state tables
//! (`db.rs`), keyed `sb:ID`, with its task-start snapshots `sb:ID@N`; deleting the participant
//! deletes those rows, its log and its sessions in one transaction (K2, K9).

use rusqlite::{params, OptionalExtension};

use crate::db::{db_err, delete_world, Sqlite};

/// What the research screens keep on disk. Every method is one transaction.
pub trait ResearchStore {
    /// The stored study file (JSON), if one is loaded.
    fn study(&mut self) -> Result<Option<String>, String>;
    /// Stores (or with `None` forgets) the study file.
    fn put_study(&mut self, body: Option<&str>) -> Result<(), String>;
    /// Every participant: (id, code, progress JSON), by id.
    fn participants(&mut self) -> Result<Vec<(String, String, String)>, String>;
    /// Writes a new participant.
    fn put_participant(&mut self, id: &str, code: &str, body: &str) -> Result<(), String>;
    /// Writes an existing participant's progress; nothing for a deleted one (a call still in
    /// flight when it was deleted cannot bring it back).
    fn update_participant(&mut self, id: &str, body: &str) -> Result<(), String>;
    /// Deletes a participant with its sandbox (every world `sb:ID` and `sb:ID@N`), its log
    /// and its sessions.
    fn delete_participant(&mut self, id: &str, world: &str) -> Result<(), String>;
    /// Appends entries to a participant's log, after its last.
    fn append_log(&mut self, id: &str, bodies: &[String]) -> Result<(), String>;
    /// A participant's log, in order.
    fn log(&mut self, id: &str) -> Result<Vec<String>, String>;
    /// Deletes the rows of sandbox worlds whose participant no longer exists (a creation
    /// interrupted between its two transactions).
    fn drop_orphan_worlds(&mut self) -> Result<usize, String>;
}

impl ResearchStore for Sqlite {
    fn study(&mut self) -> Result<Option<String>, String> {
        self.conn
            .query_row("SELECT body FROM study WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map_err(db_err)
    }

    fn put_study(&mut self, body: Option<&str>) -> Result<(), String> {
        match body {
            Some(body) => self.conn.execute(
                "INSERT INTO study (id, body) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                [body],
            ),
            None => self.conn.execute("DELETE FROM study", []),
        }
        .map(|_| ())
        .map_err(db_err)
    }

    fn participants(&mut self) -> Result<Vec<(String, String, String)>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, code, body FROM participant ORDER BY id")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(db_err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db_err)
    }

    fn put_participant(&mut self, id: &str, code: &str, body: &str) -> Result<(), String> {
        self.conn
            .prepare_cached(
                "INSERT INTO participant (id, code, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            )
            .map_err(db_err)?
            .execute(params![id, code, body])
            .map(|_| ())
            .map_err(db_err)
    }

    fn update_participant(&mut self, id: &str, body: &str) -> Result<(), String> {
        unsynced(&mut self.conn, |conn| {
            conn.prepare_cached("UPDATE participant SET body = ?2 WHERE id = ?1")
                .map_err(db_err)?
                .execute(params![id, body])
                .map(|_| ())
                .map_err(db_err)
        })
    }

    fn delete_participant(&mut self, id: &str, world: &str) -> Result<(), String> {
        // Immediate: it reads before it writes, and must not meet a busy database half-way.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let snapshots: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT DISTINCT world FROM meta WHERE world LIKE ?1 || '@%'")
                .map_err(db_err)?;
            let rows = stmt
                .query_map([world], |r| r.get(0))
                .map_err(db_err)?
                .collect::<Result<Vec<String>, _>>()
                .map_err(db_err)?;
            rows
        };
        delete_world(&tx, world)?;
        for w in &snapshots {
            delete_world(&tx, w)?;
        }
        tx.execute("DELETE FROM research_log WHERE participant = ?1", [id])
            .map_err(db_err)?;
        tx.execute("DELETE FROM session WHERE world = ?1", [world])
            .map_err(db_err)?;
        tx.execute("DELETE FROM participant WHERE id = ?1", [id])
            .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn append_log(&mut self, id: &str, bodies: &[String]) -> Result<(), String> {
        unsynced(&mut self.conn, |conn| {
            let tx = conn.transaction().map_err(db_err)?;
            for body in bodies {
                tx.prepare_cached(
                    "INSERT INTO research_log (participant, seq, body)
                     SELECT ?1, (SELECT coalesce(max(seq), -1) + 1 FROM research_log
                                 WHERE participant = ?1), ?2
                     WHERE EXISTS (SELECT 1 FROM participant WHERE id = ?1)",
                )
                .map_err(db_err)?
                .execute(params![id, body])
                .map_err(db_err)?;
            }
            tx.commit().map_err(db_err)
        })
    }

    fn log(&mut self, id: &str) -> Result<Vec<String>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM research_log WHERE participant = ?1 ORDER BY seq")
            .map_err(db_err)?;
        let rows = stmt
            .query_map([id], |r| r.get(0))
            .map_err(db_err)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(db_err)?;
        Ok(rows)
    }

    fn drop_orphan_worlds(&mut self) -> Result<usize, String> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_err)?;
        tx.execute(
            "DELETE FROM research_log WHERE participant NOT IN (SELECT id FROM participant)",
            [],
        )
        .map_err(db_err)?;
        let orphans: Vec<String> = {
            let mut stmt = tx
                .prepare(
                    "SELECT DISTINCT world FROM entity WHERE world LIKE 'sb:%' AND NOT EXISTS (
                         SELECT 1 FROM participant p
                         WHERE entity.world = 'sb:' || p.id OR entity.world LIKE 'sb:' || p.id || '@%')",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .map_err(db_err)?
                .collect::<Result<Vec<String>, _>>()
                .map_err(db_err)?;
            rows
        };
        for w in &orphans {
            delete_world(&tx, w)?;
        }
        tx.commit().map_err(db_err)?;
        Ok(orphans.len())
    }
}

/// Runs `write` committed without waiting for the disk (`synchronous = NORMAL` for it alone,
/// then `FULL` again): for the log and the progress, written on every call of a participant.
/// In WAL mode such a commit survives the process being killed (`kill -9`, K9), since it is in
/// the operating system's hands; only a crash of the machine itself could lose the last ones,
/// and the next change's commit, which does wait, takes them to the disk with it. Sandbox
/// changes themselves still wait for the disk before they are acknowledged. Measured in
/// docs/PERFORMANCE.md (`scripts/log-bench`).
fn unsynced<T>(
    conn: &mut rusqlite::Connection,
    write: impl FnOnce(&mut rusqlite::Connection) -> Result<T, String>,
) -> Result<T, String> {
    conn.execute_batch("PRAGMA synchronous = NORMAL")
        .map_err(db_err)?;
    let written = write(conn);
    let restored = conn
        .execute_batch("PRAGMA synchronous = FULL")
        .map_err(db_err);
    let written = written?;
    restored.map(|()| written)
}
