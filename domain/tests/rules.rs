//! One test per rule of SPEC §3 (at least), named as sentences and citing rule ids, on a small
//! demo network:
//!
//! - A81001 Ashby Practice (origin of the requests), users `a_admin`, `a_staff`, `a_inactive`,
//!   group `a_reception`;
//! - U12345 Riverside PCN, users `u_admin`, `u_staff`, group `u_carehome` (Care home team);
//! - RXX County Trust, users `x_admin`, `x_staff`, group `x_frailty` (Frailty team);
//! - B82002 Brook Practice, users `b_admin`, `b_staff`;
//! - Z99999 Closed Practice (inactive).
//!
//! Patients: `p_share` (share) and `p_private` (do_not_share).

use domain::{
    AgreementId, Answer, Assignee, AuditAction, Consent, DomainError, EventId, FolderId,
    FolderKind, Group, GroupId, HistoryAction, NewRequest, NhsNumber, OdsCode, Organisation,
    Override, Patient, PatientId, RequestId, RequestKind, RequestStatus, Role, ShareId, ShareState,
    Sharing, StatusFilter, TargetId, Timestamp, User, UserId, VisibleBecause, World,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const A: &str = "A81001";
const U: &str = "U12345";
const X: &str = "RXX";
const B: &str = "B82002";
const Z: &str = "Z99999";

fn ods(s: &str) -> OdsCode {
    OdsCode::parse(s).expect("test ODS code")
}
fn uid(s: &str) -> UserId {
    UserId::new(s)
}
fn tid(s: &str) -> TargetId {
    TargetId::new(s)
}
fn rid(s: &str) -> RequestId {
    RequestId::new(s)
}

struct Net {
    w: World,
    n: u64,
}

impl Net {
    fn new() -> Net {
        let mut w = World::new();
        for (code, name, active) in [
            (A, "Ashby Practice", true),
            (U, "Riverside PCN", true),
            (X, "County Trust", true),
            (B, "Brook Practice", true),
            (Z, "Closed Practice", false),
        ] {
            w.add_organisation(Organisation {
                ods_code: ods(code),
                name: name.into(),
                kind: "gp_practice".into(),
                postcode: "LS1 1AA".into(),
                active,
            })
            .expect("org");
        }
        for (id, org, role, active) in [
            ("a_admin", A, Role::Admin, true),
            ("a_staff", A, Role::Staff, true),
            ("a_inactive", A, Role::Staff, false),
            ("u_admin", U, Role::Admin, true),
            ("u_staff", U, Role::Staff, true),
            ("x_admin", X, Role::Admin, true),
            ("x_staff", X, Role::Staff, true),
            ("b_admin", B, Role::Admin, true),
            ("b_staff", B, Role::Staff, true),
        ] {
            w.add_user(User {
                id: uid(id),
                name: format!("User {id}"),
                role,
                ods_code: ods(org),
                active,
            })
            .expect("user");
        }
        for (id, org, name) in [
            ("a_reception", A, "Reception"),
            ("u_carehome", U, "Care home team"),
            ("x_frailty", X, "Frailty team"),
        ] {
            w.add_group(Group {
                id: GroupId::new(id),
                name: name.into(),
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
        let mut net = Net { w, n: 0 };
        net.receive("r_share", A, "p_share");
        net.receive("r_private", A, "p_private");
        net
    }

    fn ev(&mut self) -> EventId {
        self.n += 1;
        EventId::new(format!("e{}", self.n))
    }

    fn now(&self) -> Timestamp {
        Timestamp::from_millis(1_795_600_800_000 + 60_000 * self.n as i64)
    }

    fn receive(&mut self, id: &str, origin: &str, patient: &str) {
        let (now, ev) = (self.now(), self.ev());
        self.w
            .receive_request(
                NewRequest {
                    id: rid(id),
                    origin: ods(origin),
                    patient: PatientId::new(patient),
                    kind: RequestKind::Medical,
                    subject: format!("Subject of {id}"),
                    message: "Please call me back.".into(),
                },
                now,
                ev,
            )
            .expect("receive");
    }

    /// Shares `target` with `partner`, as its owner's admin, and returns the share id.
    fn share(
        &mut self,
        admin: &str,
        target: &str,
        partner: &str,
        restricted: bool,
    ) -> Result<ShareId, DomainError> {
        self.n += 1;
        let id = ShareId::new(format!("s{}", self.n));
        let (now, ev) = (self.now(), self.ev());
        self.w
            .share_target(
                &uid(admin),
                &tid(target),
                &ods(partner),
                restricted,
                now,
                id.clone(),
                ev,
            )
            .map(|_| id)
    }

    fn enable(&mut self, admin: &str, share: &ShareId) -> Result<usize, DomainError> {
        let (now, ev) = (self.now(), self.ev());
        self.w
            .enable_share(&uid(admin), share, now, ev)
            .map(|e| e.len())
    }

    fn disable(&mut self, admin: &str, share: &ShareId) -> Result<usize, DomainError> {
        let (now, ev) = (self.now(), self.ev());
        self.w
            .disable_share(&uid(admin), share, now, ev)
            .map(|e| e.len())
    }

    /// An enabled share.
    fn shared(
        &mut self,
        owner_admin: &str,
        target: &str,
        partner: &str,
        partner_admin: &str,
        restricted: bool,
    ) -> ShareId {
        let s = self
            .share(owner_admin, target, partner, restricted)
            .expect("share");
        self.enable(partner_admin, &s).expect("enable");
        s
    }

    fn version(&self, request: &str) -> u64 {
        self.w.request(&rid(request)).map_or(0, |r| r.version)
    }

    fn assign(
        &mut self,
        user: &str,
        request: &str,
        target: &str,
        reason: Option<&str>,
    ) -> Result<(), DomainError> {
        let v = self.version(request);
        let (now, ev) = (self.now(), self.ev());
        self.w
            .assign_request(&uid(user), &rid(request), &tid(target), v, reason, now, ev)
            .map(|_| ())
    }

    fn close(&mut self, user: &str, request: &str) -> Result<(), DomainError> {
        let v = self.version(request);
        let (now, ev) = (self.now(), self.ev());
        self.w
            .close_request(&uid(user), &rid(request), v, now, ev)
            .map(|_| ())
    }

    fn reopen(&mut self, user: &str, request: &str) -> Result<(), DomainError> {
        let v = self.version(request);
        let (now, ev) = (self.now(), self.ev());
        self.w
            .reopen_request(&uid(user), &rid(request), v, now, ev)
            .map(|_| ())
    }

    fn propose(&mut self, admin: &str, partner: &str) -> Result<AgreementId, DomainError> {
        self.n += 1;
        let id = AgreementId::new(format!("d{}", self.n));
        let (now, ev) = (self.now(), self.ev());
        self.w
            .propose_agreement(
                &uid(admin),
                &ods(partner),
                "DSA-2026-01",
                now,
                id.clone(),
                ev,
            )
            .map(|_| id)
    }

    fn accept(&mut self, admin: &str, id: &AgreementId) -> Result<usize, DomainError> {
        let (now, ev) = (self.now(), self.ev());
        self.w
            .accept_agreement(&uid(admin), id, now, ev)
            .map(|e| e.len())
    }

    fn refuse(&mut self, admin: &str, id: &AgreementId) -> Result<usize, DomainError> {
        let (now, ev) = (self.now(), self.ev());
        self.w
            .refuse_agreement(&uid(admin), id, now, ev)
            .map(|e| e.len())
    }

    fn cover(&mut self, user: &str, folders: &[&str]) -> Result<usize, DomainError> {
        let folders: Vec<FolderId> = folders.iter().map(|f| FolderId::parse(f)).collect();
        let (now, ev) = (self.now(), self.ev());
        self.w
            .set_covers(&uid(user), &folders, now, ev)
            .map(|e| e.len())
    }

    fn sees(&self, request: &str, org: &str) -> Option<VisibleBecause> {
        self.w.visibility(&rid(request), &ods(org))
    }

    fn folder_count(&self, user: &str, folder: &str) -> Option<usize> {
        self.w
            .folders(&uid(user))
            .ok()?
            .into_iter()
            .find(|f| f.id.as_str() == folder)
            .map(|f| f.open_count)
    }

    fn messages(&self, user: &str, status: StatusFilter) -> Vec<String> {
        self.w
            .messages(&uid(user), status)
            .map(|l| l.iter().map(|r| r.id.to_string()).collect())
            .unwrap_or_default()
    }
}

/// Runs a command that must be refused with `expected` and checks that it changed nothing.
fn refused(
    net: &mut Net,
    expected: DomainError,
    f: impl FnOnce(&mut Net) -> Result<(), DomainError>,
) {
    let before = net.w.snapshot();
    assert_eq!(f(net), Err(expected));
    assert_eq!(
        net.w.snapshot(),
        before,
        "a refused command changed the world"
    );
}

// ---------------------------------------------------------------------------------------------
// Sharing S1–S7
// ---------------------------------------------------------------------------------------------

#[test]
fn s1_only_an_admin_of_the_owner_shares_a_target() {
    let mut net = Net::new();
    refused(&mut net, DomainError::Forbidden, |n| {
        n.share("a_staff", "a_reception", U, false).map(|_| ())
    });
    // Another organisation's target does not exist for an organisation it is not shared with.
    refused(&mut net, DomainError::NotFound, |n| {
        n.share("b_admin", "a_reception", U, false).map(|_| ())
    });
    assert!(net.share("a_admin", "a_reception", U, false).is_ok());
    // The partner knows the target but may not share it on.
    refused(&mut net, DomainError::Forbidden, |n| {
        n.share("u_admin", "a_reception", B, false).map(|_| ())
    });
}

#[test]
fn s2_sharing_the_same_target_with_the_same_partner_twice_is_already_shared() {
    let mut net = Net::new();
    assert!(net.share("a_admin", "a_reception", U, false).is_ok());
    assert!(net.share("a_admin", "a_reception", X, true).is_ok());
    refused(&mut net, DomainError::AlreadyShared, |n| {
        n.share("a_admin", "a_reception", U, true).map(|_| ())
    });
    assert_eq!(
        net.w
            .targets_of(&ods(A))
            .iter()
            .find(|(t, _)| t.id == tid("a_reception"))
            .map(|(_, s)| s.len()),
        Some(2)
    );
}

#[test]
fn s3_no_share_with_own_unknown_or_inactive_organisation_nor_of_sent_externally() {
    let mut net = Net::new();
    for partner in [A, Z, "Q00000"] {
        refused(&mut net, DomainError::PartnerNotAvailable, |n| {
            n.share("a_admin", "a_reception", partner, false)
                .map(|_| ())
        });
    }
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.share("a_admin", "sent_externally", U, false).map(|_| ())
    });
}

#[test]
fn s4_a_new_share_is_pending_and_only_the_partner_admin_enables_or_disables_it() -> TestResult {
    let mut net = Net::new();
    let s = net.share("a_admin", "a_reception", U, false)?;
    assert_eq!(
        net.w.share_for(&s, &ods(A)).map(|s| s.state),
        Some(ShareState::Pending)
    );
    // Disable on a pending share is an invalid transition; the partner simply leaves it.
    refused(&mut net, DomainError::InvalidTransition, |n| {
        n.disable("u_admin", &s).map(|_| ())
    });
    // The owner cannot enable its own share, partner staff get 403, anyone else 404.
    refused(&mut net, DomainError::Forbidden, |n| {
        n.enable("a_admin", &s).map(|_| ())
    });
    refused(&mut net, DomainError::Forbidden, |n| {
        n.enable("u_staff", &s).map(|_| ())
    });
    refused(&mut net, DomainError::NotFound, |n| {
        n.enable("b_admin", &s).map(|_| ())
    });
    assert_eq!(net.enable("u_admin", &s)?, 1);
    assert_eq!(
        net.w.share_for(&s, &ods(U)).map(|s| s.state),
        Some(ShareState::Enabled)
    );
    // Asking for the state it already has succeeds and changes nothing.
    let before = net.w.snapshot();
    assert_eq!(net.enable("u_admin", &s)?, 0);
    assert_eq!(net.w.snapshot(), before);
    assert_eq!(net.disable("u_admin", &s)?, 1);
    assert_eq!(net.disable("u_admin", &s)?, 0);
    assert_eq!(net.enable("u_admin", &s)?, 1);
    assert_eq!(
        net.w.share_for(&s, &ods(U)).map(|s| s.state),
        Some(ShareState::Enabled)
    );
    Ok(())
}

#[test]
fn s5_the_owner_edits_only_the_restricted_flag_and_the_state_is_kept() -> TestResult {
    let mut net = Net::new();
    let s = net.shared("a_admin", "a_reception", U, "u_admin", false);
    let (now, ev) = (net.now(), net.ev());
    assert_eq!(
        net.w
            .set_share_restricted(&uid("a_admin"), &s, true, now, ev)?
            .len(),
        1
    );
    let share = net.w.share_for(&s, &ods(A)).cloned();
    assert_eq!(
        share.map(|s| (s.restricted, s.state)),
        Some((true, ShareState::Enabled))
    );
    // The same value again changes nothing and records nothing.
    let before = net.w.snapshot();
    let (now, ev) = (net.now(), net.ev());
    assert_eq!(
        net.w
            .set_share_restricted(&uid("a_admin"), &s, true, now, ev)?
            .len(),
        0
    );
    assert_eq!(net.w.snapshot(), before);
    // The partner may not edit it, staff of the owner neither.
    for user in ["u_admin", "a_staff"] {
        refused(&mut net, DomainError::Forbidden, |n| {
            let (now, ev) = (n.now(), n.ev());
            n.w.set_share_restricted(&uid(user), &s, false, now, ev)
                .map(|_| ())
        });
    }
    Ok(())
}

#[test]
fn s6_the_partner_can_neither_assign_to_nor_cover_a_target_whose_share_is_not_enabled() -> TestResult
{
    let mut net = Net::new();
    let s = net.share("a_admin", "a_reception", U, false)?;
    net.receive("r_u", U, "p_share");
    // Pending: U is not offered the target, cannot assign to it, cannot cover it.
    net.w
        .coverable(&uid("u_staff"))?
        .iter()
        .for_each(|f| assert_ne!(f.as_str(), "a_reception"));
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.cover("u_staff", &["a_reception"]).map(|_| ())
    });
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.assign("u_staff", "r_u", "a_reception", None)
    });
    net.enable("u_admin", &s)?;
    assert_eq!(net.cover("u_staff", &["a_reception"])?, 1);
    assert!(net.assign("u_staff", "r_u", "a_reception", None).is_ok());
    Ok(())
}

