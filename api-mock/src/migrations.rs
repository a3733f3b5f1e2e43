//! The numbered schema of the database (`db.rs`), migrated at start by `rusqlite_migration`:
//! the number is SQLite's `user_version`, and every pending migration runs in one transaction,
//! so a kill leaves the old version or the new one. ARCHITECTURE.md, "Migrations".

use rusqlite_migration::M;

/// The numbered schema: migration N takes `user_version` from N - 1 to N. Never edit one
/// that has shipped; add the next.
pub const MIGRATIONS: &[M<'static>] = &[
    // 1: the schema before migrations existed (IF NOT EXISTS: such databases are adopted).
    M::up(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS entity (
             kind TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,
             PRIMARY KEY (kind, key)) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS audit (pos INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    ),
    // 2: sessions (`sessions.rs`), by the SHA-256 of their token.
    M::up(
        "CREATE TABLE session (
             token_sha256 TEXT PRIMARY KEY, user_id TEXT NOT NULL,
             created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;
         CREATE INDEX session_by_last_seen ON session (last_seen);",
    ),
    // 3: the version of each row's JSON shape, apart from the domain's serde.
    M::up(
        "ALTER TABLE entity ADD COLUMN shape INTEGER NOT NULL DEFAULT 1;
         ALTER TABLE audit ADD COLUMN shape INTEGER NOT NULL DEFAULT 1;",
    ),
    // 4: worlds beside the demo world (research sandboxes, SPEC K1, K9): every row of the
    // state carries the key of its world ('' for the demo world, `sb:ID` for a participant's
    // sandbox, `sb:ID@N` for its snapshot at the start of task N); sessions name their world;
    // the loaded study, its participants and their logs.
    M::up(
        "CREATE TABLE entity_w (
             world TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL,
             body TEXT NOT NULL, shape INTEGER NOT NULL DEFAULT 1,
             PRIMARY KEY (world, kind, key)) WITHOUT ROWID;
         INSERT INTO entity_w SELECT '', kind, key, pos, body, shape FROM entity;
         DROP TABLE entity;
         ALTER TABLE entity_w RENAME TO entity;
         CREATE TABLE audit_w (
             world TEXT NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,
             shape INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (world, pos)) WITHOUT ROWID;
         INSERT INTO audit_w SELECT '', pos, body, shape FROM audit;
         DROP TABLE audit;
         ALTER TABLE audit_w RENAME TO audit;
         CREATE TABLE meta_w (
             world TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
             PRIMARY KEY (world, key)) WITHOUT ROWID;
         INSERT INTO meta_w SELECT '', key, value FROM meta;
         DROP TABLE meta;
         ALTER TABLE meta_w RENAME TO meta;
         ALTER TABLE session ADD COLUMN world TEXT NOT NULL DEFAULT '';
         CREATE TABLE study (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
         CREATE TABLE participant (
             id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, body TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE research_log (
             participant TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
             PRIMARY KEY (participant, seq)) WITHOUT ROWID;",
    ),
];

/// The schema version this server writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

#[cfg(test)]
mod tests {
    use super::*;

    /// Every migration applies, in order, to an empty database (rusqlite_migration's check).
    #[test]
    fn the_migrations_apply_in_order_to_an_empty_database() {
        assert!(rusqlite_migration::Migrations::from_slice(MIGRATIONS)
            .validate()
            .is_ok());
        assert_eq!(SCHEMA_VERSION, 4);
    }
}
