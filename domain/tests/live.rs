//! Who is told of a change (SPEC E1, E2 with V1–V4 and R1): `World::notices_since` on a small
//! network, one test per case, named as sentences.
//!
//! - A81001 Ashby Practice (origin of the requests), users `a_admin`, `a_staff`, group
//!   `a_reception`;
//! - U12345 Riverside PCN, users `u_admin`, `u_staff`, group `u_carehome`;
//! - RXX County Trust, users `x_admin`, `x_staff`, group `x_frailty`;
//! - B82002 Brook Practice, users `b_admin`, `b_staff`.
//!
//! Patients: `p_share` (share) and `p_private` (do_not_share).

use domain::{
    AgreementId, EventId, FolderId, Group, GroupId, LiveEvent, NewRequest, NhsNumber, Notice,
    OdsCode, Organisation, Patient, PatientId, RequestId, RequestKind, Role, ShareId, ShareState,
    Sharing, TargetId, Timestamp, Touched, User, UserId, World,
};

const A: &str = "A81001";
const U: &str = "U12345";
const X: &str = "RXX";
const B: &str = "B82002";

fn ods(s: &str) -> OdsCode {
    OdsCode::parse(s).expect("test ODS code")
}

struct Net {
    w: World,
    n: u64,
}

impl Net {
    fn new() -> Net {
        let mut w = World::new();
        for (code, name) in [
            (A, "Ashby Practice"),
            (U, "Riverside PCN"),
            (X, "County Trust"),
            (B, "Brook Practice"),
        ] {
            w.add_organisation(Organisation {
                ods_code: ods(code),
                name: name.into(),
                kind: "gp_practice".into(),
                postcode: "LS1 1AA".into(),
                active: true,
            })
            .expect("org");
        }
        for (org, prefix) in [(A, "a"), (U, "u"), (X, "x"), (B, "b")] {
            for (role, suffix) in [(Role::Admin, "admin"), (Role::Staff, "staff")] {
                w.add_user(User {
                    id: UserId::new(format!("{prefix}_{suffix}")),
                    name: format!("User {prefix}_{suffix}"),
                    role,
                    ods_code: ods(org),
                    active: true,
                })
                .expect("user");
            }
        }
        for (id, org) in [("a_reception", A), ("u_carehome", U), ("x_frailty", X)] {
            w.add_group(Group {
                id: GroupId::new(id),
                name: format!("Group {id}"),
                ods_code: ods(org),
            })
            .expect("group");
        }
        for (id, nhs, sharing) in [
            ("p_share", "9434765919", Sharing::Share),
            ("p_private", "4010232137", Sharing::DoNotShare),
        ] {
            w.add_patient(Patient {
                id: PatientId::new(id),
                name: format!("Patient {id}"),
                nhs_number: NhsNumber::parse(nhs).expect("nhs"),
                date_of_birth: "1950-03-01".into(),
                sharing,
            })
            .expect("patient");
        }
        Net { w, n: 0 }
    }

    fn ev(&mut self) -> (Timestamp, EventId) {
        self.n += 1;
        (
            Timestamp::from_millis(1_795_600_800_000 + 60_000 * self.n as i64),
            EventId::new(format!("e{}", self.n)),
        )
    }

    /// Runs one command and returns the notices of the change it made.
    fn run(&mut self, f: impl FnOnce(&mut World, Timestamp, EventId)) -> Vec<Notice> {
        self.run_touching(Touched::default(), f)
    }

    fn run_touching(
        &mut self,
        extra: Touched,
        f: impl FnOnce(&mut World, Timestamp, EventId),
    ) -> Vec<Notice> {
        let before = self.w.clone();
        let (now, ev) = self.ev();
        f(&mut self.w, now, ev);
        let mut touched =
            Touched::from_audit(self.w.audit_log().iter().skip(before.audit_log().len()));
        touched.patients = extra.patients;
        self.w.notices_since(&before, &touched)
    }

