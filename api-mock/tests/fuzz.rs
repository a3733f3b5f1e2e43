//! Property-based fuzzing (issue 7, item 4) of what outsiders feed the server:
//!
//! - the seed-file loader, with random JSON documents, mutated valid seeds and mutated bytes:
//!   it never panics; what it accepts satisfies the domain's invariants (a snapshot round trip);
//! - every JSON command body (each POST, PUT and PATCH with a body), with random JSON values,
//!   mutated valid bodies and mutated bytes, sent through `app()` by several personas: no
//!   panic, never 5xx, every refusal in the API's error shape and changing nothing.
//!
//! The normal test run does a bounded number of cases (256 seeds, 1000 bodies). Run longer with
//! `PROPTEST_CASES=100000 cargo test -p api-mock --release --test fuzz` (the count applies to
//! each property). A failure prints the minimal input found.
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::{Cell, RefCell};

use api_mock::seed::SeedFile;
use api_mock::state::world_from_seed;
use api_mock::AppState;
use axum::body::Body;
use axum::http::Request;
use common::*;
use domain::World;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default_cases),
        failure_persistence: None,
        ..Config::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Field names of the API and seed formats, so random objects often hit real fields.
const KEYS: &[&str] = &[
    "user_id",
    "target_id",
    "partner_ods_code",
    "restricted",
    "reference",
    "folder_ids",
    "version",
    "override_reason",
    "ods_code",
    "patient_id",
    "subject",
    "message",
    "kind",
    "sharing",
    "id",
    "name",
    "role",
    "postcode",
    "active",
    "state",
    "status",
    "assignments",
    "by_user_id",
    "received_at",
    "nhs_number",
    "date_of_birth",
    "generate",
    "partner_answer",
];

/// Strings that mean something here, plus arbitrary ones.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", " ", "all", "mine", "sent_externally", "A81001", "a81001", "U12345", "FA123",
            "RX401", "g-cam-gps", "g-pcn-carehome", "g-cam-reception", "u-sarah-ahmed",
            "u-aisha-khan", "p-margaret-hill", "p-john-carter", "r-1001", "sh-1", "ag-1",
            "share", "do_not_share", "admin", "staff", "medical", "open", "closed", "enabled",
            "9434765919", "2026-11-01T10:00:00Z", "1950-02-30", "=HYPERLINK(\"x\")",
            "A reason long enough to be one", "\u{0}", "\u{202e}evil", "../../etc/passwd",
        ]).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => (0usize..1200).prop_map(|n| "é".repeat(n)),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..5).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![prop::sample::select(KEYS).prop_map(str::to_owned), text()],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// How to damage a valid document.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Index, Value),
    Remove(Index),
    AddUnknown(Index, String, Value),
    Duplicate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), json_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<Index>().prop_map(Mutation::Remove),
        1 => (any::<Index>(), text(), json_value()).prop_map(|(i, k, v)| Mutation::AddUnknown(i, k, v)),
        1 => any::<Index>().prop_map(Mutation::Duplicate),
    ]
}

