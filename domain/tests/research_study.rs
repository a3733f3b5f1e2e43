//! The study file of API.md and its validation (K2, K3): a study whose ids do not exist in
//! the sandbox's world is refused, naming the entry by its path in the file.

mod research_net;

use domain::research::study::{validate, validate_each, Study, StudySeed, Task, MAX_TIME_LIMIT_S};
use domain::research::{Condition, DemoSeed, OverrideKind};
use domain::{
    FolderId, NewRequest, PatientId, RequestId, RequestKind, ShareState, TargetId, UserId,
};
use research_net::{ods, Net, CAM, FRA, PCN};

fn task(id: &str, persona: &str, success: Condition) -> Task<()> {
    Task {
        id: id.into(),
        title: format!("Task {id}"),
        instruction: "Share the care home team with Camelia Surgery.".into(),
        persona: UserId::new(persona),
        setup: None,
        success,
        fewest_changes: 1,
        fewest_screens: 3,
        time_limit_s: 300,
    }
}

fn share(target: &str, partner: &str) -> Condition {
    Condition::Share {
        target_id: TargetId::new(target),
        partner_ods_code: ods(partner),
        restricted: Some(true),
        state: Some(ShareState::Pending),
    }
}

/// The guide's story as three tasks.
fn study() -> Study<()> {
    Study {
        name: "Sharing the care home team".into(),
        seed: StudySeed::Demo(DemoSeed::Demo),
        personas: vec![UserId::new("u-mark-robinson"), UserId::new("u-sarah-ahmed")],
        tasks: vec![
            task("share", "u-mark-robinson", share("g-pcn-carehome", CAM)),
            task(
                "accept",
                "u-sarah-ahmed",
                Condition::Share {
                    target_id: TargetId::new("g-pcn-carehome"),
                    partner_ods_code: ods(CAM),
                    restricted: None,
                    state: Some(ShareState::Enabled),
                },
            ),
            task(
                "assign",
                "u-sarah-ahmed",
                Condition::All(vec![
                    Condition::Request {
                        id: RequestId::new("r-1002"),
                        assignee_id: Some(TargetId::new("g-pcn-carehome")),
                        status: None,
                        consent: Some(OverrideKind::Reason),
                    },
                    Condition::not(Condition::Agreement {
                        ods_code: ods(CAM),
                        partner_ods_code: ods(PCN),
                        active: Some(true),
                    }),
                    Condition::Covers {
                        user_id: UserId::new("u-sarah-ahmed"),
                        includes: vec![FolderId::parse("g-pcn-carehome"), FolderId::SentExternally],
                    },
                ]),
            ),
        ],
        show_outcome: false,
    }
}

fn refusal(s: &Study<()>) -> String {
    let net = Net::new();
    validate(s, &net.w).map_or_else(|e| e.to_string(), |()| "accepted".into())
}

#[test]
fn k3_a_study_whose_ids_all_exist_is_accepted() {
    assert_eq!(refusal(&study()), "accepted");
}

#[test]
fn k3_an_unknown_target_is_named_by_its_path_as_api_md_shows() {
    let mut s = study();
    s.tasks[2].success = share("g-x", CAM);
    assert_eq!(
        refusal(&s),
        r#"tasks[2].success.share.target_id: unknown target "g-x""#
    );
}

