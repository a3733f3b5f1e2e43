//! Every error in API.md's JSON shape (issue 19, item 4): axum's own rejections of a path, a
//! query or a body, unknown routes (404), wrong methods (405), bodies over 64 KiB (413), and the
//! length limits of ids (100) and `q` (200); then a property test that sends malformed ids,
//! query strings and bodies to every route of the OpenAPI document and checks the shape, that
//! nothing answers 5xx, and that a refusal changed nothing.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

fn assert_error_shape(a: &Answer, status: StatusCode, code: &str) {
    assert_eq!(a.status, status, "{}", String::from_utf8_lossy(&a.bytes));
    assert!(
        a.content_type.starts_with("application/json"),
        "{status}: {} {}",
        a.content_type,
        String::from_utf8_lossy(&a.bytes)
    );
    assert_eq!(a.code(), code);
    assert!(a.json()["error"]["message"].is_string());
}

#[tokio::test]
async fn an_id_that_is_not_utf8_is_400_json_naming_the_id_not_text_plain() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    // The issue's example: axum's Path rejection answered 400 text/plain.
    let a = api.get("/api/requests/%FF", &t).await;
    assert_error_shape(&a, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(a.field().as_deref(), Some("id"));
    let a = api
        .call("POST", "/api/external/%C3%28/enable", Some(&t), None)
        .await;
    assert_error_shape(&a, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(a.field().as_deref(), Some("share_id"));
    // Still 401 first without a token (API.md order).
    let a = api.call("GET", "/api/requests/%FF", None, None).await;
    assert_error_shape(&a, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn an_id_over_100_characters_is_400_invalid_and_100_is_only_unknown() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let a = api
        .get(&format!("/api/requests/{}", "r".repeat(101)), &t)
        .await;
    assert_error_shape(&a, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(a.field().as_deref(), Some("id"));
    let a = api
        .get(&format!("/api/requests/{}", "r".repeat(100)), &t)
        .await;
    assert_error_shape(&a, StatusCode::NOT_FOUND, "not_found");
    // Characters, not bytes: 100 two-byte characters are still an id.
    let a = api
        .get(&format!("/api/requests/{}", "%C3%A9".repeat(100)), &t)
        .await;
    assert_error_shape(&a, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_search_text_over_200_characters_is_400_invalid_naming_q() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    let a = api
        .get(&format!("/api/organisations?q={}", "a".repeat(201)), &t)
        .await;
    assert_error_shape(&a, StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(a.field().as_deref(), Some("q"));
    let a = api
        .get(&format!("/api/organisations?q={}", "a".repeat(200)), &t)
        .await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_large_bodies_answer_json() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    assert_error_shape(
        &api.get("/api/nothing-here", &t).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error_shape(
        &api.call("GET", "/api/requests/r-1001/x/y", Some(&t), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    for (method, path) in [
        ("DELETE", "/api/folders"),
        ("PUT", "/api/health"),
        ("POST", "/api/openapi.json"),
        ("POST", "/api/events"),
        ("GET", "/api/requests/r-1001/assign"),
    ] {
        assert_error_shape(
            &api.call(method, path, Some(&t), None).await,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        );
    }
    let before = api.snapshot();
    let big = format!(r#"{{"folder_ids":["{}"]}}"#, "x".repeat(70 * 1024));
    assert_error_shape(
        &api.call("PUT", "/api/covers", Some(&t), Some(&big)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    );
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn a_malformed_query_string_is_400_json() {
    let api = Api::demo();
    let t = api.sign_in(CAMELIA_ADMIN).await;
    for path in [
        "/api/requests?limit=%FF",
        "/api/requests?status=%FF%FE",
        "/api/audit?cursor=%E2%82",
    ] {
        let a = api.get(path, &t).await;
        assert_error_shape(&a, StatusCode::BAD_REQUEST, "invalid");
    }
}

// ---------------------------------------------------------------------------------------------
// Every route, malformed
// ---------------------------------------------------------------------------------------------

/// Every (method, path template) of the OpenAPI document but the event stream, whose
/// successful answer never ends (its errors are tested in live_updates.rs).
fn routes() -> Vec<(String, String)> {
    let doc = api_mock::openapi::document();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if path == "/api/events" {
                continue;
            }
            out.push((method.to_uppercase(), path.clone()));
        }
    }
    assert!(out.len() >= 25, "{out:?}");
    out
}

/// Path ids: real ones, over-long ones, percent-encoded random bytes (often not UTF-8), and
/// characters that mean something in a URL.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(vec![
            "r-1001", "sh-1", "ag-1", "p-john-carter", "p-margaret-hill", "", "%00", "%2F",
            "..", "%2E%2E", "r-1001%20", "%FF", "%C3", "%E2%82%AC",
        ]).prop_map(str::to_owned),
        2 => prop::collection::vec(any::<u8>(), 0..8)
            .prop_map(|bytes| bytes.iter().map(|b| format!("%{b:02X}")).collect()),
        1 => (95usize..120).prop_map(|n| "x".repeat(n)),
    ]
}

/// Query strings: the API's parameters with hostile values, random bytes, broken escapes.
fn query() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "q",
        "limit",
        "cursor",
        "status",
        "folder",
        "format",
        "action",
        "ticket",
        "last_event_id",
        "x",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "",
            "-1",
            "0",
            "99999999999999999999999",
            "1.5",
            "abc",
            "%FF",
            "%",
            "%G1",
            "1a.12.7231",
            "La.1.1",
            "La.-0.1",
            "csv",
            "json",
            "all",
            "closed",
            "share_created",
        ])
        .prop_map(str::to_owned),
        prop::collection::vec(any::<u8>(), 0..6)
            .prop_map(|bytes| bytes.iter().map(|b| format!("%{b:02X}")).collect()),
        (190usize..260).prop_map(|n| "q".repeat(n)),
    ];
    prop::collection::vec((key, value), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// Bodies: none, random bytes, random JSON-ish texts, one over the size limit.
fn body() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        2 => Just(None),
        2 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Some),
        2 => prop::sample::select(vec![
            "{", "[]", "null", "{}", r#"{"version":"1"}"#, r#"{"x":1}"#, r#"{"sharing":"maybe"}"#,
            r#"{"target_id":1}"#, r#"{"restricted":"yes"}"#, r#"{"user_id":null}"#,
        ]).prop_map(|s| Some(s.as_bytes().to_vec())),
        1 => Just(Some(vec![b' '; 65 * 1024 + 1])),
    ]
}

