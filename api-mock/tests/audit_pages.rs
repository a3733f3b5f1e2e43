//! `GET /api/audit` paged like `GET /api/requests` (API.md "Audit", SPEC L2, issue 19 item 8):
//! `{"items","total","next_cursor","prev_cursor"}`, newest first, `limit` 1–200 (50 by
//! default), opaque cursors (damaged: 400 with field `cursor`), the `action` filter; and the
//! CSV export streams the whole log, filters applied.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

/// Makes `n` audit events in Camelia's log: James switches his covers back and forth.
async fn covers_changes(api: &Api, token: &str, n: usize) {
    for k in 0..n {
        let folders = if k % 2 == 0 {
            json!(["g-cam-reception"])
        } else {
            json!(["sent_externally"])
        };
        let a = api
            .send(
                "PUT",
                "/api/covers",
                token,
                json!({ "folder_ids": folders }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every event id of the caller's log, newest first, as the full scan (the oracle) gives it.
fn oracle(api: &Api, org: &str, action: Option<&str>) -> Vec<String> {
    let store = api.state.read();
    store
        .world
        .audit_for(&domain::OdsCode::parse(org).unwrap())
        .into_iter()
        .filter(|e| action.is_none_or(|a| e.action.as_str() == a))
        .map(|e| e.id.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn l2_the_log_is_one_page_of_50_by_default_with_the_total_and_cursors() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    covers_changes(&api, &james, 60).await;
    let page = api.get("/api/audit", &james).await.json();
    let all = oracle(&api, "A81001", None);
    assert_eq!(page["total"], all.len());
    assert_eq!(
        ids(&page),
        all[..50].to_vec(),
        "newest first, 50 by default"
    );
    assert!(page["prev_cursor"].is_null());
    let next = page["next_cursor"].as_str().unwrap().to_owned();
    let second = api
        .get(&format!("/api/audit?cursor={next}"), &james)
        .await
        .json();
    assert_eq!(ids(&second), all[50..].to_vec());
    assert!(second["next_cursor"].is_null());
    let prev = second["prev_cursor"].as_str().unwrap();
    let back = api
        .get(&format!("/api/audit?cursor={prev}"), &james)
        .await
        .json();
    assert_eq!(ids(&back), all[..50].to_vec(), "back to the first page");
}

#[tokio::test]
async fn l2_limit_is_clamped_to_1_to_200_and_must_be_a_number() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    covers_changes(&api, &james, 210).await;
    let count = |page: Value| page["items"].as_array().unwrap().len();
    assert_eq!(count(api.get("/api/audit?limit=0", &james).await.json()), 1);
    assert_eq!(
        count(api.get("/api/audit?limit=-5", &james).await.json()),
        1
    );
    assert_eq!(count(api.get("/api/audit?limit=7", &james).await.json()), 7);
    assert_eq!(
        count(api.get("/api/audit?limit=999", &james).await.json()),
        200
    );
    for bad in ["x", "1.5", ""] {
        let a = api.get(&format!("/api/audit?limit={bad}"), &james).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(a.field().as_deref(), Some("limit"));
    }
}

#[tokio::test]
async fn l2_a_damaged_or_foreign_cursor_is_400_naming_cursor_and_changes_nothing() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    let before = api.snapshot();
    // A request list's cursor is not an audit cursor; neither is anything made up.
    for bad in [
        "1a.12.7231",
        "La.12",
        "La.012.3",
        "Lz.1.1",
        "%FF",
        "La.1.1.1",
    ] {
        let a = api.get(&format!("/api/audit?cursor={bad}"), &james).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(
            (a.code(), a.field()),
            ("invalid".into(), Some("cursor".into()))
        );
    }
    let a = api.get("/api/audit?action=share_eaten", &james).await;
    assert_eq!(
        (a.status, a.field()),
        (StatusCode::BAD_REQUEST, Some("action".into()))
    );
    assert_eq!(api.snapshot(), before);
}

#[tokio::test]
async fn l2_the_action_filter_pages_only_that_action_and_counts_only_it() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    covers_changes(&api, &james, 12).await;
    let page = api
        .get("/api/audit?action=covers_changed&limit=5", &james)
        .await
        .json();
    assert_eq!(page["total"], 12);
    let mut walked = ids(&page);
    let mut next = page["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = next {
        let p = api
            .get(
                &format!("/api/audit?action=covers_changed&limit=5&cursor={c}"),
                &james,
            )
            .await
            .json();
        walked.extend(ids(&p));
        next = p["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(walked, oracle(&api, "A81001", Some("covers_changed")));
    let received = api
        .get("/api/audit?action=request_received", &james)
        .await
        .json();
    assert_eq!(
        ids(&received),
        oracle(&api, "A81001", Some("request_received"))
    );
    assert!(!ids(&received).is_empty());
}

#[tokio::test]
async fn l2_the_csv_export_streams_the_whole_log_with_the_filters_applied() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    // More than one streamed part (1,000 events each).
    covers_changes(&api, &james, 2100).await;
    let csv = api.get("/api/audit?format=csv&limit=3", &james).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let all = oracle(&api, "A81001", None);
    assert_eq!(
        rows.len(),
        all.len() + 1,
        "the header and every event: limit does not apply"
    );
    // The same bytes as the whole log written at once (the oracle), part boundaries unseen.
    let store = api.state.read();
    let org = domain::OdsCode::parse("A81001").unwrap();
    let expected = domain::csv::audit_csv(
        store
            .world
            .audit_for(&org)
            .into_iter()
            .map(|e| (e, store.world.audit_names(&org, e))),
    );
    assert_eq!(text, expected);
    drop(store);
    let filtered = api
        .get("/api/audit?format=csv&action=request_received", &james)
        .await;
    let text = String::from_utf8(filtered.bytes).unwrap();
    let rows: Vec<&str> = text
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        rows.len(),
        oracle(&api, "A81001", Some("request_received")).len()
    );
    assert!(rows.iter().all(|r| r.contains(",request_received,")));
}
