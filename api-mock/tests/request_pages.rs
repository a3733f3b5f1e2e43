//! `GET /api/requests` pages (API.md "Messages", issue 13; SPEC C3, C4, V1–V4): walks with
//! `limit` and `cursor` cover every request of a folder exactly once in the C4 order, stay
//! stable while requests gain activity, walk back with `prev_cursor`; bad `limit` or `cursor`
//! is 400 with the field; a cursor is only a position, so it tells no one anything.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use api_mock::config::Config;
use api_mock::AppState;
use axum::http::StatusCode;
use common::*;
use domain::{FolderId, StatusFilter, UserId};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The demo network with `n` generated requests, in memory.
fn generated(n: usize) -> Api {
    let config = Config {
        data: None,
        generate_requests: n,
        ..Config::default()
    };
    Api::with_state(Arc::new(AppState::start(&config).unwrap()))
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn status_text(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Open => "open",
        StatusFilter::Closed => "closed",
        StatusFilter::All => "all",
    }
}

/// The answer of the simple scan and sort (the domain's oracle).
fn oracle(api: &Api, user: &str, folder: Option<&str>, status: StatusFilter) -> Vec<String> {
    let store = api.state.read();
    let user = UserId::new(user);
    let list = match folder {
        Some(f) => store
            .world
            .folder_requests(&user, &FolderId::parse(f), status)
            .unwrap(),
        None => store.world.messages(&user, status).unwrap(),
    };
    list.iter().map(|r| r.id.to_string()).collect()
}

fn path(folder: Option<&str>, status: StatusFilter, limit: usize, cursor: Option<&str>) -> String {
    let mut p = format!("/api/requests?status={}&limit={limit}", status_text(status));
    if let Some(f) = folder {
        p.push_str(&format!("&folder={f}"));
    }
    if let Some(c) = cursor {
        p.push_str(&format!("&cursor={c}"));
    }
    p
}

/// Walks Next to the end; returns the pages.
async fn walk(
    api: &Api,
    token: &str,
    folder: Option<&str>,
    status: StatusFilter,
    limit: usize,
) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let a = api
            .get(&path(folder, status, limit, cursor.as_deref()), token)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.json());
        let page = a.json();
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        assert!(pages.len() < 10_000, "the walk ends");
        if cursor.is_none() {
            return pages;
        }
    }
}

