//! The request log (API.md, Command line): one line per request with method, path, status and
//! time, level from `RUST_LOG`; never a token or a patient's data (SPEC V4: a patient's details
//! are only for the organisations that may see the request, not for whoever reads the logs).
#![allow(clippy::unwrap_used)]

mod process;

use std::time::{Duration, Instant};

use process::Server;

const CAMELIA_ADMIN: &str = "u-sarah-ahmed";

/// The log once it holds at least `lines` lines (the server writes them from another thread).
fn log_with(server: &Server, lines: usize) -> String {
    let started = Instant::now();
    loop {
        let log = server.log.lock().unwrap().clone();
        if log.lines().count() >= lines || started.elapsed() > Duration::from_secs(10) {
            return log;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn one_line_per_request_without_token_or_patient_data() {
    let server = Server::start_with_env(&["--in-memory"], &[("RUST_LOG", "info")]).unwrap();
    let client = server.client();
    let token = client.sign_in(CAMELIA_ADMIN);
    // Margaret Hill's request, received by Camelia Surgery (demo seed).
    let detail = client.get("/api/requests/r-1003", &token);
    assert_eq!(detail.status, 200);
    assert_eq!(detail.json["patient"]["name"], "Margaret Hill");
    assert_eq!(detail.json["patient"]["nhs_number"], "9616721100");
    let list = client.get("/api/requests?status=all", &token);
    assert_eq!(list.status, 200);
    let search = client.get("/api/organisations?q=Riverside", &token);
    assert_eq!(search.status, 200);
    let missing = client.get("/api/requests/r-nope", &token);
    assert_eq!(missing.status, 404);
    // The demo's patient ids carry the patient's name.
    let sharing = client
        .post(
            "/api/demo/patients/p-margaret-hill/sharing",
            &token,
            &serde_json::json!({ "sharing": "do_not_share" }),
        )
        .unwrap();
    assert_eq!(sharing.status, 200, "{:?}", sharing.json);
    let unknown = client.get("/api/no-such-thing", &token);
    assert_eq!(unknown.status, 404);

    let log = log_with(&server, 7);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 7, "one line per request:\n{log}");
    for (line, method, path, status) in [
        (lines[0], "POST", "/api/session", "200"),
        (lines[1], "GET", "/api/requests/{id}", "200"),
        (lines[2], "GET", "/api/requests", "200"),
        (lines[3], "GET", "/api/organisations", "200"),
        (lines[4], "GET", "/api/requests/{id}", "404"),
        (lines[5], "POST", "/api/demo/patients/{id}/sharing", "200"),
        (lines[6], "GET", "/api/no-such-thing", "404"),
    ] {
        assert!(line.contains(&format!("method={method}")), "{line}");
        assert!(line.contains(&format!("path={path}}}")), "{line}");
        assert!(line.contains(&format!("status={status}")), "{line}");
        assert!(line.contains("latency="), "{line}");
    }
    for secret in [
        token.as_str(),
        "Margaret Hill",
        "9616721100",
        "1938-04-12",
        "Riverside",
        "status=all",
        "margaret",
    ] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}

#[test]
fn rust_log_sets_the_level() {
    let server = Server::start_with_env(&["--in-memory"], &[("RUST_LOG", "warn")]).unwrap();
    let client = server.client();
    client.sign_in(CAMELIA_ADMIN);
    assert_eq!(client.get("/api/health", "x").status, 200);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.log.lock().unwrap().as_str(), "");
}

#[test]
fn a_live_update_stream_works_on_a_socket_and_its_ticket_is_never_logged() {
    use std::io::{Read, Write};
    let server = Server::start_with_env(&["--in-memory"], &[("RUST_LOG", "info")]).unwrap();
    let client = server.client();
    let token = client.sign_in(CAMELIA_ADMIN);
    let t = client
        .call("POST", "/api/events/ticket", Some(&token), None)
        .unwrap();
    assert_eq!(t.status, 200);
    let ticket = t.json["ticket"].as_str().unwrap().to_owned();
    let mut stream = std::net::TcpStream::connect(client.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/events?ticket={ticket}&last_event_id=0 HTTP/1.1\r\nHost: {}\r\n\r\n",
        client.addr
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let mut read_until = |stream: &mut std::net::TcpStream, seen: &mut String, what: &str| {
        while !seen.contains(what) {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "the stream closed before {what:?}: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    };
    read_until(&mut stream, &mut seen, "\r\n\r\n");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(seen.contains("content-type: text/event-stream"), "{seen}");
    let shared = client
        .post(
            "/api/shares",
            &token,
            &serde_json::json!({"target_id": "g-cam-reception", "partner_ods_code": "A81002", "restricted": true}),
        )
        .unwrap();
    assert_eq!(shared.status, 201);
    read_until(&mut stream, &mut seen, "event: share\n");
    assert!(seen.contains("id: 1\n"), "{seen}");
    let log = log_with(&server, 4);
    assert!(log.contains("path=/api/events}"), "{log}");
    assert!(!log.contains(&ticket), "the ticket is in the log:\n{log}");
    assert!(!log.contains(&token), "the token is in the log:\n{log}");
}

#[test]
fn an_interrupted_server_ends_its_open_streams_and_exits() {
    use std::io::{Read, Write};
    let mut server = Server::start(&["--in-memory"]).unwrap();
    let client = server.client();
    let token = client.sign_in(CAMELIA_ADMIN);
    let mut stream = std::net::TcpStream::connect(client.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\r\n",
        client.addr
    )
    .unwrap();
    let mut head = [0u8; 512];
    let n = stream.read(&mut head).unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"));
    // SIGINT: a graceful shutdown, which would wait for the open stream if it did not end.
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exited = loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            break Some(code);
        }
        if started.elapsed() > Duration::from_secs(10) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exited.is_some(), "the server still runs 10 s after SIGINT");
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
}
