//! Graceful shutdown (issue 19, item 9): SIGTERM, as containers and systemd stop a process,
//! ends the server with exit 0 even while a tab holds an event stream open, and every
//! acknowledged change is there at the next start.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod process;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use process::{scratch, Server};
use serde_json::json;

/// Sends `signal` to the server's process (by its id: only this test's child).
fn signal(server: &Server, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([signal, &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits up to 10 s for the child to exit; its exit code.
fn exit_code(server: &mut Server) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn stop_with(signal_name: &str) {
    let dir = scratch(&format!("shutdown-{}", &signal_name[1..]));
    let data = dir.join("collab.db");
    let mut server = Server::on_file(&data);
    let client = server.client();
    let token = client.sign_in("u-james-wilson");
    let r = client
        .post(
            "/api/demo/requests",
            &token,
            &json!({"ods_code": "A81001", "patient_id": "p-margaret-hill",
                    "subject": "Kept across a stop", "message": "Please.", "kind": "admin"}),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{:?}", r.json);
    let id = r.json["id"].as_str().unwrap().to_owned();
    // A tab with its event stream open: the stop must not wait for it.
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");

    signal(&server, signal_name);
    assert_eq!(
        exit_code(&mut server),
        Some(0),
        "{signal_name} ends the server with 0"
    );

    let again = Server::on_file(&data);
    let client = again.client();
    let token = client.sign_in("u-james-wilson");
    let r = client.get(&format!("/api/requests/{id}"), &token);
    assert_eq!(r.status, 200, "the acknowledged request is kept");
    assert_eq!(r.json["subject"], "Kept across a stop");
    drop(again);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigterm_stops_the_server_with_exit_0_and_keeps_every_acknowledged_change() {
    stop_with("-TERM");
}

#[test]
fn ctrl_c_stops_it_the_same_way() {
    stop_with("-INT");
}
