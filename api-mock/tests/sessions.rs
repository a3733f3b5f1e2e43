//! Sessions (issue 19 item 5, API.md Sign-in): kept in the database (hashed), ended after 12
//! hours idle, at most `--max-sessions` (the one idle longest ends first), ended for good by
//! `DELETE /api/session`. The sessions' clock is injected, so 12 hours pass at once.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use api_mock::config::Config;
use api_mock::AppState;
use axum::http::StatusCode;
use common::*;

const HOUR_MS: i64 = 3_600_000;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("api-mock-sessions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server whose sessions read `clock` (ms).
fn with_clock(config: &Config, clock: &Arc<AtomicI64>) -> Api {
    let state = AppState::start(config).unwrap();
    let c = clock.clone();
    state
        .sessions
        .set_clock(Arc::new(move || c.load(Ordering::SeqCst)));
    Api::with_state(Arc::new(state))
}

fn on_disk(data: &Path) -> Config {
    Config {
        data: Some(data.to_path_buf()),
        ..Config::default()
    }
}

async fn me(api: &Api, token: &str) -> StatusCode {
    api.get("/api/me", token).await.status
}

#[tokio::test]
async fn a_session_idle_for_12_hours_ends_and_each_use_starts_the_idle_time_again() {
    let clock = Arc::new(AtomicI64::new(1_800_000_000_000));
    let api = with_clock(
        &Config {
            data: None,
            ..Config::default()
        },
        &clock,
    );
    let used = api.sign_in(CAMELIA_STAFF).await;
    let idle = api.sign_in(RIVERSIDE_STAFF).await;
    clock.fetch_add(11 * HOUR_MS, Ordering::SeqCst);
    assert_eq!(
        me(&api, &used).await,
        StatusCode::OK,
        "11 hours idle: still open"
    );
    clock.fetch_add(HOUR_MS + 1, Ordering::SeqCst);
    assert_eq!(
        me(&api, &idle).await,
        StatusCode::UNAUTHORIZED,
        "12 hours and a millisecond idle: ended"
    );
    assert_eq!(
        me(&api, &used).await,
        StatusCode::OK,
        "used an hour ago: its idle time started again"
    );
    clock.fetch_add(12 * HOUR_MS + 1, Ordering::SeqCst);
    assert_eq!(me(&api, &used).await, StatusCode::UNAUTHORIZED);
    assert!(
        api.state.sessions.is_empty(),
        "ended sessions are forgotten"
    );
}

#[tokio::test]
async fn the_idle_limit_is_configurable() {
    let clock = Arc::new(AtomicI64::new(1_800_000_000_000));
    let api = with_clock(
        &Config {
            data: None,
            session_idle_hours: 1,
            ..Config::default()
        },
        &clock,
    );
    let token = api.sign_in(CAMELIA_STAFF).await;
    clock.fetch_add(HOUR_MS + 1, Ordering::SeqCst);
    assert_eq!(me(&api, &token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn over_the_cap_the_session_idle_longest_ends_first() {
    let clock = Arc::new(AtomicI64::new(1_800_000_000_000));
    let dir = temp_dir("cap");
    let data = dir.join("collab.db");
    let config = Config {
        max_sessions: 3,
        ..on_disk(&data)
    };
    let api = with_clock(&config, &clock);
    let mut tokens = Vec::new();
    for user in [CAMELIA_STAFF, RIVERSIDE_STAFF, PCN_STAFF] {
        tokens.push(api.sign_in(user).await);
        clock.fetch_add(1_000, Ordering::SeqCst);
    }
    // The first is used again: the second is now the one idle longest.
    assert_eq!(me(&api, &tokens[0]).await, StatusCode::OK);
    clock.fetch_add(1_000, Ordering::SeqCst);
    let fourth = api.sign_in(PHARMACY_STAFF).await;
    assert_eq!(api.state.sessions.len(), 3);
    assert_eq!(me(&api, &tokens[1]).await, StatusCode::UNAUTHORIZED);
    for t in [&tokens[0], &tokens[2], &fourth] {
        assert_eq!(me(&api, t).await, StatusCode::OK);
    }
    drop(api);
    // The eviction is on disk too.
    let again = with_clock(&config, &clock);
    assert_eq!(again.state.sessions.len(), 3);
    assert_eq!(me(&again, &tokens[1]).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&again, &fourth).await, StatusCode::OK);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_signed_out_session_stays_ended_after_a_restart_and_others_stay_open() {
    let dir = temp_dir("sign-out");
    let data = dir.join("collab.db");
    let api = Api::with_state(Arc::new(AppState::start(&on_disk(&data)).unwrap()));
    let out = api.sign_in(CAMELIA_STAFF).await;
    let kept = api.sign_in(RIVERSIDE_STAFF).await;
    let a = api.call("DELETE", "/api/session", Some(&out), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(me(&api, &out).await, StatusCode::UNAUTHORIZED);
    drop(api);
    let again = Api::with_state(Arc::new(AppState::start(&on_disk(&data)).unwrap()));
    assert_eq!(me(&again, &out).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&again, &kept).await, StatusCode::OK);
    let _ = std::fs::remove_dir_all(dir);
}

/// A session idle too long at a restart is not brought back.
#[tokio::test]
async fn a_session_that_went_idle_while_the_server_was_down_is_ended_at_start() {
    let clock = Arc::new(AtomicI64::new(1_700_000_000_000));
    let dir = temp_dir("idle-restart");
    let data = dir.join("collab.db");
    let api = with_clock(&on_disk(&data), &clock);
    let token = api.sign_in(CAMELIA_STAFF).await;
    drop(api);
    // Signed in on 2023-11-14 (the injected clock); read at start with the wall clock, years on.
    let again = Api::with_state(Arc::new(AppState::start(&on_disk(&data)).unwrap()));
    assert!(again.state.sessions.is_empty());
    assert_eq!(me(&again, &token).await, StatusCode::UNAUTHORIZED);
    let _ = std::fs::remove_dir_all(dir);
}

/// Only the SHA-256 of a token is stored: neither the database nor its write-ahead log holds a
/// token, as text or as bytes.
#[tokio::test]
async fn the_database_never_holds_a_token_in_clear() {
    let dir = temp_dir("hashed");
    let data = dir.join("collab.db");
    let api = Api::with_state(Arc::new(AppState::start(&on_disk(&data)).unwrap()));
    let mut tokens = Vec::new();
    for user in [CAMELIA_STAFF, RIVERSIDE_STAFF, PCN_STAFF, CAMELIA_ADMIN] {
        tokens.push(api.sign_in(user).await);
    }
    assert_eq!(me(&api, &tokens[0]).await, StatusCode::OK);
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        on_disk.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let holds = |needle: &[u8]| on_disk.windows(needle.len()).any(|w| w == needle);
    for token in &tokens {
        let raw: Vec<u8> = (0..token.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&token[i..i + 2], 16).unwrap())
            .collect();
        assert!(!holds(token.as_bytes()), "token text in the files");
        assert!(!holds(token.to_uppercase().as_bytes()));
        assert!(!holds(&raw), "token bytes in the files");
        let hash = api_mock::sessions::token_hash(token);
        assert!(holds(hash.as_bytes()), "its hash is what is kept");
    }
    drop(api);
    let _ = std::fs::remove_dir_all(dir);
}