#[test]
fn s7_removing_a_share_moves_no_request_and_the_partner_keeps_those_it_is_involved_in() -> TestResult
{
    let mut net = Net::new();
    let s = net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    // A sends r_share to U's care home team, and U puts it in A's reception.
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.assign("u_staff", "r_share", "a_reception", None)?;
    assert_eq!(net.cover("u_staff", &["a_reception"])?, 1);
    let (now, ev) = (net.now(), net.ev());
    net.w.remove_share(&uid("a_admin"), &s, now, ev)?;
    let r = net.w.request(&rid("r_share")).cloned().ok_or("request")?;
    assert_eq!(r.assignee, Assignee::Target(tid("a_reception")));
    assert_eq!(net.sees("r_share", U), Some(VisibleBecause::Involved));
    assert_eq!(net.folder_count("u_staff", "sent_externally"), Some(1));
    // U may still manage it, but not assign to the target again; the cover is gone for good.
    assert!(net.w.covers(&uid("u_staff")).is_empty());
    net.assign("u_staff", "r_share", "u_staff", None)?;
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.assign("u_staff", "r_share", "a_reception", None)
    });
    assert!(net.close("u_staff", "r_share").is_ok());
    // The share no longer exists for either side.
    assert!(net.w.share_for(&s, &ods(A)).is_none());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Visibility V1–V4
