//! Property tests of who is told of a change (SPEC E2 with V1–V4, R1): random networks of more
//! than 64 organisations (so the visibility filter's 64-bit masks alias), 2,000–3,000
//! requests, and random command sequences (requests received, assigned, closed, reopened;
//! shares created, enabled, disabled, restricted, removed; patients changing their preference;
//! agreements; covers). After every command the notices of `World::notices_since` are compared
//! with an oracle that recomputes, by brute force over every request and every organisation,
//! who saw what before and after:
//!
//! - E2: no organisation is told of a request it sees neither before nor after;
//! - every organisation that sees a changed request after is told (`visible: true`), every one
//!   that saw it before and no longer does is told `visible: false`, and `visible` is exactly
//!   "sees it after";
//! - a request that did not change is told only to organisations whose sight of it changed;
//! - share and agreement events go to their two parties only (R1).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{fail, ods, op, Driver, Op};
use domain::{
    AgreementId, LiveEvent, Notice, OdsCode, PatientId, RequestId, ShareId, Touched, World,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// A network built by the shared driver (`common`), then random commands.
#[derive(Debug, Clone)]
struct Scenario {
    orgs: usize,
    patients: [bool; 4],
    /// Shares made at the start: (owner, partner, restricted, enabled).
    shares: Vec<(u16, u16, bool, bool)>,
    /// Requests made at the start: (origin, patient, first target).
    requests: Vec<(u16, u8, Option<u16>)>,
    ops: Vec<Op>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        65usize..=90,
        any::<[bool; 4]>(),
        prop::collection::vec(
            (
                any::<u16>(),
                any::<u16>(),
                prop::bool::weighted(0.3),
                prop::bool::weighted(0.8),
            ),
            40..120,
        ),
        prop::collection::vec(
            (
                any::<u16>(),
                0u8..4,
                prop::option::weighted(0.7, any::<u16>()),
            ),
            2000..3000,
        ),
        prop::collection::vec(op(), 30..60),
    )
        .prop_map(|(orgs, patients, shares, requests, ops)| Scenario {
            orgs,
            patients,
            shares,
            requests,
            ops,
        })
}

/// The network of a scenario: shares between i and i + 64 first (their masks alias), then the
/// random ones, then the requests, each maybe assigned once.
fn build(s: &Scenario) -> Result<Driver, TestCaseError> {
    let mut d = Driver::new(s.orgs, s.patients, 1_000_000)?;
    d.monotonic = true;
    let aliasing = (0..s.orgs - 64).flat_map(|i| {
        [
            (i as u16, (i + 64) as u16, false, true),
            ((i + 64) as u16, i as u16, true, true),
        ]
    });
    for (owner, partner, restricted, enable) in aliasing.chain(s.shares.iter().copied()) {
        d.apply(Op::Share {
            owner,
            target: 0,
            partner,
            restricted,
            enable,
        })?;
    }
    for &(org, patient, target) in &s.requests {
        d.apply(Op::Receive { org, patient })?;
        if let Some(target) = target {
            let request = d.last_request();
            d.apply(Op::Assign {
                request,
                actor: 0,
                target,
            })?;
        }
    }
    Ok(d)
}

/// Who sees which request: request id → organisations (by index).
fn sight(w: &World, orgs: usize) -> BTreeMap<RequestId, BTreeSet<usize>> {
    let mut out: BTreeMap<RequestId, BTreeSet<usize>> = BTreeMap::new();
    for r in w.requests() {
        out.entry(r.id.clone()).or_default();
    }
    for o in 0..orgs {
        for r in w.visible_requests(&ods(o)) {
            out.entry(r.id.clone()).or_default().insert(o);
        }
    }
    out
}

