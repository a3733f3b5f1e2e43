//! The web client reads this server's answers with `domain::json` (not serde, issue 7: code
//! size) and writes its request bodies with it, while the server answers and reads with serde.
//! These tests put real answers of the demo network through both readers, and the client's own
//! bodies through the server.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::Arc;

use api_mock::config::{Config, Latency};
use api_mock::AppState;
use axum::http::StatusCode;
use common::{
    Answer, Api, CAMELIA_ADMIN, CAMELIA_STAFF, FRAILTY_ADMIN, HUB_ADMIN, PCN_STAFF, PHARMACY_STAFF,
    RIVERSIDE_ADMIN, RIVERSIDE_STAFF,
};
use domain::json::{self, FromJson, ToJson};
use domain::wire::{
    self, Agreement, AgreementCreate, AssignCommand, Assignable, AuditEntry, Consent, CoversUpdate,
    ErrorBody, ExternalShare, Folder, FolderKind, Health, Me, OrganisationResults, Override,
    Persona, RequestDetail, RequestSummary, Session, SessionCreate, Share, ShareCreate,
    ShareUpdate, Target, VersionCommand,
};
use serde::de::DeserializeOwned;
use serde_json::json;

/// The client's reader gives a value for the answer's bytes, and the same value as serde_json.
fn read<T: FromJson + DeserializeOwned + PartialEq + Debug>(what: &str, a: &Answer) -> T {
    let text = std::str::from_utf8(&a.bytes).expect("UTF-8");
    let theirs: T = serde_json::from_slice(&a.bytes)
        .unwrap_or_else(|e| panic!("{what}: serde_json cannot read it ({e}): {text}"));
    let ours = json::from_str::<T>(text);
    assert!(ours.is_some(), "{what}: the client cannot read {text}");
    assert_eq!(ours.as_ref(), Some(&theirs), "{what}: {text}");
    theirs
}

/// A 2xx answer read by both.
fn read_ok<T: FromJson + DeserializeOwned + PartialEq + Debug>(what: &str, a: &Answer) -> T {
    assert!(
        a.status.is_success(),
        "{what}: {} {}",
        a.status,
        String::from_utf8_lossy(&a.bytes)
    );
    read(what, a)
}

/// Signs in with the body the client writes and reads the answer as the client does.
async fn sign_in(api: &Api, user_id: &str) -> Session {
    let body = SessionCreate {
        user_id: user_id.into(),
    }
    .to_json();
    let a = api.call("POST", "/api/session", None, Some(&body)).await;
    let session: Session = read_ok("POST /api/session", &a);
    assert_eq!(session.user.id, user_id);
    session
}

/// Admins and staff of five organisations: each sees different shares, agreements, folders and
/// requests, so between them they cover every kind of answer of the demo network.
const PERSONAS: [&str; 8] = [
    CAMELIA_ADMIN,
    CAMELIA_STAFF,
    RIVERSIDE_ADMIN,
    RIVERSIDE_STAFF,
    PCN_STAFF,
    FRAILTY_ADMIN,
    HUB_ADMIN,
    PHARMACY_STAFF,
];

