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

use std::collections::{BTreeMap, BTreeSet};

use domain::{
    AgreementId, EventId, FolderId, Group, GroupId, LiveEvent, NewRequest, NhsNumber, Notice,
    OdsCode, Organisation, Patient, PatientId, RequestId, RequestKind, Role, ShareId, Sharing,
    TargetId, Timestamp, Touched, User, UserId, World,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const NHS: [&str; 4] = ["9434765919", "4010232137", "4857773457", "9990001111"];
const REASON: &str = "Clinical need agreed with the patient by phone";

fn ods(i: usize) -> OdsCode {
    OdsCode::parse(&format!("ORG{i}")).expect("ods")
}
fn admin(i: usize) -> UserId {
    UserId::new(format!("u{i}_admin"))
}
fn staff(i: usize) -> UserId {
    UserId::new(format!("u{i}_staff"))
}
fn group(i: usize) -> TargetId {
    TargetId::new(format!("g{i}"))
}
fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

#[derive(Debug, Clone, Copy)]
enum Cmd {
    Receive {
        origin: u16,
        patient: u8,
    },
    Assign {
        request: u16,
        actor: u16,
        target: u16,
    },
    Close {
        request: u16,
        actor: u16,
    },
    Reopen {
        request: u16,
        actor: u16,
    },
    Share {
        owner: u16,
        partner: u16,
        restricted: bool,
    },
    Enable {
        share: u16,
    },
    Disable {
        share: u16,
    },
    Restrict {
        share: u16,
        restricted: bool,
    },
    Remove {
        share: u16,
    },
    Patient {
        patient: u8,
        share: bool,
    },
    Propose {
        a: u16,
        b: u16,
    },
    Accept {
        agreement: u16,
    },
    Cover {
        user: u16,
        target: u16,
    },
}

fn cmd() -> impl Strategy<Value = Cmd> {
    let n = any::<u16>;
    prop_oneof![
        2 => (n(), 0u8..4).prop_map(|(origin, patient)| Cmd::Receive { origin, patient }),
        6 => (n(), n(), n()).prop_map(|(request, actor, target)| Cmd::Assign { request, actor, target }),
        1 => (n(), n()).prop_map(|(request, actor)| Cmd::Close { request, actor }),
        1 => (n(), n()).prop_map(|(request, actor)| Cmd::Reopen { request, actor }),
        2 => (n(), n(), any::<bool>()).prop_map(|(owner, partner, restricted)| Cmd::Share { owner, partner, restricted }),
        2 => n().prop_map(|share| Cmd::Enable { share }),
        1 => n().prop_map(|share| Cmd::Disable { share }),
        1 => (n(), any::<bool>()).prop_map(|(share, restricted)| Cmd::Restrict { share, restricted }),
        1 => n().prop_map(|share| Cmd::Remove { share }),
        1 => (0u8..4, any::<bool>()).prop_map(|(patient, share)| Cmd::Patient { patient, share }),
        1 => (n(), n()).prop_map(|(a, b)| Cmd::Propose { a, b }),
        1 => n().prop_map(|agreement| Cmd::Accept { agreement }),
        1 => (n(), n()).prop_map(|(user, target)| Cmd::Cover { user, target }),
    ]
}

#[derive(Debug, Clone)]
struct Scenario {
    orgs: usize,
    patients: [bool; 4],
    /// Shares made at the start: (owner, partner, restricted, enabled).
    shares: Vec<(u16, u16, bool, bool)>,
    /// Requests made at the start: (origin, patient, first target).
    requests: Vec<(u16, u8, Option<u16>)>,
    cmds: Vec<Cmd>,
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
        prop::collection::vec(cmd(), 30..60),
    )
        .prop_map(|(orgs, patients, shares, requests, cmds)| Scenario {
            orgs,
            patients,
            shares,
            requests,
            cmds,
        })
}

struct Run {
    w: World,
    orgs: usize,
    n: u64,
    shares: Vec<(ShareId, usize, usize)>,
    agreements: Vec<(AgreementId, usize, usize)>,
    requests: Vec<RequestId>,
}

impl Run {
    fn ev(&mut self) -> (Timestamp, EventId) {
        self.n += 1;
        (
            Timestamp::from_millis(1_795_600_800_000 + self.n as i64 * 1000),
            EventId::new(format!("e{}", self.n)),
        )
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.n += 1;
        format!("{prefix}{}", self.n)
    }

