//! Races between connections on the real binary (issue 7, item 3).
//!
//! - Two organisations assign the same request at the same moment, many rounds: exactly one
//!   wins, the other gets 409 `conflict`, and the history holds exactly the winner's change
//!   (no lost update: version and history length agree).
//! - Reads are served while changes arrive back to back (they once starved).
//!
//! Rounds: `STRESS_RACE_ROUNDS` (default 100).
#![allow(clippy::unwrap_used)]

mod process;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use process::{scratch, Server};
use serde_json::json;

const CAMELIA_STAFF: &str = "u-james-wilson";
const PCN_STAFF: &str = "u-aisha-khan";

fn rounds() -> usize {
    std::env::var("STRESS_RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

#[test]
fn two_organisations_assigning_one_request_at_once_one_wins_the_other_gets_409() {
    let dir = scratch("race");
    let server = Server::on_file(&dir.join("collab.db"));
    let client = server.client();
    let camelia = client.sign_in(CAMELIA_STAFF);
    let pcn = client.sign_in(PCN_STAFF);
    let mut wins = [0usize; 2];

    for round in 0..rounds() {
        // A request at Camelia Surgery, sent to the PCN's care home team (shared with Camelia,
        // enabled, unrestricted): both organisations are now involved and may manage it (V1).
        let created = client
            .post(
                "/api/demo/requests",
                &camelia,
                &json!({"ods_code": "A81001", "patient_id": "p-margaret-hill", "kind": "admin",
                        "subject": format!("Race {round}"), "message": "Who takes it?"}),
            )
            .unwrap();
        assert_eq!(created.status, 201);
        let id = created.json["id"].as_str().unwrap().to_owned();
        let assign = format!("/api/requests/{id}/assign");
        let moved = client
            .post(
                &assign,
                &camelia,
                &json!({"target_id": "g-pcn-carehome", "version": 1}),
            )
            .unwrap();
        assert_eq!(moved.status, 200, "{:?}", moved.json);

        // Both assign version 2, each to one of its own groups, released together.
        let barrier = Arc::new(Barrier::new(2));
        let racers: Vec<_> = [
            (camelia.clone(), "g-cam-reception"),
            (pcn.clone(), "g-pcn-pharmacy"),
        ]
        .into_iter()
        .map(|(token, target)| {
            let (barrier, assign) = (barrier.clone(), assign.clone());
            thread::spawn(move || {
                barrier.wait();
                client
                    .post(&assign, &token, &json!({"target_id": target, "version": 2}))
                    .unwrap()
            })
        })
        .collect();
        let answers: Vec<_> = racers.into_iter().map(|r| r.join().unwrap()).collect();
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        let winner = match statuses.as_slice() {
            [200, 409] => 0,
            [409, 200] => 1,
            other => panic!("round {round}: expected one 200 and one 409, got {other:?}"),
        };
        wins[winner] += 1;
        assert_eq!(answers[1 - winner].code(), "conflict");
        let target = ["g-cam-reception", "g-pcn-pharmacy"][winner];

        // Both organisations still see it, and see the same single outcome.
        for token in [&camelia, &pcn] {
            let detail = client.get(&format!("/api/requests/{id}"), token).json;
            let history = detail["history"].as_array().unwrap();
            assert_eq!(
                detail["version"], 3,
                "round {round}: exactly one change won"
            );
            assert_eq!(
                history.len(),
                3,
                "received, assigned, assigned: nothing lost"
            );
            assert_eq!(detail["assignee"]["id"], target);
            assert_eq!(history[2]["to"]["id"], target);
            assert_eq!(answers[winner].json["version"], 3);
        }
    }
    println!(
        "race: {} rounds, exactly one winner each (Camelia {}, PCN {}), loser always 409 conflict",
        rounds(),
        wins[0],
        wins[1]
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn reads_are_answered_while_changes_arrive_back_to_back() {
    let dir = scratch("race-reads");
    let server = Server::on_file(&dir.join("collab.db"));
    let client = server.client();
    let stop = Arc::new(AtomicBool::new(false));
    // Each at its own organisation, for one of its own patients (demo calls, issue 19).
    let writers: Vec<_> = [CAMELIA_STAFF, "u-tom-bennett", "u-priya-patel"]
        .into_iter()
        .zip([
            ("A81001", "p-amira-hussain"),
            ("A81002", "p-fatima-begum"),
            ("A81001", "p-margaret-hill"),
        ])
        .map(|(user, (ods, patient))| {
            let token = client.sign_in(user);
            let stop = stop.clone();
            thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let r = client
                        .post(
                            "/api/demo/requests",
                            &token,
                            &json!({"ods_code": ods, "patient_id": patient,
                                    "kind": "medical", "subject": "Busy", "message": "Load."}),
                        )
                        .unwrap();
                    assert_eq!(r.status, 201);
                    n += 1;
                }
                n
            })
        })
        .collect();
    // Each read must come back (the client's read timeout, 60 s, fails the test otherwise),
    // and sees a consistent list.
    for _ in 0..20 {
        let token = client.sign_in("u-helen-clarke");
        let list = client.get("/api/requests?status=all", &token);
        assert_eq!(list.status, 200);
    }
    stop.store(true, Ordering::Relaxed);
    let written: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(written > 0, "the writers ran");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