/// Every GET the client makes (app/src/api.rs), for every persona, for every request of their
/// lists: if the client's reader refused or misread one, that page would show "malformed" or
/// wrong data where the server sent a good answer.
#[tokio::test]
async fn the_clients_json_reader_understands_every_get_answer_of_the_demo_server_as_serde_does() {
    let api = Api::demo();
    let health: Health = read_ok(
        "GET /api/health",
        &api.call("GET", "/api/health", None, None).await,
    );
    assert_eq!(health.status, "ok");
    let personas: Vec<Persona> = read_ok(
        "GET /api/personas",
        &api.call("GET", "/api/personas", None, None).await,
    );
    assert!(personas.len() >= PERSONAS.len());
    let (mut details, mut overrides, mut assignables, mut agreements) = (0, 0, 0, 0);
    for user_id in PERSONAS {
        let token = sign_in(&api, user_id).await.token;
        let get = |path: &'static str| {
            let (api, token) = (&api, token.clone());
            async move { api.get(path, &token).await }
        };
        let me: Me = read_ok("GET /api/me", &get("/api/me").await);
        assert_eq!(me.user.id, user_id);
        for path in [
            "/api/organisations?q=surgery",
            "/api/organisations?q=a81001",
            "/api/organisations?q=zz",
            "/api/organisations?q=medical&limit=1",
        ] {
            let _: OrganisationResults = read_ok(path, &get(path).await);
        }
        let _: Vec<Target> = read_ok("GET /api/targets", &get("/api/targets").await);
        let _: Vec<ExternalShare> = read_ok("GET /api/external", &get("/api/external").await);
        let list: Vec<Agreement> = read_ok("GET /api/agreements", &get("/api/agreements").await);
        agreements += list.len();
        for path in [
            "/api/requests",
            "/api/requests?status=closed",
            "/api/requests?status=all",
        ] {
            let _: Vec<RequestSummary> = read_ok(path, &get(path).await);
        }
        // The Messages page lists only covered folders: walk every folder to see every request.
        let folders: Vec<Folder> = read_ok("GET /api/folders", &get("/api/folders").await);
        let mut ids = BTreeSet::new();
        for folder in &folders {
            let path = format!("/api/requests?folder={}&status=all", folder.id);
            let list: Vec<RequestSummary> = read_ok(&path, &api.get(&path, &token).await);
            ids.extend(list.into_iter().map(|r| r.id));
        }
        for id in &ids {
            let path = format!("/api/requests/{id}");
            let detail: RequestDetail = read_ok(&path, &api.get(&path, &token).await);
            assert_eq!(&detail.id, id);
            details += 1;
            overrides += detail
                .history
                .iter()
                .filter(|e| e.override_.is_some())
                .count();
            let path = format!("/api/requests/{id}/assignable");
            let list: Vec<Assignable> = read_ok(&path, &api.get(&path, &token).await);
            assignables += list.len();
        }
        let _: Vec<AuditEntry> = read_ok("GET /api/audit", &get("/api/audit").await);
    }
    // Not a vacuous pass: the demo network has all of these.
    assert!(details >= 14, "only {details} request details read");
    assert!(overrides > 0, "no history event with an override read");
    assert!(assignables > 0 && agreements > 0);
}

/// `GET /api/health` with the UX-testing knobs on has the optional members (the client shows a
/// banner from them), and a call refused by the simulated failures has the error body.
#[tokio::test]
async fn the_clients_json_reader_understands_health_with_knobs_and_the_unavailable_error() {
    let config = Config {
        data: None,
        latency: Latency::parse("100-300").unwrap(),
        fail_rate: 1.0,
        chaos_seed: 7,
        ..Config::default()
    };
    let api = Api::with_state(Arc::new(AppState::start(&config).unwrap()));
    let health: Health = read_ok(
        "GET /api/health",
        &api.call("GET", "/api/health", None, None).await,
    );
    assert_eq!(health.latency_ms.as_deref(), Some("100-300"));
    assert_eq!(health.fail_rate, Some(1.0));
    let body = SessionCreate {
        user_id: CAMELIA_ADMIN.into(),
    };
    let unavailable = api
        .call("POST", "/api/session", None, Some(&body.to_json()))
        .await;
    assert_eq!(unavailable.status, StatusCode::SERVICE_UNAVAILABLE);
    let body: ErrorBody = read("503", &unavailable);
    assert_eq!(body.error.code, "unavailable");
    let config = Config {
        fail_rate: 0.3,
        latency: Latency::parse("0").unwrap(),
        ..config
    };
    let api = Api::with_state(Arc::new(AppState::start(&config).unwrap()));
    let health: Health = read_ok(
        "GET /api/health",
        &api.call("GET", "/api/health", None, None).await,
    );
    assert_eq!((health.latency_ms, health.fail_rate), (None, Some(0.3)));
}

