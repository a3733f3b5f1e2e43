//! Demo deployments (issue 23, API.md "Demo and operations"): the password gate in front of a
//! server that faces a network, the refusal to face one without it, and the online backup.

mod common;
mod process;

use std::sync::Arc;

use api_mock::gate::{Gate, COOKIE, GATE_PATH, TRIES_PER_MINUTE};
use api_mock::{app_with_gate, AppState};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt;
use process::{scratch, Server};
use serde_json::json;
use tower::ServiceExt;

fn gated(https: bool) -> Router {
    let state = Arc::new(AppState::demo_in_memory().expect("demo seed loads"));
    app_with_gate(state, Some(Arc::new(Gate::new("tea and biscuits", https))))
}

async fn send(router: &Router, request: Request<Body>) -> Response {
    router.clone().oneshot(request).await.expect("infallible")
}

async fn text(response: Response) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).expect("request")
}

fn typed(password: &str, next: &str) -> Request<Body> {
    Request::post(GATE_PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "password={}&next={}",
            password.replace(' ', "+"),
            next.replace('/', "%2F")
                .replace('?', "%3F")
                .replace('=', "%3D")
        )))
        .expect("request")
}

/// The `name=value` of the Set-Cookie header, and the header itself.
fn cookie_of(response: &Response) -> (String, String) {
    let set = response
        .headers()
        .get(header::SET_COOKIE)
        .expect("a cookie is set")
        .to_str()
        .expect("text")
        .to_owned();
    (set.split(';').next().expect("pair").to_owned(), set)
}

#[tokio::test]
async fn without_the_password_pages_ask_for_it_and_calls_are_refused_in_json() {
    let router = gated(false);
    let page = send(&router, get("/messages?folder=all", None)).await;
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    let html = text(page).await;
    assert!(html.contains("<h1>Enter the password</h1>"), "{html}");
    assert!(
        html.contains(r#"name="next" value="/messages?folder=all""#),
        "the deep link is kept: {html}"
    );
    let call = send(&router, get("/api/personas", None)).await;
    assert_eq!(call.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = serde_json::from_str(&text(call).await).expect("JSON");
    assert_eq!(body["error"]["code"], "password_required");
    // Signing in with a persona is a call like any other.
    let sign_in = Request::post("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"user_id": "u-james-wilson"}).to_string()))
        .expect("request");
    assert_eq!(
        send(&router, sign_in).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The proxy's health check needs no password.
    assert_eq!(
        send(&router, get("/api/health", None)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_right_password_sets_a_strict_http_only_cookie_that_opens_everything() {
    let router = gated(false);
    let answer = send(&router, typed("tea and biscuits", "/messages?folder=all")).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        answer.headers()[header::LOCATION],
        "/messages?folder=all",
        "back where the deep link pointed"
    );
    let (pair, set) = cookie_of(&answer);
    assert!(pair.starts_with(&format!("{COOKIE}=")), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain http on loopback: {set}");
    assert!(
        !set.contains("tea"),
        "the cookie never holds the password: {set}"
    );
    let call = send(&router, get("/api/personas", Some(&pair))).await;
    assert_eq!(call.status(), StatusCode::OK);
    // A forged cookie opens nothing.
    let forged = format!("{COOKIE}={}", "0".repeat(64));
    assert_eq!(
        send(&router, get("/api/personas", Some(&forged)))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // A redirect never leaves the server.
    let away = send(&router, typed("tea and biscuits", "//evil.example/")).await;
    assert_eq!(away.headers()[header::LOCATION], "/");
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let answer = send(&gated(true), typed("tea and biscuits", "/")).await;
    assert!(cookie_of(&answer).1.contains("Secure"));
    let mut proxied = typed("tea and biscuits", "/");
    proxied
        .headers_mut()
        .insert("x-forwarded-proto", "https".parse().expect("value"));
    let answer = send(&gated(false), proxied).await;
    assert!(
        cookie_of(&answer).1.contains("Secure"),
        "TLS ended at the proxy"
    );
}

#[tokio::test]
async fn wrong_passwords_are_slowed_to_five_a_minute() {
    let router = gated(false);
    for i in 0..TRIES_PER_MINUTE {
        let answer = send(&router, typed("guess", "/")).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "try {i}");
        assert!(answer.headers().get(header::SET_COOKIE).is_none());
        assert!(text(answer).await.contains("The password is not right"));
    }
    let answer = send(&router, typed("tea and biscuits", "/")).await;
    assert_eq!(
        answer.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right one waits"
    );
    let wait: u64 = answer.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(answer.headers().get(header::SET_COOKIE).is_none());
}

#[test]
fn a_network_address_without_a_password_is_refused_at_start() {
    let refused = Server::start(&["--host", "0.0.0.0", "--in-memory"])
        .err()
        .expect("refuses to start");
    assert!(refused.contains("--password-file"), "{refused}");
    assert!(refused.contains("--public"), "{refused}");
}

#[test]
fn a_network_address_with_a_password_file_starts_and_asks_for_it() {
    let dir = scratch("deploy-password");
    let file = dir.join("password.txt");
    std::fs::write(&file, "tea and biscuits\n").expect("write");
    let server = Server::start(&[
        "--host",
        "0.0.0.0",
        "--in-memory",
        "--password-file",
        file.to_str().expect("path"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let mut client = server.client();
    client.addr.set_ip("127.0.0.1".parse().expect("address"));
    let r = client
        .call("GET", "/api/personas", None, None)
        .expect("answer");
    assert_eq!((r.status, r.code()), (401, "password_required"));
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "\n").expect("write");
    let refused = Server::start(&["--in-memory", "--password-file", empty.to_str().expect("p")])
        .err()
        .expect("an empty password is refused");
    assert!(refused.contains("is empty"), "{refused}");
}

#[test]
fn backup_copies_the_database_while_the_server_runs() {
    let dir = scratch("deploy-backup");
    let data = dir.join("collab.db");
    let copy = dir.join("copy.db");
    let server = Server::on_file(&data);
    let client = server.client();
    let token = client.sign_in("u-james-wilson");
    let before = client
        .get("/api/requests?folder=all&limit=200", &token)
        .json["total"]
        .clone();
    let created = client
        .post(
            "/api/demo/requests",
            &token,
            &json!({"ods_code": "A81001", "patient_id": "p-margaret-hill", "kind": "admin",
                "subject": "Backup check", "message": "Made before the backup."}),
        )
        .expect("answer");
    assert_eq!(created.status, 201, "{:?}", created.json);
    let backup = std::process::Command::new(env!("CARGO_BIN_EXE_api-mock"))
        .args([
            "backup",
            copy.to_str().expect("p"),
            "--data",
            data.to_str().expect("p"),
        ])
        .output()
        .expect("runs");
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // The server goes on answering while and after the copy is made.
    assert_eq!(client.get("/api/health", &token).status, 200);
    drop(server);
    let restored = Server::on_file(&copy);
    let c = restored.client();
    let token = c.sign_in("u-james-wilson");
    let after = c.get("/api/requests?folder=all&limit=200", &token).json["total"].clone();
    assert_eq!(
        after.as_u64(),
        before.as_u64().map(|n| n + 1),
        "the copy holds the acknowledged change"
    );
    // A second backup to the same file is refused, and the first copy is left as it was.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_api-mock"))
        .args([
            "backup",
            copy.to_str().expect("p"),
            "--data",
            data.to_str().expect("p"),
        ])
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}
