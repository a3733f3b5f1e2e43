//! Property tests over random small networks and random command sequences (issue 3, item 5).
//!
//! Commands are drawn with random actors (admins and staff of any organisation), so most of
//! them are refused: that is on purpose, every refusal must leave the world unchanged.

use std::collections::BTreeSet;

use domain::{
    AgreementId, Assignee, EventId, FolderId, Group, GroupId, NewRequest, NhsNumber, OdsCode,
    Organisation, Patient, PatientId, RequestId, RequestKind, Role, ShareId, ShareState, Sharing,
    Snapshot, StatusFilter, TargetId, Timestamp, User, UserId, VisibleBecause, World,
};
use proptest::prelude::*;

const NHS: [&str; 4] = ["9434765919", "4010232137", "4857773457", "9990001111"];

#[derive(Debug, Clone)]
enum Op {
    Receive {
        org: usize,
        patient: usize,
    },
    Share {
        user: usize,
        target: usize,
        partner: usize,
        restricted: bool,
    },
    Restrict {
        user: usize,
        share: usize,
        restricted: bool,
    },
    Remove {
        user: usize,
        share: usize,
    },
    Enable {
        user: usize,
        share: usize,
    },
    Disable {
        user: usize,
        share: usize,
    },
    Propose {
        user: usize,
        partner: usize,
    },
    Answer {
        user: usize,
        agreement: usize,
        accept: bool,
    },
    Assign {
        user: usize,
        request: usize,
        target: usize,
        stale: bool,
        reason: Option<&'static str>,
    },
    Close {
        user: usize,
        request: usize,
        stale: bool,
    },
    Reopen {
        user: usize,
        request: usize,
        stale: bool,
    },
    Covers {
        user: usize,
        folders: Vec<usize>,
    },
    PatientSharing {
        patient: usize,
        share: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..16;
    let reason = prop_oneof![
        Just(None),
        Just(Some("short")),
        Just(Some("A proper reason for the override")),
    ];
    prop_oneof![
        (i(), i()).prop_map(|(org, patient)| Op::Receive { org, patient }),
        (i(), i(), i(), any::<bool>()).prop_map(|(user, target, partner, restricted)| Op::Share {
            user,
            target,
            partner,
            restricted
        }),
        (i(), i(), any::<bool>()).prop_map(|(user, share, restricted)| Op::Restrict {
            user,
            share,
            restricted
        }),
        (i(), i()).prop_map(|(user, share)| Op::Remove { user, share }),
        (i(), i()).prop_map(|(user, share)| Op::Enable { user, share }),
        (i(), i()).prop_map(|(user, share)| Op::Enable { user, share }),
        (i(), i()).prop_map(|(user, share)| Op::Disable { user, share }),
        (i(), i()).prop_map(|(user, partner)| Op::Propose { user, partner }),
        (i(), i(), any::<bool>()).prop_map(|(user, agreement, accept)| Op::Answer {
            user,
            agreement,
            accept
        }),
        (i(), i(), i(), prop::bool::weighted(0.1), reason).prop_map(
            |(user, request, target, stale, reason)| Op::Assign {
                user,
                request,
                target,
                stale,
                reason
            }
        ),
        // Assignments are the heart of the rules: draw them twice as often.
        (i(), i(), i()).prop_map(|(user, request, target)| Op::Assign {
            user,
            request,
            target,
            stale: false,
            reason: None
        }),
        (i(), i(), prop::bool::weighted(0.1)).prop_map(|(user, request, stale)| Op::Close {
            user,
            request,
            stale
        }),
        (i(), i(), prop::bool::weighted(0.1)).prop_map(|(user, request, stale)| Op::Reopen {
            user,
            request,
            stale
        }),
        (i(), prop::collection::vec(0usize..16, 0..4))
            .prop_map(|(user, folders)| Op::Covers { user, folders }),
        (i(), any::<bool>()).prop_map(|(patient, share)| Op::PatientSharing { patient, share }),
    ]
}

#[derive(Debug, Clone)]
struct Net {
    orgs: usize,
    inactive_last: bool,
    groups_per_org: Vec<usize>,
    sharing: Vec<bool>,
}

fn net() -> impl Strategy<Value = Net> {
    (
        2usize..=5,
        any::<bool>(),
        prop::collection::vec(0usize..=2, 5),
        prop::collection::vec(any::<bool>(), 1..=4),
    )
        .prop_map(|(orgs, inactive_last, groups_per_org, sharing)| Net {
            orgs,
            inactive_last,
            groups_per_org,
            sharing,
        })
}

fn ods(i: usize) -> OdsCode {
    OdsCode::parse(&format!("ORG{i}")).expect("ods")
}

/// Builds the network: each organisation has an admin and a staff user and 0–2 groups.
fn build(net: &Net) -> World {
    let mut w = World::new();
    for o in 0..net.orgs {
        w.add_organisation(Organisation {
            ods_code: ods(o),
            name: format!("Organisation {o}"),
            kind: "gp_practice".into(),
            postcode: "LS1 1AA".into(),
            active: !(net.inactive_last && o == net.orgs - 1 && o >= 2),
        })
        .expect("org");
        for (role, tag) in [(Role::Admin, "admin"), (Role::Staff, "staff")] {
            w.add_user(User {
                id: UserId::new(format!("u{o}_{tag}")),
                name: format!("{tag} {o}"),
                role,
                ods_code: ods(o),
                active: true,
            })
            .expect("user");
        }
        for g in 0..net.groups_per_org[o] {
            w.add_group(Group {
                id: GroupId::new(format!("g{o}_{g}")),
                name: format!("Group {o} {g}"),
                ods_code: ods(o),
            })
            .expect("group");
        }
    }
    for (p, share) in net.sharing.iter().enumerate() {
        w.add_patient(Patient {
            id: PatientId::new(format!("p{p}")),
            name: format!("Patient {p}"),
            nhs_number: NhsNumber::parse(NHS[p]).expect("nhs"),
            date_of_birth: "1960-01-01".into(),
            sharing: if *share {
                Sharing::Share
            } else {
                Sharing::DoNotShare
            },
        })
        .expect("patient");
    }
    w
}

/// The admin (or staff) user of an organisation, from its code `ORGn`.
fn user_of(org: &OdsCode, admin: bool) -> UserId {
    let n = org.as_str().trim_start_matches("ORG");
    UserId::new(format!("u{n}_{}", if admin { "admin" } else { "staff" }))
}

fn pick<T: Clone>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()].clone())
}