// ---------------------------------------------------------------------------------------------

#[test]
fn v1_a_closed_request_stays_visible_to_every_organisation_it_passed_through() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", true);
    net.shared("x_admin", "x_frailty", U, "u_admin", true);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.assign("u_staff", "r_share", "x_frailty", None)?;
    net.close("x_staff", "r_share")?;
    for org in [A, U, X] {
        assert_eq!(
            net.sees("r_share", org),
            Some(VisibleBecause::Involved),
            "{org}"
        );
    }
    assert_eq!(net.sees("r_share", B), None);
    Ok(())
}

#[test]
fn v2_an_unrestricted_enabled_partner_sees_requests_in_the_target_while_the_patient_shares(
) -> TestResult {
    let mut net = Net::new();
    net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.assign("a_staff", "r_share", "a_reception", None)?;
    assert_eq!(
        net.sees("r_share", U),
        Some(VisibleBecause::UnrestrictedShare)
    );
    assert_eq!(net.sees("r_share", A), Some(VisibleBecause::Involved));
    // The patient changes their mind: V2 ends at once.
    net.w
        .set_patient_sharing(&PatientId::new("p_share"), Sharing::DoNotShare)?;
    assert_eq!(net.sees("r_share", U), None);
    net.w
        .set_patient_sharing(&PatientId::new("p_share"), Sharing::Share)?;
    assert_eq!(
        net.sees("r_share", U),
        Some(VisibleBecause::UnrestrictedShare)
    );
    // A request in the inbox is not in the target.
    assert_eq!(net.sees("r_private", U), None);
    Ok(())
}

#[test]
fn v2_involved_wins_when_both_reasons_apply() -> TestResult {
    let mut net = Net::new();
    net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.assign("u_staff", "r_share", "a_reception", None)?;
    assert_eq!(net.sees("r_share", U), Some(VisibleBecause::Involved));
    Ok(())
}

#[test]
fn v3_a_restricted_partner_does_not_see_requests_other_organisations_put_in_the_group() -> TestResult
{
    let mut net = Net::new();
    net.shared("x_admin", "x_frailty", U, "u_admin", true);
    net.shared("x_admin", "x_frailty", A, "a_admin", false);
    net.assign("a_staff", "r_share", "x_frailty", None)?;
    assert_eq!(net.sees("r_share", U), None);
    assert!(net.w.request_for(&rid("r_share"), &ods(U)).is_none());
    assert_eq!(net.folder_count("u_staff", "x_frailty"), Some(0));
    // What U puts there itself, it sees (it is involved).
    net.receive("r_u", U, "p_share");
    net.assign("u_staff", "r_u", "x_frailty", None)?;
    assert_eq!(net.folder_count("u_staff", "x_frailty"), Some(1));
    Ok(())
}