    fn receive(&mut self, id: &str, patient: &str) -> Vec<Notice> {
        let new = NewRequest {
            id: RequestId::new(id),
            origin: ods(A),
            patient: PatientId::new(patient),
            kind: RequestKind::Medical,
            subject: format!("Subject of {id}"),
            message: "Please call me back.".into(),
        };
        self.run(|w, now, ev| {
            w.receive_request(new, now, ev).expect("receive");
        })
    }

    fn share(&mut self, target: &str, partner: &str, restricted: bool) -> (ShareId, Vec<Notice>) {
        self.n += 1;
        let id = ShareId::new(format!("s{}", self.n));
        let owner = format!("{}_admin", &target[..1]);
        let sid = id.clone();
        let notices = self.run(|w, now, ev| {
            w.share_target(
                &UserId::new(owner),
                &TargetId::new(target),
                &ods(partner),
                restricted,
                now,
                sid,
                ev,
            )
            .expect("share");
        });
        (id, notices)
    }

    fn enable(&mut self, partner_admin: &str, share: &ShareId) -> Vec<Notice> {
        self.run(|w, now, ev| {
            w.enable_share(&UserId::new(partner_admin), share, now, ev)
                .expect("enable");
        })
    }

    fn assign(&mut self, user: &str, request: &str, target: &str, reason: bool) -> Vec<Notice> {
        let version = self
            .w
            .request(&RequestId::new(request))
            .expect("request")
            .version;
        self.run(|w, now, ev| {
            w.assign_request(
                &UserId::new(user),
                &RequestId::new(request),
                &TargetId::new(target),
                version,
                reason.then_some("The patient agreed to this by phone today."),
                now,
                ev,
            )
            .expect("assign");
        })
    }
}

/// The organisations told of request `id` with `visible`.
fn told(notices: &[Notice], id: &str, visible: bool) -> Vec<String> {
    notices
        .iter()
        .filter(|n| {
            matches!(&n.event, LiveEvent::Request { id: r, visible: v, .. }
                if r.as_str() == id && *v == visible)
        })
        .flat_map(|n| n.organisations.iter().map(|o| o.to_string()))
        .collect()
}

fn request_notices(notices: &[Notice]) -> usize {
    notices
        .iter()
        .filter(|n| matches!(n.event, LiveEvent::Request { .. }))
        .count()
}

#[test]
fn e2_a_received_request_is_told_to_its_origin_only() {
    let mut net = Net::new();
    let n = net.receive("r1", "p_share");
    assert_eq!(told(&n, "r1", true), [A]);
    assert_eq!(n.len(), 1);
    assert!(matches!(n[0].event, LiveEvent::Request { version: 1, .. }));
}

#[test]
fn e1_r1_a_share_created_and_enabled_is_told_to_its_owner_and_partner_only() {
    let mut net = Net::new();
    let (s, n) = net.share("u_carehome", A, false);
    assert_eq!(n.len(), 1);
    let mut parties = [A, U];
    parties.sort();
    assert_eq!(
        n[0].organisations,
        parties.iter().map(|c| ods(c)).collect::<Vec<_>>()
    );
    assert!(
        matches!(&n[0].event, LiveEvent::Share { state: Some(ShareState::Pending), restricted: false, id, .. } if *id == s)
    );
    let n = net.enable("a_admin", &s);
    assert!(matches!(
        n[0].event,
        LiveEvent::Share {
            state: Some(ShareState::Enabled),
            ..
        }
    ));
    assert!(!n[0].organisations.contains(&ods(X)) && !n[0].organisations.contains(&ods(B)));
}

#[test]
fn e2_v1_v2_a_request_assigned_to_a_partners_group_is_told_to_both_and_not_to_a_third() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    // X shares its frailty team with U, unrelated to the request.
    let (s2, _) = net.share("x_frailty", U, false);
    net.enable("u_admin", &s2);
    net.receive("r1", "p_share");
    let n = net.assign("a_staff", "r1", "u_carehome", false);
    assert_eq!(told(&n, "r1", true), [A, U]);
    assert!(told(&n, "r1", false).is_empty());
    assert!(n
        .iter()
        .all(|x| !x.organisations.contains(&ods(X)) && !x.organisations.contains(&ods(B))));
}

