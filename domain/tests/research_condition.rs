//! K3: success conditions over a sandbox's state. One test per condition kind on a network in
//! the shape of the demo seed (see `research_net`), then property tests of the laws of `not`,
//! `all` and `any` over random conditions on random worlds.

mod research_net;

use domain::research::{Condition, OverrideKind};
use domain::{FolderId, RequestId, RequestStatus, ShareState, TargetId, UserId};
use proptest::prelude::*;
use research_net::{ods, Net, CAM, FRA, PCN, RIV};

fn share(target: &str, partner: &str) -> Condition {
    Condition::Share {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
        restricted: None,
        state: None,
    }
}

fn share_with(
    target: &str,
    partner: &str,
    restricted: Option<bool>,
    state: Option<ShareState>,
) -> Condition {
    Condition::Share {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
        restricted,
        state,
    }
}

fn no_share(target: &str, partner: &str) -> Condition {
    Condition::NoShare {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
    }
}

fn request(
    id: &str,
    assignee: Option<&str>,
    status: Option<RequestStatus>,
    consent: Option<OverrideKind>,
) -> Condition {
    Condition::Request {
        id: RequestId::new(id),
        assignee_id: assignee.map(TargetId::new),
        status,
        consent,
    }
}

fn agreement(a: &str, b: &str, active: Option<bool>) -> Condition {
    Condition::Agreement {
        ods_code: ods(a),
        partner_ods_code: ods(b),
        active,
    }
}

fn covers(user: &str, folders: &[&str]) -> Condition {
    Condition::Covers {
        user_id: UserId::new(user),
        includes: folders.iter().map(|f| FolderId::parse(f)).collect(),
    }
}

#[test]
fn k3_share_holds_only_for_that_target_and_partner_with_the_asked_flag_and_state() {
    let mut net = Net::new();
    let wanted = share_with("g-pcn-carehome", CAM, Some(true), Some(ShareState::Enabled));
    assert!(!share("g-pcn-carehome", CAM).holds(&net.w));
    assert!(no_share("g-pcn-carehome", CAM).holds(&net.w));

    // Right target, wrong organisation: not the task's share.
    let s_riv = net
        .share("u-mark-robinson", "g-pcn-carehome", RIV, true)
        .expect("share");
    assert!(net.enable("u-helen-clarke", &s_riv));
    assert!(!share("g-pcn-carehome", CAM).holds(&net.w));
    assert!(!wanted.holds(&net.w));

    let s = net
        .share("u-mark-robinson", "g-pcn-carehome", CAM, false)
        .expect("share");
    assert!(share("g-pcn-carehome", CAM).holds(&net.w));
    assert!(share_with("g-pcn-carehome", CAM, None, Some(ShareState::Pending)).holds(&net.w));
    assert!(!no_share("g-pcn-carehome", CAM).holds(&net.w));
    assert!(!wanted.holds(&net.w), "pending and unrestricted");

    assert!(net.enable("u-sarah-ahmed", &s));
    assert!(!wanted.holds(&net.w), "enabled but unrestricted");
    assert!(net.restrict("u-mark-robinson", &s, true));
    assert!(wanted.holds(&net.w));

    assert!(net.disable("u-sarah-ahmed", &s));
    assert!(!wanted.holds(&net.w));
    assert!(share_with(
        "g-pcn-carehome",
        CAM,
        Some(true),
        Some(ShareState::Disabled)
    )
    .holds(&net.w));

    assert!(net.remove("u-mark-robinson", &s));
    assert!(!share("g-pcn-carehome", CAM).holds(&net.w));
    assert!(no_share("g-pcn-carehome", CAM).holds(&net.w));
}

