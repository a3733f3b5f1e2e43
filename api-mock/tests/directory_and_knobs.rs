//! `GET /api/organisations` over HTTP and the UX-testing knobs.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use api_mock::config::{Config, Latency};
use api_mock::AppState;
use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn search_finds_by_exact_code_first_then_by_name_with_flags() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let r = api.get("/api/organisations?q=a81001", &t).await.json();
    assert_eq!(r["results"][0]["ods_code"], "A81001");
    assert_eq!(r["results"][0]["name"], "Camelia Surgery");
    let r = api
        .get("/api/organisations?q=%20oakwood%20surg%20", &t)
        .await
        .json();
    let oak = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["ods_code"] == "A81099")
        .unwrap();
    assert_eq!(
        oak["active"], false,
        "inactive organisations are returned with their flag"
    );
    let r = api
        .get("/api/organisations?q=camelia%20surgery", &t)
        .await
        .json();
    assert_eq!(r["results"][0]["ods_code"], "A81001");
}

#[tokio::test]
async fn search_limit_defaults_to_10_is_clamped_and_must_be_a_number() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let len = |v: serde_json::Value| v["results"].as_array().unwrap().len();
    assert_eq!(
        len(api.get("/api/organisations?q=medical", &t).await.json()),
        10
    );
    assert_eq!(
        len(api
            .get("/api/organisations?q=medical&limit=500", &t)
            .await
            .json()),
        50
    );
    assert_eq!(
        len(api
            .get("/api/organisations?q=medical&limit=0", &t)
            .await
            .json()),
        1
    );
    assert_eq!(
        len(api.get("/api/organisations?q=m", &t).await.json()),
        0,
        "shorter than 2"
    );
    assert_eq!(len(api.get("/api/organisations", &t).await.json()), 0);
    let a = api.get("/api/organisations?q=medical&limit=ten", &t).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("limit"));
}

fn with_knobs(latency: &str, fail_rate: f64) -> Api {
    let config = Config {
        data: None,
        latency: Latency::parse(latency).unwrap(),
        fail_rate,
        chaos_seed: 7,
        ..Config::default()
    };
    Api::with_state(Arc::new(AppState::start(&config).unwrap()))
}

#[tokio::test]
async fn health_shows_the_active_knobs_so_the_client_can_say_so() {
    let api = with_knobs("100-300", 0.25);
    let a = api.call("GET", "/api/health", None, None).await;
    assert_eq!(
        a.json(),
        json!({"status": "ok", "latency_ms": "100-300", "fail_rate": 0.25})
    );
}

#[tokio::test]
async fn a_full_fail_rate_answers_503_before_touching_state_but_never_for_health() {
    let api = with_knobs("0", 1.0);
    let before = api.snapshot();
    let a = api
        .call(
            "POST",
            "/api/session",
            None,
            Some(r#"{"user_id":"u-sarah-ahmed"}"#),
        )
        .await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.code(), "unavailable");
    let a = api.call("POST", "/api/demo/reset", Some("x"), None).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.snapshot(), before);
    assert_eq!(
        api.call("GET", "/api/health", None, None).await.status,
        StatusCode::OK
    );
}

/// A search with `X-Mock-Delay-Ms: ms` as `CAMELIA_ADMIN`: its status and how long it took.
async fn delayed_search(api: &Api, ms: u64) -> (StatusCode, std::time::Duration) {
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let request = axum::http::Request::builder()
        .uri("/api/organisations?q=cam")
        .header("authorization", format!("Bearer {t}"))
        .header("x-mock-delay-ms", ms.to_string())
        .body(axum::body::Body::empty())
        .unwrap();
    let start = tokio::time::Instant::now();
    let a = api.raw(request).await;
    (a.status, start.elapsed())
}

#[tokio::test]
async fn the_delay_header_holds_one_answer_back_while_the_knobs_are_on() {
    let api = with_knobs("1", 0.0);
    let (status, took) = delayed_search(&api, 150).await;
    assert_eq!(status, StatusCode::OK);
    assert!(took >= std::time::Duration::from_millis(150));
}

#[tokio::test(start_paused = true)]
async fn the_delay_header_is_ignored_while_the_knobs_are_off() {
    // Issue 19: a production-like run cannot be slowed down by a header. (The clock is paused:
    // a delay that was honoured would show as a minute passed.)
    let api = Api::demo();
    let (status, took) = delayed_search(&api, 60_000).await;
    assert_eq!(status, StatusCode::OK);
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
}

#[tokio::test(start_paused = true)]
async fn a_call_longer_than_30_s_answers_503_unavailable_in_json() {
    // The knobs on (1 ms), a 60 s delay asked for: the timeout (30 s) answers first.
    let api = with_knobs("1", 0.0);
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let request = axum::http::Request::builder()
        .uri("/api/folders")
        .header("authorization", format!("Bearer {t}"))
        .header("x-mock-delay-ms", "60000")
        .body(axum::body::Body::empty())
        .unwrap();
    let start = tokio::time::Instant::now();
    let a = api.raw(request).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.content_type.starts_with("application/json"));
    assert_eq!(a.code(), "unavailable");
    let took = start.elapsed();
    assert!(
        took >= std::time::Duration::from_secs(30) && took < std::time::Duration::from_secs(31),
        "{took:?}"
    );
}