#[test]
fn e2_v2_enabling_an_unrestricted_share_tells_the_partner_of_the_requests_it_now_sees() {
    let mut net = Net::new();
    // The care home team holds a request of U's own (A sent it there before the share with X).
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    net.receive("r1", "p_share");
    net.receive("r2", "p_private");
    net.assign("a_staff", "r1", "u_carehome", false);
    net.assign("a_staff", "r2", "u_carehome", true);
    let (sx, n) = net.share("u_carehome", X, false);
    assert_eq!(
        request_notices(&n),
        0,
        "a pending share grants nothing (V2)"
    );
    let n = net.enable("x_admin", &sx);
    // Only the partner's sight changed, and only of the sharing patient's request (V2, V3).
    assert_eq!(told(&n, "r1", true), [X]);
    assert!(told(&n, "r2", true).is_empty());
    assert_eq!(request_notices(&n), 1);
}

#[test]
fn e2_v3_a_restricted_share_tells_the_partner_nothing_of_the_requests_in_the_target() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    net.receive("r1", "p_share");
    net.assign("a_staff", "r1", "u_carehome", false);
    let (sx, _) = net.share("u_carehome", X, true);
    let n = net.enable("x_admin", &sx);
    assert_eq!(request_notices(&n), 0);
    // A later move inside U (a request X does not see) tells X nothing either.
    net.receive("r2", "p_share");
    let n = net.assign("a_staff", "r2", "u_carehome", false);
    assert_eq!(told(&n, "r2", true), [A, U]);
}

#[test]
fn e2_v3_a_do_not_share_request_in_a_shared_target_is_never_told_to_the_partner() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    let (sx, _) = net.share("u_carehome", X, false);
    net.enable("x_admin", &sx);
    net.receive("r2", "p_private");
    let n = net.assign("a_staff", "r2", "u_carehome", true);
    assert_eq!(told(&n, "r2", true), [A, U]);
    assert!(n.iter().all(|x| !x.organisations.contains(&ods(X))));
}

#[test]
fn e2_v4_restricting_disabling_or_removing_tells_the_partner_it_no_longer_sees() {
    for how in 0..3 {
        let mut net = Net::new();
        let (s, _) = net.share("u_carehome", A, false);
        net.enable("a_admin", &s);
        let (sx, _) = net.share("u_carehome", X, false);
        net.enable("x_admin", &sx);
        net.receive("r1", "p_share");
        net.assign("a_staff", "r1", "u_carehome", false);
        let n = net.run(|w, now, ev| {
            let r = match how {
                0 => w.set_share_restricted(&UserId::new("u_admin"), &sx, true, now, ev),
                1 => w.disable_share(&UserId::new("x_admin"), &sx, now, ev),
                _ => w.remove_share(&UserId::new("u_admin"), &sx, now, ev),
            };
            r.expect("change");
        });
        assert_eq!(told(&n, "r1", false), [X], "case {how}");
        assert!(
            told(&n, "r1", true).is_empty(),
            "A and U still see it: not told"
        );
        let share = n
            .iter()
            .find(|x| matches!(x.event, LiveEvent::Share { .. }));
        let share = share.expect("a share event");
        let mut parties = vec![ods(U), ods(X)];
        parties.sort();
        assert_eq!(share.organisations, parties);
        if how == 2 {
            assert!(matches!(share.event, LiveEvent::Share { state: None, .. }));
        }
    }
}