#[tokio::test]
async fn c4_walks_cover_every_request_of_every_folder_once_in_order_and_walk_back() {
    let api = generated(1500);
    for user in [CAMELIA_STAFF_2, RIVERSIDE_ADMIN, PCN_STAFF, PHARMACY_STAFF] {
        let token = api.sign_in(user).await;
        // Cover every folder the user may, so the Messages page is a union (C4).
        let folders = api.get("/api/folders", &token).await.json();
        let coverable: Vec<String> = folders
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .filter(|id| id != "all" && id != "mine")
            .collect();
        let a = api
            .send(
                "PUT",
                "/api/covers",
                &token,
                json!({ "folder_ids": coverable }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.json());
        let mut folder_ids: Vec<Option<String>> = vec![None];
        folder_ids.extend(
            folders
                .as_array()
                .unwrap()
                .iter()
                .map(|f| Some(f["id"].as_str().unwrap().to_owned())),
        );
        let mut walked = 0;
        for folder in &folder_ids {
            for status in [StatusFilter::Open, StatusFilter::Closed, StatusFilter::All] {
                let want = oracle(&api, user, folder.as_deref(), status);
                let pages = walk(&api, &token, folder.as_deref(), status, 37).await;
                let got: Vec<String> = pages.iter().flat_map(ids).collect();
                assert_eq!(got, want, "{user} {folder:?} {status:?}");
                for (i, page) in pages.iter().enumerate() {
                    assert_eq!(page["total"], want.len(), "total after visibility");
                    assert_eq!(page["prev_cursor"].is_null(), i == 0, "prev on later pages");
                }
                walked += pages.len();
                // Previous from the last page back to the first.
                let mut back: Vec<Vec<String>> = vec![ids(pages.last().unwrap())];
                let mut prev = pages.last().unwrap()["prev_cursor"]
                    .as_str()
                    .map(str::to_owned);
                while let Some(c) = prev {
                    let page = api
                        .get(&path(folder.as_deref(), status, 37, Some(&c)), &token)
                        .await
                        .json();
                    back.push(ids(&page));
                    prev = page["prev_cursor"].as_str().map(str::to_owned);
                }
                back.reverse();
                let forward: Vec<Vec<String>> = pages.iter().map(ids).collect();
                assert_eq!(back, forward, "Previous gives back the same pages");
            }
        }
        assert!(
            walked > folder_ids.len() * 3,
            "{user}: some folders have several pages"
        );
    }
}

#[tokio::test]
async fn c4_a_walk_neither_repeats_nor_skips_when_requests_are_assigned_or_closed_between_pages() {
    let api = generated(600);
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let start = oracle(&api, CAMELIA_ADMIN, Some("all"), StatusFilter::All);
    assert!(start.len() > 100, "{}", start.len());
    let targets = api.get("/api/targets", &token).await.json();
    let groups: Vec<String> = targets
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    let mut seen: Vec<String> = Vec::new();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut cursor: Option<String> = None;
    let mut round = 0usize;
    loop {
        let page = api
            .get(
                &path(Some("all"), StatusFilter::All, 10, cursor.as_deref()),
                &token,
            )
            .await
            .json();
        seen.extend(ids(&page));
        let Some(next) = page["next_cursor"].as_str() else {
            break;
        };
        cursor = Some(next.to_owned());
        // Between pages: one request still ahead and one already met gain activity (assigned
        // or closed); both move to the top.
        round += 1;
        let ahead = start.len().min(seen.len() + 10 + round) - 1;
        for id in [start[ahead].clone(), seen[round % seen.len()].clone()] {
            let version = api.version(&id, &token).await;
            let detail = api.get(&format!("/api/requests/{id}"), &token).await.json();
            let a = if detail["status"] == "open" && round.is_multiple_of(2) {
                api.send(
                    "POST",
                    &format!("/api/requests/{id}/close"),
                    &token,
                    json!({ "version": version }),
                )
                .await
            } else if detail["status"] == "open" {
                let current = detail["assignee"]["id"].as_str().unwrap_or("");
                let target = groups.iter().find(|g| *g != current).unwrap();
                api.send(
                    "POST",
                    &format!("/api/requests/{id}/assign"),
                    &token,
                    json!({ "target_id": target, "version": version }),
                )
                .await
            } else {
                api.send(
                    "POST",
                    &format!("/api/requests/{id}/reopen"),
                    &token,
                    json!({ "version": version }),
                )
                .await
            };
            assert_eq!(a.status, StatusCode::OK, "{id}: {}", a.json());
            touched.insert(id);
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "nothing repeated");
    let steady: Vec<&String> = start.iter().filter(|id| !touched.contains(*id)).collect();
    let met: Vec<&String> = seen.iter().filter(|id| !touched.contains(*id)).collect();
    assert_eq!(met, steady, "every untouched request met once, in order");
    assert!(touched.len() > 10, "{} touched", touched.len());
    // The touched ones are at the top now (C4: last activity first).
    let first = api
        .get(&path(Some("all"), StatusFilter::All, 200, None), &token)
        .await
        .json();
    let top: BTreeSet<String> = ids(&first).into_iter().take(touched.len()).collect();
    assert_eq!(top, touched.into_iter().collect::<BTreeSet<_>>());
}

#[tokio::test]
async fn c4_limit_defaults_to_50_is_clamped_to_1_200_and_a_non_number_is_400_limit() {
    let api = generated(2000);
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    let count = |a: &Answer| a.json()["items"].as_array().unwrap().len();
    let a = api.get("/api/requests?folder=all", &token).await;
    assert_eq!(count(&a), 50);
    assert!(a.json()["total"].as_u64().unwrap() > 200);
    for (limit, n) in [
        ("0", 1),
        ("1", 1),
        ("-7", 1),
        ("-99999999999999999999999", 1),
        ("200", 200),
        ("201", 200),
        ("99999999999999999999999", 200),
    ] {
        let a = api
            .get(&format!("/api/requests?folder=all&limit={limit}"), &token)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{limit}");
        assert_eq!(count(&a), n, "{limit}");
    }
    for bad in ["", "ten", "1.5", "1e3", "+5", "%20", "5x", "-"] {
        let a = api
            .get(&format!("/api/requests?folder=all&limit={bad}"), &token)
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(a.code(), "invalid");
        assert_eq!(a.field().as_deref(), Some("limit"), "{bad:?}");
    }
    assert_eq!(api.snapshot(), before, "a refusal changes nothing");
}

#[tokio::test]
async fn c4_a_damaged_or_made_up_cursor_is_400_cursor_and_changes_nothing() {
    let api = generated(200);
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let before = api.snapshot();
    let first = api
        .get("/api/requests?folder=all&limit=5", &token)
        .await
        .json();
    let good = first["next_cursor"].as_str().unwrap().to_owned();
    let mut damaged: Vec<String> = vec![
        String::new(),
        "x".into(),
        "null".into(),
        format!("{good}0"),
        good[1..].to_owned(),
        good.replace('a', "c"),
        good.to_uppercase(),
        "1a.1.zz".into(),
        "1a.1.".into(),
        "1a.".repeat(400),
    ];
    damaged.push(good[..good.len() - 1].to_owned());
    for bad in &damaged {
        let a = api
            .get(
                &format!("/api/requests?folder=all&limit=5&cursor={}", encode(bad)),
                &token,
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(a.code(), "invalid");
        assert_eq!(a.field().as_deref(), Some("cursor"), "{bad:?}");
    }
    assert_eq!(api.snapshot(), before);
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn v1_v4_a_cursor_from_another_user_or_folder_gives_no_more_than_the_caller_may_see() {
    let api = generated(800);
    let camelia = api.sign_in(CAMELIA_ADMIN).await;
    let pharmacy = api.sign_in(PHARMACY_STAFF).await;
    // Cursors of Camelia's walk of All, used by the pharmacy in each of its folders.
    let pages = walk(&api, &camelia, Some("all"), StatusFilter::All, 40).await;
    assert!(pages.len() > 3);
    let store = api.state.read();
    let pharmacy_code = store
        .world
        .user(&UserId::new(PHARMACY_STAFF))
        .unwrap()
        .ods_code
        .clone();
    let visible: BTreeSet<String> = store
        .world
        .visible_requests(&pharmacy_code)
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    drop(store);
    let folders = api.get("/api/folders", &pharmacy).await.json();
    let folder_ids: Vec<String> = folders
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    for page in &pages {
        for cursor in [&page["next_cursor"], &page["prev_cursor"]] {
            let Some(c) = cursor.as_str() else { continue };
            for folder in &folder_ids {
                let want = oracle(&api, PHARMACY_STAFF, Some(folder), StatusFilter::All);
                let a = api
                    .get(
                        &path(Some(folder), StatusFilter::All, 200, Some(c)),
                        &pharmacy,
                    )
                    .await;
                assert_eq!(a.status, StatusCode::OK);
                let got = ids(&a.json());
                assert!(got.iter().all(|id| visible.contains(id)), "V4: {folder}");
                assert!(
                    got.iter().all(|id| want.contains(id)),
                    "only the folder's own requests: {folder}"
                );
                assert_eq!(a.json()["total"], want.len(), "total after visibility");
            }
        }
    }
    // A folder another organisation has is 404 exactly like one that does not exist, with or
    // without a cursor.
    let c = pages[1]["next_cursor"].as_str().unwrap();
    let theirs = api
        .get(
            &format!("/api/requests?folder=g-cam-reception&cursor={c}"),
            &pharmacy,
        )
        .await;
    let none = api
        .get(
            &format!("/api/requests?folder=g-no-such&cursor={c}"),
            &pharmacy,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.bytes, none.bytes);
}

#[tokio::test]
async fn a_page_of_200_travels_compressed_when_the_client_accepts_it() {
    let api = generated(2000);
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let get = |encoding: Option<&'static str>| {
        let mut b = axum::http::Request::builder()
            .uri("/api/requests?folder=all&status=all&limit=200")
            .header("authorization", format!("Bearer {token}"));
        if let Some(e) = encoding {
            b = b.header("accept-encoding", e);
        }
        b.body(axum::body::Body::empty()).unwrap()
    };
    let plain = api.raw(get(None)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.json()["items"].as_array().unwrap().len(), 200);
    for encoding in ["br", "gzip"] {
        let response = api
            .router
            .clone()
            .oneshot(get(Some(encoding)))
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-encoding"].to_str().unwrap(),
            encoding
        );
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            bytes.len() * 5 < plain.bytes.len(),
            "{encoding}: {} of {} bytes",
            bytes.len(),
            plain.bytes.len()
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_a_cursor_by_the_pattern_the_server_accepts() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let doc = api.get("/api/openapi.json", &token).await.json();
    let params = doc["paths"]["/api/requests"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let cursor = params.iter().find(|p| p["name"] == "cursor").unwrap();
    assert_eq!(
        cursor["schema"]["pattern"].as_str(),
        Some(domain::pages::CURSOR_PATTERN)
    );
    // A cursor the server wrote matches it.
    let page = api
        .get("/api/requests?folder=all&status=all&limit=1", &token)
        .await
        .json();
    let next = page["next_cursor"].as_str().unwrap();
    assert!(next.starts_with("1a.") && next.len() < 600, "{next}");
}