/// Every node of `v` as a JSON pointer, the root first.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &Value, mutations: &[Mutation]) -> Value {
    let mut doc = doc.clone();
    for m in mutations {
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let pick = |i: &Index| all[i.index(all.len())].clone();
        match m {
            Mutation::Replace(i, v) => {
                if let Some(node) = doc.pointer_mut(&pick(i)) {
                    *node = v.clone();
                }
            }
            Mutation::Remove(i) => {
                let at = pick(i);
                if let Some((parent, last)) = at.rsplit_once('/') {
                    match doc.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&last.replace("~1", "/").replace("~0", "~"));
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(n) = last.parse::<usize>() {
                                if n < items.len() {
                                    items.remove(n);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Mutation::AddUnknown(i, k, v) => {
                if let Some(Value::Object(map)) = doc.pointer_mut(&pick(i)) {
                    map.insert(k.clone(), v.clone());
                }
            }
            Mutation::Duplicate(i) => {
                if let Some(Value::Array(items)) = doc.pointer_mut(&pick(i)) {
                    if let Some(first) = items.first().cloned() {
                        items.push(first);
                    }
                }
            }
        }
    }
    doc
}

/// Bytes damaged at random: cut short, bytes overwritten, bytes inserted.
fn damage(bytes: &[u8], cut: Index, edits: &[(Index, u8, bool)]) -> Vec<u8> {
    let mut out = bytes[..cut.index(bytes.len() + 1)].to_vec();
    for (at, byte, insert) in edits {
        let i = at.index(out.len() + 1);
        if *insert || i == out.len() {
            out.insert(i, *byte);
        } else {
            out[i] = *byte;
        }
    }
    out
}

/// One way to make a document from a valid one.
#[derive(Debug, Clone)]
enum Input {
    Random(Value),
    Mutated(Vec<Mutation>),
    Bytes(Index, Vec<(Index, u8, bool)>),
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        1 => json_value().prop_map(Input::Random),
        3 => prop::collection::vec(mutation(), 1..4).prop_map(Input::Mutated),
        1 => (any::<Index>(), prop::collection::vec((any::<Index>(), any::<u8>(), any::<bool>()), 0..4))
            .prop_map(|(cut, edits)| Input::Bytes(cut, edits)),
    ]
}

fn render(valid: &Value, input: &Input) -> Vec<u8> {
    match input {
        Input::Random(v) => v.to_string().into_bytes(),
        Input::Mutated(ms) => apply(valid, ms).to_string().into_bytes(),
        Input::Bytes(cut, edits) => damage(valid.to_string().as_bytes(), *cut, edits),
    }
}

// ---------------------------------------------------------------------------------------------
// The seed loader
// ---------------------------------------------------------------------------------------------

/// The demo seed with a small generated directory (the 20 000 of the demo cost seconds each).
fn small_demo_seed() -> Value {
    let mut seed: Value = serde_json::from_str(api_mock::seed::DEMO_SEED).unwrap();
    seed["directory"] = json!({"generate": 30});
    seed
}

#[test]
fn the_seed_loader_never_panics_and_what_it_accepts_keeps_the_domain_invariants() {
    let valid = small_demo_seed();
    let accepted = Cell::new(0u32);
    let refused = Cell::new(0u32);
    runner(256)
        .run(&input(), |input| {
            let bytes = render(&valid, &input);
            let Ok(text) = String::from_utf8(bytes) else {
                return Ok(()); // A seed file is read as UTF-8 text; not text is refused earlier.
            };
            let mut seed = match SeedFile::parse(&text) {
                Ok(seed) => seed,
                Err(e) => {
                    prop_assert!(!e.is_empty());
                    refused.set(refused.get() + 1);
                    return Ok(());
                }
            };
            // Parsing accepted up to a million; generating that many is slow, not interesting.
            if let Some(d) = seed.directory.as_mut() {
                d.generate = d.generate.min(200);
            }
            match world_from_seed(&seed) {
                Ok(loaded) => {
                    let snapshot = loaded.world.snapshot();
                    let back = World::from_snapshot(snapshot.clone())
                        .map_err(|e| TestCaseError::fail(format!("accepted seed breaks {e}")))?;
                    prop_assert_eq!(back.snapshot(), snapshot);
                    accepted.set(accepted.get() + 1);
                }
                Err(e) => {
                    prop_assert!(!e.is_empty(), "a refusal names the entry");
                    refused.set(refused.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    println!(
        "fuzz seeds: {} accepted, {} refused",
        accepted.get(),
        refused.get()
    );
    assert!(refused.get() > 0, "the mutations reach the refusals");
}

// ---------------------------------------------------------------------------------------------
// Command bodies
// ---------------------------------------------------------------------------------------------

/// Every route with a JSON body, with a valid body for the demo network.
fn commands() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("POST", "/api/session", json!({"user_id": "u-sarah-ahmed"})),
        (
            "POST",
            "/api/shares",
            json!({"target_id": "g-cam-gps", "partner_ods_code": "U12345", "restricted": true}),
        ),
        ("PATCH", "/api/shares/sh-1", json!({"restricted": true})),
        (
            "POST",
            "/api/agreements",
            json!({"partner_ods_code": "A81002", "reference": "DSA-2026-7"}),
        ),
        (
            "PUT",
            "/api/covers",
            json!({"folder_ids": ["g-cam-reception", "sent_externally"]}),
        ),
        (
            "POST",
            "/api/requests/r-1001/assign",
            json!({"target_id": "g-pcn-carehome", "version": 1, "override_reason": "The care home team knows this patient."}),
        ),
        ("POST", "/api/requests/r-1001/close", json!({"version": 1})),
        ("POST", "/api/requests/r-1002/reopen", json!({"version": 2})),
        (
            "POST",
            "/api/demo/requests",
            json!({"ods_code": "A81001", "patient_id": "p-margaret-hill", "subject": "Repeat prescription", "message": "Please.", "kind": "admin"}),
        ),
        (
            "POST",
            "/api/demo/patients/p-john-carter/sharing",
            json!({"sharing": "share"}),
        ),
    ]
}

const ACTORS: &[&str] = &[
    "u-sarah-ahmed",
    "u-james-wilson",
    "u-mark-robinson",
    "u-aisha-khan",
    "u-ravi-shah",
];

/// The state that changes can touch (organisations never change), cheap to compare.
fn changeable(state: &AppState) -> String {
    serde_json::to_string(&state.read().world.snapshot_with_organisations(0)).unwrap()
}

#[test]
fn no_command_body_panics_answers_5xx_or_changes_anything_when_refused() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let api = Api::demo();
    let tokens: Vec<String> = ACTORS.iter().map(|a| rt.block_on(api.sign_in(a))).collect();
    let commands = commands();
    let strategy = (any::<Index>(), any::<Index>(), input(), any::<bool>());
    let seen = RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    runner(1000)
        .run(&strategy, |(command, actor, input, json_type)| {
            let (method, path, valid) = &commands[command.index(commands.len())];
            let body = render(valid, &input);
            let before = changeable(&api.state);
            let mut request = Request::builder().method(*method).uri(*path).header(
                "authorization",
                format!("Bearer {}", tokens[actor.index(tokens.len())]),
            );
            if json_type {
                request = request.header("content-type", "application/json");
            }
            let answer = rt.block_on(api.raw(request.body(Body::from(body.clone())).unwrap()));
            let status = answer.status.as_u16();
            *seen.borrow_mut().entry(status).or_default() += 1;
            prop_assert!(
                status < 500,
                "{method} {path} answered {status} to {}",
                String::from_utf8_lossy(&body)
            );
            if status >= 400 {
                let error: Value = serde_json::from_slice(&answer.bytes)
                    .map_err(|e| TestCaseError::fail(format!("refusal not JSON: {e}")))?;
                prop_assert!(error["error"]["code"].is_string(), "{error}");
                prop_assert!(error["error"]["message"].is_string(), "{error}");
                prop_assert_eq!(
                    &changeable(&api.state),
                    &before,
                    "a refusal changed the state"
                );
            }
            Ok(())
        })
        .unwrap();
    let seen = seen.into_inner();
    println!("fuzz bodies: answers by status {seen:?}");
    assert!(
        seen.keys().any(|s| *s < 300),
        "some bodies get through: {seen:?}"
    );
    assert!(
        seen.contains_key(&400),
        "some bodies are malformed: {seen:?}"
    );
}

#[test]
fn a_seed_file_the_loader_refuses_never_starts_the_server() {
    // The loader's refusals reach the command line as a start error, not a half-loaded server.
    let mut seed = small_demo_seed();
    seed["patients"][0]["nhs_number"] = json!("1234567890");
    let dir = std::env::temp_dir().join(format!("api-mock-fuzz-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    let config = api_mock::config::Config {
        seed: api_mock::config::SeedSource::File(path),
        data: None,
        ..Default::default()
    };
    let e = AppState::start(&config).expect_err("refused");
    assert!(e.0.contains("patients[0]"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}