#[test]
fn k3_request_holds_for_its_assignee_status_and_the_consent_of_the_assignment_that_put_it_there() {
    let mut net = Net::new();
    let at_reception = request("r-1001", Some("g-cam-reception"), None, None);
    assert!(!at_reception.holds(&net.w), "in the inbox");
    assert!(request("r-1001", None, Some(RequestStatus::Open), None).holds(&net.w));
    assert!(
        !request("r-404", None, None, None).holds(&net.w),
        "unknown request"
    );

    assert!(net.assign("u-james-wilson", "r-1001", "g-cam-reception", None));
    assert!(at_reception.holds(&net.w));
    assert!(!request("r-1001", Some("g-pcn-carehome"), None, None).holds(&net.w));
    assert!(!request("r-1001", None, None, Some(OverrideKind::Reason)).holds(&net.w));

    assert!(net.close("u-james-wilson", "r-1001"));
    assert!(request(
        "r-1001",
        Some("g-cam-reception"),
        Some(RequestStatus::Closed),
        None
    )
    .holds(&net.w));
    assert!(!request("r-1001", None, Some(RequestStatus::Open), None).holds(&net.w));

    // A3: a do_not_share patient's request to another organisation's team needs a reason.
    let s = net
        .share("u-mark-robinson", "g-pcn-carehome", CAM, false)
        .expect("share");
    assert!(net.enable("u-sarah-ahmed", &s));
    assert!(
        !net.assign("u-james-wilson", "r-1002", "g-pcn-carehome", None),
        "reason needed"
    );
    assert!(net.assign(
        "u-james-wilson",
        "r-1002",
        "g-pcn-carehome",
        Some("Urgent care home visit")
    ));
    let with_reason = request(
        "r-1002",
        Some("g-pcn-carehome"),
        None,
        Some(OverrideKind::Reason),
    );
    assert!(with_reason.holds(&net.w));
    assert!(!request("r-1002", None, None, Some(OverrideKind::Agreement)).holds(&net.w));

    // Moved on without an override: the reason of an earlier assignment no longer counts.
    assert!(net.assign("u-aisha-khan", "r-1002", "u-aisha-khan", None));
    assert!(!request("r-1002", None, None, Some(OverrideKind::Reason)).holds(&net.w));
}

#[test]
fn k3_request_override_agreement_holds_when_an_active_agreement_covered_the_assignment() {
    let mut net = Net::new();
    let a = net.propose("u-sarah-ahmed", FRA).expect("propose");
    assert!(net.accept("u-grace-okafor", &a));
    let s = net
        .share("u-grace-okafor", "g-frailty", CAM, false)
        .expect("share");
    assert!(net.enable("u-sarah-ahmed", &s));
    assert!(net.assign("u-james-wilson", "r-1002", "g-frailty", None));
    assert!(request(
        "r-1002",
        Some("g-frailty"),
        None,
        Some(OverrideKind::Agreement)
    )
    .holds(&net.w));
    assert!(!request("r-1002", None, None, Some(OverrideKind::Reason)).holds(&net.w));
}

#[test]
fn k3_agreement_holds_whoever_proposed_it_and_active_only_once_both_accepted() {
    let mut net = Net::new();
    assert!(!agreement(CAM, PCN, None).holds(&net.w));
    let a = net.propose("u-sarah-ahmed", PCN).expect("propose");
    assert!(agreement(CAM, PCN, None).holds(&net.w));
    assert!(
        agreement(PCN, CAM, Some(false)).holds(&net.w),
        "either order, not yet active"
    );
    assert!(!agreement(CAM, PCN, Some(true)).holds(&net.w));
    assert!(!agreement(CAM, FRA, None).holds(&net.w), "another pair");
    assert!(net.accept("u-mark-robinson", &a));
    assert!(agreement(PCN, CAM, Some(true)).holds(&net.w));
    assert!(!agreement(CAM, PCN, Some(false)).holds(&net.w));
}

