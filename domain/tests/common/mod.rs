//! The one driver of random commands for the domain's property tests (issue 19, item 10): a
//! network of `orgs` organisations (an admin, two staff, two groups each) and four patients,
//! driven by random [`Op`]s through the rules (a refused command changes nothing), with a
//! clock that repeats instants and sometimes goes back (or, from a point on, the server's
//! strictly increasing clock). `pages.rs`, `audit_pages.rs` and `live_properties.rs` drive
//! their worlds with it (`big_networks.rs` keeps its own commands: it checks against a model
//! of what its commands did, which needs each command's outcome).
#![allow(dead_code)]

use domain::{
    AgreementId, DomainError, EventId, FolderId, Group, GroupId, NewRequest, NhsNumber, OdsCode,
    Organisation, Patient, PatientId, RequestId, RequestKind, Role, ShareId, Sharing, TargetId,
    Timestamp, User, UserId, World,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

pub const NHS: [&str; 4] = ["9434765919", "4010232137", "4857773457", "9990001111"];
pub const REASON: &str = "Clinical need agreed with the patient by phone";

pub fn ods(i: usize) -> OdsCode {
    OdsCode::parse(&format!("ORG{i}")).expect("ods")
}
pub fn admin(i: usize) -> UserId {
    UserId::new(format!("u{i}a"))
}
pub fn staff(i: usize, k: usize) -> UserId {
    UserId::new(format!("u{i}s{k}"))
}
pub fn group(i: usize, k: usize) -> TargetId {
    TargetId::new(format!("g{i}_{k}"))
}
/// Every target of organisation `i`: two groups and two staff colleagues.
pub fn targets(i: usize) -> [TargetId; 4] {
    [
        group(i, 0),
        group(i, 1),
        TargetId::new(staff(i, 0).as_str()),
        TargetId::new(staff(i, 1).as_str()),
    ]
}
pub fn users(i: usize) -> [UserId; 3] {
    [admin(i), staff(i, 0), staff(i, 1)]
}
pub fn fail(e: impl std::fmt::Debug) -> TestCaseError {
    TestCaseError::fail(format!("{e:?}"))
}

/// One random command; every number is reduced modulo what exists. Commands the rules refuse
/// are simply refused (and change nothing).
#[derive(Debug, Clone, Copy)]
pub enum Op {
    Receive {
        org: u16,
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
        target: u8,
        partner: u16,
        restricted: bool,
        enable: bool,
    },
    ShareState {
        share: u16,
        kind: u8,
    },
    Patient {
        patient: u8,
        share: bool,
    },
    Cover {
        user: u16,
        mask: u16,
    },
    /// An agreement proposed by `a`'s admin to `b` (D1).
    Propose {
        a: u16,
        b: u16,
    },
    /// An agreement answered by its partner's admin (D2).
    Accept {
        agreement: u16,
    },
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<u16>(), 0u8..4).prop_map(|(org, patient)| Op::Receive { org, patient }),
        6 => (any::<u16>(), any::<u16>(), any::<u16>())
            .prop_map(|(request, actor, target)| Op::Assign { request, actor, target }),
        2 => (any::<u16>(), any::<u16>()).prop_map(|(request, actor)| Op::Close { request, actor }),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(request, actor)| Op::Reopen { request, actor }),
        1 => (any::<u16>(), 0u8..4, any::<u16>(), any::<bool>(), prop::bool::weighted(0.8))
            .prop_map(|(owner, target, partner, restricted, enable)| Op::Share {
                owner, target, partner, restricted, enable
            }),
        1 => (any::<u16>(), 0u8..4).prop_map(|(share, kind)| Op::ShareState { share, kind }),
        1 => (0u8..4, any::<bool>()).prop_map(|(patient, share)| Op::Patient { patient, share }),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(user, mask)| Op::Cover { user, mask }),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Op::Propose { a, b }),
        1 => any::<u16>().prop_map(|agreement| Op::Accept { agreement }),
    ]
}

