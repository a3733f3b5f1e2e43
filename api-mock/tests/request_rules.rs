//! Requests over HTTP: visibility (V1–V4), assignment (A1–A6), folders and covers (C1–C4),
//! audit (L1–L2) and the demo calls.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

/// The ids of one page of `GET /api/requests` (`{"items":[…],…}`).
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn v4_a_request_another_organisation_may_not_see_is_404_byte_for_byte_like_an_unknown_one() {
    let api = Api::demo();
    // r-1008 sits in Riverside's Admin group, shared with Camelia restricted: Camelia is not
    // involved, so it must not see it (V3).
    let camelia = api.sign_in(CAMELIA_STAFF).await;
    for path in ["/api/requests/r-1008", "/api/requests/r-1008/assignable"] {
        let hidden = api.get(path, &camelia).await;
        let unknown = api.get(&path.replace("r-1008", "r-0000"), &camelia).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(hidden.bytes, unknown.bytes, "{path}");
    }
    let before = api.snapshot();
    let hidden = api
        .send(
            "POST",
            "/api/requests/r-1008/close",
            &camelia,
            json!({"version": 2}),
        )
        .await;
    let unknown = api
        .send(
            "POST",
            "/api/requests/r-0000/close",
            &camelia,
            json!({"version": 2}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.bytes, unknown.bytes);
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn v1_the_detail_shows_history_holder_and_why_the_caller_sees_it() {
    let api = Api::demo();
    let frailty = api.sign_in(FRAILTY_ADMIN).await;
    let d = api.get("/api/requests/r-1003", &frailty).await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    assert_eq!(d["visible_because"], "involved");
    assert_eq!(d["holder"]["ods_code"], "RX401");
    assert_eq!(
        d["origin"],
        json!({"ods_code": "A81001", "name": "Camelia Surgery"})
    );
    assert_eq!(d["patient"]["date_of_birth"], "1938-04-12");
    let actions: Vec<&str> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["received", "assigned", "assigned"],
        "A6: two hops"
    );
    assert_eq!(d["history"][0]["user"], Value::Null);
    assert_eq!(d["history"][2]["to"]["id"], "g-frailty");
    assert_eq!(d["version"], 3);
}

#[tokio::test]
async fn a3_the_override_by_agreement_and_by_reason_are_recorded_in_history() {
    let api = Api::demo();
    let camelia = api.sign_in(CAMELIA_ADMIN).await;
    let d = api.get("/api/requests/r-1004", &camelia).await.json();
    assert_eq!(d["history"][1]["override"]["kind"], "agreement");
    let d = api.get("/api/requests/r-1005", &camelia).await.json();
    assert_eq!(d["history"][1]["override"]["kind"], "reason");
    assert!(d["history"][1]["override"]["reason"]
        .as_str()
        .unwrap()
        .contains("evening"));
}

#[tokio::test]
async fn a3_assigning_a_do_not_share_request_outside_needs_a_valid_reason() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    // r-1002: Olivia shares; make a do_not_share request arrive and send it to the hub.
    let created = api
        .send(
            "POST",
            "/api/demo/requests",
            &staff,
            json!({"ods_code": "A81001", "patient_id": "p-david-lee", "subject": "Inhaler",
                     "message": "Need a new inhaler", "kind": "medical"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let assignable = api
        .get(&format!("/api/requests/{id}/assignable"), &staff)
        .await
        .json();
    let hub = assignable
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["target"]["id"] == "g-hub-appointments")
        .expect("the hub's group is assignable");
    assert_eq!(hub["consent"], "reason");
    assert_eq!(hub["owner"]["ods_code"], "Y01234");
    let before = api.snapshot();
    let path = format!("/api/requests/{id}/assign");
    let a = api
        .send(
            "POST",
            &path,
            &staff,
            json!({"target_id": "g-hub-appointments", "version": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "consent_override_required");
    let a = api
        .send("POST", &path, &staff, json!({"target_id": "g-hub-appointments", "version": 1, "override_reason": "  short  "}))
        .await;
    assert_eq!(a.code(), "invalid_override_reason");
    assert_eq!(api.snapshot(), before, "refusals change nothing");
    let reason = "Patient agreed on the phone <script>alert(1)</script>";
    let a = api
        .send(
            "POST",
            &path,
            &staff,
            json!({"target_id": "g-hub-appointments", "version": 1, "override_reason": reason}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    let d = a.json();
    assert_eq!(d["version"], 2);
    assert_eq!(d["assignee"]["id"], "g-hub-appointments");
    assert_eq!(
        d["history"][1]["override"]["reason"], reason,
        "stored verbatim, as text"
    );
}

#[tokio::test]
async fn a5_a_stale_version_is_a_conflict_and_changes_nothing() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1001", &staff).await;
    let before = api.snapshot();
    let a = api
        .send(
            "POST",
            "/api/requests/r-1001/close",
            &staff,
            json!({"version": v + 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "conflict");
    assert_eq!(api.snapshot(), before);
    let a = api
        .send(
            "POST",
            "/api/requests/r-1001/close",
            &staff,
            json!({"version": v}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["status"], "closed");
}

#[tokio::test]
async fn a1_closed_requests_cannot_be_assigned_or_closed_but_can_be_reopened() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF_2).await;
    let v = api.version("r-1006", &staff).await;
    let a = api
        .send(
            "POST",
            "/api/requests/r-1006/assign",
            &staff,
            json!({"target_id": "g-cam-reception", "version": v}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "invalid_status");
    let a = api
        .send(
            "POST",
            "/api/requests/r-1006/close",
            &staff,
            json!({"version": v}),
        )
        .await;
    assert_eq!(a.code(), "invalid_status");
    let a = api
        .send(
            "POST",
            "/api/requests/r-1006/reopen",
            &staff,
            json!({"version": v}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["status"], "open");
    assert_eq!(
        a.json()["history"].as_array().unwrap().last().unwrap()["action"],
        "reopened"
    );
}

#[tokio::test]
async fn a1_a2_the_current_assignee_and_unavailable_targets_are_refused() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1014", &staff).await;
    let before = api.snapshot();
    let path = "/api/requests/r-1014/assign";
    let a = api
        .send(
            "POST",
            path,
            &staff,
            json!({"target_id": "g-cam-reception", "version": v}),
        )
        .await;
    assert_eq!(a.code(), "already_assigned");
    // The frailty team's share with Camelia is still pending (S6), the pharmacy's too.
    for target in [
        "g-frailty",
        "g-pharm-medicines",
        "g-no-such-group",
        "u-peter-marsh",
    ] {
        let a = api
            .send(
                "POST",
                path,
                &staff,
                json!({"target_id": target, "version": v}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{target}");
        assert_eq!(a.code(), "target_not_available", "{target}");
    }
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn c3_c4_messages_show_my_requests_and_covered_folders_newest_first() {
    let api = Api::demo();
    let priya = api.sign_in(CAMELIA_STAFF_2).await;
    let list = api.get("/api/requests", &priya).await.json();
    assert_eq!(
        ids(&list),
        ["r-1010"],
        "My requests alone when covering nothing"
    );
    let all = api.get("/api/requests?status=all", &priya).await.json();
    assert_eq!(ids(&all), ["r-1010", "r-1006"]);
    let closed = api
        .get("/api/requests?folder=mine&status=closed", &priya)
        .await
        .json();
    assert_eq!(ids(&closed), ["r-1006"]);
    let a = api.get("/api/requests?status=maybe", &priya).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("status"));
    let a = api.get("/api/requests?folder=g-frailty", &priya).await;
    assert_eq!(
        a.status,
        StatusCode::NOT_FOUND,
        "a folder the user does not have"
    );
}

#[tokio::test]
async fn c1_c2_covers_replace_the_set_and_refuse_folders_that_are_not_available() {
    let api = Api::demo();
    let priya = api.sign_in(CAMELIA_STAFF_2).await;
    let a = api
        .send(
            "PUT",
            "/api/covers",
            &priya,
            json!({"folder_ids": ["g-cam-reception", "sent_externally", "g-pcn-carehome"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    let covered: Vec<String> = a
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["covered"] == true)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        covered,
        ["sent_externally", "g-cam-reception", "g-pcn-carehome"]
    );
    let list = api.get("/api/requests", &priya).await.json();
    assert!(ids(&list).contains(&"r-1014".to_owned()));
    assert!(ids(&list).contains(&"r-1003".to_owned()), "sent externally");
    let before = api.snapshot();
    for bad in ["all", "mine", "g-frailty", "g-riv-nope"] {
        let a = api
            .send("PUT", "/api/covers", &priya, json!({"folder_ids": [bad]}))
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(a.code(), "target_not_available", "{bad}");
    }
    assert_eq!(api.snapshot(), before);
    let folders = api.get("/api/folders", &priya).await.json();
    let kinds: Vec<&str> = folders
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(&kinds[..3], ["all", "mine", "sent_externally"]);
}

#[tokio::test]
async fn l1_l2_the_audit_log_lists_our_events_newest_first_and_exports_csv() {
    let api = Api::demo();
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let v = api.version("r-1001", &admin).await;
    api.send(
        "POST",
        "/api/requests/r-1001/close",
        &admin,
        json!({"version": v}),
    )
    .await;
    // One page of the log (issue 19: paged like GET /api/requests).
    let log = api.get("/api/audit", &admin).await.json()["items"].clone();
    let first = &log[0];
    assert_eq!(first["action"], "request_closed");
    assert_eq!(first["user_id"], CAMELIA_ADMIN);
    assert_eq!(first["subject_id"], "r-1001");
    // Issue 15: the names people read, beside the ids. Every request event in an
    // organisation's log is one it took part in (receiving, assigning, closing and reopening
    // join involved(R)), so V1 lets it read the subject; the server still checks V1–V4.
    assert_eq!(first["user_name"], "Dr Sarah Ahmed");
    assert_eq!(first["organisation_name"], "Camelia Surgery");
    assert_eq!(first["request_subject"], "Repeat prescription: amlodipine");
    for e in log.as_array().unwrap() {
        let about_request = e["action"].as_str().unwrap().starts_with("request_");
        assert_eq!(e["request_subject"].is_string(), about_request, "{e}");
        assert!(e["organisation_name"].is_string(), "{e}");
    }
    let csv = api.get("/api/audit?format=csv", &admin).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.starts_with(
        "id,at,user_id,user_name,ods_code,organisation_name,action,subject_id,request_subject,\
         detail\r\n"
    ));
    // Issue 15: the CSV keeps the ids and puts the JSON log's names beside them.
    let closed = text
        .lines()
        .find(|l| l.contains(",request_closed,"))
        .expect("the closing is exported");
    let expected = format!(
        ",{CAMELIA_ADMIN},Dr Sarah Ahmed,{},Camelia Surgery,request_closed,r-1001,\
         Repeat prescription: amlodipine,",
        first["ods_code"].as_str().unwrap()
    );
    assert!(closed.contains(&expected), "{closed}");
    let a = api.get("/api/audit?format=xml", &admin).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn l2_a_subject_written_as_a_formula_is_disarmed_in_the_csv_beside_its_id() {
    let api = Api::demo();
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let subject = "=HYPERLINK(\"http://evil.example\",\"Open\")";
    let a = api
        .send(
            "POST",
            "/api/demo/requests",
            &admin,
            json!({"ods_code": "A81001", "patient_id": "p-margaret-hill", "subject": subject,
                   "message": "Please.", "kind": "admin"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let id = a.json()["id"].as_str().unwrap().to_owned();
    let log = api.get("/api/audit", &admin).await.json();
    assert_eq!(log["items"][0]["request_subject"], subject);
    let csv = api.get("/api/audit?format=csv", &admin).await;
    let text = String::from_utf8(csv.bytes).unwrap();
    // RFC 4180 quotes the cell (it holds quotes and a comma); L2 puts a ' before the '='.
    let cell = "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\"";
    assert!(
        text.contains(&format!(",request_received,{id},{cell},")),
        "{text}"
    );
}

#[tokio::test]
async fn v2_a_patient_withdrawing_consent_hides_the_request_from_unrestricted_partners_at_once() {
    let api = Api::demo();
    let camelia = api.sign_in(CAMELIA_STAFF).await;
    assert_eq!(
        api.get("/api/requests/r-1013", &camelia).await.status,
        StatusCode::OK
    );
    let a = api
        .send(
            "POST",
            "/api/demo/patients/p-amira-hussain/sharing",
            &camelia,
            json!({"sharing": "do_not_share"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["sharing"], "do_not_share");
    assert_eq!(
        api.get("/api/requests/r-1013", &camelia).await.status,
        StatusCode::NOT_FOUND
    );
    let a = api
        .send(
            "POST",
            "/api/demo/patients/p-nobody/sharing",
            &camelia,
            json!({"sharing": "share"}),
        )
        .await;
    // Not a patient of Camelia's (unknown): 403, as for another organisation's (issue 19).
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn demo_reset_returns_to_the_seed_and_keeps_sessions() {
    let api = Api::demo();
    let seeded = api.snapshot();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let v = api.version("r-1001", &staff).await;
    api.send(
        "POST",
        "/api/requests/r-1001/close",
        &staff,
        json!({"version": v}),
    )
    .await;
    assert_ne!(api.snapshot(), seeded);
    // Reset by an admin (issue 19); the staff member's session survives it.
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let a = api
        .call("POST", "/api/demo/reset", Some(&admin), None)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_eq!(api.snapshot(), seeded);
    assert_eq!(api.get("/api/me", &staff).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_demo_request_for_an_unknown_patient_or_organisation_is_forbidden_and_changes_nothing() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let before = api.snapshot();
    for (ods, patient) in [
        ("A81001", "p-nobody"),
        ("ZZ999", "p-david-lee"),
        ("bad code!", "p-david-lee"),
    ] {
        let a = api
            .send("POST", "/api/demo/requests", &staff,
                  json!({"ods_code": ods, "patient_id": patient, "subject": "s", "message": "m", "kind": "admin"}))
            .await;
        // Not the caller's own code, or not one of its patients (issue 19): 403.
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{ods} {patient}");
    }
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn script_tags_in_seeded_text_come_back_as_plain_text() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let d = api.get("/api/requests/r-1011", &staff).await.json();
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("<script>alert('x')</script>"));
    assert_eq!(d["subject"], "Chest pain last night <b>urgent</b>?");
}