#[test]
fn k3_covers_holds_when_the_user_covers_at_least_the_listed_folders() {
    let mut net = Net::new();
    assert!(covers("u-james-wilson", &[]).holds(&net.w), "nothing asked");
    assert!(!covers("u-james-wilson", &["g-cam-reception"]).holds(&net.w));
    assert!(net.cover("u-james-wilson", &["g-cam-reception"]));
    assert!(covers("u-james-wilson", &["g-cam-reception"]).holds(&net.w));
    assert!(!covers("u-james-wilson", &["g-cam-reception", "sent_externally"]).holds(&net.w));
    assert!(
        !covers("u-sarah-ahmed", &["g-cam-reception"]).holds(&net.w),
        "another user"
    );
    assert!(net.cover("u-james-wilson", &["sent_externally", "g-cam-reception"]));
    assert!(covers("u-james-wilson", &["g-cam-reception", "sent_externally"]).holds(&net.w));
}

#[test]
fn k3_all_any_and_not_combine_their_parts() {
    let mut net = Net::new();
    let s = net
        .share("u-mark-robinson", "g-pcn-carehome", CAM, true)
        .expect("share");
    let yes = share("g-pcn-carehome", CAM);
    let no = share("g-frailty", CAM);
    assert!(net.enable("u-sarah-ahmed", &s));
    assert!(Condition::All(vec![]).holds(&net.w));
    assert!(!Condition::Any(vec![]).holds(&net.w));
    assert!(Condition::All(vec![yes.clone(), Condition::not(no.clone())]).holds(&net.w));
    assert!(!Condition::All(vec![yes.clone(), no.clone()]).holds(&net.w));
    assert!(Condition::Any(vec![no.clone(), yes.clone()]).holds(&net.w));
    assert!(!Condition::Any(vec![no.clone(), Condition::not(yes)]).holds(&net.w));
}

// ---------------------------------------------------------------------------------------------
// Laws, over random conditions on random worlds
// ---------------------------------------------------------------------------------------------

const TARGETS: [&str; 4] = [
    "g-cam-reception",
    "g-pcn-carehome",
    "g-frailty",
    "u-aisha-khan",
];
const ORGS: [&str; 4] = [CAM, PCN, FRA, RIV];
const ADMINS: [&str; 4] = [
    "u-sarah-ahmed",
    "u-mark-robinson",
    "u-grace-okafor",
    "u-helen-clarke",
];
const STAFF: [&str; 3] = ["u-james-wilson", "u-aisha-khan", "u-sarah-ahmed"];
const FOLDERS: [&str; 4] = [
    "g-cam-reception",
    "g-pcn-carehome",
    "g-frailty",
    "sent_externally",
];

/// A random command; most are refused by the rules, which is fine: the world is whatever the
/// accepted ones made.
#[derive(Debug, Clone)]
enum Op {
    Share(usize, usize, bool),
    Enable(usize),
    Disable(usize),
    Restrict(usize, bool),
    Remove(usize),
    Propose(usize, usize),
    Accept(usize),
    Assign(usize, usize, usize, bool),
    Close(usize, usize),
    Cover(usize, Vec<usize>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..4usize, any::<bool>()).prop_map(|(t, o, r)| Op::Share(t, o, r)),
        (0..8usize).prop_map(Op::Enable),
        (0..8usize).prop_map(Op::Disable),
        (0..8usize, any::<bool>()).prop_map(|(s, r)| Op::Restrict(s, r)),
        (0..8usize).prop_map(Op::Remove),
        (0..4usize, 0..4usize).prop_map(|(a, b)| Op::Propose(a, b)),
        (0..4usize).prop_map(Op::Accept),
        (0..3usize, 0..2usize, 0..4usize, any::<bool>())
            .prop_map(|(u, r, t, why)| Op::Assign(u, r, t, why)),
        (0..3usize, 0..2usize).prop_map(|(u, r)| Op::Close(u, r)),
        (0..3usize, proptest::collection::vec(0..4usize, 0..3)).prop_map(|(u, f)| Op::Cover(u, f)),
    ]
}