#[test]
fn e2_v2_v4_a_patient_who_stops_sharing_is_told_only_to_the_partners_who_lose_sight() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    let (sx, _) = net.share("u_carehome", X, false);
    net.enable("x_admin", &sx);
    net.receive("r1", "p_share");
    net.assign("a_staff", "r1", "u_carehome", false);
    let p = PatientId::new("p_share");
    let n = net.run_touching(Touched::patient(p.clone()), |w, _, _| {
        w.set_patient_sharing(&p, Sharing::DoNotShare)
            .expect("patient");
    });
    assert_eq!(told(&n, "r1", false), [X]);
    assert_eq!(request_notices(&n), 1);
    let n = net.run_touching(Touched::patient(p.clone()), |w, _, _| {
        w.set_patient_sharing(&p, Sharing::Share).expect("patient");
    });
    assert_eq!(told(&n, "r1", true), [X]);
    // The same preference again changes nothing: nobody is told.
    let n = net.run_touching(Touched::patient(p.clone()), |w, _, _| {
        w.set_patient_sharing(&p, Sharing::Share).expect("patient");
    });
    assert!(n.is_empty());
}

#[test]
fn e2_v1_an_assignment_that_moves_a_request_out_of_a_shared_target_tells_the_partner_it_is_gone() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    let (sx, _) = net.share("u_carehome", X, false);
    net.enable("x_admin", &sx);
    net.receive("r1", "p_share");
    net.assign("a_staff", "r1", "u_carehome", false);
    let n = net.assign("u_staff", "r1", "u_admin", false);
    assert_eq!(told(&n, "r1", true), [A, U]);
    assert_eq!(told(&n, "r1", false), [X]);
}

#[test]
fn e1_s6_covers_changed_or_dropped_are_told_to_their_user_only() {
    let mut net = Net::new();
    let (s, _) = net.share("u_carehome", A, false);
    net.enable("a_admin", &s);
    let n = net.run(|w, now, ev| {
        w.set_covers(
            &UserId::new("a_staff"),
            &[FolderId::Target(TargetId::new("u_carehome"))],
            now,
            ev,
        )
        .expect("covers");
    });
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].user, Some(UserId::new("a_staff")));
    // Told to the user only, numbered in the user's organisation (API.md "Live updates").
    assert_eq!(n[0].organisations, vec![ods(A)]);
    assert!(n[0].reaches(&ods(A), &UserId::new("a_staff")));
    assert!(!n[0].reaches(&ods(A), &UserId::new("a_admin")));
    // Restricting the share keeps it enabled and the cover with it (S6): the user is not told.
    let n = net.run(|w, now, ev| {
        w.set_share_restricted(&UserId::new("u_admin"), &s, true, now, ev)
            .expect("restrict");
    });
    assert_eq!(n.len(), 1, "the share event only: {n:?}");
    assert!(matches!(
        n[0].event,
        LiveEvent::Share {
            restricted: true,
            ..
        }
    ));
    let n = net.run(|w, now, ev| {
        w.disable_share(&UserId::new("a_admin"), &s, now, ev)
            .expect("disable");
    });
    assert!(n
        .iter()
        .any(|x| x.event == LiveEvent::Covers && x.user == Some(UserId::new("a_staff"))));
}

#[test]
fn e1_r1_an_agreement_is_told_to_its_two_parties_with_whether_it_is_active() {
    let mut net = Net::new();
    let id = AgreementId::new("d1");
    let aid = id.clone();
    let n = net.run(|w, now, ev| {
        w.propose_agreement(&UserId::new("a_admin"), &ods(X), "DSA-1", now, aid, ev)
            .expect("propose");
    });
    let mut parties = vec![ods(A), ods(X)];
    parties.sort();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].organisations, parties);
    assert_eq!(
        n[0].event,
        LiveEvent::Agreement {
            id: id.clone(),
            active: false
        }
    );
    let n = net.run(|w, now, ev| {
        w.accept_agreement(&UserId::new("x_admin"), &id, now, ev)
            .expect("accept");
    });
    assert_eq!(n[0].event, LiveEvent::Agreement { id, active: true });
}