/// Applies one op; returns whether it was attempted and refused.
fn apply(w: &mut World, op: &Op, step: usize) -> Option<bool> {
    let users: Vec<UserId> = w.users().iter().map(|u| u.id.clone()).collect();
    let orgs: Vec<OdsCode> = w
        .organisations()
        .iter()
        .map(|o| o.ods_code.clone())
        .collect();
    let snap = w.snapshot();
    let targets: Vec<TargetId> = snap
        .groups
        .iter()
        .map(|g| TargetId::from(&g.id))
        .chain(snap.users.iter().map(|u| TargetId::from(&u.id)))
        .chain(std::iter::once(TargetId::new("sent_externally")))
        .collect();
    let requests: Vec<RequestId> = snap.requests.iter().map(|r| r.id.clone()).collect();
    let now = Timestamp::from_millis(1_800_000_000_000 + step as i64 * 1000);
    let ev = EventId::new(format!("e{step}"));
    let version =
        |r: &RequestId, stale: bool| w.request(r).map_or(0, |r| r.version) + u64::from(stale);
    // An even user index means "a user for whom the command makes sense", so that sequences
    // reach deep states; an odd one is any user, so that refusals are exercised too.
    let fit = |i: usize| i.is_multiple_of(2);
    let share_of = |i: usize| pick(&snap.shares, i);
    let seer = |r: &RequestId, i: usize| -> Option<UserId> {
        let seeing: Vec<&OdsCode> = orgs
            .iter()
            .filter(|o| w.visibility(r, o).is_some())
            .collect();
        pick(&seeing, i / 2).map(|o| user_of(o, i.is_multiple_of(4)))
    };
    let result = match op {
        Op::Receive { org, patient } => w
            .receive_request(
                NewRequest {
                    id: RequestId::new(format!("r{step}")),
                    origin: pick(&orgs, *org)?,
                    patient: PatientId::new(format!("p{}", patient % snap.patients.len())),
                    kind: RequestKind::Admin,
                    subject: "Repeat prescription".into(),
                    message: "Please.".into(),
                },
                now,
                ev,
            )
            .map(|_| ()),
        Op::Share {
            user,
            target,
            partner,
            restricted,
        } => {
            let t = pick(&targets, *target)?;
            let actor = match w.target(&t) {
                Some(info) if fit(*user) => user_of(&info.owner, true),
                _ => pick(&users, *user)?,
            };
            w.share_target(
                &actor,
                &t,
                &pick(&orgs, *partner)?,
                *restricted,
                now,
                ShareId::new(format!("s{step}")),
                ev,
            )
            .map(|_| ())
        }
        Op::Restrict {
            user,
            share,
            restricted,
        } => {
            let sh = share_of(*share)?;
            let actor = if fit(*user) {
                user_of(&sh.owner, true)
            } else {
                pick(&users, *user)?
            };
            w.set_share_restricted(&actor, &sh.id, *restricted, now, ev)
                .map(|_| ())
        }
        Op::Remove { user, share } => {
            let sh = share_of(*share)?;
            let actor = if fit(*user) {
                user_of(&sh.owner, true)
            } else {
                pick(&users, *user)?
            };
            w.remove_share(&actor, &sh.id, now, ev).map(|_| ())
        }
        Op::Enable { user, share } => {
            let sh = share_of(*share)?;
            let actor = if fit(*user) {
                user_of(&sh.partner, true)
            } else {
                pick(&users, *user)?
            };
            w.enable_share(&actor, &sh.id, now, ev).map(|_| ())
        }
        Op::Disable { user, share } => {
            let sh = share_of(*share)?;
            let actor = if fit(*user) {
                user_of(&sh.partner, true)
            } else {
                pick(&users, *user)?
            };
            w.disable_share(&actor, &sh.id, now, ev).map(|_| ())
        }
        Op::Propose { user, partner } => w
            .propose_agreement(
                &pick(&users, *user)?,
                &pick(&orgs, *partner)?,
                "DSA",
                now,
                AgreementId::new(format!("d{step}")),
                ev,
            )
            .map(|_| ()),
        Op::Answer {
            user,
            agreement,
            accept,
        } => {
            let a = pick(&snap.agreements, *agreement)?;
            let u = if fit(*user) {
                user_of(
                    if user.is_multiple_of(4) {
                        &a.partner
                    } else {
                        &a.proposer
                    },
                    true,
                )
            } else {
                pick(&users, *user)?
            };
            let a = a.id;
            if *accept {
                w.accept_agreement(&u, &a, now, ev).map(|_| ())
            } else {
                w.refuse_agreement(&u, &a, now, ev).map(|_| ())
            }
        }
        Op::Assign {
            user,
            request,
            target,
            stale,
            reason,
        } => {
            let r = pick(&requests, *request)?;
            let v = version(&r, *stale);
            let actor = if fit(*user) {
                seer(&r, *user)?
            } else {
                pick(&users, *user)?
            };
            let t = match w.assignable(&actor, &r) {
                Ok(list) if fit(*target) && !list.is_empty() => pick(&list, *target / 2)?.target.id,
                _ => pick(&targets, *target)?,
            };
            w.assign_request(&actor, &r, &t, v, *reason, now, ev)
                .map(|_| ())
        }
        Op::Close {
            user,
            request,
            stale,
        } => {
            let r = pick(&requests, *request)?;
            let v = version(&r, *stale);
            let actor = if fit(*user) {
                seer(&r, *user)?
            } else {
                pick(&users, *user)?
            };
            w.close_request(&actor, &r, v, now, ev).map(|_| ())
        }
        Op::Reopen {
            user,
            request,
            stale,
        } => {
            let r = pick(&requests, *request)?;
            let v = version(&r, *stale);
            let actor = if fit(*user) {
                seer(&r, *user)?
            } else {
                pick(&users, *user)?
            };
            w.reopen_request(&actor, &r, v, now, ev).map(|_| ())
        }
        Op::Covers { user, folders } => {
            let mut ids: Vec<FolderId> =
                vec![FolderId::All, FolderId::Mine, FolderId::SentExternally];
            ids.extend(targets.iter().cloned().map(FolderId::Target));
            let actor = pick(&users, *user)?;
            if fit(*user) {
                ids = w.coverable(&actor).unwrap_or_default();
            }
            let chosen: Vec<FolderId> = folders.iter().filter_map(|f| pick(&ids, *f)).collect();
            w.set_covers(&actor, &chosen, now, ev).map(|_| ())
        }
        Op::PatientSharing { patient, share } => w.set_patient_sharing(
            &PatientId::new(format!("p{}", patient % snap.patients.len())),
            if *share {
                Sharing::Share
            } else {
                Sharing::DoNotShare
            },
        ),
    };
    Some(result.is_err())
}

