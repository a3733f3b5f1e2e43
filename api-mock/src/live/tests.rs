//! Unit tests of the hub: numbering per organisation, replay, reset, tickets.
use super::*;

fn org(code: &str) -> OdsCode {
    OdsCode::parse(code).expect("code")
}

fn to(orgs: &[&str]) -> (&'static str, String, Audience) {
    (
        event_kind::REQUEST,
        "{}".into(),
        Audience::Some {
            organisations: orgs.iter().map(|c| org(c)).collect(),
            user: None,
        },
    )
}

fn ids(events: &[Arc<Published>], org: &OdsCode) -> Vec<u64> {
    events.iter().filter_map(|e| e.id_for(org)).collect()
}

#[test]
fn e3_replay_gives_the_later_events_of_the_organisation_and_reset_when_too_old() {
    let live = Live::new();
    let (a, b, u) = (org("A81001"), org("A81002"), UserId::new("u"));
    // Alternately to A81001 alone and to both: A81001 numbers every event, A81002 every
    // other one, each from 1 without gaps.
    let n = RING + 6;
    live.push((0..n).map(|i| {
        if i % 2 == 0 {
            to(&["A81001"])
        } else {
            to(&["A81001", "A81002"])
        }
    }));
    let last = n as u64;
    assert_eq!(live.last_id(&a), last);
    assert_eq!(live.last_id(&b), last / 2);
    let r = live.resume(Some(last - 3), &a, &u);
    assert_eq!(r.reset, None);
    assert_eq!(ids(&r.replay, &a), vec![last - 2, last - 1, last]);
    let r = live.resume(Some(last / 2 - 2), &b, &u);
    assert_eq!(ids(&r.replay, &b), vec![last / 2 - 1, last / 2]);
    // A81001 keeps RING events: the oldest kept is 7; asking from 5 missed event 6.
    assert_eq!(live.resume(Some(5), &a, &u).reset, Some(last));
    assert_eq!(live.resume(Some(6), &a, &u).reset, None);
    assert_eq!(live.resume(Some(last + 1), &a, &u).reset, Some(last));
    // A81002 was given fewer than RING: everything from 0 is still kept.
    assert_eq!(live.resume(Some(0), &b, &u).replay.len() as u64, last / 2);
    assert!(live.resume(None, &a, &u).replay.is_empty());
}

#[test]
fn a_reset_takes_a_number_of_every_organisation_and_one_met_later_starts_after_it() {
    let live = Live::new();
    let (a, c, u) = (org("A81001"), org("B82001"), UserId::new("u"));
    live.push([to(&["A81001"]), to(&["A81001"])]);
    live.publish_reset();
    assert_eq!(live.last_id(&a), 3);
    // Never given an event: it was given the reset all the same.
    assert_eq!(live.last_id(&c), 1);
    let r = live.resume(Some(0), &c, &u);
    assert_eq!(r.reset, Some(1), "its ring does not hold the reset: reload");
    live.push([to(&["B82001"])]);
    assert_eq!(live.last_id(&c), 2);
    assert_eq!(ids(&live.resume(Some(1), &c, &u).replay, &c), vec![2]);
}

#[test]
fn tickets_are_single_use_random_and_bound_to_their_session() {
    let live = Live::new();
    let t1 = live.issue_ticket("tok", "u1").expect("ticket");
    let t2 = live.issue_ticket("tok", "u1").expect("ticket");
    assert_ne!(t1, t2);
    assert_eq!(t1.len(), 64);
    assert_eq!(live.redeem(&t1), Some(("tok".into(), "u1".into())));
    assert_eq!(live.redeem(&t1), None);
    assert_eq!(live.redeem("not-a-ticket"), None);
}
