//! The wire shapes of API.md built from domain values: names resolved, ids as text, and the
//! answers seen from the caller's organisation. The domain's enums go on the wire as they are.
//! No rule lives here: what is visible and allowed was decided by the domain before a value
//! reaches these functions.

use domain::wire;
use domain::{
    Agreement, Assignable, Assignee, AuditEvent, Consent, Folder, HistoryEvent, OdsCode,
    Organisation, Override, Request, Share, Sharing, TargetInfo, TargetKind, User, VisibleBecause,
    World,
};

pub fn organisation(o: &Organisation) -> wire::Organisation {
    wire::Organisation {
        ods_code: o.ods_code.as_str().to_owned(),
        name: o.name.clone(),
        kind: o.kind.clone(),
        postcode: o.postcode.clone(),
        active: o.active,
    }
}

/// An organisation by code, with its name (the code alone if it is unknown).
pub fn org_ref(world: &World, code: &OdsCode) -> wire::OrgRef {
    wire::OrgRef {
        ods_code: code.as_str().to_owned(),
        name: world
            .organisation(code)
            .map_or_else(|| code.as_str().to_owned(), |o| o.name.clone()),
    }
}

pub fn user(u: &User) -> wire::UserView {
    wire::UserView {
        id: u.id.as_str().to_owned(),
        name: u.name.clone(),
        role: u.role,
        ods_code: u.ods_code.as_str().to_owned(),
    }
}

pub fn target_ref(t: &TargetInfo) -> wire::TargetRef {
    wire::TargetRef {
        id: t.id.as_str().to_owned(),
        kind: t.kind,
        name: t.name.clone(),
    }
}

pub fn share(world: &World, s: &Share) -> wire::Share {
    wire::Share {
        id: s.id.as_str().to_owned(),
        partner: org_ref(world, &s.partner),
        restricted: s.restricted,
        state: s.state,
    }
}

pub fn external(world: &World, s: &Share) -> wire::ExternalShare {
    let target = world.target(&s.target).map_or_else(
        || wire::TargetRef {
            id: s.target.as_str().to_owned(),
            kind: TargetKind::Group,
            name: s.target.as_str().to_owned(),
        },
        |t| target_ref(&t),
    );
    wire::ExternalShare {
        share_id: s.id.as_str().to_owned(),
        target,
        owner: org_ref(world, &s.owner),
        restricted: s.restricted,
        state: s.state,
    }
}

pub fn agreement(world: &World, a: &Agreement, org: &OdsCode) -> wire::Agreement {
    let (ours, theirs) = a.answers_for(org);
    wire::Agreement {
        id: a.id.as_str().to_owned(),
        partner: org_ref(world, a.other_party(org)),
        reference: a.reference.clone(),
        proposed_by_ods_code: a.proposer.as_str().to_owned(),
        our_answer: ours,
        their_answer: theirs,
        active: a.active(),
        created_at: a.created_at.to_rfc3339(),
    }
}

pub fn folder(world: &World, f: &Folder) -> wire::Folder {
    wire::Folder {
        id: f.id.as_str().to_owned(),
        kind: f.kind,
        name: f.name.clone(),
        owner_ods_code: f.owner.as_str().to_owned(),
        owner_name: org_ref(world, &f.owner).name,
        open_count: u32::try_from(f.open_count).unwrap_or(u32::MAX),
        covered: f.covered,
        active: f.active,
    }
}

pub fn assignee(world: &World, a: &Assignee) -> wire::Assignee {
    match a {
        Assignee::Inbox(code) => {
            let org = org_ref(world, code);
            wire::Assignee {
                kind: wire::AssigneeKind::Inbox,
                id: org.ods_code.clone(),
                name: org.name,
                ods_code: org.ods_code,
            }
        }
        Assignee::Target(id) => match world.target(id) {
            Some(t) => wire::Assignee {
                kind: match t.kind {
                    TargetKind::Group => wire::AssigneeKind::Group,
                    TargetKind::Colleague => wire::AssigneeKind::Colleague,
                },
                id: t.id.as_str().to_owned(),
                name: t.name,
                ods_code: t.owner.as_str().to_owned(),
            },
            None => wire::Assignee {
                kind: wire::AssigneeKind::Group,
                id: id.as_str().to_owned(),
                name: id.as_str().to_owned(),
                ods_code: String::new(),
            },
        },
    }
}

fn patient(world: &World, r: &Request, with_birth_date: bool) -> wire::Patient {
    match world.patient(&r.patient) {
        Some(p) => wire::Patient {
            name: p.name.clone(),
            nhs_number: p.nhs_number.as_str().to_owned(),
            sharing: p.sharing,
            date_of_birth: with_birth_date.then(|| p.date_of_birth.clone()),
        },
        None => wire::Patient {
            name: String::new(),
            nhs_number: String::new(),
            sharing: Sharing::DoNotShare,
            date_of_birth: with_birth_date.then(String::new),
        },
    }
}