#[test]
fn v3_a_do_not_share_request_is_never_visible_through_an_unrestricted_share() -> TestResult {
    let mut net = Net::new();
    net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.assign("a_staff", "r_private", "a_reception", None)?;
    assert_eq!(net.sees("r_private", U), None);
    assert_eq!(net.folder_count("u_staff", "a_reception"), Some(0));
    assert!(net.w.visible_requests(&ods(U)).is_empty());
    Ok(())
}

#[test]
fn v4_disabling_a_share_drops_covers_and_v2_visibility_but_not_v1() -> TestResult {
    let mut net = Net::new();
    let s = net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.assign("a_staff", "r_share", "a_reception", None)?;
    net.receive("r_u", U, "p_share");
    net.assign("u_staff", "r_u", "a_reception", None)?;
    net.cover("u_staff", &["a_reception", "sent_externally"])?;
    assert_eq!(
        net.sees("r_share", U),
        Some(VisibleBecause::UnrestrictedShare)
    );
    net.disable("u_admin", &s)?;
    assert_eq!(net.sees("r_share", U), None);
    assert_eq!(net.sees("r_u", U), Some(VisibleBecause::Involved));
    assert_eq!(net.w.covers(&uid("u_staff")), &[FolderId::SentExternally]);
    assert_eq!(
        net.messages("u_staff", StatusFilter::Open),
        vec!["r_u".to_owned()]
    );
    // Enabling again restores V2 but not the dropped cover (S7).
    net.enable("u_admin", &s)?;
    assert_eq!(
        net.sees("r_share", U),
        Some(VisibleBecause::UnrestrictedShare)
    );
    assert_eq!(net.w.covers(&uid("u_staff")), &[FolderId::SentExternally]);
    Ok(())
}

#[test]
fn v4_restricting_or_removing_a_share_withdraws_v2_at_once() -> TestResult {
    let mut net = Net::new();
    let s = net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.assign("a_staff", "r_share", "a_reception", None)?;
    assert!(net.sees("r_share", U).is_some());
    let (now, ev) = (net.now(), net.ev());
    net.w
        .set_share_restricted(&uid("a_admin"), &s, true, now, ev)?;
    assert_eq!(net.sees("r_share", U), None);
    let (now, ev) = (net.now(), net.ev());
    net.w
        .set_share_restricted(&uid("a_admin"), &s, false, now, ev)?;
    assert!(net.sees("r_share", U).is_some());
    let (now, ev) = (net.now(), net.ev());
    net.w.remove_share(&uid("a_admin"), &s, now, ev)?;
    assert_eq!(net.sees("r_share", U), None);
    Ok(())
}

#[test]
fn v4_a_request_that_is_not_visible_answers_exactly_like_an_unknown_one() {
    let mut net = Net::new();
    let hidden = net.assign("u_staff", "r_share", "u_carehome", None);
    let unknown = net.assign("u_staff", "nope", "u_carehome", None);
    assert_eq!(hidden, Err(DomainError::NotFound));
    assert_eq!(hidden, unknown);
    assert_eq!(
        net.close("u_staff", "r_share"),
        net.close("u_staff", "nope")
    );
    assert!(net.w.history_for(&rid("r_share"), &ods(U)).is_none());
    assert_eq!(
        net.w.assignable(&uid("u_staff"), &rid("r_share")),
        Err(DomainError::NotFound)
    );
}

// ---------------------------------------------------------------------------------------------
// Assignment A1–A6
// ---------------------------------------------------------------------------------------------

#[test]
fn a1_a_closed_request_cannot_be_assigned_nor_to_its_current_assignee() -> TestResult {
    let mut net = Net::new();
    net.assign("a_staff", "r_share", "a_reception", None)?;
    refused(&mut net, DomainError::AlreadyAssigned, |n| {
        n.assign("a_staff", "r_share", "a_reception", None)
    });
    net.close("a_staff", "r_share")?;
    refused(&mut net, DomainError::InvalidStatus, |n| {
        n.assign("a_staff", "r_share", "a_staff", None)
    });
    refused(&mut net, DomainError::InvalidStatus, |n| {
        n.close("a_staff", "r_share")
    });
    assert_eq!(
        net.w
            .assignable(&uid("a_staff"), &rid("r_share"))
            .map(|l| l.len()),
        Ok(0)
    );
    Ok(())
}

#[test]
fn a2_only_own_targets_active_colleagues_and_enabled_shared_targets_are_available() -> TestResult {
    let mut net = Net::new();
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.assign("a_staff", "r_share", "u_carehome", None)
    });
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.assign("a_staff", "r_share", "a_inactive", None)
    });
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.assign("a_staff", "r_share", "no_such_target", None)
    });
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    let offered: Vec<String> = net
        .w
        .assignable(&uid("a_staff"), &rid("r_share"))?
        .into_iter()
        .map(|a| a.target.id.to_string())
        .collect();
    // Own group, own active colleagues by name, then the external target.
    assert_eq!(offered, ["a_reception", "a_admin", "a_staff", "u_carehome"]);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    Ok(())
}

#[test]
fn a3_a_do_not_share_request_needs_a_reason_to_go_to_an_uninvolved_organisation() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    assert_eq!(
        net.w.consent_for(&rid("r_private"), &tid("u_carehome")),
        Some(Consent::Reason)
    );
    assert!(net.w.needs_override(&rid("r_private"), &tid("u_carehome")));
    refused(&mut net, DomainError::ConsentOverrideRequired, |n| {
        n.assign("a_staff", "r_private", "u_carehome", None)
    });
    refused(&mut net, DomainError::ConsentOverrideRequired, |n| {
        n.assign("a_staff", "r_private", "u_carehome", Some("   "))
    });
    refused(&mut net, DomainError::InvalidOverrideReason, |n| {
        n.assign("a_staff", "r_private", "u_carehome", Some("  too short "))
    });
    let long = "x".repeat(1001);
    refused(&mut net, DomainError::InvalidOverrideReason, |n| {
        n.assign("a_staff", "r_private", "u_carehome", Some(&long))
    });
    // 10 code points, not bytes: "é" is two bytes.
    net.assign("a_staff", "r_private", "u_carehome", Some("ééééééééé!"))?;
    let last = net
        .w
        .request(&rid("r_private"))
        .and_then(|r| r.history.last().cloned())
        .ok_or("history")?;
    assert_eq!(
        last.consent_override,
        Override::Reason {
            reason: "ééééééééé!".into()
        }
    );
    // Within the origin the preference needs no override.
    assert!(!net.w.needs_override(&rid("r_private"), &tid("a_reception")));
    Ok(())
}