    /// The organisation (of those that see it) that acts on a request.
    fn seer(&self, r: &RequestId, pick: u16) -> Option<usize> {
        let seers: Vec<usize> = (0..self.orgs)
            .filter(|&o| self.w.visibility(r, &ods(o)).is_some())
            .collect();
        (!seers.is_empty()).then(|| seers[pick as usize % seers.len()])
    }

    fn receive(&mut self, origin: usize, patient: u8) -> Result<RequestId, TestCaseError> {
        let id = RequestId::new(self.fresh("r"));
        let (now, ev) = self.ev();
        self.w
            .receive_request(
                NewRequest {
                    id: id.clone(),
                    origin: ods(origin),
                    patient: PatientId::new(format!("p{patient}")),
                    kind: RequestKind::Admin,
                    subject: "Subject".into(),
                    message: "Message".into(),
                },
                now,
                ev,
            )
            .map_err(fail)?;
        self.requests.push(id.clone());
        Ok(id)
    }

    /// Tries an assignment to the group of `target` (or, with an enabled share, a shared one);
    /// a refusal is fine (the command then changes nothing).
    fn assign(&mut self, r: &RequestId, actor: u16, target: u16) {
        let Some(o) = self.seer(r, actor) else { return };
        // Half of the time the actor's own group, otherwise a group shared with it.
        let shared: Vec<usize> = self
            .shares
            .iter()
            .filter(|(_, _, p)| *p == o)
            .map(|(_, owner, _)| *owner)
            .collect();
        let t = if target.is_multiple_of(2) || shared.is_empty() {
            if target % 4 == 1 {
                target as usize % self.orgs
            } else {
                o
            }
        } else {
            shared[target as usize / 2 % shared.len()]
        };
        let version = self.w.request(r).map_or(0, |q| q.version);
        let (now, ev) = self.ev();
        let _ = self
            .w
            .assign_request(&staff(o), r, &group(t), version, Some(REASON), now, ev);
    }

    fn apply(&mut self, c: Cmd) -> Result<Touched, TestCaseError> {
        let n = self.orgs;
        let mut extra = Touched::default();
        let (now, ev) = self.ev();
        let pick_request = |i: u16, reqs: &[RequestId]| reqs[i as usize % reqs.len()].clone();
        match c {
            Cmd::Receive { origin, patient } => {
                self.receive(origin as usize % n, patient)?;
            }
            Cmd::Assign {
                request,
                actor,
                target,
            } => {
                let r = pick_request(request, &self.requests);
                self.assign(&r, actor, target);
            }
            Cmd::Close { request, actor } | Cmd::Reopen { request, actor } => {
                let r = pick_request(request, &self.requests);
                if let Some(o) = self.seer(&r, actor) {
                    let version = self.w.request(&r).map_or(0, |q| q.version);
                    let _ = if matches!(c, Cmd::Close { .. }) {
                        self.w.close_request(&staff(o), &r, version, now, ev)
                    } else {
                        self.w.reopen_request(&staff(o), &r, version, now, ev)
                    };
                }
            }
            Cmd::Share {
                owner,
                partner,
                restricted,
            } => {
                let (o, p) = (owner as usize % n, partner as usize % n);
                let id = ShareId::new(self.fresh("s"));
                if self
                    .w
                    .share_target(
                        &admin(o),
                        &group(o),
                        &ods(p),
                        restricted,
                        now,
                        id.clone(),
                        ev,
                    )
                    .is_ok()
                {
                    self.shares.push((id, o, p));
                }
            }
            Cmd::Enable { share } | Cmd::Disable { share } | Cmd::Remove { share } => {
                if self.shares.is_empty() {
                    return Ok(extra);
                }
                let i = share as usize % self.shares.len();
                let (id, o, p) = self.shares[i].clone();
                let _ = match c {
                    Cmd::Enable { .. } => self.w.enable_share(&admin(p), &id, now, ev),
                    Cmd::Disable { .. } => self.w.disable_share(&admin(p), &id, now, ev),
                    _ => {
                        let r = self.w.remove_share(&admin(o), &id, now, ev);
                        if r.is_ok() {
                            self.shares.remove(i);
                        }
                        r
                    }
                };
            }
            Cmd::Restrict { share, restricted } => {
                if let Some((id, o, _)) = self
                    .shares
                    .get(share as usize % self.shares.len().max(1))
                    .cloned()
                {
                    let _ = self
                        .w
                        .set_share_restricted(&admin(o), &id, restricted, now, ev);
                }
            }
            Cmd::Patient { patient, share } => {
                let p = PatientId::new(format!("p{patient}"));
                let sharing = if share {
                    Sharing::Share
                } else {
                    Sharing::DoNotShare
                };
                self.w.set_patient_sharing(&p, sharing).map_err(fail)?;
                extra = Touched::patient(p);
            }
            Cmd::Propose { a, b } => {
                let (a, b) = (a as usize % n, b as usize % n);
                let id = AgreementId::new(self.fresh("d"));
                if self
                    .w
                    .propose_agreement(&admin(a), &ods(b), "DSA", now, id.clone(), ev)
                    .is_ok()
                {
                    self.agreements.push((id, a, b));
                }
            }
            Cmd::Accept { agreement } => {
                if let Some((id, _, b)) = self
                    .agreements
                    .get(agreement as usize % self.agreements.len().max(1))
                    .cloned()
                {
                    let _ = self.w.accept_agreement(&admin(b), &id, now, ev);
                }
            }
            Cmd::Cover { user, target } => {
                let u = user as usize % n;
                let folder = FolderId::Target(group(target as usize % n));
                let _ = self.w.set_covers(&staff(u), &[folder], now, ev);
            }
        }
        Ok(extra)
    }
}

