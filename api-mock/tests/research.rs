//! Research studies, part 1 (SPEC K1, K2, K8, K9; API.md "Research studies"): the facilitator's
//! key and calls, study files refused by entry, participants with links, sandboxes that see
//! nothing of each other or of the demo world, reset, knobs per sandbox, demo calls for the
//! facilitator alone, deletion, and durability across a restart.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use api_mock::config::Config;
use api_mock::AppState;
use axum::http::StatusCode;
use serde_json::{json, Value};

use common::research::{facilitator, participant, participant_session, sample_study, study_api};
use common::Api;

async fn share_reception(api: &Api, token: &str) -> Value {
    let a = api
        .send(
            "POST",
            "/api/shares",
            token,
            json!({"target_id": "g-cam-reception", "partner_ods_code": "A81002", "restricted": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    a.json()
}

/// The token of `token`'s session switched to persona `user_id` (in the same world).
async fn switch(api: &Api, token: &str, user_id: &str) -> String {
    api.send("POST", "/api/session", token, json!({ "user_id": user_id }))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The share ids of Camelia's Reception group as `token` sees them.
async fn reception_shares(api: &Api, token: &str) -> Vec<String> {
    let a = api.get("/api/targets", token).await;
    assert_eq!(a.status, StatusCode::OK);
    a.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == "g-cam-reception")
        .flat_map(|t| t["shares"].as_array().unwrap().clone())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn k8_the_key_is_exchanged_once_and_facilitator_calls_refuse_everyone_else() {
    let (api, fac) = study_api(None).await;
    let wrong = api
        .call(
            "POST",
            "/api/research/session",
            None,
            Some(r#"{"key":"not-the-key-at-all"}"#),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let persona = api.sign_in("u-sarah-ahmed").await;
    let (_, part) = participant(&api, &fac, "P1").await;
    for token in [&persona, &part] {
        let a = api.get("/api/research/participants", token).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.json());
        let a = api
            .send(
                "POST",
                "/api/research/participants",
                token,
                json!({"label": "x"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    let none = api
        .call("GET", "/api/research/participants", None, None)
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    // The facilitator is no persona: staff calls are 401 for it.
    assert_eq!(
        api.get("/api/targets", &fac).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A participant sees its study without the success conditions; the facilitator whole.
    let p = api.get("/api/research/study", &part).await.json();
    assert!(p["tasks"][0].get("success").is_none());
    let f = api.get("/api/research/study", &fac).await.json();
    assert!(f["tasks"][0]["success"]["share"].is_object());
}

#[tokio::test]
async fn a_bad_study_is_refused_naming_its_entry_and_changes_nothing() {
    let (api, fac) = study_api(None).await;
    let mut study: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_study()).unwrap()).unwrap();
    study["tasks"][2]["success"]["share"]["target_id"] = json!("g-x");
    let a = api.send("PUT", "/api/research/study", &fac, study).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        a.json()["error"]["message"],
        "tasks[2].success.share.target_id: unknown target \"g-x\""
    );
    assert_eq!(
        a.field().as_deref(),
        Some("tasks[2].success.share.target_id")
    );
    let f = api.get("/api/research/study", &fac).await.json();
    assert_eq!(
        f["tasks"][2]["success"]["share"]["target_id"],
        "g-hub-appointments"
    );
    // With participants, the study stays (409).
    participant(&api, &fac, "P1").await;
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_study()).unwrap()).unwrap();
    let a = api.send("PUT", "/api/research/study", &fac, again).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "study_in_use");
}

#[tokio::test]
async fn k1_a_participant_link_signs_in_as_the_task_persona_with_only_the_study_personas() {
    let (api, fac) = study_api(None).await;
    let (_, s) = participant_session(&api, &fac, "P1").await;
    assert_eq!(s["user"]["id"], "u-sarah-ahmed");
    assert_eq!(s["participant"]["study"], "Sharing basics");
    let token = s["token"].as_str().unwrap();
    let personas = api.get("/api/personas", token).await.json();
    let ids: Vec<&str> = personas
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["u-sarah-ahmed", "u-james-wilson", "u-tom-bennett"]);
    // Switching stays in the sandbox, among the study's personas only.
    let outside = api
        .send(
            "POST",
            "/api/session",
            token,
            json!({"user_id": "u-ravi-shah"}),
        )
        .await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    let james = api
        .send(
            "POST",
            "/api/session",
            token,
            json!({"user_id": "u-james-wilson"}),
        )
        .await
        .json();
    assert!(james["participant"].is_object());
    let me = api
        .get("/api/me", james["token"].as_str().unwrap())
        .await
        .json();
    assert_eq!(me["participant"]["study"], "Sharing basics");
    // A wrong code is 401, like an unknown token.
    let wrong = api
        .call(
            "POST",
            "/api/session",
            None,
            Some(r#"{"participant_code":"00000000000000000000000000000000"}"#),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn k1_what_one_sandbox_does_reaches_neither_another_nor_the_demo_world() {
    let (api, fac) = study_api(None).await;
    let (a_id, a) = participant(&api, &fac, "A").await;
    let (_, b) = participant(&api, &fac, "B").await;
    let demo = api.sign_in("u-sarah-ahmed").await;
    let share = share_reception(&api, &a).await;
    // K9: a new sandbox and a changed one still share the seed's structure.
    let study = api.state.research.study().unwrap();
    let sandbox = api.state.research.participant(&a_id).unwrap().space.read();
    assert!(sandbox
        .world
        .shares_organisations_with(&study.bases[0].world));
    let id = share["id"].as_str().unwrap();
    assert!(
        id.contains(&a_id),
        "ids made in a sandbox carry its tag: {id}"
    );
    assert_eq!(reception_shares(&api, &a).await, [id]);
    assert!(reception_shares(&api, &b).await.is_empty());
    assert!(reception_shares(&api, &demo).await.is_empty());
    // Its audit line is A's alone.
    let audit = |t: String| {
        let api = &api;
        async move { api.get("/api/audit", &t).await.bytes }
    };
    let needle = id.as_bytes();
    let has = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(&audit(a.clone()).await));
    assert!(!has(&audit(b.clone()).await));
    assert!(!has(&audit(demo.clone()).await));
    // B cannot reach A's share by id: 404 like an unknown one.
    let patch = api
        .send(
            "PATCH",
            &format!("/api/shares/{id}"),
            &b,
            json!({"restricted": false}),
        )
        .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn k2_reset_to_a_task_restores_its_start_and_delete_removes_everything() {
    let (api, fac) = study_api(None).await;
    let (a_id, a) = participant(&api, &fac, "A").await;
    share_reception(&api, &a).await;
    let r = api
        .send(
            "POST",
            &format!("/api/research/participants/{a_id}/reset"),
            &fac,
            json!({"task_id": "share-reception"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(r.json()["task_state"], "not_started");
    assert!(reception_shares(&api, &a).await.is_empty());
    let bad = api
        .send(
            "POST",
            &format!("/api/research/participants/{a_id}/reset"),
            &fac,
            json!({"task_id": "no-such-task"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field().as_deref(), Some("task_id"));
    // Notes are stamped and listed.
    let n = api
        .send(
            "POST",
            &format!("/api/research/participants/{a_id}/notes"),
            &fac,
            json!({"text": "Hesitated at the Restrict View checkbox"}),
        )
        .await;
    assert_eq!(n.status, StatusCode::CREATED);
    assert!(n.json()["at"].as_str().unwrap().ends_with('Z'));
    let rows = api.get("/api/research/participants", &fac).await.json();
    assert_eq!(
        rows[0]["notes"][0]["text"],
        "Hesitated at the Restrict View checkbox"
    );
    // Delete: its token answers 401, its code too, its id 404.
    let d = api
        .call(
            "DELETE",
            &format!("/api/research/participants/{a_id}"),
            Some(&fac),
            None,
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get("/api/targets", &a).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = api
        .call(
            "DELETE",
            &format!("/api/research/participants/{a_id}"),
            Some(&fac),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.get("/api/research/participants", &fac).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn k2_knobs_apply_to_one_sandbox_only_and_its_health_says_so() {
    let (api, fac) = study_api(None).await;
    let (a_id, a) = participant(&api, &fac, "A").await;
    let (_, b) = participant(&api, &fac, "B").await;
    let k = api
        .send(
            "PUT",
            &format!("/api/research/participants/{a_id}/knobs"),
            &fac,
            json!({"latency_ms": 0, "fail_rate": 1.0}),
        )
        .await;
    assert_eq!(k.status, StatusCode::OK, "{}", k.json());
    assert_eq!(
        api.get("/api/targets", &a).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(api.get("/api/targets", &b).await.status, StatusCode::OK);
    let demo = api.sign_in("u-sarah-ahmed").await;
    assert_eq!(api.get("/api/targets", &demo).await.status, StatusCode::OK);
    assert_eq!(api.get("/api/health", &a).await.json()["fail_rate"], 1.0);
    assert!(api
        .get("/api/health", &b)
        .await
        .json()
        .get("fail_rate")
        .is_none());
    let bad = api
        .send(
            "PUT",
            &format!("/api/research/participants/{a_id}/knobs"),
            &fac,
            json!({"latency_ms": 0, "fail_rate": 1.5}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field().as_deref(), Some("fail_rate"));
}

#[tokio::test]
async fn demo_calls_are_the_facilitators_alone_while_a_study_runs() {
    let (api, fac) = study_api(None).await;
    let (a_id, a) = participant(&api, &fac, "A").await;
    let (_, b) = participant(&api, &fac, "B").await;
    let admin = api.sign_in("u-sarah-ahmed").await;
    let request = json!({"ods_code": "A81001", "patient_id": "p-amira-hussain",
        "subject": "Blood test", "message": "Results please", "kind": "admin"});
    for token in [&admin, &a] {
        let r = api
            .send("POST", "/api/demo/requests", token, request.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = api.call("POST", "/api/demo/reset", Some(token), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let mut on_a = request.clone();
    on_a["participant_id"] = json!(a_id);
    let r = api.send("POST", "/api/demo/requests", &fac, on_a).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/requests/{id}");
    let a_sarah = switch(&api, &a, "u-sarah-ahmed").await;
    assert_eq!(api.get(&path, &a_sarah).await.status, StatusCode::OK);
    let b_sarah = switch(&api, &b, "u-sarah-ahmed").await;
    assert_eq!(api.get(&path, &b_sarah).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&path, &admin).await.status, StatusCode::NOT_FOUND);
    let mut unknown = request;
    unknown["participant_id"] = json!("p-nobody");
    let r = api.send("POST", "/api/demo/requests", &fac, unknown).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn k3_k4_a_task_started_done_in_one_change_and_finished_is_a_direct_success() {
    let (api, fac) = study_api(None).await;
    let (_, a) = participant(&api, &fac, "A").await;
    let t = api.get("/api/task", &a).await.json();
    assert_eq!(t["task"]["id"], "share-reception");
    assert_eq!(t["state"], "not_started");
    assert!(t["task"].get("success").is_none());
    // The persona the task is done as (the client switches to it on Start).
    assert_eq!(t["task"]["persona"], "u-sarah-ahmed");
    // The countdown's start: no time on task before Start, a little after (server time).
    assert_eq!(t["elapsed_s"], 0.0);
    let t = api
        .call("POST", "/api/task/start", Some(&a), None)
        .await
        .json();
    assert_eq!(t["state"], "running");
    assert!(t["elapsed_s"]
        .as_f64()
        .is_some_and(|e| (0.0..5.0).contains(&e)));
    share_reception(&api, &a).await;
    let t = api
        .call("POST", "/api/task/finish", Some(&a), None)
        .await
        .json();
    assert_eq!(t["state"], "done");
    assert_eq!(t["ask"], "seq");
    let rows = api.get("/api/research/participants", &fac).await.json();
    assert_eq!(rows[0]["outcomes"][0]["outcome"], "direct_success");
    let t = api
        .send("POST", "/api/task/answers", &a, json!({"seq": 6}))
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.json());
    assert_eq!(t.json()["task"]["id"], "send-to-care-home-team");
    assert_eq!(t.json()["index"], 1);
    // The facilitator's token is not a participant's.
    assert_eq!(
        api.get("/api/task", &fac).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn k9_sandboxes_survive_a_restart_and_deletion_leaves_no_row() {
    let dir = std::env::temp_dir().join(format!("api-mock-research-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("collab.db");
    let (a_id, a, share_id) = {
        let (api, fac) = study_api(Some(db.clone())).await;
        let (a_id, a) = participant(&api, &fac, "A").await;
        let share = share_reception(&api, &a).await;
        (a_id, a, share["id"].as_str().unwrap().to_owned())
    };
    // Restarted: the same participant, sandbox and session (the study from the database).
    let state = Arc::new(
        AppState::start(&Config {
            data: Some(db.clone()),
            ..Config::default()
        })
        .unwrap(),
    );
    let (api, fac) = facilitator(Api::with_state(state)).await;
    assert_eq!(
        reception_shares(&api, &a).await,
        std::slice::from_ref(&share_id)
    );
    // K9: read back, the sandbox holds the seed's 20,000 organisations in the study's memory.
    let study = api.state.research.study().unwrap();
    let sandbox = api.state.research.participant(&a_id).unwrap().space.read();
    assert!(sandbox
        .world
        .shares_organisations_with(&study.bases[0].world));
    let rows = api.get("/api/research/participants", &fac).await.json();
    assert_eq!(rows[0]["id"], a_id.as_str());
    // A new share made after the restart takes a new id.
    let b = api
        .send(
            "POST",
            "/api/shares",
            &a,
            json!({"target_id": "g-cam-gps", "partner_ods_code": "A81002", "restricted": false}),
        )
        .await;
    assert_eq!(b.status, StatusCode::CREATED);
    assert_ne!(b.json()["id"].as_str().unwrap(), share_id);
    // Its log (K6, K9) holds the calls from before and after the restart.
    let log = api
        .get(&format!("/api/research/participants/{a_id}/log"), &fac)
        .await;
    let text = String::from_utf8(log.bytes).unwrap();
    assert_eq!(
        text.matches("\"route\":\"/api/shares\"").count(),
        2,
        "{text}"
    );
    let kept = api.state.research.participant(&a_id).unwrap();
    let d = api
        .call(
            "DELETE",
            &format!("/api/research/participants/{a_id}"),
            Some(&fac),
            None,
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    // A call still in flight when it was deleted (it holds the participant) writes nothing
    // back: no progress row, no log line, no change of its sandbox.
    let progress = kept.progress().clone();
    kept.save(&progress).unwrap();
    kept.mark("task_start", json!({}));
    let late = kept
        .space
        .change(|store| {
            let _ = store.new_id("sh");
            Ok(())
        })
        .await;
    assert_eq!(late.unwrap_err().status, StatusCode::UNAUTHORIZED);
    drop(kept);
    drop(api);
    let sql = rusqlite::Connection::open(&db).unwrap();
    let left: i64 = sql
        .query_row(
            "SELECT (SELECT count(*) FROM entity WHERE world LIKE 'sb:%')
                  + (SELECT count(*) FROM audit WHERE world LIKE 'sb:%')
                  + (SELECT count(*) FROM meta WHERE world LIKE 'sb:%')
                  + (SELECT count(*) FROM session WHERE world LIKE 'sb:%')
                  + (SELECT count(*) FROM participant)
                  + (SELECT count(*) FROM research_log)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn k5_an_answer_sent_twice_moves_on_once_and_the_facilitator_can_sign_out() {
    let (api, fac) = study_api(None).await;
    let (id, p) = participant(&api, &fac, "P").await;
    api.call("POST", "/api/task/start", Some(&p), None).await;
    api.call("POST", "/api/task/give-up", Some(&p), None).await;
    let (one, two) = tokio::join!(
        api.send("POST", "/api/task/answers", &p, json!({"seq": 3})),
        api.send("POST", "/api/task/answers", &p, json!({"seq": 3})),
    );
    let mut statuses = [one.status, two.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let t = api.get("/api/task", &p).await.json();
    assert_eq!(t["index"], 1, "one task on, not two: {t}");
    let rows = api.get("/api/research/participants", &fac).await.json();
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["task_index"], 1);
    // The facilitator's session ends like any other.
    let out = api.call("DELETE", "/api/session", Some(&fac), None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = api.get("/api/research/participants", &fac).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}