/// A world being driven by random commands, with a clock that repeats instants (ties in the
/// C4 order are broken by id) and sometimes goes back.
pub struct Driver {
    pub w: World,
    pub orgs: usize,
    pub next: u64,
    pub shares: Vec<(usize, usize, ShareId)>,
    /// Agreements proposed: (id, proposer, partner).
    pub agreements: Vec<(AgreementId, usize, usize)>,
    pub clock_spread: i64,
    /// From now on, the server's clock: every instant later than any before
    /// (`api-mock`'s `Store::now` is strictly increasing across changes).
    pub monotonic: bool,
}

impl Driver {
    pub fn new(
        orgs: usize,
        patients: [bool; 4],
        clock_spread: i64,
    ) -> Result<Driver, TestCaseError> {
        let mut w = World::new();
        for o in 0..orgs {
            w.add_organisation(Organisation {
                ods_code: ods(o),
                name: format!("Organisation {o}"),
                kind: "gp_practice".into(),
                postcode: "LS1 1AA".into(),
                active: true,
            })
            .map_err(fail)?;
            for (k, id) in users(o).into_iter().enumerate() {
                w.add_user(User {
                    name: format!("User {id}"),
                    id,
                    role: if k == 0 { Role::Admin } else { Role::Staff },
                    ods_code: ods(o),
                    active: true,
                })
                .map_err(fail)?;
            }
            for k in 0..2 {
                w.add_group(Group {
                    id: GroupId::new(group(o, k).as_str()),
                    name: format!("Group {o} {k}"),
                    ods_code: ods(o),
                })
                .map_err(fail)?;
            }
        }
        for (p, nhs) in NHS.iter().enumerate() {
            w.add_patient(Patient {
                id: PatientId::new(format!("p{p}")),
                name: format!("Patient {p}"),
                nhs_number: NhsNumber::parse(nhs).map_err(fail)?,
                date_of_birth: "1960-01-01".into(),
                sharing: if patients[p] {
                    Sharing::Share
                } else {
                    Sharing::DoNotShare
                },
            })
            .map_err(fail)?;
        }
        Ok(Driver {
            w,
            orgs,
            next: 0,
            shares: Vec::new(),
            agreements: Vec::new(),
            clock_spread,
            monotonic: false,
        })
    }

    pub fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    /// Instants repeat (ties) and sometimes go back a little.
    pub fn now(&self) -> Timestamp {
        let n = self.next as i64;
        if self.monotonic {
            // Above every earlier instant (at most spread - 1 + n / 3 past the base), and
            // increasing with n.
            return Timestamp::from_millis(1_795_600_800_000 + self.clock_spread + n);
        }
        Timestamp::from_millis(1_795_600_800_000 + (n * 7919) % self.clock_spread + n / 3)
    }

    pub fn request_id(&self, i: u16) -> Option<RequestId> {
        let all = self.w.requests();
        (!all.is_empty()).then(|| all[i as usize % all.len()].id.clone())
    }

    /// The request received last, as an index for [`Op::Assign`] and friends.
    pub fn last_request(&self) -> u16 {
        u16::try_from(self.w.requests().len().saturating_sub(1)).unwrap_or(u16::MAX)
    }

    /// A user of an organisation that sees the request (V1–V3), so the command can pass.
    pub fn seer(&self, id: &RequestId, actor: u16) -> UserId {
        let seers: Vec<usize> = (0..self.orgs)
            .filter(|&o| self.w.visibility(id, &ods(o)).is_some())
            .collect();
        let o = seers[actor as usize % seers.len().max(1)];
        staff(o, actor as usize % 2)
    }

