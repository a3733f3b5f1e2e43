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

    let log = log_with(&server, 5);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 5, "one line per request:\n{log}");
    for (line, method, path, status) in [
        (lines[0], "POST", "/api/session", "200"),
        (lines[1], "GET", "/api/requests/r-1003", "200"),
        (lines[2], "GET", "/api/requests", "200"),
        (lines[3], "GET", "/api/organisations", "200"),
        (lines[4], "GET", "/api/requests/r-nope", "404"),
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
