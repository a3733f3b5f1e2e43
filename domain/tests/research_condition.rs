//! K3: success conditions over a sandbox's state, one test per condition kind on a network in
//! the shape of the demo seed (see `research_net`). The laws of `not`, `all` and `any` are
//! property-tested in `research_condition_laws.rs`.

mod research_net;

use domain::research::{Condition, OverrideKind};
use domain::{RequestStatus, ShareState};
use research_net::{
    agreement, covers, no_share, request, share, share_with, Net, CAM, FRA, PCN, RIV,
};

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