#[test]
fn a3_a_reason_sent_when_none_is_needed_is_ignored_and_not_recorded() -> TestResult {
    let mut net = Net::new();
    net.assign(
        "a_staff",
        "r_private",
        "a_reception",
        Some("because I say so"),
    )?;
    let last = net
        .w
        .request(&rid("r_private"))
        .and_then(|r| r.history.last().cloned())
        .ok_or("history")?;
    assert_eq!(last.consent_override, Override::None);
    assert!(!net
        .w
        .audit_log()
        .iter()
        .any(|e| e.detail.contains("because I say so")));
    Ok(())
}

#[test]
fn a3_an_active_agreement_with_the_origin_makes_the_override_automatic_and_is_recorded(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    let d = net.propose("a_admin", U)?;
    net.accept("u_admin", &d)?;
    assert!(matches!(
        net.w.consent_for(&rid("r_private"), &tid("u_carehome")),
        Some(Consent::Agreement { .. })
    ));
    net.assign("a_staff", "r_private", "u_carehome", None)?;
    let last = net
        .w
        .request(&rid("r_private"))
        .and_then(|r| r.history.last().cloned())
        .ok_or("history")?;
    assert_eq!(
        last.consent_override,
        Override::Agreement {
            agreement_id: d,
            reference: "DSA-2026-01".into()
        }
    );
    Ok(())
}

#[test]
fn a3_a_second_hop_to_an_organisation_without_agreement_with_the_origin_needs_a_reason(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.shared("x_admin", "x_frailty", U, "u_admin", false);
    let d = net.propose("a_admin", U)?;
    net.accept("u_admin", &d)?;
    // U and X have an agreement too, but A3 looks at the ORIGIN (A) and X: none.
    let d2 = net.propose("u_admin", X)?;
    net.accept("x_admin", &d2)?;
    net.assign("a_staff", "r_private", "u_carehome", None)?;
    assert_eq!(
        net.w.consent_for(&rid("r_private"), &tid("x_frailty")),
        Some(Consent::Reason)
    );
    refused(&mut net, DomainError::ConsentOverrideRequired, |n| {
        n.assign("u_staff", "r_private", "x_frailty", None)
    });
    net.assign(
        "u_staff",
        "r_private",
        "x_frailty",
        Some("Frailty review needed today"),
    )?;
    Ok(())
}

#[test]
fn a4_an_assignment_records_who_when_from_where_to_where_and_joins_both_organisations() -> TestResult
{
    let mut net = Net::new();
    net.shared("x_admin", "x_frailty", A, "a_admin", false);
    let at = net.now();
    net.assign(
        "a_staff",
        "r_private",
        "x_frailty",
        Some("Urgent frailty assessment"),
    )?;
    let r = net.w.request(&rid("r_private")).cloned().ok_or("request")?;
    let e = r.history.last().ok_or("history")?;
    assert_eq!(e.action, HistoryAction::Assigned);
    assert_eq!(e.user, Some(uid("a_staff")));
    assert_eq!(e.ods_code, ods(A));
    assert_eq!(e.at, at);
    assert_eq!(e.from, Some(Assignee::Inbox(ods(A))));
    assert_eq!(e.to, Some(Assignee::Target(tid("x_frailty"))));
    assert_eq!(r.involved, vec![ods(A), ods(X)]);
    assert_eq!(net.w.holder(&r), Some(&ods(X)));
    // Closing by another organisation that sees it joins that organisation too.
    net.close("x_staff", "r_private")?;
    net.reopen("a_staff", "r_private")?;
    let r = net.w.request(&rid("r_private")).cloned().ok_or("request")?;
    let actions: Vec<HistoryAction> = r.history.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            HistoryAction::Received,
            HistoryAction::Assigned,
            HistoryAction::Closed,
            HistoryAction::Reopened
        ]
    );
    assert_eq!(r.status, RequestStatus::Open);
    Ok(())
}

#[test]
fn a4_closing_a_request_seen_through_v2_makes_the_closer_involved() -> TestResult {
    let mut net = Net::new();
    net.shared("a_admin", "a_reception", U, "u_admin", false);
    net.assign("a_staff", "r_share", "a_reception", None)?;
    net.close("u_staff", "r_share")?;
    assert_eq!(net.sees("r_share", U), Some(VisibleBecause::Involved));
    Ok(())
}

#[test]
fn a5_a_stale_version_is_a_conflict_and_nothing_changes() -> TestResult {
    let mut net = Net::new();
    assert_eq!(net.version("r_share"), 1);
    net.assign("a_staff", "r_share", "a_reception", None)?;
    assert_eq!(net.version("r_share"), 2);
    refused(&mut net, DomainError::Conflict, |n| {
        let (now, ev) = (n.now(), n.ev());
        n.w.assign_request(
            &uid("a_staff"),
            &rid("r_share"),
            &tid("a_staff"),
            1,
            None,
            now,
            ev,
        )
        .map(|_| ())
    });
    refused(&mut net, DomainError::Conflict, |n| {
        let (now, ev) = (n.now(), n.ev());
        n.w.close_request(&uid("a_staff"), &rid("r_share"), 3, now, ev)
            .map(|_| ())
    });
    net.close("a_staff", "r_share")?;
    assert_eq!(net.version("r_share"), 3);
    Ok(())
}

#[test]
fn a6_a_request_travels_practice_to_pcn_care_home_team_to_frailty_team() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.shared("x_admin", "x_frailty", U, "u_admin", false);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.assign("u_staff", "r_share", "x_frailty", None)?;
    net.assign("x_staff", "r_share", "x_staff", None)?;
    let r = net.w.request(&rid("r_share")).cloned().ok_or("request")?;
    assert_eq!(r.involved, vec![ods(A), ods(X), ods(U)]);
    assert_eq!(r.version, 4);
    // A cannot send it to the frailty team directly: that share is U's.
    assert_eq!(net.folder_count("a_staff", "sent_externally"), Some(1));
    Ok(())
}

