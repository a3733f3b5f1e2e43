//! Shares (SPEC S1–S7, R1) and agreements (D1–D3) over HTTP.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

async fn share(
    api: &Api,
    token: &str,
    target: &str,
    partner: &str,
    restricted: bool,
) -> common::Answer {
    api.send(
        "POST",
        "/api/shares",
        token,
        json!({"target_id": target, "partner_ods_code": partner, "restricted": restricted}),
    )
    .await
}

#[tokio::test]
async fn s1_s4_an_admin_shares_a_group_and_it_starts_pending() {
    let api = Api::demo();
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let a = share(&api, &admin, "g-cam-reception", "a81002", true).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let s = a.json();
    assert_eq!(s["state"], "pending");
    assert_eq!(s["restricted"], true);
    assert_eq!(
        s["partner"],
        json!({"ods_code": "A81002", "name": "Riverside Medical Practice"})
    );
    let targets = api.get("/api/targets", &admin).await.json();
    let reception = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "g-cam-reception")
        .unwrap();
    assert_eq!(reception["shares"][0]["id"], s["id"]);
}

#[tokio::test]
async fn s1_r1_staff_may_read_targets_but_not_share_and_nothing_changes() {
    let api = Api::demo();
    let staff = api.sign_in(CAMELIA_STAFF).await;
    assert_eq!(api.get("/api/targets", &staff).await.status, StatusCode::OK);
    let before = api.snapshot();
    let a = share(&api, &staff, "g-cam-reception", "A81002", false).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "forbidden");
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn s2_sharing_again_with_the_same_partner_is_already_shared() {
    let api = Api::demo();
    let admin = api.sign_in(PCN_ADMIN).await;
    let before = api.snapshot();
    let a = share(&api, &admin, "g-pcn-carehome", "A81001", true).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "already_shared");
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn s3_own_unknown_inactive_or_malformed_partners_are_not_available() {
    let api = Api::demo();
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    for partner in ["A81001", "ZZ999", "A81099", "not a code!"] {
        let a = share(&api, &admin, "g-cam-reception", partner, false).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{partner}");
        assert_eq!(a.code(), "partner_not_available", "{partner}");
        assert_eq!(a.field().as_deref(), Some("partner_ods_code"));
    }
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn s4_the_partner_admin_enables_and_disables_and_disable_on_pending_is_invalid() {
    let api = Api::demo();
    let owner = api.sign_in(CAMELIA_ADMIN).await;
    let id = share(&api, &owner, "g-cam-reception", "FA123", false)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let partner = api.sign_in(PHARMACY_ADMIN).await;
    let partner_staff = api.sign_in(PHARMACY_STAFF).await;
    let a = api
        .call(
            "POST",
            &format!("/api/external/{id}/disable"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "invalid_transition");
    let a = api
        .call(
            "POST",
            &format!("/api/external/{id}/enable"),
            Some(&partner_staff),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "partner staff get 403");
    let a = api
        .call(
            "POST",
            &format!("/api/external/{id}/enable"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["state"], "enabled");
    assert_eq!(a.json()["owner"]["ods_code"], "A81001");
    let a = api
        .call(
            "POST",
            &format!("/api/external/{id}/enable"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "asking for the state it has succeeds"
    );
    let a = api
        .call(
            "POST",
            &format!("/api/external/{id}/disable"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(a.json()["state"], "disabled");
    let external = api.get("/api/external", &partner_staff).await.json();
    assert!(external
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["share_id"] == id.as_str()));
}

#[tokio::test]
async fn s4_r1_another_organisation_gets_404_identical_to_an_unknown_share() {
    let api = Api::demo();
    let owner = api.sign_in(CAMELIA_ADMIN).await;
    let id = share(&api, &owner, "g-cam-reception", "FA123", false)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stranger = api.sign_in(HUB_ADMIN).await;
    let seen = api
        .call(
            "POST",
            &format!("/api/external/{id}/enable"),
            Some(&stranger),
            None,
        )
        .await;
    let unknown = api
        .call(
            "POST",
            "/api/external/sh-does-not-exist/enable",
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND);
    assert_eq!(seen.bytes, unknown.bytes, "byte for byte the same");
    let seen = api
        .send(
            "PATCH",
            &format!("/api/shares/{id}"),
            &stranger,
            json!({"restricted": true}),
        )
        .await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND);
    assert_eq!(seen.bytes, unknown.bytes);
}

#[tokio::test]
async fn s5_the_owner_edits_only_the_restricted_flag_and_may_remove_the_share() {
    let api = Api::demo();
    let owner = api.sign_in(PCN_ADMIN).await;
    let targets = api.get("/api/targets", &owner).await.json();
    let carehome = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "g-pcn-carehome")
        .unwrap();
    let s: &Value = carehome["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["partner"]["ods_code"] == "A81001")
        .unwrap();
    let id = s["id"].as_str().unwrap();
    let a = api
        .send(
            "PATCH",
            &format!("/api/shares/{id}"),
            &owner,
            json!({"restricted": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["restricted"], true);
    assert_eq!(a.json()["state"], "enabled", "the state does not change");
    let a = api
        .send(
            "PATCH",
            &format!("/api/shares/{id}"),
            &owner,
            json!({"state": "pending"}),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "only the flag may be edited"
    );
    let a = api
        .call("DELETE", &format!("/api/shares/{id}"), Some(&owner), None)
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(a.bytes.is_empty());
    let a = api
        .call("DELETE", &format!("/api/shares/{id}"), Some(&owner), None)
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn s7_v4_removing_a_share_moves_no_request_but_ends_unrestricted_visibility() {
    let api = Api::demo();
    // r-1013 (Riverside, patient shares) sits in Riverside's Extended group, shared with
    // Camelia unrestricted and enabled: Camelia sees it by V2.
    let camelia = api.sign_in(CAMELIA_STAFF).await;
    let a = api.get("/api/requests/r-1013", &camelia).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["visible_because"], "unrestricted_share");
    let owner = api.sign_in(RIVERSIDE_ADMIN).await;
    let targets = api.get("/api/targets", &owner).await.json();
    let extended = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "g-riv-extended")
        .unwrap();
    let id = extended["shares"][0]["id"].as_str().unwrap().to_owned();
    api.call("DELETE", &format!("/api/shares/{id}"), Some(&owner), None)
        .await;
    let gone = api.get("/api/requests/r-1013", &camelia).await;
    let unknown = api.get("/api/requests/r-nope", &camelia).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.bytes, unknown.bytes);
    let still = api.get("/api/requests/r-1013", &owner).await.json();
    assert_eq!(
        still["assignee"]["id"], "g-riv-extended",
        "no request moved"
    );
}

#[tokio::test]
async fn d1_an_admin_proposes_the_partner_accepts_and_the_agreement_becomes_active() {
    let api = Api::demo();
    let proposer = api.sign_in(HUB_ADMIN).await;
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &proposer,
            json!({"partner_ods_code": "A81002", "reference": "DSA-HUB-1 <b>evenings</b>"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let ag = a.json();
    assert_eq!(ag["our_answer"], "accepted");
    assert_eq!(ag["their_answer"], Value::Null);
    assert_eq!(ag["active"], false);
    assert_eq!(
        ag["reference"], "DSA-HUB-1 <b>evenings</b>",
        "stored as text"
    );
    let id = ag["id"].as_str().unwrap();
    let partner_staff = api.sign_in(RIVERSIDE_STAFF).await;
    let a = api
        .call(
            "POST",
            &format!("/api/agreements/{id}/accept"),
            Some(&partner_staff),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let partner = api.sign_in(RIVERSIDE_ADMIN).await;
    let a = api
        .call(
            "POST",
            &format!("/api/agreements/{id}/accept"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["active"], true);
    assert_eq!(a.json()["their_answer"], "accepted");
    let a = api
        .call(
            "POST",
            &format!("/api/agreements/{id}/refuse"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(
        a.json()["active"],
        false,
        "either side may change its answer"
    );
    let stranger = api.sign_in(PHARMACY_ADMIN).await;
    let a = api
        .call(
            "POST",
            &format!("/api/agreements/{id}/accept"),
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn d1_a_second_agreement_for_a_pair_is_refused_and_staff_may_not_propose() {
    let api = Api::demo();
    let admin = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &admin,
            json!({"partner_ods_code": "U12345", "reference": "Again"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "agreement_exists");
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &admin,
            json!({"partner_ods_code": "A81001", "reference": "Self"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.code(), "partner_not_available");
    let staff = api.sign_in(CAMELIA_STAFF).await;
    let a = api
        .send(
            "POST",
            "/api/agreements",
            &staff,
            json!({"partner_ods_code": "FA123", "reference": "Pharmacy"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(api.snapshot(), before);
    let list = api.get("/api/agreements", &staff).await.json();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "staff read the register (R1)"
    );
}