/// V1–V3 written the slow, obvious way, from the plain data only.
fn naive_visibility(s: &Snapshot, request: &RequestId, org: &OdsCode) -> Option<VisibleBecause> {
    let r = s.requests.iter().find(|r| &r.id == request)?;
    if r.involved.iter().any(|o| o == org) {
        return Some(VisibleBecause::Involved);
    }
    let Assignee::Target(t) = &r.assignee else {
        return None;
    };
    let patient_shares = s
        .patients
        .iter()
        .any(|p| p.id == r.patient && p.sharing == Sharing::Share);
    let shared = s.shares.iter().any(|sh| {
        &sh.target == t && &sh.partner == org && sh.state == ShareState::Enabled && !sh.restricted
    });
    (patient_shares && shared).then_some(VisibleBecause::UnrestrictedShare)
}

fn check_invariants(w: &World, before: &Snapshot) -> Result<(), TestCaseError> {
    let now = w.snapshot();
    let orgs: Vec<OdsCode> = now
        .organisations
        .iter()
        .map(|o| o.ods_code.clone())
        .collect();
    for r in &now.requests {
        // involved(R) only grows.
        if let Some(old) = before.requests.iter().find(|o| o.id == r.id) {
            for o in &old.involved {
                prop_assert!(r.involved.contains(o), "{} left involved({})", o, r.id);
            }
        }
        let do_not_share = now
            .patients
            .iter()
            .any(|p| p.id == r.patient && p.sharing == Sharing::DoNotShare);
        for org in &orgs {
            let seen = w.visibility(&r.id, org);
            // Production agrees with the naive implementation.
            prop_assert_eq!(
                seen,
                naive_visibility(&now, &r.id, org),
                "request {} org {}",
                r.id,
                org
            );
            // V1: every organisation in involved(R) sees R.
            if r.involved.contains(org) {
                prop_assert_eq!(seen, Some(VisibleBecause::Involved));
            } else if do_not_share {
                // V3: a do_not_share request is never seen outside involved(R).
                prop_assert_eq!(seen, None);
            }
        }
    }
    // C3: All ∪ Sent Externally is exactly the visible set, for every user.
    for u in &now.users {
        let visible: BTreeSet<&RequestId> = w
            .visible_requests(&u.ods_code)
            .iter()
            .map(|r| &r.id)
            .collect();
        let all = w
            .folder_requests(&u.id, &FolderId::All, StatusFilter::All)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let sent = w
            .folder_requests(&u.id, &FolderId::SentExternally, StatusFilter::All)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let union: BTreeSet<&RequestId> = all.iter().chain(sent.iter()).map(|r| &r.id).collect();
        prop_assert_eq!(union, visible.clone());
        // Every folder count and the Messages list stay inside what the organisation sees.
        for r in w
            .messages(&u.id, StatusFilter::All)
            .map_err(|e| TestCaseError::fail(e.to_string()))?
        {
            prop_assert!(visible.contains(&r.id));
        }
        for f in w
            .folders(&u.id)
            .map_err(|e| TestCaseError::fail(e.to_string()))?
        {
            let listed = w
                .folder_requests(&u.id, &f.id, StatusFilter::Open)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(f.open_count, listed.len(), "folder {}", f.id);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_every_visibility_invariant(
        net in net(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let mut w = build(&net);
        // Start with a request per organisation, so assignments have something to move.
        for o in 0..net.orgs {
            apply(&mut w, &Op::Receive { org: o, patient: o }, 1000 + o);
        }
        for (step, op) in ops.iter().enumerate() {
            let before = w.snapshot();
            if let Some(refused) = apply(&mut w, op, step) {
                if refused {
                    // A refused command leaves the state equal to before.
                    prop_assert_eq!(&w.snapshot(), &before, "refused {:?} changed the world", op);
                }
            }
            check_invariants(&w, &before)?;
        }
        // The state survives a snapshot round trip.
        let back = World::from_snapshot(w.snapshot()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.snapshot(), w.snapshot());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Issue 13 (SPEC §5, "nothing acknowledged is ever lost"): the delta a store writes is
    /// built from the commands' dirty log; for random networks and command sequences it equals,
    /// after every command (accepted, refused or a no-op), the comparison of the whole world
    /// before and after, and taking it empties the log.
    #[test]
    fn the_recorded_delta_of_every_command_equals_the_whole_world_comparison(
        net in net(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let mut w = build(&net);
        // Loading records too: everything added since the empty world.
        let loaded = w.take_delta();
        prop_assert_eq!(&loaded, &w.delta_from(&World::new()));
        prop_assert!(!loaded.users.is_empty() && !loaded.patients.is_empty());
        prop_assert!(w.has_no_changes());
        for o in 0..net.orgs {
            apply(&mut w, &Op::Receive { org: o, patient: o }, 1000 + o);
        }
        w.forget_changes();
        for (step, op) in ops.iter().enumerate() {
            let before = w.clone();
            let refused = apply(&mut w, op, step);
            let recorded = w.take_delta();
            prop_assert_eq!(&recorded, &w.delta_from(&before), "after {:?}", op);
            if refused == Some(true) {
                prop_assert!(recorded.is_empty(), "refused {:?} recorded a change", op);
            }
            prop_assert!(w.has_no_changes());
            prop_assert!(w.take_delta().is_empty());
        }
    }
}
