//! Seeds: the world of a seed file, replayed through the domain rules entry by entry, the
//! generated directory last.

use domain::{
    Agreement, AgreementId, Answer, DomainError, EventId, FolderId, Group, GroupId, NewRequest,
    NhsNumber, OdsCode, Organisation, Patient, PatientId, RequestId, RequestStatus, Share, ShareId,
    TargetId, Timestamp, User, UserId, World,
};

use super::synthetic::{generate_requests, generated_organisations};
use super::Loaded;
use crate::seed::SeedFile;

/// When seeded shares and agreements were made.
pub(super) const SEED_EPOCH_MS: i64 = 1_793_523_600_000; // 2026-11-01T09:00:00Z

/// Minutes between replayed assignments of a seeded request.
pub(super) const SEED_STEP_MS: i64 = 12 * 60 * 1000;

fn entry(kind: &str, i: usize, id: &str) -> String {
    format!("{kind}[{i}] ({id:?})")
}

pub(super) fn refusal(at: String, e: DomainError) -> String {
    let field = crate::error::field_of(&e)
        .map(|f| format!(", field {f}"))
        .unwrap_or_default();
    format!("{at}: {} ({e}{field})", crate::error::status_and_code(&e).1)
}

pub(super) fn ods(at: &str, field: &str, text: &str) -> Result<OdsCode, String> {
    OdsCode::parse(text).map_err(|e| format!("{at}: {field} {text:?}: {e}"))
}

/// Builds the world of a seed by replaying it through the domain rules, entry by entry. The
/// error names the first entry at fault. The generated directory comes last.
pub fn world_from_seed(seed: &SeedFile) -> Result<Loaded, String> {
    world_from_seed_with(seed, 0)
}

/// [`world_from_seed`], then `requests` generated requests (`--generate-requests`, see
/// [`generate_requests`]).
pub fn world_from_seed_with(seed: &SeedFile, requests: usize) -> Result<Loaded, String> {
    let mut loaded = seeded_world(seed)?;
    generate_requests(&mut loaded.world, &mut loaded.next_id, requests)?;
    Ok(loaded)
}

fn seeded_world(seed: &SeedFile) -> Result<Loaded, String> {
    let mut world = World::new();
    let mut next_id: u64 = 0;
    let generated = replay_into(&mut world, seed, &mut |prefix: &str| {
        next_id += 1;
        format!("{prefix}-{next_id}")
    })?;
    Ok(Loaded {
        world,
        next_id,
        generated,
    })
}