/// The state that changes can touch (organisations never change), cheap to compare.
fn changeable(api: &Api) -> String {
    serde_json::to_string(&api.state.read().world.snapshot_with_organisations(0)).unwrap()
}

#[test]
fn malformed_ids_queries_and_bodies_on_every_route_answer_json_and_change_nothing() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let api = Api::demo();
    let users = [CAMELIA_ADMIN, RIVERSIDE_STAFF, PCN_STAFF];
    let tokens: Vec<String> = users.iter().map(|u| rt.block_on(api.sign_in(u))).collect();
    // `DELETE /api/session` signs a token out: the next case signs in again.
    let tokens = std::cell::RefCell::new(tokens);
    let routes = routes();
    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    // A quarter of the calls use a method picked at random (often not the route's: 405).
    let method = prop_oneof![3 => Just(None), 1 => any::<Index>().prop_map(Some)];
    let strategy = (
        any::<Index>(),
        id(),
        query(),
        body(),
        (any::<Index>(), any::<bool>(), method),
    );
    let seen = std::cell::RefCell::new(BTreeMap::<u16, u32>::new());
    let mut runner = TestRunner::new(Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(600),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &strategy,
            |(route, id, query, body, (who, json_type, other))| {
                let (method, template) = &routes[route.index(routes.len())];
                let method = other.map_or(method.as_str(), |m| methods[m.index(methods.len())]);
                let who = who.index(users.len());
                let token = tokens.borrow()[who].clone();
                let mut path = template.replace("{id}", &id).replace("{share_id}", &id);
                if !query.is_empty() {
                    path = format!("{path}?{query}");
                }
                let Ok(uri) = path.parse::<axum::http::Uri>() else {
                    return Ok(()); // Not a request a client can send.
                };
                let mut request = Request::builder()
                    .method(method)
                    .uri(uri)
                    .header("authorization", format!("Bearer {token}"));
                if json_type {
                    request = request.header("content-type", "application/json");
                }
                let request = request
                    .body(body.clone().map_or_else(Body::empty, Body::from))
                    .unwrap();
                let before = changeable(&api);
                let answer = rt.block_on(api.raw(request));
                let status = answer.status.as_u16();
                *seen.borrow_mut().entry(status).or_default() += 1;
                if method == "DELETE" && template == "/api/session" && status < 300 {
                    tokens.borrow_mut()[who] = rt.block_on(api.sign_in(users[who]));
                }
                prop_assert!(status < 500, "{method} {path} answered {status}");
                if status >= 400 {
                    let error: Value = serde_json::from_slice(&answer.bytes).map_err(|e| {
                        TestCaseError::fail(format!(
                            "{method} {path} {status} not JSON ({e}): {}",
                            String::from_utf8_lossy(&answer.bytes)
                        ))
                    })?;
                    prop_assert!(answer.content_type.starts_with("application/json"));
                    prop_assert!(error["error"]["code"].is_string(), "{error}");
                    prop_assert!(error["error"]["message"].is_string(), "{error}");
                    prop_assert_eq!(
                        &changeable(&api),
                        &before,
                        "{} {} changed the state",
                        method,
                        path
                    );
                }
                Ok(())
            },
        )
        .unwrap();
    let seen = seen.into_inner();
    println!("malformed calls: answers by status {seen:?}");
    for status in [400, 404, 405, 413] {
        assert!(seen.contains_key(&status), "{status} reached: {seen:?}");
    }
}