fn world(ops: &[Op]) -> Net {
    let mut net = Net::new();
    let mut shares = Vec::new();
    let mut agreements = Vec::new();
    let owner_admin = |t: usize| {
        ADMINS[match t {
            0 => 0,
            1 | 3 => 1,
            _ => 2,
        }]
    };
    for op in ops {
        match op {
            Op::Share(t, o, r) => {
                if let Some(s) = net.share(owner_admin(*t), TARGETS[*t], ORGS[*o], *r) {
                    shares.push((s, *t, *o));
                }
            }
            Op::Enable(i) | Op::Disable(i) | Op::Restrict(i, _) | Op::Remove(i) => {
                let Some((s, t, o)) = shares.get(*i).cloned() else {
                    continue;
                };
                let _ = match op {
                    Op::Enable(_) => net.enable(ADMINS[o], &s),
                    Op::Disable(_) => net.disable(ADMINS[o], &s),
                    Op::Restrict(_, r) => net.restrict(owner_admin(t), &s, *r),
                    _ => net.remove(owner_admin(t), &s),
                };
            }
            Op::Propose(a, b) => {
                if let Some(id) = net.propose(ADMINS[*a], ORGS[*b]) {
                    agreements.push((id, *b));
                }
            }
            Op::Accept(i) => {
                if let Some((id, b)) = agreements.get(*i).cloned() {
                    net.accept(ADMINS[b], &id);
                }
            }
            Op::Assign(u, r, t, why) => {
                let reason = why.then_some("Needed for care");
                net.assign(STAFF[*u], ["r-1001", "r-1002"][*r], TARGETS[*t], reason);
            }
            Op::Close(u, r) => {
                net.close(STAFF[*u], ["r-1001", "r-1002"][*r]);
            }
            Op::Cover(u, f) => {
                let list: Vec<&str> = f.iter().map(|&i| FOLDERS[i]).collect();
                net.cover(STAFF[*u], &list);
            }
        }
    }
    net
}

fn leaf() -> impl Strategy<Value = Condition> {
    let state = prop_oneof![
        Just(None),
        Just(Some(ShareState::Pending)),
        Just(Some(ShareState::Enabled)),
        Just(Some(ShareState::Disabled)),
    ];
    let status = prop_oneof![
        Just(None),
        Just(Some(RequestStatus::Open)),
        Just(Some(RequestStatus::Closed))
    ];
    let consent = prop_oneof![
        Just(None),
        Just(Some(OverrideKind::Reason)),
        Just(Some(OverrideKind::Agreement))
    ];
    prop_oneof![
        (
            0..4usize,
            0..4usize,
            proptest::option::of(any::<bool>()),
            state
        )
            .prop_map(|(t, o, r, s)| share_with(TARGETS[t], ORGS[o], r, s)),
        (0..4usize, 0..4usize).prop_map(|(t, o)| no_share(TARGETS[t], ORGS[o])),
        (0..2usize, proptest::option::of(0..4usize), status, consent).prop_map(|(r, t, s, c)| {
            request(["r-1001", "r-1002"][r], t.map(|t| TARGETS[t]), s, c)
        }),
        (0..4usize, 1..4usize, proptest::option::of(any::<bool>()))
            // Two different organisations: an agreement with oneself is refused at load.
            .prop_map(|(a, k, act)| agreement(ORGS[a], ORGS[(a + k) % 4], act)),
        (0..3usize, proptest::collection::vec(0..4usize, 0..3)).prop_map(|(u, f)| {
            let list: Vec<&str> = f.iter().map(|&i| FOLDERS[i]).collect();
            covers(STAFF[u], &list)
        }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Condition::All),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Condition::Any),
            inner.prop_map(Condition::not),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn k3_not_not_all_any_and_de_morgan_laws_hold(
        ops in proptest::collection::vec(op(), 0..30),
        cs in proptest::collection::vec(condition(), 0..4),
        c in condition(),
    ) {
        let net = world(&ops);
        let w = &net.w;
        prop_assert_eq!(Condition::not(Condition::not(c.clone())).holds(w), c.holds(w));
        prop_assert_eq!(Condition::not(c.clone()).holds(w), !c.holds(w));
        prop_assert!(Condition::All(vec![]).holds(w));
        prop_assert!(!Condition::Any(vec![]).holds(w));
        let all = Condition::All(cs.clone()).holds(w);
        let any = Condition::Any(cs.clone()).holds(w);
        prop_assert_eq!(all, cs.iter().all(|c| c.holds(w)));
        prop_assert_eq!(any, cs.iter().any(|c| c.holds(w)));
        // De Morgan.
        let negated: Vec<Condition> = cs.iter().cloned().map(Condition::not).collect();
        prop_assert_eq!(Condition::not(Condition::All(cs.clone())).holds(w), Condition::Any(negated.clone()).holds(w));
        prop_assert_eq!(Condition::not(Condition::Any(cs.clone())).holds(w), Condition::All(negated).holds(w));
        // Order does not matter.
        let mut reversed = cs.clone();
        reversed.reverse();
        prop_assert_eq!(Condition::All(reversed.clone()).holds(w), all);
        prop_assert_eq!(Condition::Any(reversed).holds(w), any);
        // all [c] == c == any [c]; a condition and its negation never both hold.
        prop_assert_eq!(Condition::All(vec![c.clone()]).holds(w), c.holds(w));
        prop_assert_eq!(Condition::Any(vec![c.clone()]).holds(w), c.holds(w));
        prop_assert!(!Condition::All(vec![c.clone(), Condition::not(c.clone())]).holds(w));
        prop_assert!(Condition::Any(vec![c.clone(), Condition::not(c)]).holds(w));
    }

    #[test]
    fn k3_share_and_no_share_of_one_pair_are_exact_opposites(
        ops in proptest::collection::vec(op(), 0..30),
        t in 0..4usize,
        o in 0..4usize,
    ) {
        let net = world(&ops);
        prop_assert_eq!(share(TARGETS[t], ORGS[o]).holds(&net.w), !no_share(TARGETS[t], ORGS[o]).holds(&net.w));
    }

    #[test]
    fn k3_every_condition_over_the_network_ids_passes_the_load_check(c in condition()) {
        let net = Net::new();
        prop_assert_eq!(c.check(&net.w, "tasks[0].success"), Ok(()));
    }
}

