//! Live-update events numbered per organisation (API.md "Live updates", issue 19 item 6): an
//! organisation's numbers grow by one for each event it was given, whatever other organisations
//! receive, so no organisation can count others' events from gaps; `x-last-event-id` is the
//! caller's organisation's number; a user's `covers` event takes a number of the user's
//! organisation (a colleague's stream skips it). Numbers are assigned by the server, so the
//! "no gaps" property is checked here, over HTTP, with a stream for every user.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use domain::{LiveEvent, Notice, OdsCode, UserId};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use tower::ServiceExt;

/// An open event stream and what it has not parsed yet.
struct Events {
    body: Body,
    buf: String,
}

impl Events {
    /// The next event as (id, kind, data); panics after 5 s without one.
    async fn next(&mut self) -> (u64, String, Value) {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let (mut id, mut kind, mut data) = (None, None, None);
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        id = v.parse::<u64>().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        kind = Some(v.to_owned());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(v).unwrap());
                    }
                }
                if let (Some(id), Some(kind), Some(data)) = (id, kind, data) {
                    return (id, kind, data);
                }
                continue;
            }
            let frame = tokio::time::timeout(Duration::from_secs(5), self.body.frame())
                .await
                .expect("an event within 5 s")
                .expect("the stream is open")
                .expect("a frame");
            if let Ok(bytes) = frame.into_data() {
                self.buf.push_str(std::str::from_utf8(&bytes).unwrap());
            }
        }
    }
}

/// A stream of `token`'s user (bearer token), from `last` if given.
async fn open(api: &Api, token: &str, last: Option<u64>) -> Events {
    let mut req = Request::get("/api/events").header("authorization", format!("Bearer {token}"));
    if let Some(n) = last {
        req = req.header("last-event-id", n.to_string());
    }
    let response = api
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    Events {
        body: response.into_body(),
        buf: String::new(),
    }
}