#[test]
fn a3_the_assign_preview_names_who_would_be_involved_and_only_counts_other_unrestricted_partners(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.shared("u_admin", "u_carehome", X, "x_admin", false);
    net.shared("u_admin", "u_carehome", B, "b_admin", true);
    let preview = net
        .w
        .would_see(&uid("a_staff"), &rid("r_share"), &tid("u_carehome"))
        .ok_or("no preview")?;
    // involved(R) after the assignment: the origin (also the actor) and the target's owner.
    assert_eq!(preview.organisations, [ods(A), ods(U)]);
    // V2: X would see it through its unrestricted share; B's share is restricted (V3) and A is
    // already named.
    assert_eq!(preview.other_unrestricted_partners, 1);
    // V3: a do_not_share request is seen by nobody through a share.
    let private = net
        .w
        .would_see(&uid("a_staff"), &rid("r_private"), &tid("u_carehome"))
        .ok_or("no preview")?;
    assert_eq!(private.organisations, [ods(A), ods(U)]);
    assert_eq!(private.other_unrestricted_partners, 0);
    // An own group nobody shares: only the organisation itself.
    let own = net
        .w
        .would_see(&uid("a_staff"), &rid("r_share"), &tid("a_reception"))
        .ok_or("no preview")?;
    assert_eq!(own.organisations, [ods(A)]);
    assert_eq!(own.other_unrestricted_partners, 0);
    // The assign dialog offers the same preview next to the target.
    let offered = net.w.assignable(&uid("a_staff"), &rid("r_share"))?;
    let carehome = offered
        .iter()
        .find(|a| a.target.id == tid("u_carehome"))
        .ok_or("u_carehome not offered")?;
    assert_eq!(carehome.would_see, preview);
    // Unknown users and ids get no preview.
    for (user, request, target) in [
        ("nobody", "r_share", "u_carehome"),
        ("a_staff", "r_nothing", "u_carehome"),
        ("a_staff", "r_share", "no_such_target"),
    ] {
        assert_eq!(
            net.w.would_see(&uid(user), &rid(request), &tid(target)),
            None
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Covering and folders C1–C4
// ---------------------------------------------------------------------------------------------

#[test]
fn c1_a_user_may_cover_own_targets_but_themselves_enabled_external_targets_and_sent_externally(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    // A pending share does not make its target coverable (S6).
    net.share("x_admin", "x_frailty", A, false)?;
    let ids: Vec<String> = net
        .w
        .coverable(&uid("a_staff"))?
        .iter()
        .map(|f| f.to_string())
        .collect();
    // Sent Externally, own targets by name ("User a_admin" < "User a_inactive"), external.
    assert_eq!(
        ids,
        [
            "sent_externally",
            "a_reception",
            "a_admin",
            "a_inactive",
            "u_carehome"
        ]
    );
    assert!(!ids.contains(&"a_staff".to_owned()));
    assert!(!ids.contains(&"x_frailty".to_owned()));
    for folder in ["all", "mine", "a_staff", "x_frailty", "u_staff", "nope"] {
        refused(&mut net, DomainError::TargetNotAvailable, |n| {
            n.cover("a_staff", &[folder]).map(|_| ())
        });
    }
    // One bad folder refuses the whole change.
    refused(&mut net, DomainError::TargetNotAvailable, |n| {
        n.cover("a_staff", &["a_reception", "x_frailty"])
            .map(|_| ())
    });
    Ok(())
}

#[test]
fn c2_covers_belong_to_the_user_and_persist_across_a_snapshot() -> TestResult {
    let mut net = Net::new();
    assert_eq!(
        net.cover(
            "a_staff",
            &["a_reception", "sent_externally", "a_reception"]
        )?,
        1
    );
    assert_eq!(
        net.cover("a_staff", &["sent_externally", "a_reception"])?,
        0
    );
    assert!(net.w.covers(&uid("a_admin")).is_empty());
    let back = World::from_snapshot(net.w.snapshot())?;
    assert_eq!(
        back.covers(&uid("a_staff")),
        &[
            FolderId::SentExternally,
            FolderId::Target(tid("a_reception"))
        ]
    );
    assert_eq!(back.snapshot(), net.w.snapshot());
    Ok(())
}

#[test]
fn c3_folders_come_in_api_order_with_open_counts_after_visibility() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", true);
    net.shared("x_admin", "x_frailty", A, "a_admin", false);
    net.receive("r3", A, "p_share");
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.assign("a_staff", "r3", "a_staff", None)?;
    let folders = net.w.folders(&uid("a_staff"))?;
    let shape: Vec<(String, FolderKind, usize)> = folders
        .iter()
        .map(|f| (f.id.to_string(), f.kind, f.open_count))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("all".to_owned(), FolderKind::All, 2),
            ("mine".to_owned(), FolderKind::Mine, 1),
            ("sent_externally".to_owned(), FolderKind::SentExternally, 1),
            ("a_reception".to_owned(), FolderKind::Target, 0),
            ("a_admin".to_owned(), FolderKind::Target, 0),
            ("a_inactive".to_owned(), FolderKind::Target, 0),
            ("x_frailty".to_owned(), FolderKind::External, 0),
            ("u_carehome".to_owned(), FolderKind::External, 1),
        ]
    );
    // All and Sent Externally together are exactly what A sees.
    let seen = net.w.visible_requests(&ods(A)).len();
    let all = net
        .w
        .folder_requests(&uid("a_staff"), &FolderId::All, StatusFilter::All)?;
    let sent = net.w.folder_requests(
        &uid("a_staff"),
        &FolderId::SentExternally,
        StatusFilter::All,
    )?;
    assert_eq!(all.len() + sent.len(), seen);
    // Closing removes from the open counts.
    net.close("a_staff", "r3")?;
    assert_eq!(net.folder_count("a_staff", "mine"), Some(0));
    Ok(())
}

