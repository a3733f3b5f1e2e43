//! `--generate-requests N`: requests added to a seeded world through the domain rules.

use domain::{
    EventId, NewRequest, NhsNumber, OdsCode, Patient, PatientId, RequestId, Timestamp, UserId,
    World,
};

use crate::state::seeds::{refusal, SEED_EPOCH_MS};

const FIRST_NAMES: &[&str] = &[
    "Olivia", "George", "Amelia", "Harry", "Isla", "Noah", "Ava", "Leo", "Mia", "Oscar", "Ivy",
    "Arthur", "Freya", "Muhammad", "Grace", "Jack", "Sofia", "Thomas", "Zara", "Edward", "Nia",
    "Samuel", "Priya", "Daniel", "Chloe", "Kwame", "Hannah", "Tomasz", "Ruth", "Aled",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Khan", "Clarke", "Okafor", "Nowak", "Hughes", "Edwards", "Ali", "Murphy", "Price",
];
const SUBJECTS: &[(&str, &str)] = &[
    (
        "Repeat prescription",
        "Please could I have my usual repeat medicines renewed.",
    ),
    (
        "Blood test results",
        "I had bloods taken last week and would like to know the results.",
    ),
    (
        "Fit note needed",
        "I need a fit note for work after my operation.",
    ),
    (
        "Rash on arm",
        "A red itchy rash appeared on my forearm three days ago.",
    ),
    (
        "Change of address",
        "I have moved house and need to update my address.",
    ),
    (
        "Medication side effects",
        "Since starting the new tablets I have felt dizzy in the mornings.",
    ),
    (
        "Referral follow-up",
        "I have not heard back about my hospital referral from last month.",
    ),
    (
        "Persistent cough",
        "I have had a dry cough for three weeks, worse at night.",
    ),
    (
        "Vaccination query",
        "Am I due a flu or COVID vaccination this autumn?",
    ),
    (
        "Back pain",
        "Lower back pain since lifting boxes, not improving with rest.",
    ),
    (
        "Travel letter",
        "I need a letter for travelling with my medicines.",
    ),
    (
        "Sleep problems",
        "I have struggled to sleep for over a month.",
    ),
];

/// Adds `n` requests to a seeded world through the domain rules, for researchers who want large
/// folders: new patients (both sharing preferences), requests arriving at the organisations
/// that have active users, most assigned once or twice to targets the rules allow (a reason
/// given where consent needs one), about one in five closed. Deterministic: the same seed and
/// `n` give the same world.
pub fn generate_requests(world: &mut World, next_id: &mut u64, n: usize) -> Result<(), String> {
    if n == 0 {
        return Ok(());
    }
    let mut rng = crate::rng::SplitMix64::new(13);
    let mut fresh = |prefix: &str| {
        *next_id += 1;
        format!("{prefix}-{next_id}")
    };
    let origins: Vec<OdsCode> = world
        .organisations()
        .iter()
        .filter(|o| {
            world
                .users()
                .iter()
                .any(|u| u.active && u.ods_code == o.ods_code)
        })
        .map(|o| o.ods_code.clone())
        .collect();
    if origins.is_empty() {
        return Err("--generate-requests needs an organisation with an active user".into());
    }
    let patients = (n / 4).clamp(1, 50_000);
    let mut patient_ids = Vec::with_capacity(patients);
    let mut body = 400_000_000u32;
    for i in 0..patients {
        // The check digit is the domain's (written once, `NhsNumber::with_check_digit`).
        let number = loop {
            body += 7;
            if let Some(n) = NhsNumber::with_check_digit(body) {
                break n;
            }
        };
        let id = loop {
            let id = PatientId::new(fresh("p"));
            if world.patient(&id).is_none() {
                break id;
            }
        };
        world
            .add_patient(Patient {
                id: id.clone(),
                name: format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                nhs_number: number,
                date_of_birth: format!(
                    "{}-{:02}-{:02}",
                    1930 + rng.below(90),
                    1 + rng.below(12),
                    1 + rng.below(28)
                ),
                sharing: if i % 3 == 2 {
                    domain::Sharing::DoNotShare
                } else {
                    domain::Sharing::Share
                },
            })
            .map_err(|e| format!("generated patient {i}: {e}"))?;
        patient_ids.push(id);
    }
    let reason = "Generated scenario: clinically necessary to pass on.";
    let mut when = SEED_EPOCH_MS;
    for i in 0..n {
        let at = format!("generated request {i}");
        let origin = rng.pick(&origins).clone();
        let (subject, message) = *rng.pick(SUBJECTS);
        // The counter may reach a seeded id (`r-1001`): skip those.
        let id = loop {
            let id = RequestId::new(fresh("r"));
            if world.request(&id).is_none() {
                break id;
            }
        };
        when += 1 + rng.below(60_000) as i64;
        world
            .receive_request(
                NewRequest {
                    id: id.clone(),
                    origin: origin.clone(),
                    patient: rng.pick(&patient_ids).clone(),
                    kind: if rng.below(3) == 0 {
                        domain::RequestKind::Medical
                    } else {
                        domain::RequestKind::Admin
                    },
                    subject: subject.to_owned(),
                    message: message.to_owned(),
                },
                Timestamp::from_millis(when),
                EventId::new(fresh("ev")),
            )
            .map_err(|e| refusal(at.clone(), e))?;
        for _ in 0..rng.below(3) {
            let Some(request) = world.request(&id) else {
                break;
            };
            let Some(holder) = world.holder(request).cloned() else {
                break;
            };
            let version = request.version;
            let actors: Vec<UserId> = world
                .users()
                .iter()
                .filter(|u| u.active && u.ods_code == holder)
                .map(|u| u.id.clone())
                .collect();
            if actors.is_empty() {
                break;
            }
            let actor = rng.pick(&actors).clone();
            let options = world
                .assignable(&actor, &id)
                .map_err(|e| refusal(at.clone(), e))?;
            if options.is_empty() {
                break;
            }
            let choice = rng.pick(&options);
            let target = choice.target.id.clone();
            let override_reason =
                matches!(choice.consent, domain::Consent::Reason).then_some(reason);
            when += 1;
            world
                .assign_request(
                    &actor,
                    &id,
                    &target,
                    version,
                    override_reason,
                    Timestamp::from_millis(when),
                    EventId::new(fresh("ev")),
                )
                .map_err(|e| refusal(at.clone(), e))?;
        }
        if rng.below(5) == 0 {
            let Some(request) = world.request(&id) else {
                continue;
            };
            let version = request.version;
            let holder = world.holder(request).cloned();
            let actor = world
                .users()
                .iter()
                .find(|u| u.active && Some(&u.ods_code) == holder.as_ref())
                .map(|u| u.id.clone());
            if let Some(actor) = actor {
                when += 1;
                world
                    .close_request(
                        &actor,
                        &id,
                        version,
                        Timestamp::from_millis(when),
                        EventId::new(fresh("ev")),
                    )
                    .map_err(|e| refusal(at.clone(), e))?;
            }
        }
    }
    Ok(())
}