#[test]
fn k3_ids_inside_all_any_and_not_are_named_with_their_index() {
    let mut s = study();
    s.tasks[0].success = Condition::Any(vec![
        share("g-frailty", CAM),
        Condition::not(Condition::Request {
            id: RequestId::new("r-x"),
            assignee_id: None,
            status: None,
            consent: None,
        }),
    ]);
    assert_eq!(
        refusal(&s),
        r#"tasks[0].success.any[1].not.request.id: unknown request "r-x""#
    );

    s.tasks[0].success = Condition::Request {
        id: RequestId::new("r-1001"),
        assignee_id: Some(TargetId::new("g-nowhere")),
        status: None,
        consent: None,
    };
    assert_eq!(
        refusal(&s),
        r#"tasks[0].success.request.assignee_id: unknown target "g-nowhere""#
    );

    s.tasks[0].success = Condition::NoShare {
        target_id: TargetId::new("g-frailty"),
        partner_ods_code: ods("B99999"),
    };
    assert_eq!(
        refusal(&s),
        r#"tasks[0].success.no_share.partner_ods_code: unknown organisation "B99999""#
    );

    s.tasks[0].success = Condition::Agreement {
        ods_code: ods(FRA),
        partner_ods_code: ods(FRA),
        active: None,
    };
    assert_eq!(
        refusal(&s),
        "tasks[0].success.agreement.partner_ods_code: an organisation has no agreement with itself"
    );

    s.tasks[0].success = Condition::Covers {
        user_id: UserId::new("u-sarah-ahmed"),
        includes: vec![FolderId::SentExternally, FolderId::parse("g-gone")],
    };
    assert_eq!(
        refusal(&s),
        r#"tasks[0].success.covers.includes[1]: unknown folder "g-gone""#
    );
    for (folder, why) in [
        ("mine", r#"folder "mine" cannot be covered"#),
        ("all", r#"folder "all" cannot be covered"#),
        (
            "u-sarah-ahmed",
            r#""u-sarah-ahmed" cannot cover their own folder"#,
        ),
    ] {
        s.tasks[0].success = Condition::Covers {
            user_id: UserId::new("u-sarah-ahmed"),
            includes: vec![FolderId::parse(folder)],
        };
        assert_eq!(
            refusal(&s),
            format!("tasks[0].success.covers.includes[0]: {why}")
        );
    }

    s.tasks[0].success = Condition::Covers {
        user_id: UserId::new("u-nobody"),
        includes: vec![],
    };
    assert_eq!(
        refusal(&s),
        r#"tasks[0].success.covers.user_id: unknown user "u-nobody""#
    );
}

#[test]
fn k3_a_condition_nested_too_deep_is_refused() {
    let mut s = study();
    let mut c = share("g-frailty", CAM);
    for _ in 0..20 {
        c = Condition::not(c);
    }
    s.tasks[1].success = c;
    assert!(
        refusal(&s).starts_with("tasks[1].success.not.not"),
        "{}",
        refusal(&s)
    );
    assert!(refusal(&s).ends_with("conditions nest more than 12 deep"));
}

#[test]
fn k1_personas_must_be_known_active_users_listed_once() {
    let mut s = study();
    s.personas.push(UserId::new("u-x"));
    assert_eq!(refusal(&s), r#"personas[2]: unknown user "u-x""#);
    s.personas[2] = UserId::new("u-old-locum");
    assert_eq!(
        refusal(&s),
        r#"personas[2]: user "u-old-locum" is inactive"#
    );
    s.personas[2] = UserId::new("u-sarah-ahmed");
    assert_eq!(
        refusal(&s),
        r#"personas[2]: persona "u-sarah-ahmed" is listed twice"#
    );
    s.personas.clear();
    assert_eq!(refusal(&s), "personas: at least one persona is needed");
}

#[test]
fn k1_a_task_persona_must_be_one_of_the_study_personas() {
    let mut s = study();
    s.tasks[1].persona = UserId::new("u-grace-okafor");
    assert_eq!(
        refusal(&s),
        r#"tasks[1].persona: "u-grace-okafor" is not one of the study's personas"#
    );
}

#[test]
fn k3_task_ids_are_unique_and_texts_not_blank() {
    let mut s = study();
    s.tasks[2].id = "share".into();
    assert_eq!(refusal(&s), r#"tasks[2].id: duplicate task id "share""#);
    let mut s = study();
    s.tasks[0].title = "  ".into();
    assert_eq!(refusal(&s), "tasks[0].title: must not be blank");
    let mut s = study();
    s.name = String::new();
    assert_eq!(refusal(&s), "name: must not be blank");
    let mut s = study();
    s.tasks.clear();
    assert_eq!(refusal(&s), "tasks: at least one task is needed");
}

#[test]
fn k3_zero_or_absurd_time_limits_and_zero_fewest_screens_are_refused() {
    let mut s = study();
    s.tasks[1].time_limit_s = 0;
    assert_eq!(
        refusal(&s),
        "tasks[1].time_limit_s: between 10 and 7200 seconds, not 0"
    );
    s.tasks[1].time_limit_s = 86_400;
    assert_eq!(
        refusal(&s),
        "tasks[1].time_limit_s: between 10 and 7200 seconds, not 86400"
    );
    s.tasks[1].time_limit_s = MAX_TIME_LIMIT_S;
    assert_eq!(refusal(&s), "accepted");
    s.tasks[0].fewest_screens = 0;
    assert_eq!(
        refusal(&s),
        "tasks[0].fewest_screens: between 1 and 1000, not 0"
    );
    s.tasks[0].fewest_screens = 1;
    s.tasks[0].fewest_changes = 5000;
    assert_eq!(
        refusal(&s),
        "tasks[0].fewest_changes: at most 1000, not 5000"
    );
}

#[test]
fn k3_each_task_is_checked_in_the_world_it_starts_from() {
    // Task 2's setup adds request r-2001; task 0 may not name it, task 2 may.
    let before = Net::new();
    let mut after = Net::new();
    let (now, ev) = after.tick();
    after
        .w
        .receive_request(
            NewRequest {
                id: RequestId::new("r-2001"),
                origin: ods(CAM),
                patient: PatientId::new("p-share"),
                kind: RequestKind::Admin,
                subject: "Repeat prescription".into(),
                message: "Please.".into(),
            },
            now,
            ev,
        )
        .expect("receive");
    let r2001 = Condition::Request {
        id: RequestId::new("r-2001"),
        assignee_id: None,
        status: None,
        consent: None,
    };
    let mut s = study();
    s.tasks[2].success = r2001.clone();
    let world_for = |i: usize| if i < 2 { &before.w } else { &after.w };
    assert_eq!(validate_each(&s, world_for), Ok(()));
    s.tasks[0].success = r2001;
    assert_eq!(
        validate_each(&s, world_for).map_err(|e| e.to_string()),
        Err(r#"tasks[0].success.request.id: unknown request "r-2001""#.to_owned())
    );
}

#[cfg(feature = "serde")]
mod file {
    use super::*;
    use serde_json::{json, Value};

    fn sample() -> Value {
        json!({
            "name": "Sharing the care home team",
            "seed": "demo",
            "personas": ["u-mark-robinson", "u-sarah-ahmed"],
            "tasks": [
                {"id": "share", "title": "Share", "instruction": "Share the team.",
                 "persona": "u-mark-robinson",
                 "success": {"share": {"target_id": "g-pcn-carehome", "partner_ods_code": "A81001",
                                       "restricted": true}},
                 "fewest_changes": 1, "fewest_screens": 2, "time_limit_s": 300},
                {"id": "assign", "title": "Assign", "instruction": "Send the request.",
                 "persona": "u-sarah-ahmed",
                 "setup": {"requests": []},
                 "success": {"all": [
                     {"request": {"id": "r-1002", "assignee_id": "g-pcn-carehome",
                                  "status": "open", "override": "reason"}},
                     {"not": {"no_share": {"target_id": "g-pcn-carehome",
                                           "partner_ods_code": "A81001"}}},
                     {"any": [{"agreement": {"ods_code": "A81001", "partner_ods_code": "U12345",
                                             "active": false}},
                              {"covers": {"user_id": "u-sarah-ahmed",
                                          "includes": ["sent_externally", "g-pcn-carehome"]}}]}
                 ]},
                 "fewest_changes": 1, "fewest_screens": 4, "time_limit_s": 600}
            ]
        })
    }

    #[test]
    fn k3_the_api_md_study_file_decodes_validates_and_round_trips() {
        let s: Study<Value> = serde_json::from_value(sample()).expect("decodes");
        assert_eq!(s.seed, StudySeed::Demo(DemoSeed::Demo));
        assert!(!s.show_outcome, "K4: not told unless the study says so");
        assert_eq!(s.tasks[1].setup, Some(json!({"requests": []})));
        assert_eq!(
            s.tasks[0].success,
            Condition::Share {
                target_id: TargetId::new("g-pcn-carehome"),
                partner_ods_code: ods(CAM),
                restricted: Some(true),
                state: None,
            }
        );
        assert_eq!(validate(&s, &Net::new().w), Ok(()));
        let back: Value = serde_json::to_value(&s).expect("encodes");
        assert_eq!(back["tasks"][1]["success"], sample()["tasks"][1]["success"]);
        assert_eq!(
            serde_json::from_value::<Study<Value>>(back).expect("decodes"),
            s
        );
    }

    #[test]
    fn k3_an_inline_seed_is_kept_for_the_server_to_load() {
        let mut v = sample();
        v["seed"] = json!({"organisations": [], "users": []});
        let s: Study<Value> = serde_json::from_value(v).expect("decodes");
        assert_eq!(
            s.seed,
            StudySeed::Inline(json!({"organisations": [], "users": []}))
        );
    }

    #[test]
    fn k3_unknown_fields_and_unknown_condition_kinds_are_refused() {
        let mut v = sample();
        v["tasks"][0]["colour"] = json!("red");
        assert!(serde_json::from_value::<Study<Value>>(v).is_err());
        let mut v = sample();
        v["tasks"][0]["success"] = json!({"share": {"target_id": "g-frailty",
            "partner_ods_code": "A81001", "restrcted": true}});
        assert!(serde_json::from_value::<Study<Value>>(v).is_err());
        let mut v = sample();
        v["tasks"][0]["success"] = json!({"shared": {}});
        assert!(serde_json::from_value::<Study<Value>>(v).is_err());
        let mut v = sample();
        v["tasks"][0]["success"] = json!({"request": {"id": "r-1", "override": "maybe"}});
        assert!(serde_json::from_value::<Study<Value>>(v).is_err());
    }
}