#[test]
fn c4_messages_show_my_requests_alone_until_the_user_covers_folders() -> TestResult {
    let mut net = Net::new();
    net.receive("r3", A, "p_share");
    net.assign("a_staff", "r3", "a_staff", None)?;
    net.assign("a_admin", "r_share", "a_reception", None)?;
    assert_eq!(
        net.messages("a_staff", StatusFilter::Open),
        vec!["r3".to_owned()]
    );
    net.cover("a_staff", &["a_reception", "a_admin"])?;
    // Newest activity first: r_share was assigned after r3.
    assert_eq!(
        net.messages("a_staff", StatusFilter::Open),
        vec!["r_share".to_owned(), "r3".to_owned()]
    );
    net.close("a_staff", "r3")?;
    assert_eq!(
        net.messages("a_staff", StatusFilter::Open),
        vec!["r_share".to_owned()]
    );
    assert_eq!(
        net.messages("a_staff", StatusFilter::Closed),
        vec!["r3".to_owned()]
    );
    assert_eq!(
        net.messages("a_staff", StatusFilter::All),
        vec!["r3".to_owned(), "r_share".to_owned()]
    );
    // The inbox (All) is never part of the Messages page.
    assert!(!net
        .messages("a_staff", StatusFilter::All)
        .contains(&"r_private".to_owned()));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Agreements D1–D3
// ---------------------------------------------------------------------------------------------

#[test]
fn d1_one_agreement_per_pair_proposed_by_an_admin_and_answered_by_either_side() -> TestResult {
    let mut net = Net::new();
    refused(&mut net, DomainError::Forbidden, |n| {
        n.propose("a_staff", U).map(|_| ())
    });
    refused(&mut net, DomainError::PartnerNotAvailable, |n| {
        n.propose("a_admin", A).map(|_| ())
    });
    refused(&mut net, DomainError::PartnerNotAvailable, |n| {
        n.propose("a_admin", Z).map(|_| ())
    });
    let d = net.propose("a_admin", U)?;
    refused(&mut net, DomainError::AgreementExists, |n| {
        n.propose("a_admin", U).map(|_| ())
    });
    refused(&mut net, DomainError::AgreementExists, |n| {
        n.propose("u_admin", A).map(|_| ())
    });
    let a = net
        .w
        .agreement_for(&d, &ods(U))
        .cloned()
        .ok_or("agreement")?;
    assert_eq!(a.answers_for(&ods(U)), (None, Some(Answer::Accepted)));
    assert!(!a.active());
    refused(&mut net, DomainError::NotFound, |n| {
        n.accept("b_admin", &d).map(|_| ())
    });
    refused(&mut net, DomainError::Forbidden, |n| {
        n.accept("u_staff", &d).map(|_| ())
    });
    assert_eq!(net.accept("u_admin", &d)?, 1);
    assert_eq!(net.accept("u_admin", &d)?, 0);
    assert!(net.w.agreement_for(&d, &ods(A)).is_some_and(|a| a.active()));
    // The proposer may change its answer too.
    assert_eq!(net.refuse("a_admin", &d)?, 1);
    assert!(net
        .w
        .agreement_for(&d, &ods(A))
        .is_some_and(|a| !a.active()));
    assert!(net.w.agreement_for(&d, &ods(B)).is_none());
    let (now, ev) = (net.now(), net.ev());
    let blank = net.w.propose_agreement(
        &uid("a_admin"),
        &ods(X),
        "  ",
        now,
        AgreementId::new("dx"),
        ev,
    );
    assert_eq!(
        blank.map(|_| ()),
        Err(DomainError::Invalid { field: "reference" })
    );
    Ok(())
}

#[test]
fn d2_only_an_active_agreement_makes_the_override_automatic() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    let d = net.propose("a_admin", U)?;
    assert_eq!(
        net.w.consent_for(&rid("r_private"), &tid("u_carehome")),
        Some(Consent::Reason)
    );
    net.refuse("u_admin", &d)?;
    assert_eq!(
        net.w.consent_for(&rid("r_private"), &tid("u_carehome")),
        Some(Consent::Reason)
    );
    net.accept("u_admin", &d)?;
    assert!(matches!(
        net.w.consent_for(&rid("r_private"), &tid("u_carehome")),
        Some(Consent::Agreement { .. })
    ));
    Ok(())
}

#[test]
fn d3_an_agreement_becoming_inactive_moves_and_hides_no_request() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    let d = net.propose("a_admin", U)?;
    net.accept("u_admin", &d)?;
    net.assign("a_staff", "r_private", "u_carehome", None)?;
    net.refuse("u_admin", &d)?;
    assert_eq!(net.sees("r_private", U), Some(VisibleBecause::Involved));
    assert_eq!(
        net.w.request(&rid("r_private")).map(|r| r.assignee.clone()),
        Some(Assignee::Target(tid("u_carehome")))
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Audit L1–L2, reading R1, refusals
// ---------------------------------------------------------------------------------------------

#[test]
fn l1_every_change_appends_one_event_and_a_received_request_has_no_user() -> TestResult {
    let mut net = Net::new();
    let received = net.w.audit_log().front().cloned().ok_or("event")?;
    assert_eq!(
        (received.action, received.user.clone()),
        (AuditAction::RequestReceived, None)
    );
    let s = net.share("a_admin", "a_reception", U, false)?;
    net.enable("u_admin", &s)?;
    net.disable("u_admin", &s)?;
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.assign(
        "a_staff",
        "r_private",
        "u_carehome",
        Some("Care home review today"),
    )?;
    net.close("u_staff", "r_private")?;
    net.reopen("u_staff", "r_private")?;
    net.cover("a_staff", &["sent_externally"])?;
    let d = net.propose("a_admin", X)?;
    net.refuse("x_admin", &d)?;
    let actions: Vec<&str> = net
        .w
        .audit_log()
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "request_received",
            "request_received",
            "share_created",
            "share_enabled",
            "share_disabled",
            "share_created",
            "share_enabled",
            "request_assigned",
            "request_closed",
            "request_reopened",
            "covers_changed",
            "agreement_proposed",
            "agreement_refused",
        ]
    );
    let assigned = net
        .w
        .audit_log()
        .iter()
        .find(|e| e.action == AuditAction::RequestAssigned)
        .ok_or("event")?;
    assert!(
        assigned.detail.contains("Care home review today"),
        "{}",
        assigned.detail
    );
    Ok(())
}

