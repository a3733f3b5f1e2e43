//! Live updates over HTTP (API.md "Live updates", SPEC E1–E4, E2 with V1–V4 and R1): tickets,
//! who receives what, replay, reset, numbering. Streams are read from the router's answer body
//! (the same bytes a socket would carry); "receives nothing" is shown by a later marker event
//! that the stream does receive first, so no test waits on a clock.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// An open event stream.
struct Events {
    body: Body,
    buf: String,
}

/// One event as received.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    id: u64,
    kind: String,
    data: Value,
}

impl Events {
    /// The next event (comments skipped); panics after 5 s without one.
    async fn next(&mut self) -> Got {
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
                    return Got { id, kind, data };
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

    /// Whether the stream ended (the session ended), within 5 s.
    async fn ended(&mut self) -> bool {
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.body.frame()).await {
                Ok(None) => return true,
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) => return true,
                Err(_) => return false,
            }
        }
    }
}

async fn ticket(api: &Api, token: &str) -> String {
    let a = api
        .call("POST", "/api/events/ticket", Some(token), None)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    assert_eq!(a.json()["expires_in_s"], 30);
    a.json()["ticket"].as_str().unwrap().to_owned()
}

/// Opens a stream of `token`'s user through a ticket; `last` as the `Last-Event-ID` header.
async fn open(api: &Api, token: &str, last: Option<u64>) -> Events {
    let t = ticket(api, token).await;
    let mut req = Request::get(format!("/api/events?ticket={t}"));
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
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    Events {
        body: response.into_body(),
        buf: String::new(),
    }
}