/// A leaf naming one id that does not exist in the network, with the field and id the load
/// check must name.
fn unknown_leaf() -> impl Strategy<Value = (Condition, &'static str, &'static str)> {
    prop_oneof![
        Just((share("g-x", CAM), "share.target_id", "g-x")),
        Just((
            no_share("g-frailty", "B99999"),
            "no_share.partner_ods_code",
            "B99999"
        )),
        Just((request("r-x", None, None, None), "request.id", "r-x")),
        Just((
            request("r-1001", Some("g-y"), None, None),
            "request.assignee_id",
            "g-y"
        )),
        Just((
            agreement("Y99999", CAM, None),
            "agreement.ods_code",
            "Y99999"
        )),
        Just((covers("u-nobody", &[]), "covers.user_id", "u-nobody")),
        Just((
            covers("u-james-wilson", &["g-z"]),
            "covers.includes[0]",
            "g-z"
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Issue 22 item 1: a condition over ids that do not exist is refused at load, and the
    /// refusal names the first bad entry by its path.
    #[test]
    fn k3_a_condition_naming_an_unknown_id_is_refused_naming_its_path(
        cs in proptest::collection::vec(condition(), 0..4),
        bad in unknown_leaf(),
        at in 0..4usize,
        negate in any::<bool>(),
    ) {
        let (leaf, field, id) = bad;
        let at = at.min(cs.len());
        let mut list = cs;
        let (inner, prefix) = if negate {
            (Condition::not(leaf), "not.")
        } else {
            (leaf, "")
        };
        list.insert(at, inner);
        let net = Net::new();
        let err = Condition::Any(list).check(&net.w, "tasks[3].success").expect_err("refused");
        prop_assert_eq!(err.path, format!("tasks[3].success.any[{at}].{prefix}{field}"));
        prop_assert!(err.message.contains(&format!("\"{id}\"")), "{}", err.message);
    }
}