/// The `x-last-event-id` of an answer to `token`.
async fn stamp(api: &Api, token: &str) -> u64 {
    let response = api
        .router
        .clone()
        .oneshot(
            Request::get("/api/me")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    response.headers()["x-last-event-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

fn ods(code: &str) -> OdsCode {
    OdsCode::parse(code).unwrap()
}

async fn create_share(api: &Api, token: &str, target: &str, partner: &str) -> Value {
    let a = api
        .send(
            "POST",
            "/api/shares",
            token,
            json!({"target_id": target, "partner_ods_code": partner, "restricted": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    a.json()
}

#[tokio::test]
async fn a_stream_of_one_organisation_sees_1_to_n_without_gaps_while_another_is_busy() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let pcn = api.sign_in(PCN_ADMIN).await;
    let hub = api.sign_in(HUB_ADMIN).await;
    let mut cam_s = open(&api, &cam, None).await;
    // The PCN and the hub exchange shares Camelia never hears of, between Camelia's own.
    let mut ids = Vec::new();
    for (k, (target, partner)) in [
        ("g-cam-reception", "A81002"),
        ("g-cam-gps", "U12345"),
        ("u-priya-patel", "RX401"),
    ]
    .into_iter()
    .enumerate()
    {
        create_share(
            &api,
            &pcn,
            "g-pcn-pharmacy",
            ["Y01234", "RX401", "A81002"][k],
        )
        .await;
        let (hub_target, hub_partner) = [
            ("g-hub-appointments", "FA123"),
            ("g-hub-appointments", "RX401"),
            ("u-liam-foster", "FA123"),
        ][k];
        create_share(&api, &hub, hub_target, hub_partner).await;
        create_share(&api, &cam, target, partner).await;
        ids.push(cam_s.next().await.0);
    }
    assert_eq!(
        ids,
        vec![1, 2, 3],
        "Camelia's numbers: no gap for others' events"
    );
    assert_eq!(stamp(&api, &cam).await, 3);
    // The PCN was given its own three shares and Camelia's share with it: 1..4.
    assert_eq!(stamp(&api, &pcn).await, 4);
}

#[tokio::test]
async fn x_last_event_id_is_the_callers_organisations_number_and_moves_only_with_its_events() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let pcn = api.sign_in(PCN_ADMIN).await;
    let before = stamp(&api, &cam).await;
    create_share(&api, &pcn, "g-pcn-pharmacy", "Y01234").await;
    assert_eq!(
        stamp(&api, &cam).await,
        before,
        "another organisation's event"
    );
    assert_eq!(stamp(&api, &pcn).await, 1);
    // An answer to a caller who is not signed in carries no number.
    let a = api
        .router
        .clone()
        .oneshot(Request::get("/api/personas").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(a.headers().get("x-last-event-id").is_none());
}

#[tokio::test]
async fn a_covers_event_takes_a_number_of_the_users_organisation_that_a_colleagues_stream_skips() {
    let api = Api::demo();
    let james = api.sign_in(CAMELIA_STAFF).await;
    let sarah = api.sign_in(CAMELIA_ADMIN).await;
    let mut sarah_s = open(&api, &sarah, None).await;
    let mut james_s = open(&api, &james, None).await;
    let a = api
        .send(
            "PUT",
            "/api/covers",
            &james,
            json!({"folder_ids": ["g-cam-reception"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    create_share(&api, &sarah, "g-cam-gps", "A81002").await;
    assert_eq!(james_s.next().await.0, 1);
    let (id, kind, _) = sarah_s.next().await;
    assert_eq!(
        (id, kind.as_str()),
        (2, "share"),
        "Sarah's stream skips James's 1"
    );
    // A reconnect from 0 replays Sarah's share only; James's covers is his alone.
    let mut again = open(&api, &sarah, Some(0)).await;
    assert_eq!(again.next().await.0, 2);
}

#[tokio::test]
async fn every_organisation_gets_the_reset_under_its_own_next_number() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let riv = api.sign_in(RIVERSIDE_ADMIN).await;
    let mut riv_s = open(&api, &riv, None).await;
    create_share(&api, &cam, "g-cam-gps", "U12345").await;
    create_share(&api, &cam, "g-cam-reception", "A81002").await;
    assert_eq!(riv_s.next().await.0, 1);
    let a = api.call("POST", "/api/demo/reset", Some(&cam), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let (id, kind, _) = riv_s.next().await;
    assert_eq!((id, kind.as_str()), (2, "reset"));
    assert_eq!(stamp(&api, &cam).await, 3);
}

// ---------------------------------------------------------------------------------------------
// The property: an organisation's numbers have no gaps
// ---------------------------------------------------------------------------------------------

/// Every active persona of the demo with its organisation.
const USERS: &[(&str, &str)] = &[
    ("u-sarah-ahmed", "A81001"),
    ("u-james-wilson", "A81001"),
    ("u-priya-patel", "A81001"),
    ("u-helen-clarke", "A81002"),
    ("u-tom-bennett", "A81002"),
    ("u-mark-robinson", "U12345"),
    ("u-aisha-khan", "U12345"),
    ("u-grace-okafor", "RX401"),
    ("u-daniel-hughes", "RX401"),
    ("u-emma-taylor", "Y01234"),
    ("u-liam-foster", "Y01234"),
    ("u-ravi-shah", "FA123"),
    ("u-chloe-evans", "FA123"),
];
const TARGETS: &[&str] = &[
    "g-cam-reception",
    "g-cam-gps",
    "g-riv-extended",
    "g-riv-admin",
    "g-pcn-carehome",
    "g-pcn-pharmacy",
    "g-frailty",
    "g-hub-appointments",
    "g-pharm-medicines",
    "u-james-wilson",
    "u-aisha-khan",
];
const ORGS: &[&str] = &["A81001", "A81002", "U12345", "RX401", "Y01234", "FA123"];
const PATIENTS: &[&str] = &[
    "p-margaret-hill",
    "p-john-carter",
    "p-amira-hussain",
    "p-olivia-brown",
    "p-fatima-begum",
    "p-ethan-wright",
];

/// One call of a random persona.
#[derive(Debug, Clone)]
enum Command {
    Share(usize, usize, usize, bool),
    Toggle(usize, u8, bool),
    Restrict(usize, u8, bool),
    Covers(usize, Vec<usize>),
    Assign(usize, u8, usize),
    Agreement(usize, usize),
    Accept(usize, u8),
    Preference(usize, usize, bool),
}

fn command() -> impl Strategy<Value = Command> {
    let user = 0..USERS.len();
    prop_oneof![
        3 => (user.clone(), 0..TARGETS.len(), 0..ORGS.len(), any::<bool>())
            .prop_map(|(u, t, o, r)| Command::Share(u, t, o, r)),
        2 => (user.clone(), 1u8..12, any::<bool>()).prop_map(|(u, s, on)| Command::Toggle(u, s, on)),
        1 => (user.clone(), 1u8..12, any::<bool>()).prop_map(|(u, s, r)| Command::Restrict(u, s, r)),
        2 => (user.clone(), prop::collection::vec(0..TARGETS.len(), 0..3))
            .prop_map(|(u, f)| Command::Covers(u, f)),
        3 => (user.clone(), 1u8..10, 0..TARGETS.len()).prop_map(|(u, r, t)| Command::Assign(u, r, t)),
        1 => (user.clone(), 0..ORGS.len()).prop_map(|(u, o)| Command::Agreement(u, o)),
        1 => (user.clone(), 1u8..6).prop_map(|(u, a)| Command::Accept(u, a)),
        1 => (user, 0..PATIENTS.len(), any::<bool>())
            .prop_map(|(u, p, s)| Command::Preference(u, p, s)),
    ]
}

/// Sends one command; refusals are part of the game.
async fn run(api: &Api, tokens: &[String], c: &Command) {
    let (method, path, body) = match c {
        Command::Share(_, t, o, r) => (
            "POST",
            "/api/shares".to_owned(),
            json!({"target_id": TARGETS[*t], "partner_ods_code": ORGS[*o], "restricted": r}),
        ),
        Command::Toggle(_, s, on) => (
            "POST",
            format!(
                "/api/external/sh-{s}/{}",
                if *on { "enable" } else { "disable" }
            ),
            Value::Null,
        ),
        Command::Restrict(_, s, r) => (
            "PATCH",
            format!("/api/shares/sh-{s}"),
            json!({"restricted": r}),
        ),
        Command::Covers(_, f) => (
            "PUT",
            "/api/covers".to_owned(),
            json!({"folder_ids": f.iter().map(|&t| TARGETS[t]).collect::<Vec<_>>()}),
        ),
        Command::Assign(u, r, t) => {
            let id = format!("r-100{r}");
            let a = api.get(&format!("/api/requests/{id}"), &tokens[*u]).await;
            let version = a.json()["version"].as_u64().unwrap_or(1);
            (
                "POST",
                format!("/api/requests/{id}/assign"),
                json!({"target_id": TARGETS[*t], "version": version,
                       "override_reason": "A reason long enough to be one"}),
            )
        }
        Command::Agreement(_, o) => (
            "POST",
            "/api/agreements".to_owned(),
            json!({"partner_ods_code": ORGS[*o], "reference": "DSA"}),
        ),
        Command::Accept(_, a) => (
            "POST",
            format!("/api/agreements/ag-{a}/accept"),
            Value::Null,
        ),
        Command::Preference(_, p, s) => (
            "POST",
            format!("/api/demo/patients/{}/sharing", PATIENTS[*p]),
            json!({"sharing": if *s { "share" } else { "do_not_share" }}),
        ),
    };
    let u = match c {
        Command::Share(u, ..)
        | Command::Toggle(u, ..)
        | Command::Restrict(u, ..)
        | Command::Covers(u, ..)
        | Command::Assign(u, ..)
        | Command::Agreement(u, ..)
        | Command::Accept(u, ..)
        | Command::Preference(u, ..) => *u,
    };
    let body = (!body.is_null()).then(|| body.to_string());
    let a = api
        .call(method, &path, Some(&tokens[u]), body.as_deref())
        .await;
    assert!(a.status.as_u16() < 500, "{method} {path}: {}", a.status);
}

#[test]
fn e3_an_organisations_numbers_have_no_gaps_whatever_the_others_receive() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let api = Api::demo();
    let tokens: Vec<String> = USERS
        .iter()
        .map(|(u, _)| rt.block_on(api.sign_in(u)))
        .collect();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(command(), 1..25), |commands| {
            rt.block_on(async {
                let before: BTreeMap<&str, u64> = ORGS
                    .iter()
                    .map(|o| (*o, api.state.live.last_id(&ods(o))))
                    .collect();
                let mut streams = Vec::new();
                for t in &tokens {
                    streams.push(open(&api, t, None).await);
                }
                for c in &commands {
                    run(&api, &tokens, c).await;
                }
                // A last event for each user (theirs alone): read up to it, and the stream has
                // everything it was given.
                let mut seen: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
                for (k, (user, org)) in USERS.iter().enumerate() {
                    api.state.live.publish(vec![Notice {
                        event: LiveEvent::Covers,
                        organisations: vec![ods(org)],
                        user: Some(UserId::new(*user)),
                    }]);
                    let marker = api.state.live.last_id(&ods(org));
                    let got = seen.entry(org).or_default();
                    let mut last = before[org];
                    loop {
                        let (id, _, _) = streams[k].next().await;
                        prop_assert!(
                            id > last,
                            "{}'s stream of {}: {} after {}",
                            org,
                            user,
                            id,
                            last
                        );
                        last = id;
                        got.insert(id);
                        if id == marker {
                            break;
                        }
                    }
                }
                for org in ORGS {
                    let last = api.state.live.last_id(&ods(org));
                    let expected: BTreeSet<u64> = (before[org] + 1..=last).collect();
                    prop_assert_eq!(
                        seen.get(org).cloned().unwrap_or_default(),
                        expected,
                        "{}: every number from {} to {}, after {:?}",
                        org,
                        before[org] + 1,
                        last,
                        commands
                    );
                }
                Ok(())
            })
        })
        .unwrap();
}
