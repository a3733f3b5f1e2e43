//! The store under faults (issue 19): a failed commit stops changes (503) until a restart; the
//! schema is migrated (a database written before the migrations still opens and reads); an
//! SQLite file left by a first start killed before its first commit is new, a database
//! without its state imports the JSON again; time never goes backwards after a restart.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use api_mock::config::{Config, SeedSource};
use api_mock::AppState;
use axum::http::StatusCode;
use common::*;
use rusqlite::Connection;
use serde_json::json;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("api-mock-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn on_disk(data: &Path) -> Config {
    Config {
        data: Some(data.to_path_buf()),
        ..Config::default()
    }
}

fn start(data: &Path) -> Api {
    Api::with_state(Arc::new(AppState::start(&on_disk(data)).unwrap()))
}

fn new_request(subject: &str) -> serde_json::Value {
    // A patient of Riverside's own (demo calls act within the caller's organisation).
    json!({"ods_code": "A81002", "patient_id": "p-fatima-begum", "kind": "admin",
           "subject": subject, "message": "Store test."})
}

/// The millisecond time of an RFC 3339 answer field.
fn millis(text: &serde_json::Value) -> i64 {
    domain::Timestamp::parse_rfc3339(text.as_str().unwrap())
        .unwrap()
        .as_millis()
}

