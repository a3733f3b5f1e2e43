//! K3: the laws of `not`, `all` and `any` over random conditions on random worlds (built by
//! random commands on the network of `research_net`), and the load check of conditions naming
//! unknown ids (issue 22 item 1).

mod research_net;

use domain::research::{Condition, OverrideKind};
use domain::{RequestStatus, ShareState};
use proptest::prelude::*;
use research_net::{
    agreement, covers, no_share, request, share, share_with, Net, CAM, FRA, PCN, RIV,
};

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
