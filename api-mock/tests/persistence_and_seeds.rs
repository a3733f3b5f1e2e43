//! Persistence (every change on disk before the answer, restart restores it, corrupt files are
//! refused and left alone) and seed-file validation.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use api_mock::config::{Config, SeedSource};
use api_mock::AppState;
use axum::http::StatusCode;
use common::*;
use serde_json::json;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("api-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn on_disk(data: PathBuf) -> Config {
    Config {
        data: Some(data),
        ..Config::default()
    }
}

#[tokio::test]
async fn an_acknowledged_change_survives_a_restart_on_the_same_file() {
    let dir = temp_dir("roundtrip");
    let data = dir.join("nested").join("collab.db");
    let api = Api::with_state(Arc::new(AppState::start(&on_disk(data.clone())).unwrap()));
    assert!(
        data.exists(),
        "the seed is written at first start, parent folder created"
    );
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1001", &staff).await;
    let a = api
        .send(
            "POST",
            "/api/requests/r-1001/close",
            &staff,
            json!({"version": v}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let share = api
        .send(
            "POST",
            "/api/shares",
            &admin,
            json!({"target_id": "g-cam-gps", "partner_ods_code": "U12345", "restricted": true}),
        )
        .await;
    assert_eq!(share.status, StatusCode::CREATED);
    let before = api.snapshot();
    drop(api);

    let again = Api::with_state(Arc::new(AppState::start(&on_disk(data.clone())).unwrap()));
    assert_eq!(again.snapshot(), before, "everything restored");
    assert_eq!(
        again.get("/api/me", &staff).await.status,
        StatusCode::OK,
        "sessions are kept in the database: a restart signs no tab out (issue 19)"
    );
    let admin = again.sign_in(CAMELIA_ADMIN).await;
    let second = again
        .send(
            "POST",
            "/api/shares",
            &admin,
            json!({"target_id": "g-cam-gps", "partner_ods_code": "FA123", "restricted": true}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(
        second.json()["id"],
        share.json()["id"],
        "ids are never reused after a restart"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_corrupt_json_data_file_stops_the_import_and_is_left_untouched() {
    let dir = temp_dir("corrupt");
    let data = dir.join("state.json");
    for bytes in [
        &b"{\"format\":1,\"next_id\":3,\"wor"[..],
        b"not json",
        b"{\"format\":99,\"next_id\":1,\"world\":{}}",
    ] {
        std::fs::write(&data, bytes).unwrap();
        let e = AppState::start(&on_disk(data.clone())).expect_err("refused");
        assert!(e.0.contains("state.json"), "{e}");
        assert!(e.0.contains("corrupt"), "{e}");
        assert_eq!(std::fs::read(&data).unwrap(), bytes, "never overwritten");
        assert!(
            !dir.join("state.db").exists(),
            "no database made of a refused import"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_damaged_database_stops_the_start_and_is_left_untouched() {
    let dir = temp_dir("damaged");
    let data = dir.join("collab.db");
    let mut truncated = b"SQLite format 3\0".to_vec();
    truncated.extend([7u8; 200]);
    for bytes in [
        b"garbage bytes, not a database".to_vec(),
        vec![0xff; 4096],
        truncated,
    ] {
        std::fs::write(&data, &bytes).unwrap();
        let e = AppState::start(&on_disk(data.clone())).expect_err("refused");
        assert!(e.0.contains("collab.db"), "{e}");
        assert!(e.0.contains("left untouched"), "{e}");
        assert_eq!(std::fs::read(&data).unwrap(), bytes, "never overwritten");
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn seed_file(dir: &std::path::Path, text: &str) -> Config {
    let path = dir.join("seed.json");
    std::fs::write(&path, text).unwrap();
    Config {
        data: None,
        seed: SeedSource::File(path),
        ..Config::default()
    }
}

const GOOD: &str = r#"{
  "organisations": [
    {"ods_code": "A1001", "name": "One Surgery", "kind": "gp_practice", "postcode": "TS1 1AA", "active": true},
    {"ods_code": "U1001", "name": "One PCN", "kind": "pcn", "postcode": "TS1 1AB", "active": true}
  ],
  "users": [{"id": "u1", "name": "Ann Admin", "role": "admin", "ods_code": "A1001"}],
  "groups": [{"id": "g1", "name": "Reception", "ods_code": "A1001"},
             {"id": "g2", "name": "Care Home Team", "ods_code": "U1001"}],
  "patients": [{"id": "p1", "name": "Pat One", "nhs_number": "9434765919", "date_of_birth": "1950-01-01", "sharing": "share"}],
  "shares": [{"target_id": "g2", "partner_ods_code": "A1001", "restricted": false, "state": "enabled"}],
  "requests": [{"id": "r1", "ods_code": "A1001", "patient_id": "p1", "kind": "admin", "subject": "Hi",
                "message": "Hello", "received_at": "2026-11-01T10:00:00Z",
                "assignments": [{"by_user_id": "u1", "target_id": "g2"}], "status": "closed"}],
  "directory": {"generate": 50}
}"#;

#[tokio::test]
async fn a_valid_seed_file_is_replayed_through_the_rules() {
    let dir = temp_dir("seed-ok");
    let state = AppState::start(&seed_file(&dir, GOOD)).unwrap();
    let api = Api::with_state(Arc::new(state));
    let t = api.sign_in("u1").await;
    let d = api.get("/api/requests/r1", &t).await.json();
    assert_eq!(d["status"], "closed");
    assert_eq!(d["assignee"]["id"], "g2");
    assert_eq!(d["history"].as_array().unwrap().len(), 3);
    assert_eq!(api.state.read().world.organisations().len(), 52);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_seed_that_breaks_a_rule_is_refused_naming_the_entry() {
    let dir = temp_dir("seed-bad");
    let cases = [
        (GOOD.replace("9434765919", "9434765918"), "patients[0]"),
        (
            GOOD.replace(
                r#""target_id": "g2", "partner"#,
                r#""target_id": "g9", "partner"#,
            ),
            "shares[0]",
        ),
        (
            GOOD.replace(r#"{"id": "g2""#, r#"{"id": "g1""#),
            "groups[1]",
        ),
        (GOOD.replace(r#""id": "g1""#, r#""id": "all""#), "groups[0]"),
        (
            GOOD.replace(r#""by_user_id": "u1""#, r#""by_user_id": "u7""#),
            "requests[0]",
        ),
        (
            GOOD.replace(r#""kind": "admin""#, r#""kind": "admn""#),
            "requests[0]",
        ),
        (
            GOOD.replace(
                r#""ods_code": "U1001", "name""#,
                r#""ods_code": "u-1", "name""#,
            ),
            "organisations[1]",
        ),
    ];
    for (text, entry) in cases {
        let e = AppState::start(&seed_file(&dir, &text)).expect_err("refused");
        assert!(e.0.contains(entry), "{entry}: {e}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_generated_directory_is_not_rewritten_on_every_change_yet_comes_back_after_a_restart() {
    let dir = temp_dir("generated");
    let data = dir.join("state.db");
    let api = Api::with_state(Arc::new(AppState::start(&on_disk(data.clone())).unwrap()));
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1001", &staff).await;
    let closed = api
        .send(
            "POST",
            "/api/requests/r-1001/close",
            &staff,
            json!({"version": v}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    let size = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    let written = size("state.db") + size("state.db-wal");
    assert!(
        written < 1_500_000,
        "the database holds {written} bytes: the 20 000 generated organisations are left out"
    );
    let found = api
        .get("/api/organisations?q=medical&limit=50", &staff)
        .await
        .json();
    let before = api.snapshot();
    drop(api);

    let again = Api::with_state(Arc::new(AppState::start(&on_disk(data.clone())).unwrap()));
    assert_eq!(
        again.snapshot(),
        before,
        "every organisation is back, in order"
    );
    assert!(again.state.read().world.organisations().len() > 20_000);
    let staff = again.sign_in(CAMELIA_STAFF).await;
    assert_eq!(
        again
            .get("/api/organisations?q=medical&limit=50", &staff)
            .await
            .json(),
        found,
        "search finds the same generated organisations"
    );
    drop(again);

    // A file whose generated directory no longer matches is refused, not silently re-based.
    {
        let db = rusqlite::Connection::open(&data).unwrap();
        let changed = db
            .execute(
                "UPDATE meta SET value = replace(value, ',\"', ',\"0') WHERE key = 'generated'",
                [],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    let e = AppState::start(&on_disk(data.clone())).expect_err("refused");
    assert!(e.0.contains("generated directory differs"), "{e}");
    assert!(e.0.contains("state.db"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_data_file_of_format_1_with_every_organisation_is_still_read() {
    let dir = temp_dir("legacy");
    let data = dir.join("state.json");
    let state = AppState::demo_in_memory().unwrap();
    let snapshot = state.read().world.snapshot();
    let legacy = json!({"format": 1, "next_id": 500, "world": snapshot});
    std::fs::write(&data, serde_json::to_vec(&legacy).unwrap()).unwrap();
    let json = std::fs::read(&data).unwrap();
    let again = AppState::start(&on_disk(data.clone())).unwrap();
    assert_eq!(again.read().world.snapshot(), snapshot);
    assert_eq!(again.data_path(), Some(dir.join("state.db").as_path()));
    drop(again);
    assert_eq!(
        std::fs::read(&data).unwrap(),
        json,
        "the JSON file is left as it is"
    );
    // Imported once: the database wins from now on, even if the JSON file changes.
    std::fs::write(&data, b"no longer read").unwrap();
    let third = AppState::start(&on_disk(data.clone())).unwrap();
    assert_eq!(third.read().world.snapshot(), snapshot);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_new_request_never_takes_the_id_of_a_seeded_one() {
    // Found by tests/crash.rs: after about 500 demo requests the id counter reached the demo's
    // own `r-1001` and every new request was refused with 400.
    let dir = temp_dir("seed-ids");
    let seed = GOOD.replace(r#""id": "r1""#, r#""id": "r-5""#);
    let api = Api::with_state(Arc::new(AppState::start(&seed_file(&dir, &seed)).unwrap()));
    let t = api.sign_in("u1").await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        let a = api
            .send(
                "POST",
                "/api/demo/requests",
                &t,
                json!({"ods_code": "A1001", "patient_id": "p1", "subject": "New",
                       "message": "Hello", "kind": "admin"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
        ids.push(a.json()["id"].as_str().unwrap().to_owned());
    }
    assert!(!ids.contains(&"r-5".to_owned()), "{ids:?}");
    assert_eq!(
        api.get("/api/requests/r-5", &t).await.json()["subject"],
        "Hi"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn generated_requests_follow_the_rules_and_come_back_after_a_restart() {
    let dir = temp_dir("generate-requests");
    let data = dir.join("collab.db");
    let config = Config {
        data: Some(data.clone()),
        generate_requests: 400,
        ..Config::default()
    };
    let demo = AppState::demo_in_memory()
        .unwrap()
        .read()
        .world
        .requests()
        .len();
    let state = AppState::start(&config).unwrap();
    let store = state.read();
    let world = &store.world;
    assert_eq!(world.requests().len(), demo + 400);
    let generated: Vec<&domain::Request> = world.requests().iter().skip(demo).collect();
    let closed = generated
        .iter()
        .filter(|r| r.status == domain::RequestStatus::Closed)
        .count();
    let moved = generated.iter().filter(|r| r.history.len() > 1).count();
    assert!((20..200).contains(&closed), "some closed: {closed}");
    assert!(
        moved > 100,
        "many assigned through the rules (A1-A6): {moved}"
    );
    let sharing: std::collections::HashSet<_> = generated
        .iter()
        .filter_map(|r| world.patient(&r.patient))
        .map(|p| p.sharing)
        .collect();
    assert_eq!(
        sharing.len(),
        2,
        "patients of both sharing preferences (V3)"
    );
    let subjects: std::collections::HashSet<_> = generated.iter().map(|r| &r.subject).collect();
    assert!(subjects.len() > 5, "varied subjects");
    let before = world.snapshot();
    drop(store);
    drop(state);

    // An existing database wins: nothing is generated again.
    let again = AppState::start(&config).unwrap();
    assert_eq!(again.read().world.snapshot(), before);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_generated_directory_does_not_repeat_the_seeds_own_names() {
    let state = AppState::demo_in_memory().unwrap();
    let store = state.read();
    let orgs = store.world.organisations();
    let explicit = orgs.len() - 20_000;
    let own: std::collections::HashSet<String> = orgs[..explicit]
        .iter()
        .map(|o| o.name.to_lowercase())
        .collect();
    let repeats: Vec<&str> = orgs[explicit..]
        .iter()
        .filter(|o| own.contains(&o.name.to_lowercase()))
        .map(|o| o.name.as_str())
        .collect();
    assert!(repeats.is_empty(), "{repeats:?}");
}
