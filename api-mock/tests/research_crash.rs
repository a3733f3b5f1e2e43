//! K9: sandboxes are durable like the demo world. The real binary, with the sample study on a
//! database, takes shares from two participants at once in their sandboxes, is killed with
//! SIGKILL mid-stream and restarted on the same file: every share it acknowledged is in its
//! own sandbox and in no other world, the participants and their sessions are still there.
#![allow(clippy::unwrap_used)]

mod process;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use process::{scratch, Client, Server};
use serde_json::json;

const KEY: &str = "crash-test-facilitator-key-0123456789";

fn start(dir: &std::path::Path) -> Server {
    let study = concat!(env!("CARGO_MANIFEST_DIR"), "/studies/sharing-basics.json");
    let key = dir.join("key");
    std::fs::write(&key, KEY).unwrap();
    Server::start(&[
        "--data",
        dir.join("collab.db").to_str().unwrap(),
        "--study",
        study,
        "--facilitator-key-file",
        key.to_str().unwrap(),
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The facilitator's token, signed in with the key.
fn facilitator(client: &Client) -> String {
    let fac = client
        .call(
            "POST",
            "/api/research/session",
            None,
            Some(&json!({ "key": KEY })),
        )
        .unwrap();
    fac.json["token"].as_str().unwrap().to_owned()
}

/// The share ids of Camelia's Reception group as `token` sees them.
fn reception(client: &Client, token: &str) -> Vec<String> {
    let r = client.get("/api/targets", token);
    assert_eq!(r.status, 200, "{:?}", r.json);
    r.json
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "g-cam-reception")
        .flat_map(|t| t["shares"].as_array().unwrap().clone())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn k9_sandboxes_keep_every_acknowledged_change_across_a_sigkill() {
    let dir = scratch("research-crash");
    let server = start(&dir);
    let client = server.client();
    let fac = facilitator(&client);
    let mut tokens = Vec::new();
    for label in ["A", "B"] {
        let p = client
            .post(
                "/api/research/participants",
                &fac,
                &json!({ "label": label }),
            )
            .unwrap();
        assert_eq!(p.status, 201, "{:?}", p.json);
        let s = client
            .call(
                "POST",
                "/api/session",
                None,
                Some(&json!({ "participant_code": p.json["code"] })),
            )
            .unwrap();
        tokens.push(s.json["token"].as_str().unwrap().to_owned());
    }
    // Partners of the generated directory, different for each participant.
    let found = client.get("/api/organisations?q=surgery&limit=50", &tokens[0]);
    let partners: Vec<String> = found.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["active"] == true && o["ods_code"] != "A81001")
        .map(|o| o["ods_code"].as_str().unwrap().to_owned())
        .collect();
    assert!(partners.len() >= 20, "{partners:?}");
    let acked: Arc<Mutex<Vec<Vec<String>>>> = Arc::new(Mutex::new(vec![Vec::new(), Vec::new()]));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (client, token, acked, stop) = (
                server.client(),
                tokens[w].clone(),
                acked.clone(),
                stop.clone(),
            );
            let mine: Vec<String> = partners.iter().skip(w).step_by(2).cloned().collect();
            thread::spawn(move || {
                for partner in mine {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = json!({"target_id": "g-cam-reception",
                        "partner_ods_code": partner, "restricted": true});
                    match client.post("/api/shares", &token, &body) {
                        Ok(r) if r.status == 201 => {
                            acked.lock().unwrap()[w].push(r.json["id"].as_str().unwrap().to_owned())
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    // Killed mid-stream: once each has a few acknowledged shares (or after 10 s).
    for _ in 0..1000 {
        if acked.lock().unwrap().iter().all(|a| a.len() >= 3) {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.iter().all(|a| !a.is_empty()),
        "both wrote before the kill: {acked:?}"
    );

    let server = start(&dir);
    let client = server.client();
    let demo = client.sign_in("u-sarah-ahmed");
    let in_demo = reception(&client, &demo);
    for (w, token) in tokens.iter().enumerate() {
        // The participant's session survived; its sandbox holds every acknowledged share.
        let seen = reception(&client, token);
        for id in &acked[w] {
            assert!(
                seen.contains(id),
                "{id} acknowledged in sandbox {w}, lost: {seen:?}"
            );
            assert!(!in_demo.contains(id));
        }
        for id in &acked[1 - w] {
            assert!(
                !seen.contains(id),
                "{id} of sandbox {} shows in sandbox {w}",
                1 - w
            );
        }
    }
    let rows = client.get("/api/research/participants", &facilitator(&client));
    assert_eq!(rows.json.as_array().unwrap().len(), 2);
    server.kill();
    let _ = std::fs::remove_dir_all(&dir);
}