    pub fn apply(&mut self, op: Op) -> Result<(), TestCaseError> {
        let now = self.now();
        let eid = EventId::new(self.fresh("e"));
        let answer: Result<(), DomainError> = match op {
            Op::Receive { org, patient } => {
                let id = RequestId::new(self.fresh("r"));
                self.w
                    .receive_request(
                        NewRequest {
                            id,
                            origin: ods(org as usize % self.orgs),
                            patient: PatientId::new(format!("p{patient}")),
                            kind: RequestKind::Admin,
                            subject: "Fit note".into(),
                            message: "Please.".into(),
                        },
                        now,
                        eid,
                    )
                    .map(drop)
            }
            Op::Assign {
                request,
                actor,
                target,
            } => {
                let Some(id) = self.request_id(request) else {
                    return Ok(());
                };
                let user = self.seer(&id, actor);
                let own = self.w.user(&user).map(|u| u.ods_code.clone());
                // Mostly a target of the actor's own organisation, sometimes any target.
                let o = match own {
                    Some(code) if target % 3 != 0 => {
                        (0..self.orgs).find(|&o| ods(o) == code).unwrap_or(0)
                    }
                    _ => target as usize % self.orgs,
                };
                let t = targets(o)[(target as usize / 7) % 4].clone();
                let version = self.w.request(&id).map_or(0, |r| r.version);
                self.w
                    .assign_request(&user, &id, &t, version, Some(REASON), now, eid)
                    .map(drop)
            }
            Op::Close { request, actor } | Op::Reopen { request, actor } => {
                let Some(id) = self.request_id(request) else {
                    return Ok(());
                };
                let user = self.seer(&id, actor);
                let version = self.w.request(&id).map_or(0, |r| r.version);
                if matches!(op, Op::Close { .. }) {
                    self.w.close_request(&user, &id, version, now, eid)
                } else {
                    self.w.reopen_request(&user, &id, version, now, eid)
                }
                .map(drop)
            }
            Op::Share {
                owner,
                target,
                partner,
                restricted,
                enable,
            } => {
                let (o, p) = (owner as usize % self.orgs, partner as usize % self.orgs);
                let id = ShareId::new(self.fresh("s"));
                let t = targets(o)[target as usize % 4].clone();
                let shared =
                    self.w
                        .share_target(&admin(o), &t, &ods(p), restricted, now, id.clone(), eid);
                if shared.is_ok() {
                    self.shares.push((o, p, id.clone()));
                    if enable {
                        let eid = EventId::new(self.fresh("e"));
                        self.w
                            .enable_share(&admin(p), &id, now, eid)
                            .map_err(fail)?;
                    }
                }
                Ok(())
            }
            Op::ShareState { share, kind } => {
                if self.shares.is_empty() {
                    return Ok(());
                }
                let (o, p, id) = self.shares[share as usize % self.shares.len()].clone();
                let restricted = self.w.share_for(&id, &ods(o)).is_some_and(|s| s.restricted);
                match kind {
                    0 => self.w.disable_share(&admin(p), &id, now, eid).map(drop),
                    1 => self.w.enable_share(&admin(p), &id, now, eid).map(drop),
                    2 => self
                        .w
                        .set_share_restricted(&admin(o), &id, !restricted, now, eid)
                        .map(drop),
                    _ => self.w.remove_share(&admin(o), &id, now, eid).map(drop),
                }
            }
            Op::Patient { patient, share } => self.w.set_patient_sharing(
                &PatientId::new(format!("p{patient}")),
                if share {
                    Sharing::Share
                } else {
                    Sharing::DoNotShare
                },
            ),
            Op::Cover { user, mask } => {
                let o = user as usize % self.orgs;
                let u = users(o)[(user as usize / 5) % 3].clone();
                let can = self.w.coverable(&u).map_err(fail)?;
                let pick: Vec<FolderId> = can
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << (i % 16)) != 0)
                    .map(|(_, f)| f)
                    .collect();
                self.w.set_covers(&u, &pick, now, eid).map(drop)
            }
            Op::Propose { a, b } => {
                let (a, b) = (a as usize % self.orgs, b as usize % self.orgs);
                let id = AgreementId::new(self.fresh("d"));
                let proposed =
                    self.w
                        .propose_agreement(&admin(a), &ods(b), "DSA", now, id.clone(), eid);
                if proposed.is_ok() {
                    self.agreements.push((id, a, b));
                }
                proposed.map(drop)
            }
            Op::Accept { agreement } => {
                let Some((id, _, b)) = self
                    .agreements
                    .get(agreement as usize % self.agreements.len().max(1))
                    .cloned()
                else {
                    return Ok(());
                };
                self.w.accept_agreement(&admin(b), &id, now, eid).map(drop)
            }
        };
        // A refusal is fine: the rules decide; the pages must follow whatever happened.
        let _ = answer;
        Ok(())
    }
}