/// Every kind of refusal the client shows a message for: the client reads the error body (code,
/// message and the optional field) as serde does.
#[tokio::test]
async fn the_clients_json_reader_understands_every_kind_of_error_body_as_serde_does() {
    let api = Api::demo();
    let staff = sign_in(&api, CAMELIA_STAFF).await.token;
    let r1001 = api.get("/api/requests/r-1001", &staff).await;
    let version = read_ok::<RequestDetail>("r-1001", &r1001).version;
    let cases = [
        (
            api.call("GET", "/api/me", None, None).await,
            StatusCode::UNAUTHORIZED,
        ),
        (
            api.call("GET", "/api/me", Some("not-a-token"), None).await,
            StatusCode::UNAUTHORIZED,
        ),
        (
            api.call("POST", "/api/session", None, Some(r#"{"user_id":"u-nobody"}"#))
                .await,
            StatusCode::NOT_FOUND,
        ),
        (
            api.call("POST", "/api/session", None, Some(r#"{"user_id":1}"#))
                .await,
            StatusCode::BAD_REQUEST,
        ),
        (
            api.get("/api/requests/r-0000", &staff).await,
            StatusCode::NOT_FOUND,
        ),
        (
            api.get("/api/requests?status=maybe", &staff).await,
            StatusCode::BAD_REQUEST,
        ),
        (
            api.get("/api/organisations?q=medical&limit=ten", &staff).await,
            StatusCode::BAD_REQUEST,
        ),
        (
            api.send(
                "POST",
                "/api/shares",
                &staff,
                json!({"target_id": "g-cam-reception", "partner_ods_code": "A81002", "restricted": false}),
            )
            .await,
            StatusCode::FORBIDDEN,
        ),
        (
            api.call(
                "POST",
                "/api/requests/r-1001/close",
                Some(&staff),
                Some(&VersionCommand {
                    version: version + 1,
                }
                .to_json()),
            )
            .await,
            StatusCode::CONFLICT,
        ),
    ];
    let mut with_field = 0;
    for (i, (answer, status)) in cases.iter().enumerate() {
        assert_eq!(answer.status, *status, "case {i}");
        let body: ErrorBody = read(&format!("case {i}: {status}"), answer);
        assert!(!body.error.code.is_empty() && !body.error.message.is_empty());
        with_field += usize::from(body.error.field.is_some());
    }
    assert!(with_field > 0, "no error body with a field read");
}

/// A new request for a patient who does not share (the demo tools' call, not the client's).
async fn demo_request(api: &Api, token: &str) -> String {
    let created = api
        .send(
            "POST",
            "/api/demo/requests",
            token,
            json!({"ods_code": "A81001", "patient_id": "p-david-lee", "subject": "Inhaler",
                   "message": "Need a new inhaler", "kind": "medical"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    read_ok::<RequestDetail>("POST /api/demo/requests", &created).id
}

/// Every body the client writes with `ToJson` (request bodies of API.md, some with text that
/// needs escapes) is taken by the server's serde reader, which refuses unknown members; and
/// the client reads every answer to them as serde does.
#[tokio::test]
async fn the_server_takes_every_body_the_client_writes_and_the_client_reads_every_answer() {
    let api = Api::demo();
    let admin = sign_in(&api, CAMELIA_ADMIN).await.token;
    let riverside = sign_in(&api, RIVERSIDE_ADMIN).await.token;
    let hub = sign_in(&api, HUB_ADMIN).await.token;
    let staff = sign_in(&api, CAMELIA_STAFF).await.token;
    let send = |method: &'static str, path: String, token: &str, body: Option<String>| {
        let (api, token) = (&api, token.to_owned());
        async move { api.call(method, &path, Some(&token), body.as_deref()).await }
    };

    // Sharing (S1, S4, S5).
    let body = ShareCreate {
        target_id: "g-cam-reception".into(),
        partner_ods_code: "A81002".into(),
        restricted: true,
    };
    let a = send("POST", "/api/shares".into(), &admin, Some(body.to_json())).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let share: Share = read_ok("POST /api/shares", &a);
    let body = ShareUpdate { restricted: false };
    let a = send(
        "PATCH",
        format!("/api/shares/{}", share.id),
        &admin,
        Some(body.to_json()),
    )
    .await;
    let share: Share = read_ok("PATCH /api/shares", &a);
    assert!(!share.restricted);
    for verb in ["enable", "disable"] {
        let path = format!("/api/external/{}/{verb}", share.id);
        let external: ExternalShare =
            read_ok(&path, &send("POST", path.clone(), &riverside, None).await);
        assert_eq!(external.share_id, share.id);
    }

    // A do_not_share request assigned outside with an override reason (A3), then closed and
    // reopened by its new holder (A5).
    let id = demo_request(&api, &staff).await;
    let reason = "Patient agreed on the phone: \"yes\" — Zoë 😀 <b>\\</b>";
    let body = AssignCommand {
        target_id: "g-hub-appointments".into(),
        version: 1,
        override_reason: Some(reason.into()),
    };
    let a = send(
        "POST",
        format!("/api/requests/{id}/assign"),
        &staff,
        Some(body.to_json()),
    )
    .await;
    let detail: RequestDetail = read_ok("POST assign (reason)", &a);
    assert_eq!(
        detail.history.last().unwrap().override_,
        Some(Override::Reason {
            reason: reason.into()
        })
    );
    let mut version = detail.version;
    for verb in ["close", "reopen"] {
        let body = VersionCommand { version };
        let path = format!("/api/requests/{id}/{verb}");
        let detail: RequestDetail = read_ok(
            &path,
            &send("POST", path.clone(), &hub, Some(body.to_json())).await,
        );
        version = detail.version;
    }

    // An agreement (D1, D2) with a reference that needs escapes; once both accepted, the next
    // such assignment rests on it (A3) and the body has no `override_reason`.
    let reference = "DSA \"Hub\" — Zoë's 😀 \\ referrals\n2026";
    let body = AgreementCreate {
        partner_ods_code: "Y01234".into(),
        reference: reference.into(),
    };
    let a = send(
        "POST",
        "/api/agreements".into(),
        &admin,
        Some(body.to_json()),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let agreement: Agreement = read_ok("POST /api/agreements", &a);
    assert_eq!(agreement.reference, reference);
    let path = format!("/api/agreements/{}/accept", agreement.id);
    let accepted: Agreement = read_ok(&path, &send("POST", path.clone(), &hub, None).await);
    assert_eq!(accepted.our_answer, Some(wire::Answer::Accepted));
    let id = demo_request(&api, &staff).await;
    let path = format!("/api/requests/{id}/assignable");
    let targets: Vec<Assignable> = read_ok(&path, &api.get(&path, &staff).await);
    let hub_group = targets
        .iter()
        .find(|t| t.target.id == "g-hub-appointments")
        .unwrap();
    assert_eq!(hub_group.consent, Consent::Agreement);
    let body = AssignCommand {
        target_id: "g-hub-appointments".into(),
        version: 1,
        override_reason: None,
    };
    let a = send(
        "POST",
        format!("/api/requests/{id}/assign"),
        &staff,
        Some(body.to_json()),
    )
    .await;
    let detail: RequestDetail = read_ok("POST assign (agreement)", &a);
    assert_eq!(
        detail.history.last().unwrap().override_,
        Some(Override::Agreement {
            agreement_id: agreement.id,
            reference: reference.into()
        })
    );

    // Covers (C1, C2): none, then every folder the user may cover.
    let folders: Vec<Folder> = read_ok("GET /api/folders", &api.get("/api/folders", &staff).await);
    let coverable = folders
        .iter()
        .filter(|f| !matches!(f.kind, FolderKind::All | FolderKind::Mine))
        .map(|f| f.id.clone());
    for folder_ids in [vec![], coverable.collect()] {
        let body = CoversUpdate { folder_ids };
        let a = send("PUT", "/api/covers".into(), &staff, Some(body.to_json())).await;
        let _: Vec<Folder> = read_ok("PUT /api/covers", &a);
    }

    // An assignment needing no consent, without `override_reason` in the body.
    let list: Vec<RequestSummary> = read_ok("list", &api.get("/api/requests", &staff).await);
    let mut assigned = false;
    for summary in list {
        let path = format!("/api/requests/{}/assignable", summary.id);
        let targets: Vec<Assignable> = read_ok(&path, &api.get(&path, &staff).await);
        if let Some(target) = targets.iter().find(|t| t.consent == Consent::None) {
            let body = AssignCommand {
                target_id: target.target.id.clone(),
                version: summary.version,
                override_reason: None,
            };
            let path = format!("/api/requests/{}/assign", summary.id);
            let _: RequestDetail = read_ok(
                &path,
                &send("POST", path.clone(), &staff, Some(body.to_json())).await,
            );
            assigned = true;
            break;
        }
    }
    assert!(assigned, "no open request with a target needing no consent");
    let _: Vec<AuditEntry> = read_ok("GET /api/audit", &api.get("/api/audit", &admin).await);
}
