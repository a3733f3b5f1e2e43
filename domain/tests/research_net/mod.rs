//! A small network in the shape of the demo seed (the guide's story), shared by the research
//! tests:
//! - A81001 Camelia Surgery: `u-sarah-ahmed` (admin), `u-james-wilson` (staff),
//!   `u-old-locum` (inactive); group `g-cam-reception`;
//! - U12345 North Tees PCN: `u-mark-robinson` (admin), `u-aisha-khan` (staff); group
//!   `g-pcn-carehome`;
//! - RX401 Tees Community Frailty Service: `u-grace-okafor` (admin); group `g-frailty`;
//! - A81002 Riverside Medical Practice: `u-helen-clarke` (admin).
//!
//! Patients `p-share` (share) and `p-private` (do_not_share); requests `r-1001` (of
//! `p-share`) and `r-1002` (of `p-private`), both received by Camelia Surgery.
#![allow(dead_code)]

use domain::research::{Condition, OverrideKind};
use domain::{
    AgreementId, EventId, FolderId, Group, GroupId, NewRequest, NhsNumber, OdsCode, Organisation,
    Patient, PatientId, RequestId, RequestKind, RequestStatus, Role, ShareId, ShareState, Sharing,
    TargetId, Timestamp, User, UserId, World,
};

pub const CAM: &str = "A81001";
pub const PCN: &str = "U12345";
pub const FRA: &str = "RX401";
pub const RIV: &str = "A81002";

pub fn ods(s: &str) -> OdsCode {
    OdsCode::parse(s).expect("test ODS code")
}

/// The network and a counter for fresh ids and times.
pub struct Net {
    pub w: World,
    pub n: u64,
}