pub fn summary(world: &World, r: &Request) -> wire::RequestSummary {
    wire::RequestSummary {
        id: r.id.as_str().to_owned(),
        patient: patient(world, r, false),
        subject: r.subject.clone(),
        kind: r.kind,
        status: r.status,
        origin_ods_code: r.origin.as_str().to_owned(),
        assignee: assignee(world, &r.assignee),
        updated_at: r.last_activity().to_rfc3339(),
        version: r.version,
    }
}

fn history_event(world: &World, e: &HistoryEvent) -> wire::HistoryEvent {
    wire::HistoryEvent {
        id: e.id.as_str().to_owned(),
        at: e.at.to_rfc3339(),
        action: e.action,
        user: e.user.as_ref().map(|id| wire::UserRef {
            id: id.as_str().to_owned(),
            name: world
                .user(id)
                .map_or_else(|| id.as_str().to_owned(), |u| u.name.clone()),
        }),
        ods_code: e.ods_code.as_str().to_owned(),
        from: e.from.as_ref().map(|a| assignee(world, a)),
        to: e.to.as_ref().map(|a| assignee(world, a)),
        override_: match &e.consent_override {
            Override::None => None,
            Override::Reason { reason } => Some(wire::Override::Reason {
                reason: reason.clone(),
            }),
            Override::Agreement {
                agreement_id,
                reference,
            } => Some(wire::Override::Agreement {
                agreement_id: agreement_id.as_str().to_owned(),
                reference: reference.clone(),
            }),
        },
    }
}

pub fn detail(world: &World, r: &Request, why: VisibleBecause) -> wire::RequestDetail {
    let s = summary(world, r);
    let holder = world
        .holder(r)
        .map_or_else(|| org_ref(world, &r.origin), |h| org_ref(world, h));
    wire::RequestDetail {
        id: s.id,
        patient: patient(world, r, true),
        subject: s.subject,
        kind: s.kind,
        status: s.status,
        origin_ods_code: s.origin_ods_code,
        assignee: s.assignee,
        updated_at: s.updated_at,
        version: s.version,
        message: r.message.clone(),
        received_at: r.received_at.to_rfc3339(),
        origin: org_ref(world, &r.origin),
        holder,
        history: r.history.iter().map(|e| history_event(world, e)).collect(),
        visible_because: why,
    }
}

pub fn assignable(world: &World, a: &Assignable) -> wire::Assignable {
    let (consent, agreement) = match &a.consent {
        Consent::None => (wire::Consent::None, None),
        Consent::Reason => (wire::Consent::Reason, None),
        Consent::Agreement { id, reference } => (
            wire::Consent::Agreement,
            Some(wire::AgreementRef {
                id: id.as_str().to_owned(),
                reference: reference.clone(),
            }),
        ),
    };
    wire::Assignable {
        target: target_ref(&a.target),
        owner: org_ref(world, &a.target.owner),
        consent,
        agreement,
        would_see: wire::WouldSee {
            organisations: a
                .would_see
                .organisations
                .iter()
                .map(|c| org_ref(world, c))
                .collect(),
            other_unrestricted_partners: u32::try_from(a.would_see.other_unrestricted_partners)
                .unwrap_or(u32::MAX),
        },
    }
}

/// An audit event for `viewer`'s log, with the names people read ([`World::audit_names`]:
/// a request's subject only while `viewer` sees the request, V1–V4).
pub fn audit_entry(world: &World, viewer: &OdsCode, e: &AuditEvent) -> wire::AuditEntry {
    let names = world.audit_names(viewer, e);
    wire::AuditEntry {
        user_name: names.user_name.map(str::to_owned),
        organisation_name: names.organisation_name.map(str::to_owned),
        request_subject: names.request_subject.map(str::to_owned),
        id: e.id.as_str().to_owned(),
        at: e.at.to_rfc3339(),
        user_id: e.user.as_ref().map(|u| u.as_str().to_owned()),
        ods_code: e.ods_code.as_str().to_owned(),
        action: e.action,
        subject_id: e.subject_id.clone(),
        detail: e.detail.clone(),
    }
}

/// A user as the persona picker lists it; `None` if inactive.
pub fn persona(world: &World, u: &domain::User) -> Option<wire::Persona> {
    u.active.then(|| wire::Persona {
        user_id: u.id.as_str().to_owned(),
        name: u.name.clone(),
        role: u.role,
        ods_code: u.ods_code.as_str().to_owned(),
        organisation: org_ref(world, &u.ods_code).name,
    })
}