fn build(s: &Scenario) -> Result<Run, TestCaseError> {
    let mut w = World::new();
    for o in 0..s.orgs {
        w.add_organisation(Organisation {
            ods_code: ods(o),
            name: format!("Organisation {o}"),
            kind: "gp_practice".into(),
            postcode: "LS1 1AA".into(),
            active: true,
        })
        .map_err(fail)?;
        for (id, role) in [(admin(o), Role::Admin), (staff(o), Role::Staff)] {
            w.add_user(User {
                name: format!("User {id}"),
                id,
                role,
                ods_code: ods(o),
                active: true,
            })
            .map_err(fail)?;
        }
        w.add_group(Group {
            id: GroupId::new(format!("g{o}")),
            name: format!("Group {o}"),
            ods_code: ods(o),
        })
        .map_err(fail)?;
    }
    for (p, nhs) in NHS.iter().enumerate() {
        w.add_patient(Patient {
            id: PatientId::new(format!("p{p}")),
            name: format!("Patient {p}"),
            nhs_number: NhsNumber::parse(nhs).map_err(fail)?,
            date_of_birth: "1960-01-01".into(),
            sharing: if s.patients[p] {
                Sharing::Share
            } else {
                Sharing::DoNotShare
            },
        })
        .map_err(fail)?;
    }
    let mut run = Run {
        w,
        orgs: s.orgs,
        n: 0,
        shares: Vec::new(),
        agreements: Vec::new(),
        requests: Vec::new(),
    };
    // Shares between i and i + 64 first (their masks alias), then the random ones.
    let mut wanted: Vec<(usize, usize, bool, bool)> = (0..s.orgs - 64)
        .flat_map(|i| [(i, i + 64, false, true), (i + 64, i, true, true)])
        .collect();
    wanted.extend(
        s.shares
            .iter()
            .map(|&(o, p, r, e)| (o as usize % s.orgs, p as usize % s.orgs, r, e)),
    );
    for (o, p, restricted, enabled) in wanted {
        let id = ShareId::new(run.fresh("s"));
        let (now, ev) = run.ev();
        if run
            .w
            .share_target(
                &admin(o),
                &group(o),
                &ods(p),
                restricted,
                now,
                id.clone(),
                ev,
            )
            .is_ok()
        {
            if enabled {
                let (now, ev) = run.ev();
                run.w.enable_share(&admin(p), &id, now, ev).map_err(fail)?;
            }
            run.shares.push((id, o, p));
        }
    }
    for &(origin, patient, target) in &s.requests {
        let r = run.receive(origin as usize % s.orgs, patient)?;
        if let Some(t) = target {
            run.assign(&r, 0, t);
        }
    }
    Ok(run)
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
        let mut run = build(&s)?;
        for &c in &s.cmds {
            let before = run.w.clone();
            let extra = run.apply(c)?;
            let mut touched = Touched::from_audit(run.w.audit_log().iter().skip(before.audit_log().len()));
            touched.patients = extra.patients;
            let notices = run.w.notices_since(&before, &touched);
            check(&before, &run.w, run.orgs, &notices)?;
        }
    }
}