#[test]
fn l2_the_audit_log_shows_own_events_and_share_events_of_both_parties_but_not_others_request_events(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    net.close("u_staff", "r_share")?;
    let a_log: Vec<AuditAction> = net.w.audit_for(&ods(A)).iter().map(|e| e.action).collect();
    // Newest first; U's closing of the request is only in the request's history.
    assert_eq!(
        a_log,
        [
            AuditAction::RequestAssigned,
            AuditAction::ShareEnabled,
            AuditAction::ShareCreated,
            AuditAction::RequestReceived,
            AuditAction::RequestReceived,
        ]
    );
    let history = net
        .w
        .history_for(&rid("r_share"), &ods(A))
        .ok_or("history")?;
    assert_eq!(
        history.last().map(|e| e.action),
        Some(HistoryAction::Closed)
    );
    assert!(net.w.audit_for(&ods(B)).is_empty());
    let csv = domain::csv::audit_csv(
        net.w
            .audit_for(&ods(A))
            .into_iter()
            .map(|e| (e, net.w.audit_names(&ods(A), e))),
    );
    assert_eq!(csv.lines().count(), 6);
    // Issue 15: the export names the user, the organisation and the request beside their ids.
    let assigned = csv
        .lines()
        .find(|l| l.contains(",request_assigned,"))
        .ok_or("assigned row")?;
    assert!(
        assigned.contains(&format!(
            ",a_staff,User a_staff,{A},Ashby Practice,request_assigned,r_share,Subject of r_share,"
        )),
        "{assigned}"
    );
    Ok(())
}

#[test]
fn l2_v1_the_audit_names_give_a_request_subject_only_to_an_organisation_that_sees_the_request(
) -> TestResult {
    let net = Net::new();
    let received = net
        .w
        .audit_log()
        .iter()
        .find(|e| e.action == AuditAction::RequestReceived && e.subject_id == "r_private")
        .ok_or("event")?;
    let for_a = net.w.audit_names(&ods(A), received);
    assert_eq!(for_a.request_subject, Some("Subject of r_private"));
    assert_eq!(for_a.organisation_name, Some("Ashby Practice"));
    assert_eq!(for_a.user_name, None);
    // B does not see the request (V1–V4): its name for the organisation, but no subject.
    assert!(net.w.request_for(&rid("r_private"), &ods(B)).is_none());
    let for_b = net.w.audit_names(&ods(B), received);
    assert_eq!(for_b.request_subject, None);
    assert_eq!(for_b.organisation_name, Some("Ashby Practice"));
    let csv = domain::csv::audit_csv([(received, for_b)]);
    // The request_subject cell is empty (the detail sentence is the log's own text, unchanged).
    assert!(csv.contains(",request_received,r_private,,"), "{csv}");
    Ok(())
}

#[test]
fn r1_staff_read_what_their_organisation_sees_but_another_organisations_share_id_is_not_found(
) -> TestResult {
    let mut net = Net::new();
    let s = net.shared("a_admin", "a_reception", U, "u_admin", true);
    let d = net.propose("a_admin", U)?;
    assert!(net.w.share_for(&s, &ods(U)).is_some());
    assert_eq!(net.w.external_for(&ods(U)).len(), 1);
    assert_eq!(net.w.agreements_for(&ods(U)).len(), 1);
    assert!(net.w.share_for(&s, &ods(B)).is_none());
    assert!(net.w.agreement_for(&d, &ods(B)).is_none());
    assert!(net.w.external_for(&ods(B)).is_empty());
    // Staff of the owner: 403 on a change; another organisation's admin: 404.
    refused(&mut net, DomainError::Forbidden, |n| {
        let (now, ev) = (n.now(), n.ev());
        n.w.remove_share(&uid("a_staff"), &s, now, ev).map(|_| ())
    });
    refused(&mut net, DomainError::NotFound, |n| {
        let (now, ev) = (n.now(), n.ev());
        n.w.remove_share(&uid("b_admin"), &s, now, ev).map(|_| ())
    });
    Ok(())
}

#[test]
fn an_inactive_or_unknown_user_may_change_nothing() {
    let mut net = Net::new();
    refused(&mut net, DomainError::Forbidden, |n| {
        n.assign("a_inactive", "r_share", "a_reception", None)
    });
    refused(&mut net, DomainError::Forbidden, |n| {
        n.assign("ghost", "r_share", "a_reception", None)
    });
}

#[test]
fn the_assign_preview_names_involved_organisations_and_only_counts_other_unrestricted_partners(
) -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.shared("u_admin", "u_carehome", X, "x_admin", false);
    net.shared("u_admin", "u_carehome", B, "b_admin", true);
    let list = net.w.assignable(&uid("a_staff"), &rid("r_share"))?;
    let carehome = list
        .iter()
        .find(|a| a.target.id == tid("u_carehome"))
        .ok_or("offered")?;
    assert_eq!(carehome.would_see.organisations, vec![ods(A), ods(U)]);
    // X has an unrestricted enabled share; B's is restricted; A is already named.
    assert_eq!(carehome.would_see.other_unrestricted_partners, 1);
    assert_eq!(carehome.consent, Consent::None);
    // A do_not_share patient would not be seen through the share at all.
    let private = net
        .w
        .would_see(&uid("a_staff"), &rid("r_private"), &tid("u_carehome"))
        .ok_or("preview")?;
    assert_eq!(private.other_unrestricted_partners, 0);
    Ok(())
}

#[test]
fn a_snapshot_round_trips_and_a_broken_one_is_refused() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.assign("a_staff", "r_share", "u_carehome", None)?;
    let snap = net.w.snapshot();
    let back = World::from_snapshot(snap.clone())?;
    assert_eq!(back.snapshot(), snap);
    assert_eq!(
        back.visibility(&rid("r_share"), &ods(U)),
        Some(VisibleBecause::Involved)
    );
    let mut broken = snap.clone();
    broken.requests[0].patient = PatientId::new("nobody");
    assert_eq!(
        World::from_snapshot(broken).map(|_| ()),
        Err(DomainError::NotFound)
    );
    let mut dup = snap;
    let g = dup.groups[0].clone();
    dup.groups.push(g);
    assert!(World::from_snapshot(dup).is_err());
    Ok(())
}

#[cfg(feature = "serde")]
#[test]
fn a_snapshot_survives_json_persistence() -> TestResult {
    let mut net = Net::new();
    net.shared("u_admin", "u_carehome", A, "a_admin", false);
    net.assign(
        "a_staff",
        "r_private",
        "u_carehome",
        Some("Needs the care home team"),
    )?;
    net.cover("a_staff", &["sent_externally", "u_carehome"])?;
    let json = serde_json::to_string(&net.w.snapshot())?;
    let back: domain::Snapshot = serde_json::from_str(&json)?;
    assert_eq!(World::from_snapshot(back)?.snapshot(), net.w.snapshot());
    Ok(())
}