/// Issue 19 item 1: a commit that fails (here a trigger raising an error in SQLite, as a full
/// disk would) answers 503 in API.md's shape, changes nothing, and every later change answers
/// 503 too until the server is restarted; reads go on.
#[tokio::test]
async fn a_commit_that_fails_answers_503_and_stops_every_later_change_until_restart() {
    let dir = temp_dir("broken");
    let data = dir.join("collab.db");
    let api = start(&data);
    let tom = api.sign_in(RIVERSIDE_STAFF).await;
    let first = api
        .send("POST", "/api/demo/requests", &tom, new_request("Before"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);

    let sql = Connection::open(&data).unwrap();
    sql.execute_batch(
        "CREATE TRIGGER full_disk BEFORE INSERT ON audit
         BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END;",
    )
    .unwrap();
    let before = api.snapshot();
    let failed = api
        .send("POST", "/api/demo/requests", &tom, new_request("Lost"))
        .await;
    assert_eq!(failed.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failed.code(), "unavailable");
    assert!(failed.content_type.starts_with("application/json"));
    assert_eq!(api.snapshot(), before, "nothing changed in memory");

    // The disk is fine again, yet the server takes no more changes until restarted.
    sql.execute_batch("DROP TRIGGER full_disk").unwrap();
    let james = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1001", &james).await;
    let later = api
        .send(
            "POST",
            "/api/requests/r-1001/close",
            &james,
            json!({"version": v}),
        )
        .await;
    assert_eq!(later.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.get("/api/requests", &tom).await.status, StatusCode::OK);
    assert_eq!(api.snapshot(), before);
    drop(api);

    let again = start(&data);
    let tom = again.sign_in(RIVERSIDE_STAFF).await;
    let after = again
        .send(
            "POST",
            "/api/demo/requests",
            &tom,
            new_request("After restart"),
        )
        .await;
    assert_eq!(after.status, StatusCode::CREATED, "a restart takes changes");
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 19 item 2: `api-mock/tests/fixtures/schema-1.db` was written by the server before
/// migrations existed (demo seed, then Tom Bennett's request r-44, then a clean stop). It opens,
/// is migrated to the current schema, and reads back with its request and its id counter.
#[tokio::test]
async fn a_database_written_before_the_migrations_opens_migrated_and_reads_back() {
    let dir = temp_dir("schema-1");
    let data = dir.join("collab.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-1.db");
    std::fs::copy(&fixture, &data).unwrap();
    let api = start(&data);
    let tom = api.sign_in(RIVERSIDE_STAFF).await;
    let old = api.get("/api/requests/r-44", &tom).await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.json()["subject"], "Written by schema 1");
    let new = api
        .send("POST", "/api/demo/requests", &tom, new_request("Schema 3"))
        .await;
    assert_eq!(new.status, StatusCode::CREATED);
    assert_eq!(new.json()["id"], "r-46", "the stored id counter goes on");
    assert!(millis(&new.json()["received_at"]) > millis(&old.json()["received_at"]));
    drop(api);
    let version: usize = Connection::open(&data)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, api_mock::db::SCHEMA_VERSION);
    let again = start(&data);
    let tom = again.sign_in(RIVERSIDE_STAFF).await;
    assert_eq!(
        again.get("/api/requests/r-46", &tom).await.status,
        StatusCode::OK
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Stored shapes are versioned apart from the domain's serde: a row of a shape this server does
/// not know, or a schema newer than its own, is refused with the reason and left untouched.
#[test]
fn a_row_of_an_unknown_shape_or_a_newer_schema_is_refused_and_left_untouched() {
    let dir = temp_dir("shapes");
    let data = dir.join("collab.db");
    drop(AppState::start(&on_disk(&data)).unwrap());
    let sql = Connection::open(&data).unwrap();
    sql.execute("UPDATE audit SET shape = 2 WHERE pos = 0", [])
        .unwrap();
    let e = AppState::start(&on_disk(&data)).unwrap_err();
    assert!(e.0.contains("audit row of shape 2"), "{e}");
    sql.execute("UPDATE audit SET shape = 1 WHERE pos = 0", [])
        .unwrap();
    sql.execute_batch("PRAGMA user_version = 99").unwrap();
    let e = AppState::start(&on_disk(&data)).unwrap_err();
    assert!(e.0.contains("newer api-mock (schema 99"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 19 item 2: what a first start killed before its first commit leaves (an SQLite file in
/// WAL mode with no tables) is a new database, not "something else".
#[tokio::test]
async fn an_sqlite_file_with_no_tables_is_a_new_database() {
    let dir = temp_dir("no-tables");
    let data = dir.join("collab.db");
    let sql = Connection::open(&data).unwrap();
    let mode: String = sql
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(sql);
    assert!(std::fs::metadata(&data).unwrap().len() > 0);
    let api = start(&data);
    let james = api.sign_in(CAMELIA_STAFF).await;
    assert_eq!(
        api.get("/api/requests/r-1001", &james).await.status,
        StatusCode::OK
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 19 item 2: the import is decided by the stored state's `meta` row, committed with it,
/// not by the file's existence: a database whose tables exist but whose state never committed
/// (an import killed half-way) imports the JSON file again.
#[test]
fn a_database_without_its_state_imports_the_json_file_again() {
    let dir = temp_dir("reimport");
    let json_path = dir.join("state.json");
    let data = dir.join("collab.db");
    let demo = AppState::demo_in_memory().unwrap();
    let mut snapshot = demo.read().world.snapshot();
    snapshot.patients[0].name = "Imported From JSON".into();
    let file = json!({"format": 1, "next_id": 700, "world": snapshot});
    std::fs::write(&json_path, serde_json::to_vec(&file).unwrap()).unwrap();
    // The tables, without the state: where a killed import stops.
    drop(api_mock::db::Sqlite::open(&data).unwrap());
    let state = AppState::start(&on_disk(&data)).unwrap();
    assert_eq!(
        state.read().world.snapshot(),
        snapshot,
        "the JSON was imported"
    );
    let _ = std::fs::remove_dir_all(dir);
}

const FUTURE_SEED: &str = r#"{
  "organisations": [
    {"ods_code": "A1001", "name": "One Surgery", "kind": "gp_practice", "postcode": "TS1 1AA", "active": true}
  ],
  "users": [{"id": "u1", "name": "Ann Admin", "role": "admin", "ods_code": "A1001"}],
  "groups": [],
  "patients": [{"id": "p1", "name": "Pat One", "nhs_number": "9434765919", "date_of_birth": "1950-01-01", "sharing": "share"}],
  "requests": [{"id": "r1", "ods_code": "A1001", "patient_id": "p1", "kind": "admin", "subject": "Hi",
                "message": "Hello", "received_at": "2100-01-01T10:00:00Z"}]
}"#;

/// Issue 19 item 3 (C4): stored times later than the wall clock (a clock set back, data from
/// another machine) are never followed by earlier ones: the clock starts after the latest
/// stored time, and after its last reading, which a restart keeps.
#[tokio::test]
async fn time_never_goes_backwards_after_a_restart() {
    let dir = temp_dir("clock");
    let data = dir.join("collab.db");
    let seed = dir.join("seed.json");
    std::fs::write(&seed, FUTURE_SEED).unwrap();
    let config = Config {
        data: Some(data.clone()),
        seed: SeedSource::File(seed),
        ..Config::default()
    };
    let create = |subject: &str| {
        json!({"ods_code": "A1001", "patient_id": "p1", "kind": "admin", "subject": subject,
               "message": "Clock."})
    };
    let api = Api::with_state(Arc::new(AppState::start(&config).unwrap()));
    let ann = api.sign_in("u1").await;
    let r1 = api.get("/api/requests/r1", &ann).await.json();
    assert!(r1["received_at"].is_string(), "{r1}");
    let seeded = millis(&r1["received_at"]);
    let first = api
        .send("POST", "/api/demo/requests", &ann, create("After the seed"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let first_at = millis(&first.json()["received_at"]);
    assert!(first_at > seeded, "{first_at} after the stored {seeded}");
    drop(api);

    // The request's own time is stored; the clock's last reading too (meta `last_now`).
    let sql = Connection::open(&data).unwrap();
    let far = 4_200_000_000_000_i64;
    sql.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'last_now'",
        [far.to_string()],
    )
    .unwrap();
    drop(sql);
    let again = Api::with_state(Arc::new(AppState::start(&config).unwrap()));
    let ann = again.sign_in("u1").await;
    let second = again
        .send(
            "POST",
            "/api/demo/requests",
            &ann,
            create("After the restart"),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert!(millis(&second.json()["received_at"]) > far);
    let _ = std::fs::remove_dir_all(dir);
}
