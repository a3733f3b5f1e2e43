//! The demo calls within the caller's own organisation (API.md "Demo and operations", issue 19
//! item 7): a new request only at its own ODS code and for one of its patients, a patient's
//! preference only for a patient with a request whose origin is the caller's organisation, a
//! reset by an admin only. Otherwise 403 `forbidden`, nothing changed, and nothing said about
//! the patient (V4, R1: no name, no NHS number, and an unknown patient answers the same).
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

/// Margaret Hill: a patient of Camelia Surgery (A81001) in the seed (r-1003).
const MARGARET: &str = "p-margaret-hill";
const MARGARET_NHS: &str = "9616721100";
/// Fatima Begum: a patient of Riverside (A81002) in the seed (r-1007).
const FATIMA: &str = "p-fatima-begum";

fn says_nothing_of_the_patient(a: &Answer) {
    let body = String::from_utf8_lossy(&a.bytes);
    for secret in ["Margaret", "Hill", MARGARET_NHS, "961 672 1100", MARGARET] {
        assert!(
            !body.contains(secret),
            "the refusal reveals {secret}: {body}"
        );
    }
}

#[tokio::test]
async fn a_user_of_another_organisation_cannot_change_a_patients_preference_nor_learn_who_it_is() {
    // The example: Tom Bennett (Riverside) changed Margaret Hill's consent and got her
    // name and NHS number back.
    let api = Api::demo();
    let tom = api.sign_in(RIVERSIDE_STAFF).await;
    let before = api.snapshot();
    let path = format!("/api/demo/patients/{MARGARET}/sharing");
    let a = api
        .send("POST", &path, &tom, json!({"sharing": "do_not_share"}))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "forbidden");
    says_nothing_of_the_patient(&a);
    assert_eq!(api.snapshot(), before, "nothing changed");
    // An unknown patient answers byte for byte the same (no existence oracle).
    let unknown = api
        .send(
            "POST",
            "/api/demo/patients/p-nobody/sharing",
            &tom,
            json!({"sharing": "do_not_share"}),
        )
        .await;
    assert_eq!(unknown.status, a.status);
    assert_eq!(unknown.bytes, a.bytes);
}

#[tokio::test]
async fn a_user_of_the_patients_organisation_changes_the_preference() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    let a = api
        .send(
            "POST",
            &format!("/api/demo/patients/{MARGARET}/sharing"),
            &james,
            json!({"sharing": "do_not_share"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["sharing"], "do_not_share");
    assert_eq!(a.json()["nhs_number"], MARGARET_NHS);
}

#[tokio::test]
async fn a_new_request_only_at_the_callers_own_ods_code_and_for_one_of_its_patients() {
    let api = Api::demo();
    let tom = api.sign_in(RIVERSIDE_STAFF).await;
    let before = api.snapshot();
    let body = |ods: &str, patient: &str| {
        json!({"ods_code": ods, "patient_id": patient, "subject": "Demo", "message": "Hello.",
               "kind": "admin"})
    };
    // At another organisation's code, even for one of Riverside's own patients.
    let a = api
        .send("POST", "/api/demo/requests", &tom, body("A81001", FATIMA))
        .await;
    assert_eq!(
        (a.status, a.code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    // At its own code, for another organisation's patient: the 201 would reveal her.
    let a = api
        .send("POST", "/api/demo/requests", &tom, body("a81002", MARGARET))
        .await;
    assert_eq!(
        (a.status, a.code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    says_nothing_of_the_patient(&a);
    let unknown = api
        .send(
            "POST",
            "/api/demo/requests",
            &tom,
            body("A81002", "p-nobody"),
        )
        .await;
    assert_eq!(unknown.bytes, a.bytes, "unknown and not ours answer alike");
    assert_eq!(api.snapshot(), before, "nothing changed");
    // Its own code (as typed) and its own patient: 201, at Riverside.
    let a = api
        .send("POST", "/api/demo/requests", &tom, body(" a81002 ", FATIMA))
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.json()["origin"]["ods_code"], "A81002");
}

#[tokio::test]
async fn only_an_admin_resets_the_demo() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let admin = api.sign_in(RIVERSIDE_ADMIN).await;
    // A change to undo.
    let a = api
        .send(
            "PUT",
            "/api/covers",
            &staff,
            json!({"folder_ids": ["g-cam-reception"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let changed = api.snapshot();
    let a = api
        .call("POST", "/api/demo/reset", Some(&staff), None)
        .await;
    assert_eq!(
        (a.status, a.code().as_str()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    assert_eq!(api.snapshot(), changed, "a refused reset changes nothing");
    let a = api
        .call("POST", "/api/demo/reset", Some(&admin), None)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert_ne!(api.snapshot(), changed);
}
