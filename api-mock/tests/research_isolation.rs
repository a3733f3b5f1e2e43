//! K1 isolation, property-tested: random commands (shares, closures of the Camelia inbox's
//! requests, demo requests made by the facilitator, resets) in three sandboxes and the demo
//! world. After every command each world's lists, counts and audit equal a model of that
//! world alone, and no id made in one world appears in any answer of another.
//!
//! The normal run does 12 sequences of up to 24 commands; `PROPTEST_CASES=N` runs more.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use serde_json::json;

use common::research::{participant_session, study_api};
use common::Api;

/// 0: the demo world; 1–3: the sandboxes.
const WORLDS: usize = 4;
const TARGETS: [&str; 2] = ["g-cam-reception", "g-cam-gps"];
const PARTNERS: [&str; 5] = ["A81002", "U12345", "RX401", "Y01234", "FA123"];

#[derive(Debug, Clone)]
enum Command {
    Share {
        world: usize,
        target: usize,
        partner: usize,
        restricted: bool,
    },
    DemoRequest {
        world: usize,
    },
    Reset {
        sandbox: usize,
    },
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        5 => (0..WORLDS, 0..TARGETS.len(), 0..PARTNERS.len(), any::<bool>()).prop_map(
            |(world, target, partner, restricted)| Command::Share {
                world,
                target,
                partner,
                restricted
            }
        ),
        2 => (0..WORLDS).prop_map(|world| Command::DemoRequest { world }),
        1 => (1..WORLDS).prop_map(|sandbox| Command::Reset { sandbox }),
    ]
}

/// What one world should hold: its shares of Camelia's two groups, and the ids made in it.
#[derive(Debug, Default, Clone)]
struct Model {
    shares: BTreeSet<(usize, usize)>,
    requests: usize,
    made: Vec<String>,
}

struct Worlds {
    api: Api,
    fac: String,
    /// Sarah Ahmed (Camelia's admin) in each world.
    sarah: Vec<String>,
    /// The participant id of each sandbox (index 0 unused).
    ids: Vec<String>,
}

async fn worlds() -> Worlds {
    let (api, fac) = study_api(None).await;
    let mut sarah = vec![api.sign_in("u-sarah-ahmed").await];
    let mut ids = vec![String::new()];
    for i in 1..WORLDS {
        let (id, s) = participant_session(&api, &fac, &format!("P{i}")).await;
        assert_eq!(s["user"]["id"], "u-sarah-ahmed");
        sarah.push(s["token"].as_str().unwrap().to_owned());
        ids.push(id);
    }
    Worlds {
        api,
        fac,
        sarah,
        ids,
    }
}

impl Worlds {
    async fn run(&self, c: &Command, models: &mut [Model]) -> Result<(), TestCaseError> {
        match *c {
            Command::Share {
                world,
                target,
                partner,
                restricted,
            } => {
                let a = self
                    .api
                    .send(
                        "POST",
                        "/api/shares",
                        &self.sarah[world],
                        json!({"target_id": TARGETS[target], "partner_ods_code": PARTNERS[partner],
                               "restricted": restricted}),
                    )
                    .await;
                if models[world].shares.insert((target, partner)) {
                    prop_assert_eq!(a.status, StatusCode::CREATED);
                    let id = a.json()["id"].as_str().unwrap().to_owned();
                    models[world].made.push(id);
                } else {
                    prop_assert_eq!(a.status, StatusCode::CONFLICT);
                }
            }
            Command::DemoRequest { world } => {
                let mut body = json!({"ods_code": "A81001", "patient_id": "p-amira-hussain",
                    "subject": "Blood test", "message": "Results please", "kind": "admin"});
                if world > 0 {
                    body["participant_id"] = json!(self.ids[world]);
                }
                let a = self
                    .api
                    .send("POST", "/api/demo/requests", &self.fac, body)
                    .await;
                prop_assert_eq!(a.status, StatusCode::CREATED);
                models[world].requests += 1;
                let id = a.json()["id"].as_str().unwrap().to_owned();
                models[world].made.push(id);
            }
            Command::Reset { sandbox } => {
                let a = self
                    .api
                    .send(
                        "POST",
                        &format!("/api/research/participants/{}/reset", self.ids[sandbox]),
                        &self.fac,
                        json!({"task_id": "share-reception"}),
                    )
                    .await;
                prop_assert_eq!(a.status, StatusCode::OK);
                // Back to the study's seed: what was made is gone (its ids stay unused).
                let made = std::mem::take(&mut models[sandbox].made);
                models[sandbox] = Model::default();
                models[sandbox].made = made;
                models[sandbox].shares.clear();
            }
        }
        Ok(())
    }

    /// Every world equals its model, and shows no id made elsewhere.
    async fn check(
        &self,
        models: &[Model],
        requests_at_start: &[usize],
    ) -> Result<(), TestCaseError> {
        for w in 0..WORLDS {
            let token = &self.sarah[w];
            let targets = self.api.get("/api/targets", token).await;
            let mut seen = BTreeSet::new();
            for t in targets.json().as_array().unwrap() {
                if let Some(ti) = TARGETS.iter().position(|x| *x == t["id"]) {
                    for s in t["shares"].as_array().unwrap() {
                        let p = PARTNERS
                            .iter()
                            .position(|x| *x == s["partner"]["ods_code"])
                            .unwrap();
                        seen.insert((ti, p));
                    }
                }
            }
            prop_assert_eq!(&seen, &models[w].shares, "world {}", w);
            let folders = self.api.get("/api/folders", token).await;
            let all = folders.json().as_array().unwrap()[0]["open_count"]
                .as_u64()
                .unwrap() as usize;
            prop_assert_eq!(
                all,
                requests_at_start[w] + models[w].requests,
                "world {}",
                w
            );
            let audit = self.api.get("/api/audit?limit=200", token).await;
            let requests = self.api.get("/api/requests?limit=200", token).await;
            for (v, other) in models.iter().enumerate().filter(|(v, _)| *v != w) {
                for id in &other.made {
                    for (what, bytes) in [
                        ("targets", &targets.bytes),
                        ("audit", &audit.bytes),
                        ("requests", &requests.bytes),
                    ] {
                        let found = bytes.windows(id.len()).any(|x| x == id.as_bytes());
                        prop_assert!(
                            !found,
                            "{} of world {} made in world {} shows in {}",
                            id,
                            v,
                            w,
                            what
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

#[test]
fn k1_no_list_count_audit_line_or_id_of_one_world_appears_in_another() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        ..RunnerConfig::default()
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    runner
        .run(&prop::collection::vec(command(), 1..24), |commands| {
            rt.block_on(async {
                let w = worlds().await;
                let mut start = Vec::new();
                for token in &w.sarah {
                    let f = w.api.get("/api/folders", token).await.json();
                    start.push(f[0]["open_count"].as_u64().unwrap() as usize);
                }
                let mut models: Vec<Model> = vec![Model::default(); WORLDS];
                for c in &commands {
                    w.run(c, &mut models).await?;
                    w.check(&models, &start).await?;
                }
                Ok(())
            })
        })
        .unwrap();
}
