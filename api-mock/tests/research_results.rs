//! Research studies, part 2 on the server (SPEC K3–K7; API.md "Research studies", "Counting"):
//! three participants attempt the first task of the sample study (a direct success, a success
//! after a refused call, a give-up); the outcomes, the counts, the results with their
//! intervals, the CSV and each log equal what is computed here by hand. No typed text reaches
//! a log.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use serde_json::{json, Value};

use common::research::{participant, study_api};
use common::Api;

async fn study() -> (Api, String) {
    study_api(None).await
}

async fn post(api: &Api, path: &str, token: &str) -> Value {
    let a = api.call("POST", path, Some(token), None).await;
    assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.json());
    a.json()
}

async fn share(api: &Api, token: &str, partner: &str) -> StatusCode {
    api.send(
        "POST",
        "/api/shares",
        token,
        json!({"target_id": "g-cam-reception", "partner_ods_code": partner, "restricted": true}),
    )
    .await
    .status
}

async fn screens(api: &Api, token: &str, names: &[&str]) {
    let events: Vec<Value> = names
        .iter()
        .map(|n| json!({"kind": "screen", "name": n}))
        .collect();
    let a = api
        .send("POST", "/api/task/log", token, json!({ "events": events }))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn k4_k7_three_attempts_give_the_outcomes_intervals_csv_and_logs_computed_by_hand() {
    let (api, fac) = study().await;
    let (a_id, a) = participant(&api, &fac, "Direct").await;
    let (b_id, b) = participant(&api, &fac, "Refused first").await;
    let (c_id, c) = participant(&api, &fac, "Gives up").await;

    // A: one screen, one change, finished: direct success.
    post(&api, "/api/task/start", &a).await;
    screens(&api, &a, &["/groups"]).await;
    assert_eq!(share(&api, &a, "A81002").await, StatusCode::CREATED);
    post(&api, "/api/task/finish", &a).await;
    api.send("POST", "/api/task/answers", &a, json!({"seq": 7}))
        .await;

    // B: a refused call (sharing with its own organisation, 422), a validation problem shown,
    // then the share: indirect success; two screens, one of them twice.
    post(&api, "/api/task/start", &b).await;
    screens(&api, &b, &["/groups", "/colleagues", "/groups"]).await;
    assert_eq!(
        share(&api, &b, "A81001").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let problem = json!({"events": [{"kind": "problem", "field": "partner_ods_code", "code": "partner_not_available"}]});
    api.send("POST", "/api/task/log", &b, problem).await;
    assert_eq!(share(&api, &b, "A81002").await, StatusCode::CREATED);
    post(&api, "/api/task/finish", &b).await;
    api.send("POST", "/api/task/answers", &b, json!({"seq": 4}))
        .await;

    // C: gives up without a change.
    post(&api, "/api/task/start", &c).await;
    let t = post(&api, "/api/task/give-up", &c).await;
    assert_eq!(t["ask"], "seq");
    api.send("POST", "/api/task/answers", &c, json!({"seq": 1}))
        .await;

    let r = api.get("/api/research/results", &fac).await.json();
    let t = &r["tasks"][0];
    assert_eq!(t["task_id"], "share-reception");
    assert_eq!(
        (
            t["attempts"].as_u64(),
            t["direct"].as_u64(),
            t["indirect"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(t["gave_up"], 1);
    // Adjusted Wald, 2 of 3, z = 1.959964: p' = (2 + z²/2) / (3 + z²) = 0.573080,
    // margin z √(p'(1 − p') / (3 + z²)) = 0.370615.
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-4;
    assert!(close(&t["completion"]["rate"], 2.0 / 3.0), "{t}");
    assert!(close(&t["completion"]["low"], 0.202465), "{t}");
    assert!(close(&t["completion"]["high"], 0.943695), "{t}");
    // Errors per attempt: (0 + (1 refused + 1 problem) + 0) / 3.
    assert!(close(&t["errors_per_attempt"], 2.0 / 3.0), "{t}");
    // Mean SEQ (7 + 4 + 1) / 3; lostness over A (N=1, S=1, R=1: 0) and B (N=2, S=3, R=1:
    // √((2/3 − 1)² + (1/2 − 1)²) = 0.600925), C visited no screen.
    assert!(close(&t["seq_mean"], 4.0), "{t}");
    assert!(close(&t["lostness"], 0.600925 / 2.0), "{t}");
    assert!(t["time_s"]["geo_mean"].as_f64().unwrap() > 0.0);
    assert_eq!(r["sus"], Value::Null);

    // The CSV: a row per attempt, API.md's columns.
    let csv = api.get("/api/research/results?format=csv", &fac).await;
    assert!(csv.content_type.starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "participant,task_id,outcome,time_s,changes,refused_calls,problems_shown,\
         screens_distinct,screens_visited,lostness,seq"
    );
    assert_eq!(lines.len(), 4);
    let row = |id: &str| {
        let line = lines.iter().find(|l| l.starts_with(id)).unwrap();
        line.split(',').map(str::to_owned).collect::<Vec<_>>()
    };
    let (ra, rb, rc) = (row(&a_id), row(&b_id), row(&c_id));
    assert_eq!(ra[2], "direct_success");
    assert_eq!(&ra[4..], ["1", "0", "0", "1", "1", "0", "7"]);
    assert_eq!(rb[2], "indirect_success");
    assert_eq!(&rb[4..], ["1", "1", "1", "2", "3", "0.601", "4"]);
    assert_eq!(rc[2], "gave_up");
    assert_eq!(&rc[4..], ["0", "0", "0", "0", "0", "", "1"]);

    // B's log, in order: its start, screens, the refused call by its route template, the
    // problem, success, finish and answer.
    let log = api
        .get(&format!("/api/research/participants/{b_id}/log"), &fac)
        .await;
    let entries: Vec<Value> = String::from_utf8(log.bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    let first = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(first("task_start") < first("screen"));
    assert!(first("problem") < first("task_success_reached"));
    assert!(first("task_success_reached") < first("task_finish"));
    assert!(first("task_finish") < first("answer"));
    let refused = entries
        .iter()
        .find(|e| e["kind"] == "call" && e["status"] == 422)
        .unwrap();
    assert_eq!(refused["route"], "/api/shares");
    assert_eq!(refused["method"], "POST");
    assert_eq!(refused["task_id"], "share-reception");

    // The JSON export carries the results and every log.
    let export = api
        .get("/api/research/results?format=json", &fac)
        .await
        .json();
    assert_eq!(export["results"]["tasks"][0]["attempts"], 3);
    assert!(export["logs"][&a_id].as_array().unwrap().len() > 3);
}

#[tokio::test]
async fn k6_typed_text_never_reaches_a_log_and_free_text_is_refused_as_a_name() {
    let (api, fac) = study().await;
    let (id, p) = participant(&api, &fac, "P").await;
    post(&api, "/api/task/start", &p).await;
    let marker = "ZZMARKER42";
    let a = api.get(&format!("/api/organisations?q={marker}"), &p).await;
    assert_eq!(a.status, StatusCode::OK);
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &p,
            json!({"partner_ods_code": "Y01234", "reference": format!("{marker} reference")}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let bad = api
        .send(
            "POST",
            "/api/task/log",
            &p,
            json!({"events": [{"kind": "screen", "name": format!("typed {marker} text")}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field().as_deref(), Some("events[0].name"));
    let log = api
        .get(&format!("/api/research/participants/{id}/log"), &fac)
        .await;
    let text = String::from_utf8(log.bytes).unwrap();
    assert!(text.contains("/api/organisations"), "{text}");
    assert!(!text.contains(marker), "{text}");
    let export = api.get("/api/research/results?format=json", &fac).await;
    assert!(!String::from_utf8(export.bytes).unwrap().contains(marker));
    let csv = api.get("/api/research/results?format=csv", &fac).await;
    assert!(!String::from_utf8(csv.bytes).unwrap().contains(marker));
}