async fn share(api: &Api, token: &str, target: &str, partner: &str, restricted: bool) -> Value {
    let a = api
        .send(
            "POST",
            "/api/shares",
            token,
            json!({"target_id": target, "partner_ods_code": partner, "restricted": restricted}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    a.json()
}

async fn assign(api: &Api, token: &str, id: &str, target: &str, reason: Option<&str>) -> Value {
    let version = api.version(id, token).await;
    let mut body = json!({"target_id": target, "version": version});
    if let Some(r) = reason {
        body["override_reason"] = json!(r);
    }
    let a = api
        .send("POST", &format!("/api/requests/{id}/assign"), token, body)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    a.json()
}

async fn demo_request(api: &Api, token: &str, ods: &str, patient: &str) -> String {
    let a = api
        .send(
            "POST",
            "/api/demo/requests",
            token,
            json!({"ods_code": ods, "patient_id": patient, "subject": "Live test",
                   "message": "Hello", "kind": "admin"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    a.json()["id"].as_str().unwrap().to_owned()
}

/// A change Camelia (A81001) and Riverside (A81002) are both told of: Camelia's admin
/// proposes an agreement with Riverside. The marker that shows nothing came before it.
async fn marker(api: &Api, camelia_admin: &str) -> String {
    let a = api
        .send(
            "POST",
            "/api/agreements",
            camelia_admin,
            json!({"partner_ods_code": "A81002", "reference": "Marker"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    a.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn tickets_are_single_use_bound_to_a_session_and_refused_with_401_otherwise() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    // No token: no ticket.
    let a = api.call("POST", "/api/events/ticket", None, None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.code(), "unauthenticated");
    // Unknown ticket, no ticket and no token: 401 with the usual body.
    for path in ["/api/events?ticket=nope", "/api/events"] {
        let a = api.call("GET", path, None, None).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(a.code(), "unauthenticated");
    }
    let t = ticket(&api, &token).await;
    assert_eq!(t.len(), 64);
    // A malformed Last-Event-ID is 400 and does not use the ticket up.
    let a = api
        .call(
            "GET",
            &format!("/api/events?ticket={t}&last_event_id=x"),
            None,
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.field().as_deref(), Some("last_event_id"));
    let _stream = {
        let response = api
            .router
            .clone()
            .oneshot(
                Request::get(format!("/api/events?ticket={t}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response
    };
    // Used once: a second use is 401.
    let a = api
        .call("GET", &format!("/api/events?ticket={t}"), None, None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_ticket_is_401() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    api.state.live.set_ticket_ttl(Duration::from_millis(50));
    let t = api
        .call("POST", "/api/events/ticket", Some(&token), None)
        .await
        .json()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_millis(120)).await;
    let a = api
        .call("GET", &format!("/api/events?ticket={t}"), None, None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bearer_token_opens_a_stream_too_and_an_unknown_one_is_401() {
    let api = Api::demo();
    let token = api.sign_in(CAMELIA_ADMIN).await;
    let a = api
        .router
        .clone()
        .oneshot(
            Request::get("/api/events")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::OK);
    let a = api.call("GET", "/api/events", Some("0000"), None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn e1_r1_a_share_created_then_enabled_is_told_to_owner_and_partner_and_to_no_one_else() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let riv = api.sign_in(RIVERSIDE_ADMIN).await;
    let pcn = api.sign_in(PCN_ADMIN).await;
    let (mut cam_s, mut riv_s, mut pcn_s) = (
        open(&api, &cam, None).await,
        open(&api, &riv, None).await,
        open(&api, &pcn, None).await,
    );
    let s = share(&api, &cam, "g-cam-reception", "A81002", false).await;
    let sid = s["id"].as_str().unwrap();
    let expected =
        json!({"id": sid, "target_id": "g-cam-reception", "state": "pending", "restricted": false});
    for stream in [&mut cam_s, &mut riv_s] {
        let got = stream.next().await;
        assert_eq!((got.kind.as_str(), &got.data), ("share", &expected));
    }
    let a = api
        .call(
            "POST",
            &format!("/api/external/{sid}/enable"),
            Some(&riv),
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    for stream in [&mut cam_s, &mut riv_s] {
        let got = stream.next().await;
        assert_eq!(got.kind, "share");
        assert_eq!(got.data["state"], "enabled");
    }
    // The PCN is party to neither: its first event is one it is party to.
    let pcn_admin_share = share(&api, &pcn, "g-pcn-pharmacy", "A81002", true).await;
    let got = pcn_s.next().await;
    assert_eq!(got.data["id"], pcn_admin_share["id"]);
}

#[tokio::test]
async fn e2_v2_a_request_assigned_to_a_partners_group_is_told_to_those_who_see_it_and_not_to_a_third(
) {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let cam_admin = api.sign_in(CAMELIA_ADMIN).await;
    let pcn = api.sign_in(PCN_STAFF).await;
    let riv = api.sign_in(RIVERSIDE_STAFF).await;
    let pharm = api.sign_in(PHARMACY_STAFF).await;
    let mut streams = Vec::new();
    for t in [&cam, &pcn, &riv, &pharm] {
        streams.push(open(&api, t, None).await);
    }
    // r-1001 (a sharing patient) goes to the PCN's care home team, which the PCN shares
    // unrestricted with Camelia and Riverside (V2).
    let after = assign(&api, &cam, "r-1001", "g-pcn-carehome", None).await;
    let version = after["version"].as_u64().unwrap();
    for s in &mut streams[..3] {
        let got = s.next().await;
        assert_eq!(got.kind, "request");
        assert_eq!(
            got.data,
            json!({"id": "r-1001", "version": version, "visible": true})
        );
    }
    // The pharmacy sees it neither before nor after: nothing, until a change of its own.
    let pharm_admin = api.sign_in(PHARMACY_ADMIN).await;
    share(&api, &pharm_admin, "g-pharm-medicines", "A81002", false).await;
    let got = streams[3].next().await;
    assert_eq!(got.kind, "share");
    let _ = cam_admin;
}

#[tokio::test]
async fn e2_v3_a_restricted_share_and_a_do_not_share_patient_tell_the_other_organisation_nothing() {
    let api = Api::demo();
    let riv = api.sign_in(RIVERSIDE_STAFF).await;
    let cam_admin = api.sign_in(CAMELIA_ADMIN).await;
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let mut cam_s = open(&api, &cam, None).await;
    let mut riv_s = open(&api, &riv, None).await;
    // A request arrives at Riverside and goes to its Admin group, shared with Camelia
    // restricted (V3): Camelia is told nothing.
    // (Patients of Riverside's: the demo calls act only on those, issue 19.)
    let r1 = demo_request(&api, &riv, "A81002", "p-ethan-wright").await;
    assert_eq!(riv_s.next().await.data["id"], r1.as_str());
    assign(&api, &riv, &r1, "g-riv-admin", None).await;
    assert_eq!(riv_s.next().await.data["id"], r1.as_str());
    // A do_not_share patient's request goes to Riverside's Extended group, shared with
    // Camelia unrestricted and enabled: still nothing for Camelia (V3).
    let r2 = demo_request(&api, &riv, "A81002", "p-fatima-begum").await;
    assert_eq!(riv_s.next().await.data["id"], r2.as_str());
    assign(&api, &riv, &r2, "g-riv-extended", None).await;
    assert_eq!(riv_s.next().await.data["id"], r2.as_str());
    // Camelia's first event is the marker.
    let m = marker(&api, &cam_admin).await;
    let got = cam_s.next().await;
    assert_eq!(
        (got.kind.as_str(), &got.data["id"]),
        ("agreement", &json!(m))
    );
    // And Riverside gets it too, right after its own.
    assert_eq!(riv_s.next().await.data["id"], m.as_str());
}

#[tokio::test]
async fn e2_v4_a_patient_who_stops_sharing_is_told_as_gone_to_the_partner_only() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let riv = api.sign_in(RIVERSIDE_STAFF).await;
    // r-1013 (Amira, sharing) sits in Riverside's Extended group, shared with Camelia (V2).
    assert_eq!(
        api.get("/api/requests/r-1013", &cam).await.json()["visible_because"],
        "unrestricted_share"
    );
    let mut cam_s = open(&api, &cam, None).await;
    let mut riv_s = open(&api, &riv, None).await;
    let a = api
        .send(
            "POST",
            "/api/demo/patients/p-amira-hussain/sharing",
            &cam,
            json!({"sharing": "do_not_share"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let mut gone = Vec::new();
    loop {
        let got = cam_s.next().await;
        assert_eq!(got.kind, "request");
        assert_eq!(got.data["visible"], false, "{:?}", got);
        gone.push(got.data["id"].as_str().unwrap().to_owned());
        if got.data["id"] == "r-1013" {
            break;
        }
    }
    // Riverside is involved in r-1013 (V1): its sight did not change, so it is not told.
    let cam_admin = api.sign_in(CAMELIA_ADMIN).await;
    let m = marker(&api, &cam_admin).await;
    let got = riv_s.next().await;
    assert_eq!(
        got.data["id"],
        m.as_str(),
        "Riverside's first event is the marker"
    );
}

#[tokio::test]
async fn e3_a_reconnect_with_last_event_id_replays_what_the_organisation_missed_in_order() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let riv = api.sign_in(RIVERSIDE_ADMIN).await;
    let mut first = open(&api, &cam, None).await;
    // Restricted: enabling it brings no request into Riverside's sight (V3), so the only
    // events are the ones counted below.
    let s = share(&api, &cam, "g-cam-reception", "A81002", true).await;
    let seen = first.next().await;
    drop(first);
    // Missed while away: an enable (told to Camelia), a PCN share with Riverside (not).
    let sid = s["id"].as_str().unwrap();
    api.call(
        "POST",
        &format!("/api/external/{sid}/enable"),
        Some(&riv),
        None,
    )
    .await;
    let pcn = api.sign_in(PCN_ADMIN).await;
    share(&api, &pcn, "g-pcn-pharmacy", "A81002", false).await;
    let m = marker(&api, &cam).await;
    let mut again = open(&api, &cam, Some(seen.id)).await;
    let got = again.next().await;
    assert_eq!(
        (got.kind.as_str(), &got.data["state"]),
        ("share", &json!("enabled"))
    );
    assert_eq!(got.id, seen.id + 1);
    let got = again.next().await;
    assert_eq!(got.data["id"], m.as_str());
    assert_eq!(
        got.id,
        seen.id + 2,
        "the PCN's share with Riverside took no number of Camelia's (numbering per organisation)"
    );
    // The query parameter works as the header does.
    let t = ticket(&api, &cam).await;
    let response = api
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/events?ticket={t}&last_event_id={}", seen.id))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let mut by_query = Events {
        body: response.into_body(),
        buf: String::new(),
    };
    assert_eq!(by_query.next().await.id, seen.id + 1);
}

#[tokio::test]
async fn e3_a_reconnect_from_an_event_the_server_no_longer_keeps_gets_reset() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    // Fill Camelia's ring past its size with events for someone else of Camelia's (covers:
    // they take Camelia's numbers, and reach only their user).
    let camelia = domain::OdsCode::parse("A81001").unwrap();
    let other = domain::Notice {
        event: domain::LiveEvent::Covers,
        organisations: vec![camelia.clone()],
        user: Some(domain::UserId::new("u-nobody")),
    };
    api.state
        .live
        .publish(vec![other; api_mock::live::RING + 10]);
    let last = api.state.live.last_id(&camelia);
    let mut s = open(&api, &cam, Some(3)).await;
    let got = s.next().await;
    assert_eq!(
        (got.kind.as_str(), got.id, &got.data),
        ("reset", last, &json!({}))
    );
    // A number this server never gave (an earlier run): reset as well.
    let mut s = open(&api, &cam, Some(last + 100)).await;
    assert_eq!(s.next().await.kind, "reset");
    // Still within the ring: no reset, and nothing for Camelia.
    let mut s = open(&api, &cam, Some(last - 5)).await;
    let m = marker(&api, &cam).await;
    assert_eq!(s.next().await.data["id"], m.as_str());
}

#[tokio::test]
async fn e3_every_stream_gets_reset_after_a_demo_reset() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let pharm = api.sign_in(PHARMACY_STAFF).await;
    let mut a = open(&api, &cam, None).await;
    let mut b = open(&api, &pharm, None).await;
    let r = api.call("POST", "/api/demo/reset", Some(&cam), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let (x, y) = (a.next().await, b.next().await);
    assert_eq!((x.kind.as_str(), &x.data), ("reset", &json!({})));
    assert_eq!((y.kind.as_str(), &y.data), ("reset", &json!({})));
}

#[tokio::test]
async fn e3_event_ids_grow_by_one_for_each_event_of_the_organisation() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let pcn = api.sign_in(PCN_ADMIN).await;
    let camelia = domain::OdsCode::parse("A81001").unwrap();
    let north_tees = domain::OdsCode::parse("U12345").unwrap();
    let (c0, p0) = (
        api.state.live.last_id(&camelia),
        api.state.live.last_id(&north_tees),
    );
    let mut cam_s = open(&api, &cam, None).await;
    let mut pcn_s = open(&api, &pcn, None).await;
    share(&api, &cam, "g-cam-reception", "A81002", false).await;
    share(&api, &pcn, "g-pcn-pharmacy", "A81002", false).await;
    share(&api, &cam, "g-cam-gps", "U12345", true).await;
    let c1 = cam_s.next().await;
    let p1 = pcn_s.next().await;
    let c2 = cam_s.next().await;
    let p2 = pcn_s.next().await;
    // Each organisation counts only what it was given (API.md: numbering per organisation).
    assert_eq!((c1.id, c2.id), (c0 + 1, c0 + 2));
    assert_eq!((p1.id, p2.id), (p0 + 1, p0 + 2));
    assert_eq!(p2.data, c2.data, "both parties get the same event");
}

#[tokio::test]
async fn e2_events_carry_ids_kinds_and_versions_never_patient_data() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let mut s = open(&api, &cam, None).await;
    let id = demo_request(&api, &cam, "A81001", "p-amira-hussain").await;
    let got = s.next().await;
    let keys: Vec<&String> = got.data.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "version", "visible"]);
    assert_eq!(got.data["id"], id.as_str());
}

#[tokio::test]
async fn the_stream_ends_when_its_session_ends_and_the_token_is_401_after() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let other = api.sign_in(CAMELIA_ADMIN).await;
    let mut mine = open(&api, &cam, None).await;
    let mut theirs = open(&api, &other, None).await;
    let a = api.call("DELETE", "/api/session", Some(&cam), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(mine.ended().await, "the signed-out session's stream ends");
    let a = api
        .call("POST", "/api/events/ticket", Some(&cam), None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    // Another session of the same user goes on.
    let m = marker(&api, &other).await;
    assert_eq!(theirs.next().await.data["id"], m.as_str());
}

#[tokio::test]
async fn e3_a_stream_that_falls_behind_the_channel_resumes_from_the_ring_in_order() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_STAFF).await;
    let mut s = open(&api, &cam, None).await;
    let camelia = domain::OdsCode::parse("A81001").unwrap();
    let start = api.state.live.last_id(&camelia);
    // More events than the channel holds (4,096), fewer than the organisation's ring keeps,
    // published before the stream reads any: it lags, and finds them all in the ring.
    let mine = domain::Notice {
        event: domain::LiveEvent::Covers,
        organisations: vec![camelia],
        user: Some(domain::UserId::new(CAMELIA_STAFF)),
    };
    api.state.live.publish(vec![mine; 4500]);
    for k in 1..=4500 {
        let got = s.next().await;
        assert_eq!((got.kind.as_str(), got.id), ("covers", start + k));
    }
}

#[tokio::test]
async fn a_ticket_is_bound_to_its_session_and_dies_with_it() {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let t = ticket(&api, &cam).await;
    let a = api.call("DELETE", "/api/session", Some(&cam), None).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let a = api
        .call("GET", &format!("/api/events?ticket={t}"), None, None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.code(), "unauthenticated");
}

/// The latest-event number of an answer (`x-last-event-id`), read through the router.
async fn stamp(api: &Api, token: &str, path: &str) -> u64 {
    let response = api
        .router
        .clone()
        .oneshot(
            Request::get(path)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()["x-last-event-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn e1_e3_a_change_between_a_tabs_first_read_and_its_first_stream_is_replayed_from_the_reads_number(
) {
    let api = Api::demo();
    let cam = api.sign_in(CAMELIA_ADMIN).await;
    let riv = api.sign_in(RIVERSIDE_ADMIN).await;
    // Riverside's tab reads its screens: the answers carry the number of the latest event.
    let read_at = stamp(&api, &riv, "/api/external").await;
    // Camelia shares with Riverside before Riverside's stream opens.
    let s = share(&api, &cam, "g-cam-reception", "A81002", false).await;
    assert!(
        stamp(&api, &riv, "/api/external").await > read_at,
        "the number moves with the change"
    );
    // A stream opened from the read's number replays the share (a stream opened without it
    // would start after it, and the External page would never learn of it).
    let mut riv_s = open(&api, &riv, Some(read_at)).await;
    let got = riv_s.next().await;
    assert_eq!((got.kind.as_str(), &got.data["id"]), ("share", &s["id"]));
}

/// K1: a sandbox's events reach its own streams only. A share in sandbox A is told to A's
/// stream; B's stream and the demo world's (the same persona, the same organisation) hear
/// first their own share, made after it.
#[tokio::test]
async fn k1_a_sandboxs_events_reach_only_the_streams_of_its_own_world() {
    let (api, fac) = common::research::study_api(None).await;
    let (_, a) = common::research::participant(&api, &fac, "A").await;
    let (_, b) = common::research::participant(&api, &fac, "B").await;
    let demo = api.sign_in(CAMELIA_ADMIN).await;
    let (mut a_s, mut b_s, mut demo_s) = (
        open(&api, &a, None).await,
        open(&api, &b, None).await,
        open(&api, &demo, None).await,
    );
    let in_a = share(&api, &a, "g-cam-reception", "A81002", false).await;
    let got = a_s.next().await;
    assert_eq!((got.kind.as_str(), &got.data["id"]), ("share", &in_a["id"]));
    let in_b = share(&api, &b, "g-cam-gps", "A81002", false).await;
    assert_eq!(b_s.next().await.data["id"], in_b["id"]);
    let in_demo = share(&api, &demo, "g-cam-gps", "U12345", false).await;
    assert_eq!(demo_s.next().await.data["id"], in_demo["id"]);
}
