//! The research studies' helpers (issues 21, 22): the sample study loaded, the facilitator
//! signed in, participants created and signed in by their links.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;

use api_mock::config::Config;
use api_mock::AppState;
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::Api;

pub fn sample_study() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/studies/sharing-basics.json"
    ))
}

pub fn config(data: Option<PathBuf>) -> Config {
    Config {
        data,
        study: Some(sample_study()),
        ..Config::default()
    }
}

/// A server with the sample study loaded, and the facilitator's token.
pub async fn study_api(data: Option<PathBuf>) -> (Api, String) {
    let state = Arc::new(AppState::start(&config(data)).unwrap());
    facilitator(Api::with_state(state)).await
}

pub async fn facilitator(api: Api) -> (Api, String) {
    let key = api.state.research.take_new_key().unwrap();
    let a = api
        .call(
            "POST",
            "/api/research/session",
            None,
            Some(&json!({ "key": key }).to_string()),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let token = a.json()["token"].as_str().unwrap().to_owned();
    (api, token)
}

/// A participant: its id and the token of its link's sign-in.
pub async fn participant(api: &Api, fac: &str, label: &str) -> (String, String) {
    let (id, session) = participant_session(api, fac, label).await;
    (id, session["token"].as_str().unwrap().to_owned())
}

/// A participant: its id and the whole answer of its link's sign-in (token, user, participant).
pub async fn participant_session(api: &Api, fac: &str, label: &str) -> (String, Value) {
    let a = api
        .send(
            "POST",
            "/api/research/participants",
            fac,
            json!({ "label": label }),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let body = a.json();
    let code = body["code"].as_str().unwrap().to_owned();
    assert_eq!(body["link"], format!("/p/{code}"));
    // K8: at least 128 random bits.
    assert!(code.len() >= 32 && code.bytes().all(|b| b.is_ascii_hexdigit()));
    let s = api
        .call(
            "POST",
            "/api/session",
            None,
            Some(&json!({ "participant_code": code }).to_string()),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.json());
    (body["id"].as_str().unwrap().to_owned(), s.json())
}
