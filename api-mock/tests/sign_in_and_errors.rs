//! Sign-in, the 401/405/404/413/400 answers and their order (API.md, Errors).
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;

#[tokio::test]
async fn health_answers_ok_without_a_token_and_shows_no_knobs_by_default() {
    let api = Api::demo();
    let a = api.call("GET", "/api/health", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn personas_list_active_users_with_their_organisation_names() {
    let api = Api::demo();
    let a = api.call("GET", "/api/personas", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let list = a.json();
    let sarah = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user_id"] == CAMELIA_ADMIN)
        .expect("Sarah is a persona");
    assert_eq!(sarah["organisation"], "Camelia Surgery");
    assert_eq!(sarah["role"], "admin");
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["user_id"] == "u-peter-marsh"),
        "an inactive user is not a persona"
    );
}

#[tokio::test]
async fn a_session_gives_a_token_that_opens_me() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_STAFF).await;
    let me = api.get("/api/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["user"]["id"], CAMELIA_STAFF);
    assert_eq!(me["user"]["role"], "staff");
    assert_eq!(me["organisation"]["ods_code"], "A81001");
    assert_eq!(me["organisation"]["active"], true);
}

#[tokio::test]
async fn signing_in_as_an_unknown_or_inactive_user_is_not_found() {
    let api = Api::demo();
    for id in ["nobody", "u-peter-marsh"] {
        let a = api
            .send("POST", "/api/session", "", json!({ "user_id": id }))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
    }
}

#[tokio::test]
async fn every_call_but_the_public_ones_needs_a_valid_token() {
    let api = Api::demo();
    for (method, path) in [
        ("GET", "/api/me"),
        ("GET", "/api/organisations?q=cam"),
        ("GET", "/api/targets"),
        ("GET", "/api/requests"),
        ("GET", "/api/audit"),
        ("POST", "/api/demo/reset"),
    ] {
        let none = api.call(method, path, None, None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(none.code(), "unauthenticated");
        let bad = api.call(method, path, Some("forged"), None).await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}

#[tokio::test]
async fn the_token_check_comes_before_the_body_checks() {
    let api = Api::demo();
    let a = api
        .call("POST", "/api/shares", None, Some("{not json"))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let big = format!(r#"{{"user_id":"{}"}}"#, "x".repeat(70 * 1024));
    let a = api.call("POST", "/api/shares", None, Some(&big)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_body_over_64_kib_is_too_large_before_it_is_invalid() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let big = format!(
        r#"{{"folder_ids":["{}"], "junk": 1}}"#,
        "x".repeat(70 * 1024)
    );
    let a = api
        .call("PUT", "/api/covers", Some(&token), Some(&big))
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.code(), "too_large");
    let before = api.snapshot();
    let a = api.call("POST", "/api/session", None, Some(&big)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn malformed_json_unknown_fields_wrong_types_and_wrong_content_type_are_invalid() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    let cases = [
        (
            r#"{"target_id":"g-cam-reception","partner_ods_code":"A81002""#,
            None,
        ),
        (
            r#"{"target_id":"g-cam-reception","partner_ods_code":"A81002","restricted":false,"colour":"red"}"#,
            Some("colour"),
        ),
        (
            r#"{"target_id":"g-cam-reception","partner_ods_code":"A81002","restricted":"no"}"#,
            Some("restricted"),
        ),
        (
            r#"{"target_id":"g-cam-reception","restricted":false}"#,
            Some("partner_ods_code"),
        ),
        ("[]", None),
        ("", None),
    ];
    for (body, field) in cases {
        let a = api
            .call("POST", "/api/shares", Some(&token), Some(body))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(a.code(), "invalid", "{body}");
        if field.is_some() {
            assert_eq!(a.field().as_deref(), field, "{body}");
        }
    }
    let request = Request::builder()
        .method("POST")
        .uri("/api/shares")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/plain")
        .body(Body::from(
            r#"{"target_id":"g-cam-reception","partner_ods_code":"A81002","restricted":false}"#,
        ))
        .unwrap();
    let a = api.raw(request).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.code(), "invalid");
    assert_eq!(api.snapshot(), before, "no refused call changed anything");
}

#[tokio::test]
async fn empty_and_over_long_strings_are_invalid_with_the_field_named() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    let a = api
        .send(
            "POST",
            "/api/shares",
            &token,
            json!({"target_id": "  ", "partner_ods_code": "A81002", "restricted": false}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("target_id"));
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &token,
            json!({"partner_ods_code": "A81002", "reference": "r".repeat(1001)}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("reference"));
    let a = api
        .send(
            "POST",
            "/api/demo/requests",
            &token,
            json!({"ods_code": "A81001", "patient_id": "p-david-lee", "subject": "s".repeat(201),
                   "message": "m", "kind": "admin"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("subject"));
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn a_wrong_method_is_405_and_an_unknown_api_path_is_404_in_the_error_shape() {
    let api = Api::demo();
    let a = api.call("DELETE", "/api/personas", None, None).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.code(), "method_not_allowed");
    let a = api.call("GET", "/api/no-such-thing", None, None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.code(), "not_found");
    assert!(a.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn deep_links_serve_the_client_index_and_api_paths_never_do() {
    let dir = std::env::temp_dir().join(format!("api-mock-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html>client</html>").unwrap();
    let mut config = api_mock::config::Config {
        data: None,
        ..Default::default()
    };
    config.static_dir = Some(dir.clone());
    let api = Api::with_state(std::sync::Arc::new(
        api_mock::AppState::start(&config).unwrap(),
    ));
    for path in ["/", "/groups", "/messages/r-1001"] {
        let a = api.call("GET", path, None, None).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.bytes, b"<html>client</html>", "{path}");
    }
    let a = api.call("GET", "/api/unknown", None, None).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(dir);
}