impl Net {
    pub fn new() -> Net {
        let mut w = World::new();
        for (code, name) in [
            (CAM, "Camelia Surgery"),
            (PCN, "North Tees PCN"),
            (FRA, "Tees Community Frailty Service"),
            (RIV, "Riverside Medical Practice"),
        ] {
            w.add_organisation(Organisation {
                ods_code: ods(code),
                name: name.into(),
                kind: "gp_practice".into(),
                postcode: "TS18 1AA".into(),
                active: true,
            })
            .expect("organisation");
        }
        for (id, org, role, active) in [
            ("u-sarah-ahmed", CAM, Role::Admin, true),
            ("u-james-wilson", CAM, Role::Staff, true),
            ("u-old-locum", CAM, Role::Staff, false),
            ("u-mark-robinson", PCN, Role::Admin, true),
            ("u-aisha-khan", PCN, Role::Staff, true),
            ("u-grace-okafor", FRA, Role::Admin, true),
            ("u-helen-clarke", RIV, Role::Admin, true),
        ] {
            w.add_user(User {
                id: UserId::new(id),
                name: format!("User {id}"),
                role,
                ods_code: ods(org),
                active,
            })
            .expect("user");
        }
        for (id, org) in [
            ("g-cam-reception", CAM),
            ("g-pcn-carehome", PCN),
            ("g-frailty", FRA),
        ] {
            w.add_group(Group {
                id: GroupId::new(id),
                name: format!("Group {id}"),
                ods_code: ods(org),
            })
            .expect("group");
        }
        for (id, nhs, sharing) in [
            ("p-share", "9434765919", Sharing::Share),
            ("p-private", "4010232137", Sharing::DoNotShare),
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
        for (id, patient) in [("r-1001", "p-share"), ("r-1002", "p-private")] {
            let (now, ev) = net.tick();
            net.w
                .receive_request(
                    NewRequest {
                        id: RequestId::new(id),
                        origin: ods(CAM),
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
        net
    }

    /// A fresh time and event id.
    pub fn tick(&mut self) -> (Timestamp, EventId) {
        self.n += 1;
        (
            Timestamp::from_millis(1_795_600_800_000 + 60_000 * self.n as i64),
            EventId::new(format!("e{}", self.n)),
        )
    }

    /// The owner's admin shares `target` with `partner`; returns the share id.
    pub fn share(
        &mut self,
        admin: &str,
        target: &str,
        partner: &str,
        restricted: bool,
    ) -> Option<ShareId> {
        let (now, ev) = self.tick();
        let id = ShareId::new(format!("s{}", self.n));
        self.w
            .share_target(
                &UserId::new(admin),
                &TargetId::new(target),
                &ods(partner),
                restricted,
                now,
                id.clone(),
                ev,
            )
            .ok()
            .map(|_| id)
    }

    pub fn enable(&mut self, admin: &str, share: &ShareId) -> bool {
        let (now, ev) = self.tick();
        self.w
            .enable_share(&UserId::new(admin), share, now, ev)
            .is_ok()
    }

    pub fn disable(&mut self, admin: &str, share: &ShareId) -> bool {
        let (now, ev) = self.tick();
        self.w
            .disable_share(&UserId::new(admin), share, now, ev)
            .is_ok()
    }

    pub fn remove(&mut self, admin: &str, share: &ShareId) -> bool {
        let (now, ev) = self.tick();
        self.w
            .remove_share(&UserId::new(admin), share, now, ev)
            .is_ok()
    }

    pub fn restrict(&mut self, admin: &str, share: &ShareId, restricted: bool) -> bool {
        let (now, ev) = self.tick();
        self.w
            .set_share_restricted(&UserId::new(admin), share, restricted, now, ev)
            .is_ok()
    }

    /// `admin` proposes an agreement with `partner`; returns its id.
    pub fn propose(&mut self, admin: &str, partner: &str) -> Option<AgreementId> {
        let (now, ev) = self.tick();
        let id = AgreementId::new(format!("a{}", self.n));
        self.w
            .propose_agreement(
                &UserId::new(admin),
                &ods(partner),
                "DSA-1",
                now,
                id.clone(),
                ev,
            )
            .ok()
            .map(|_| id)
    }

    pub fn accept(&mut self, admin: &str, agreement: &AgreementId) -> bool {
        let (now, ev) = self.tick();
        self.w
            .accept_agreement(&UserId::new(admin), agreement, now, ev)
            .is_ok()
    }

    pub fn assign(
        &mut self,
        user: &str,
        request: &str,
        target: &str,
        reason: Option<&str>,
    ) -> bool {
        let id = RequestId::new(request);
        let v = self.w.request(&id).map_or(0, |r| r.version);
        let (now, ev) = self.tick();
        self.w
            .assign_request(
                &UserId::new(user),
                &id,
                &TargetId::new(target),
                v,
                reason,
                now,
                ev,
            )
            .is_ok()
    }

    pub fn close(&mut self, user: &str, request: &str) -> bool {
        let id = RequestId::new(request);
        let v = self.w.request(&id).map_or(0, |r| r.version);
        let (now, ev) = self.tick();
        self.w
            .close_request(&UserId::new(user), &id, v, now, ev)
            .is_ok()
    }

    pub fn cover(&mut self, user: &str, folders: &[&str]) -> bool {
        let list: Vec<FolderId> = folders.iter().map(|f| FolderId::parse(f)).collect();
        let (now, ev) = self.tick();
        self.w
            .set_covers(&UserId::new(user), &list, now, ev)
            .is_ok()
    }
}

// Condition builders.

pub fn share(target: &str, partner: &str) -> Condition {
    Condition::Share {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
        restricted: None,
        state: None,
    }
}

pub fn share_with(
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

pub fn no_share(target: &str, partner: &str) -> Condition {
    Condition::NoShare {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
    }
}

pub fn request(
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

pub fn agreement(a: &str, b: &str, active: Option<bool>) -> Condition {
    Condition::Agreement {
        ods_code: ods(a),
        partner_ods_code: ods(b),
        active,
    }
}

pub fn covers(user: &str, folders: &[&str]) -> Condition {
    Condition::Covers {
        user_id: UserId::new(user),
        includes: folders.iter().map(|f| FolderId::parse(f)).collect(),
    }
}