fn check(
    before: &World,
    after: &World,
    orgs: usize,
    notices: &[Notice],
) -> Result<(), TestCaseError> {
    let (was, now) = (sight(before, orgs), sight(after, orgs));
    let index: BTreeMap<OdsCode, usize> = (0..orgs).map(|o| (ods(o), o)).collect();
    // (request, organisation) → visible, from the notices; nobody told twice.
    let mut told: BTreeMap<(RequestId, usize), bool> = BTreeMap::new();
    for n in notices {
        match &n.event {
            LiveEvent::Request {
                id,
                version,
                visible,
            } => {
                prop_assert_eq!(Some(*version), after.request(id).map(|r| r.version));
                prop_assert!(n.user.is_none());
                for code in &n.organisations {
                    let o = index[code];
                    let saw = was.get(id).is_some_and(|s| s.contains(&o));
                    let sees = now[id].contains(&o);
                    prop_assert!(saw || sees, "E2: {} told of {} it never sees", code, id);
                    prop_assert_eq!(*visible, sees, "visible is 'sees after' ({}, {})", code, id);
                    prop_assert!(
                        told.insert((id.clone(), o), *visible).is_none(),
                        "told twice"
                    );
                }
            }
            LiveEvent::Share { id, .. } => {
                let share = after
                    .shares_between_for_test(id)
                    .or_else(|| before.shares_between_for_test(id));
                let (owner, partner) = share.ok_or_else(|| fail("unknown share"))?;
                let mut parties = vec![owner, partner];
                parties.sort();
                prop_assert_eq!(&n.organisations, &parties, "R1: share to its parties only");
            }
            LiveEvent::Agreement { id, active } => {
                let a = after
                    .agreement_for_test(id)
                    .ok_or_else(|| fail("unknown agreement"))?;
                prop_assert_eq!(*active, a.active());
                let mut parties = vec![a.proposer.clone(), a.partner.clone()];
                parties.sort();
                prop_assert_eq!(
                    &n.organisations,
                    &parties,
                    "R1: agreement to its parties only"
                );
            }
            LiveEvent::Covers => {
                // To one user; numbered in that user's organisation alone.
                let user = n
                    .user
                    .as_ref()
                    .ok_or_else(|| fail("covers without a user"))?;
                let org = after.user(user).map(|u| u.ods_code.clone());
                prop_assert_eq!(&n.organisations, &org.into_iter().collect::<Vec<_>>());
            }
        }
    }
    // Everyone who must be told is told.
    for (id, sees) in &now {
        let altered = before.request(id).map(|r| r.version) != after.request(id).map(|r| r.version);
        let saw = was.get(id).cloned().unwrap_or_default();
        // Organisations in neither set were checked above (E2): nobody told them.
        for &o in saw.union(sees) {
            let expected = match (saw.contains(&o), sees.contains(&o)) {
                (_, true) if altered => Some(true),
                (false, true) => Some(true),
                (true, false) => Some(false),
                _ => None,
            };
            prop_assert_eq!(
                told.get(&(id.clone(), o)).copied(),
                expected,
                "request {} organisation {} (altered {})",
                id,
                o,
                altered
            );
        }
    }
    Ok(())
}

/// Test-only views of shares and agreements by id, whoever asks.
trait ForTest {
    fn shares_between_for_test(&self, id: &ShareId) -> Option<(OdsCode, OdsCode)>;
    fn agreement_for_test(&self, id: &AgreementId) -> Option<domain::Agreement>;
}

impl ForTest for World {
    fn shares_between_for_test(&self, id: &ShareId) -> Option<(OdsCode, OdsCode)> {
        // Every share's owner can see it (R1); find it through any organisation's view.
        self.organisations().iter().find_map(|o| {
            self.share_for(id, &o.ods_code)
                .map(|s| (s.owner.clone(), s.partner.clone()))
        })
    }

    fn agreement_for_test(&self, id: &AgreementId) -> Option<domain::Agreement> {
        self.organisations()
            .iter()
            .find_map(|o| self.agreement_for(id, &o.ods_code).cloned())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn e2_notices_reach_exactly_the_organisations_whose_sight_or_request_changed(s in scenario()) {
        let mut d = build(&s)?;
        for &op in &s.ops {
            let before = d.w.clone();
            d.apply(op)?;
            let mut touched = Touched::from_audit(d.w.audit_log().iter().skip(before.audit_log().len()));
            // The one unaudited change: a patient's preference (the server names it too).
            if let Op::Patient { patient, .. } = op {
                touched.patients.push(PatientId::new(format!("p{patient}")));
            }
            let notices = d.w.notices_since(&before, &touched);
            check(&before, &d.w, d.orgs, &notices)?;
        }
    }
}
