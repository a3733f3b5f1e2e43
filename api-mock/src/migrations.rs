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
        assert_eq!(SCHEMA_VERSION, 3);
    }
}