/// Replays the entries of `seed` onto `world` through the domain rules, in the order of
/// API.md (organisations, the generated directory, users, groups, patients, shares,
/// agreements, requests, covers); `fresh` makes the ids of new shares, agreements and events.
/// Returns how many organisations were generated. A task's `setup` (research studies) is
/// replayed the same way onto a sandbox.
pub fn replay_into(
    world: &mut World,
    seed: &SeedFile,
    fresh: &mut dyn FnMut(&str) -> String,
) -> Result<usize, String> {
    for (i, o) in seed.organisations.iter().enumerate() {
        let at = entry("organisations", i, &o.ods_code);
        let org = Organisation {
            ods_code: ods(&at, "ods_code", &o.ods_code)?,
            name: o.name.clone(),
            kind: o.kind.clone(),
            postcode: o.postcode.clone(),
            active: o.active,
        };
        world.add_organisation(org).map_err(|e| refusal(at, e))?;
    }
    let generated = seed.directory.as_ref().map_or(0, |d| d.generate);
    if generated > 0 {
        let explicit = world.organisations().to_vec();
        for (i, org) in generated_organisations(generated, &explicit, false)?
            .into_iter()
            .enumerate()
        {
            let at = format!("directory.generate #{i} ({:?})", org.ods_code.as_str());
            world.add_organisation(org).map_err(|e| refusal(at, e))?;
        }
    }
    for (i, u) in seed.users.iter().enumerate() {
        let at = entry("users", i, &u.id);
        let user = User {
            id: UserId::new(u.id.as_str()),
            name: u.name.clone(),
            role: u.role,
            ods_code: ods(&at, "ods_code", &u.ods_code)?,
            active: u.active,
        };
        world.add_user(user).map_err(|e| refusal(at, e))?;
    }
    for (i, g) in seed.groups.iter().enumerate() {
        let at = entry("groups", i, &g.id);
        let group = Group {
            id: GroupId::new(g.id.as_str()),
            name: g.name.clone(),
            ods_code: ods(&at, "ods_code", &g.ods_code)?,
        };
        world.add_group(group).map_err(|e| refusal(at, e))?;
    }
    for (i, p) in seed.patients.iter().enumerate() {
        let at = entry("patients", i, &p.id);
        let patient = Patient {
            id: PatientId::new(p.id.as_str()),
            name: p.name.clone(),
            nhs_number: NhsNumber::parse(&p.nhs_number)
                .map_err(|e| format!("{at}: nhs_number {:?}: {e}", p.nhs_number))?,
            date_of_birth: p.date_of_birth.clone(),
            sharing: p.sharing,
        };
        world.add_patient(patient).map_err(|e| refusal(at, e))?;
    }
    for (i, s) in seed.shares.iter().enumerate() {
        let at = entry("shares", i, &s.target_id);
        let target = TargetId::new(s.target_id.as_str());
        let owner = world
            .target(&target)
            .ok_or_else(|| format!("{at}: unknown target_id {:?}", s.target_id))?
            .owner;
        let share = Share {
            id: ShareId::new(fresh("sh")),
            target,
            owner,
            partner: ods(&at, "partner_ods_code", &s.partner_ods_code)?,
            restricted: s.restricted,
            state: s.state,
            created_at: Timestamp::from_millis(SEED_EPOCH_MS),
        };
        world.add_share_seeded(share).map_err(|e| refusal(at, e))?;
    }
    for (i, a) in seed.agreements.iter().enumerate() {
        let at = entry("agreements", i, &a.partner_ods_code);
        let agreement = Agreement {
            id: AgreementId::new(fresh("ag")),
            proposer: ods(&at, "ods_code", &a.ods_code)?,
            partner: ods(&at, "partner_ods_code", &a.partner_ods_code)?,
            reference: a.reference.clone(),
            proposer_answer: Some(Answer::Accepted),
            partner_answer: a.partner_answer,
            created_at: Timestamp::from_millis(SEED_EPOCH_MS),
        };
        world
            .add_agreement_seeded(agreement)
            .map_err(|e| refusal(at, e))?;
    }
    for (i, r) in seed.requests.iter().enumerate() {
        let at = entry("requests", i, &r.id);
        let received = Timestamp::parse_rfc3339(&r.received_at)
            .map_err(|e| format!("{at}: received_at {:?}: {e}", r.received_at))?;
        let id = RequestId::new(r.id.as_str());
        let origin = ods(&at, "ods_code", &r.ods_code)?;
        let new = NewRequest {
            id: id.clone(),
            origin: origin.clone(),
            patient: PatientId::new(r.patient_id.as_str()),
            kind: r.kind,
            subject: r.subject.clone(),
            message: r.message.clone(),
        };
        world
            .receive_request(new, received, EventId::new(fresh("ev")))
            .map_err(|e| refusal(at.clone(), e))?;
        let mut when = received.as_millis();
        let mut last_actor: Option<UserId> = None;
        for (k, a) in r.assignments.iter().enumerate() {
            let at = format!("{at}, assignments[{k}]");
            when += SEED_STEP_MS;
            let version = world.request(&id).map(|q| q.version).unwrap_or(1);
            let actor = UserId::new(a.by_user_id.as_str());
            world
                .assign_request(
                    &actor,
                    &id,
                    &TargetId::new(a.target_id.as_str()),
                    version,
                    a.override_reason.as_deref(),
                    Timestamp::from_millis(when),
                    EventId::new(fresh("ev")),
                )
                .map_err(|e| refusal(at, e))?;
            last_actor = Some(actor);
        }
        if r.status == Some(RequestStatus::Closed) {
            // Closed by the last user who moved it, or else by a user of the origin.
            let actor = last_actor.or_else(|| {
                world
                    .users()
                    .iter()
                    .find(|u| u.ods_code == origin && u.active)
                    .map(|u| u.id.clone())
            });
            let actor =
                actor.ok_or_else(|| format!("{at}: no active user of {origin} to close it"))?;
            let version = world.request(&id).map(|q| q.version).unwrap_or(1);
            world
                .close_request(
                    &actor,
                    &id,
                    version,
                    Timestamp::from_millis(when + SEED_STEP_MS),
                    EventId::new(fresh("ev")),
                )
                .map_err(|e| refusal(at, e))?;
            debug_assert!(world
                .request(&id)
                .is_some_and(|q| q.status == RequestStatus::Closed));
        }
    }
    for (i, c) in seed.covers.iter().enumerate() {
        let at = entry("covers", i, &c.user_id);
        let folders: Vec<FolderId> = c.folder_ids.iter().map(|f| FolderId::parse(f)).collect();
        world
            .seed_covers(&UserId::new(c.user_id.as_str()), &folders)
            .map_err(|e| refusal(at, e))?;
    }
    Ok(generated)
}
