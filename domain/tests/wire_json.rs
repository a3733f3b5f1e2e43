//! The client's JSON module (`domain::json`, `domain::wire_json`) against serde_json.
//!
//! The web client reads the server's answers and writes its request bodies with `domain::json`
//! instead of serde (issue 7: code size), while the server keeps serde. So the two must agree
//! on every document: the parser on arbitrary JSON, and every `wire` type in both directions.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use domain::json::{self, FromJson, Json, ToJson};
use domain::wire::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// 2^53: every integer up to it is exact in an `f64`, so exact in `Json::Number`.
const EXACT: u64 = 1 << 53;

// ---------------------------------------------------------------------------------------------
// Arbitrary documents
// ---------------------------------------------------------------------------------------------

/// Characters that JSON escapes or that need more than one UTF-16 unit.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '"',
            '\\',
            '/',
            '\u{7f}',
            'é',
            '\u{2028}',
            '\u{FFFF}',
            '😀',
            '\u{10FFFF}',
            ' ',
        ]),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        any::<char>(),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC*",
        prop::collection::vec(tricky_char(), 0..12).prop_map(|cs| cs.into_iter().collect()),
    ]
}

/// Finite floats of every size, subnormals and both zeros included.
fn finite_f64() -> impl Strategy<Value = f64> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        (0..=EXACT).prop_map(Value::from),
        (-(EXACT as i64)..=0).prop_map(Value::from),
        prop::sample::select(vec![0, 1, EXACT - 1, EXACT]).prop_map(Value::from),
        any::<i16>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        (-1_000_000i64..1_000_000).prop_map(|n| Value::from(n as f64 / 100.0)),
    ]
    .boxed()
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            // A BTreeMap: unique keys.
            prop::collection::btree_map(string(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Comparing a parsed `Json` with the `Value` it was written from
// ---------------------------------------------------------------------------------------------

/// `Json` as a serde_json `Value`, for the failure messages: whole numbers up to 2^53 as
/// integers, others as floats.
fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) if n.fract() == 0.0 && n.abs() <= EXACT as f64 => Value::from(*n as i64),
        Json::Number(n) => Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

/// Integers up to 2^53 exactly; other numbers to a relative 1e-12 (the reader does not round
/// like a full float parser), or within the smallest subnormal step (where relative error
/// means nothing).
fn same_number(parsed: f64, expected: &Number) -> bool {
    let exact = expected
        .as_i64()
        .map(i64::unsigned_abs)
        .or(expected.as_u64());
    if exact.is_some_and(|n| n <= EXACT) {
        return parsed == expected.as_f64().unwrap();
    }
    let e = expected.as_f64().unwrap();
    let diff = (parsed - e).abs();
    parsed == e || diff <= 1e-12 * e.abs().max(parsed.abs()) || diff <= f64::from_bits(1)
}

/// Whether `parsed` is the document `expected`; object members compared as maps, but each
/// name must appear once.
fn same(parsed: &Json, expected: &Value) -> bool {
    match (parsed, expected) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => same_number(*a, b),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Json::Object(a), Value::Object(b)) => {
            let names: BTreeSet<&String> = a.iter().map(|(k, _)| k).collect();
            names.len() == a.len()
                && a.len() == b.len()
                && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}

/// Whether an object anywhere in `json` has a member name twice.
fn repeats_a_name(json: &Json) -> bool {
    match json {
        Json::Array(items) => items.iter().any(repeats_a_name),
        Json::Object(members) => {
            members
                .iter()
                .map(|(k, _)| k)
                .collect::<BTreeSet<_>>()
                .len()
                < members.len()
                || members.iter().any(|(_, v)| repeats_a_name(v))
        }
        _ => false,
    }
}

/// Every non-ASCII or special character as `\uXXXX` (a surrogate pair above the BMP), with
/// upper- or lower-case hex: serde_json never writes these, but JSON allows them.
fn escaped_ascii(text: &str, upper: bool) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&if upper {
                    format!("\\u{unit:04X}")
                } else {
                    format!("\\u{unit:04x}")
                });
            }
        }
    }
    out.push('"');
    out
}

/// One edit of a text, on character boundaries: delete a run, insert or replace a character
/// from JSON's own alphabet.
fn mutate(text: &str, at: prop::sample::Index, len: usize, kind: u8, c: char) -> String {
    let chars: Vec<char> = text.chars().collect();
    let i = at.index(chars.len() + 1);
    let mut out: Vec<char> = chars[..i].to_vec();
    match kind % 3 {
        0 => out.extend(chars.iter().skip(i + len)),
        1 => {
            out.push(c);
            out.extend(&chars[i..]);
        }
        _ => {
            out.push(c);
            out.extend(chars.iter().skip(i + 1));
        }
    }
    out.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The client's parser must read whatever serde_json writes, compact or pretty, as the same
    /// document (issue 7: the client reads the server's serde_json answers with it).
    #[test]
    fn the_parser_reads_every_document_serde_json_writes_as_the_same_document(v in value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            let parsed = json::parse(&text);
            prop_assert!(parsed.is_some(), "refused {}", text);
            let parsed = parsed.unwrap();
            prop_assert!(same(&parsed, &v), "{} read as {}", text, to_value(&parsed));
        }
    }

    /// A text one edit away from a document is accepted by the client's parser exactly when
    /// serde_json accepts it, and then read the same: the two agree on what JSON is.
    #[test]
    fn a_text_one_edit_from_json_is_json_for_the_client_exactly_when_it_is_for_serde_json(
        v in value(),
        at in any::<prop::sample::Index>(),
        len in 1usize..4,
        kind in any::<u8>(),
        c in prop::sample::select(r#"{}[]:,"\/ntrufalse0123456789.eE+-uD8"#.chars().collect::<Vec<_>>()),
    ) {
        let text = mutate(&serde_json::to_string(&v).unwrap(), at, len, kind, c);
        let theirs = serde_json::from_str::<Value>(&text);
        match (json::parse(&text), theirs) {
            (None, Err(_)) => {}
            (Some(ours), Ok(theirs)) => {
                // serde_json's `Value` keeps the last of repeated names: nothing to compare.
                if !repeats_a_name(&ours) {
                    prop_assert!(same(&ours, &theirs), "{} read as {}", text, to_value(&ours));
                }
            }
            (ours, theirs) => prop_assert!(false, "{:?}: client {:?}, serde_json {:?}", text, ours.map(|j| to_value(&j)), theirs),
        }
    }

    /// Strings the client writes (request bodies, the stored session) must read back the same
    /// with serde_json, and the strings serde_json writes must read back the same with the
    /// client's reader.
    #[test]
    fn every_string_crosses_between_the_client_and_serde_json_unchanged(s in string()) {
        prop_assert_eq!(serde_json::from_str::<String>(&s.to_json()).unwrap(), s.clone());
        prop_assert_eq!(json::from_str::<String>(&serde_json::to_string(&s).unwrap()), Some(s));
    }

    /// `\uXXXX` escapes, surrogate pairs included, are legal JSON even though serde_json does
    /// not write them: both readers must decode them to the same string.
    #[test]
    fn unicode_escapes_and_surrogate_pairs_read_as_serde_json_reads_them(s in string(), upper in any::<bool>()) {
        let text = escaped_ascii(&s, upper);
        prop_assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s.clone());
        prop_assert_eq!(json::from_str::<String>(&text), Some(s));
    }

    /// `Health.fail_rate` is the only float of the wire: any rate serde_json writes must be read
    /// to within 1e-12, and what the client writes serde_json must read as it reads its own
    /// text (which is not always exact: serde_json's default float parsing is best effort).
    #[test]
    fn a_fail_rate_crosses_between_the_client_and_serde_json(rate in 0.0f64..=1.0) {
        let health = Health { status: "ok".into(), latency_ms: None, fail_rate: Some(rate) };
        let read = json::from_str::<Health>(&serde_json::to_string(&health).unwrap()).unwrap();
        let diff = (read.fail_rate.unwrap() - rate).abs();
        prop_assert!(diff <= 1e-12 * rate, "{} read as {:?}", rate, read.fail_rate);
        let own = serde_json::from_str::<Health>(&serde_json::to_string(&health).unwrap()).unwrap();
        prop_assert_eq!(serde_json::from_str::<Health>(&health.to_json()).unwrap(), own);
    }
}

// ---------------------------------------------------------------------------------------------
// Every wire type both ways
// ---------------------------------------------------------------------------------------------

/// A string that needs escapes and more than one UTF-16 unit.
const TRICKY: &str = "Zoë \"O'Brien\" \\ 😀 / tab\t nl\n bell\u{7} \u{1f}";

/// (i) what serde_json writes, the client reads as the same value; (ii) what the client writes,
/// serde_json reads as the same value; and with any one member left out, the client reads it
/// exactly when serde_json does (a missing required member is refused, a missing optional one
/// is `None`).
fn both_ways<T>(x: T)
where
    T: FromJson + ToJson + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = serde_json::to_string(&x).unwrap();
    assert_eq!(
        json::from_str::<T>(&text).as_ref(),
        Some(&x),
        "client read {text}"
    );
    let pretty = serde_json::to_string_pretty(&x).unwrap();
    assert_eq!(
        json::from_str::<T>(&pretty).as_ref(),
        Some(&x),
        "client read {pretty}"
    );
    let written = x.to_json();
    let read: T = serde_json::from_str(&written)
        .unwrap_or_else(|e| panic!("serde_json refused the client's {written}: {e}"));
    assert_eq!(read, x, "serde_json read {written}");
    if let Value::Object(members) = serde_json::to_value(&x).unwrap() {
        for name in members.keys() {
            let mut fewer = members.clone();
            fewer.remove(name);
            let text = Value::Object(fewer).to_string();
            assert_eq!(
                json::from_str::<T>(&text),
                serde_json::from_str::<T>(&text).ok(),
                "without {name:?}: {text}"
            );
        }
    }
}

/// Response bodies accept members they do not know (wire.rs: the server may add fields), so
/// the client must skip them as serde does, whatever their shape and wherever they are.
fn ignores_unknown_members<T>(x: T)
where
    T: FromJson + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Value::Object(mut members) = serde_json::to_value(&x).unwrap() else {
        panic!("not an object: {x:?}");
    };
    let extra = serde_json::json!({"a": [1, -2.5e-3, null, true, "x\"}"], "b": {"c": {}}});
    members.insert("aaa_first".into(), extra.clone());
    members.insert("mmm_middle".into(), Value::Null);
    members.insert("zzz_last".into(), extra);
    let text = Value::Object(members).to_string();
    assert_eq!(
        serde_json::from_str::<T>(&text).unwrap(),
        x,
        "serde_json read {text}"
    );
    assert_eq!(json::from_str::<T>(&text), Some(x), "client read {text}");
}

/// Every variant of an enum both ways; the `match` makes a new variant a compile error here
/// until it is listed.
macro_rules! every_variant {
    ($ty:ident { $($variant:ident),* $(,)? }) => {{
        let _exhaustive = |x: $ty| match x {
            $($ty::$variant => ()),*
        };
        for x in [$($ty::$variant),*] {
            both_ways::<$ty>(x);
        }
        assert_eq!(json::from_str::<$ty>("\"no_such_variant\""), None);
        assert!(serde_json::from_str::<$ty>("\"no_such_variant\"").is_err());
    }};
}

/// wire.rs types the client neither reads nor writes (only the demo tools send them), so
/// `wire_json` has no impl for them.
const NOT_USED_BY_THE_CLIENT: [&str; 3] = ["DemoRequestCreate", "DemoSharingUpdate", "DemoPatient"];

fn org(code: &str, name: &str) -> OrgRef {
    OrgRef {
        ods_code: code.into(),
        name: name.into(),
    }
}

fn assignee(kind: AssigneeKind) -> Assignee {
    Assignee {
        kind,
        id: "g-cam-reception".into(),
        name: TRICKY.into(),
        ods_code: "A81001".into(),
    }
}

fn patient(date_of_birth: Option<&str>) -> Patient {
    Patient {
        name: "Ann Ó Súilleabháin".into(),
        nhs_number: "9434765919".into(),
        sharing: Sharing::DoNotShare,
        date_of_birth: date_of_birth.map(Into::into),
    }
}

fn user_view(role: Role) -> UserView {
    UserView {
        id: "u-sarah-ahmed".into(),
        name: "Sarah Ahmed".into(),
        role,
        ods_code: "A81001".into(),
    }
}

fn organisation(active: bool) -> Organisation {
    Organisation {
        ods_code: "A81001".into(),
        name: TRICKY.into(),
        kind: "gp_practice".into(),
        postcode: "TS18 1HU".into(),
        active,
    }
}

fn history() -> Vec<HistoryEvent> {
    vec![
        HistoryEvent {
            id: "e-1".into(),
            at: "2024-05-01T09:00:00Z".into(),
            action: HistoryAction::Received,
            user: None,
            ods_code: "A81001".into(),
            from: None,
            to: None,
            override_: None,
        },
        HistoryEvent {
            id: "e-2".into(),
            at: "2024-05-01T09:05:00Z".into(),
            action: HistoryAction::Assigned,
            user: Some(UserRef {
                id: "u-sarah-ahmed".into(),
                name: TRICKY.into(),
            }),
            ods_code: "A81001".into(),
            from: Some(assignee(AssigneeKind::Inbox)),
            to: Some(assignee(AssigneeKind::Group)),
            override_: Some(Override::Reason {
                reason: TRICKY.into(),
            }),
        },
        HistoryEvent {
            id: "e-3".into(),
            at: "2024-05-01T09:06:00Z".into(),
            action: HistoryAction::Assigned,
            user: Some(UserRef {
                id: "u-x".into(),
                name: "X".into(),
            }),
            ods_code: "RX401".into(),
            from: Some(assignee(AssigneeKind::Group)),
            to: Some(assignee(AssigneeKind::Colleague)),
            override_: Some(Override::Agreement {
                agreement_id: "ag-1".into(),
                reference: "DSA/2024/01".into(),
            }),
        },
        HistoryEvent {
            id: "e-4".into(),
            at: "2024-05-02T10:00:00Z".into(),
            action: HistoryAction::Closed,
            user: Some(UserRef {
                id: "u-x".into(),
                name: "X".into(),
            }),
            ods_code: "RX401".into(),
            from: None,
            to: Some(assignee(AssigneeKind::Colleague)),
            override_: None,
        },
    ]
}

fn request_detail(history: Vec<HistoryEvent>) -> RequestDetail {
    RequestDetail {
        id: "r-1003".into(),
        patient: patient(Some("1938-04-12")),
        subject: TRICKY.into(),
        kind: RequestKind::Medical,
        status: RequestStatus::Open,
        origin_ods_code: "A81001".into(),
        assignee: assignee(AssigneeKind::Group),
        updated_at: "2024-05-01T09:06:00Z".into(),
        version: EXACT,
        message: "Line one\nline two «quoted» 😀".into(),
        received_at: "2024-05-01T09:00:00Z".into(),
        origin: org("A81001", "Camelia Surgery"),
        holder: org("RX401", "Frailty \"Team\""),
        history,
        visible_because: VisibleBecause::UnrestrictedShare,
    }
}

/// (c) Every enum variant reads and writes as serde names it, and an unknown name is refused
/// by both, so the client never shows a state the server did not send.
#[test]
fn every_variant_of_every_wire_enum_crosses_between_the_client_and_serde_json() {
    every_variant!(Role { Admin, Staff });
    every_variant!(Sharing { Share, DoNotShare });
    every_variant!(ShareState {
        Pending,
        Enabled,
        Disabled
    });
    every_variant!(TargetKind { Group, Colleague });
    every_variant!(AssigneeKind {
        Group,
        Colleague,
        Inbox
    });
    every_variant!(RequestKind { Medical, Admin });
    every_variant!(RequestStatus { Open, Closed });
    every_variant!(StatusFilter { Open, Closed, All });
    every_variant!(Answer { Accepted, Refused });
    every_variant!(FolderKind {
        All,
        Mine,
        Target,
        External,
        SentExternally
    });
    every_variant!(VisibleBecause {
        Involved,
        UnrestrictedShare
    });
    every_variant!(HistoryAction {
        Received,
        Assigned,
        Closed,
        Reopened
    });
    every_variant!(Consent {
        None,
        Agreement,
        Reason
    });
    every_variant!(AuditAction {
        ShareCreated,
        ShareRestrictionChanged,
        ShareRemoved,
        ShareEnabled,
        ShareDisabled,
        RequestReceived,
        RequestAssigned,
        RequestClosed,
        RequestReopened,
        CoversChanged,
        AgreementProposed,
        AgreementAccepted,
        AgreementRefused,
    });
}

/// (c) `Override` is serde's internally tagged enum, written by hand in `wire_json`: both
/// variants, and a missing or unknown `kind` refused by both.
#[test]
fn both_kinds_of_override_cross_between_the_client_and_serde_json() {
    let _exhaustive = |x: Override| match x {
        Override::Reason { .. } | Override::Agreement { .. } => (),
    };
    let samples = [
        Override::Reason {
            reason: TRICKY.into(),
        },
        Override::Reason {
            reason: String::new(),
        },
        Override::Agreement {
            agreement_id: "ag-1".into(),
            reference: TRICKY.into(),
        },
    ];
    for x in samples {
        both_ways::<Override>(x.clone());
        ignores_unknown_members(x);
    }
    for text in [
        r#"{"reason":"r"}"#,
        r#"{"kind":"other","reason":"r"}"#,
        r#"{"kind":"agreement","reason":"r"}"#,
        r#"{"kind":1,"reason":"r"}"#,
        r#"{"kind":"reason","reason":null}"#,
    ] {
        assert!(serde_json::from_str::<Override>(text).is_err(), "{text}");
        assert_eq!(json::from_str::<Override>(text), None, "{text}");
    }
    // The tag need not come first.
    let text = r#"{"reference":"R","agreement_id":"a","kind":"agreement"}"#;
    let expected = Override::Agreement {
        agreement_id: "a".into(),
        reference: "R".into(),
    };
    assert_eq!(serde_json::from_str::<Override>(text).unwrap(), expected);
    assert_eq!(json::from_str::<Override>(text), Some(expected));
}

/// (c) Every struct of wire.rs, with `Option` members both present and absent, empty and
/// non-empty lists and strings that need escapes, crosses both ways unchanged.
#[test]
fn every_wire_struct_crosses_between_the_client_and_serde_json() {
    both_ways::<OrgRef>(org("A81001", TRICKY));
    both_ways::<TargetRef>(TargetRef {
        id: "g-1".into(),
        kind: TargetKind::Colleague,
        name: TRICKY.into(),
    });
    for field in [None, Some("target_id".to_string())] {
        both_ways::<ErrorBody>(ErrorBody {
            error: ErrorDetail {
                code: "invalid".into(),
                message: TRICKY.into(),
                field: field.clone(),
            },
        });
        both_ways::<ErrorDetail>(ErrorDetail {
            code: "conflict".into(),
            message: "m".into(),
            field,
        });
    }
    for (latency_ms, fail_rate) in [
        (None, None),
        (Some("100-300"), Some(0.25)),
        (Some("0"), Some(1.0)),
        (None, Some(0.1)),
        (None, Some(1e-7)),
        (None, Some(0.3333333333333333)),
    ] {
        both_ways::<Health>(Health {
            status: "ok".into(),
            latency_ms: latency_ms.map(Into::into),
            fail_rate,
        });
    }
    for role in [Role::Admin, Role::Staff] {
        both_ways::<Persona>(Persona {
            user_id: "u-1".into(),
            name: TRICKY.into(),
            role,
            ods_code: "A81001".into(),
            organisation: "Camelia Surgery".into(),
        });
        both_ways::<UserView>(user_view(role));
        both_ways::<Session>(Session {
            token: "t-0123456789abcdef".into(),
            user: user_view(role),
        });
    }
    both_ways::<SessionCreate>(SessionCreate {
        user_id: TRICKY.into(),
    });
    for active in [true, false] {
        both_ways::<Organisation>(organisation(active));
        both_ways::<Me>(Me {
            user: user_view(Role::Staff),
            organisation: organisation(active),
        });
    }
    both_ways::<OrganisationResults>(OrganisationResults { results: vec![] });
    both_ways::<OrganisationResults>(OrganisationResults {
        results: vec![organisation(true), organisation(false)],
    });
    let shares: Vec<Share> = [
        ShareState::Pending,
        ShareState::Enabled,
        ShareState::Disabled,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, state)| Share {
        id: format!("s-{i}"),
        partner: org("A81002", "Riverside"),
        restricted: i % 2 == 0,
        state,
    })
    .collect();
    for share in &shares {
        both_ways::<Share>(share.clone());
    }
    for shares in [vec![], shares] {
        both_ways::<Target>(Target {
            id: "g-cam-reception".into(),
            kind: TargetKind::Group,
            name: TRICKY.into(),
            shares,
        });
    }
    for restricted in [true, false] {
        both_ways::<ShareCreate>(ShareCreate {
            target_id: "g-1".into(),
            partner_ods_code: "A81002".into(),
            restricted,
        });
        both_ways::<ShareUpdate>(ShareUpdate { restricted });
        both_ways::<ExternalShare>(ExternalShare {
            share_id: "s-1".into(),
            target: TargetRef {
                id: "g-1".into(),
                kind: TargetKind::Group,
                name: "Reception".into(),
            },
            owner: org("A81001", TRICKY),
            restricted,
            state: ShareState::Enabled,
        });
    }
    for (our_answer, their_answer) in [
        (None, None),
        (Some(Answer::Accepted), None),
        (None, Some(Answer::Refused)),
        (Some(Answer::Accepted), Some(Answer::Accepted)),
    ] {
        both_ways::<Agreement>(Agreement {
            id: "ag-1".into(),
            partner: org("RX401", "Frailty"),
            reference: TRICKY.into(),
            proposed_by_ods_code: "A81001".into(),
            our_answer,
            their_answer,
            active: our_answer.is_some() && their_answer.is_some(),
            created_at: "2024-05-01T09:00:00Z".into(),
        });
    }
    both_ways::<AgreementCreate>(AgreementCreate {
        partner_ods_code: "RX401".into(),
        reference: TRICKY.into(),
    });
    for (kind, open_count) in [(FolderKind::All, 0), (FolderKind::SentExternally, u32::MAX)] {
        both_ways::<Folder>(Folder {
            id: "f-all".into(),
            kind,
            name: TRICKY.into(),
            owner_ods_code: "A81001".into(),
            owner_name: "Camelia Surgery".into(),
            open_count,
            covered: open_count == 0,
        });
    }
    both_ways::<CoversUpdate>(CoversUpdate { folder_ids: vec![] });
    both_ways::<CoversUpdate>(CoversUpdate {
        folder_ids: vec!["f-all".into(), TRICKY.into()],
    });
    both_ways::<Patient>(patient(None));
    both_ways::<Patient>(patient(Some("1938-04-12")));
    both_ways::<Assignee>(assignee(AssigneeKind::Inbox));
    for (status, version) in [(RequestStatus::Open, 0), (RequestStatus::Closed, EXACT)] {
        both_ways::<RequestSummary>(RequestSummary {
            id: "r-1001".into(),
            patient: patient(None),
            subject: TRICKY.into(),
            kind: RequestKind::Admin,
            status,
            origin_ods_code: "A81001".into(),
            assignee: assignee(AssigneeKind::Colleague),
            updated_at: "2024-05-01T09:00:00Z".into(),
            version,
        });
    }
    both_ways::<UserRef>(UserRef {
        id: "u-1".into(),
        name: TRICKY.into(),
    });
    for event in history() {
        both_ways::<HistoryEvent>(event);
    }
    both_ways::<RequestDetail>(request_detail(vec![]));
    both_ways::<RequestDetail>(request_detail(history()));
    both_ways::<AgreementRef>(AgreementRef {
        id: "ag-1".into(),
        reference: TRICKY.into(),
    });
    let would_see = |n: usize| WouldSee {
        organisations: (0..n).map(|i| org(&format!("A8100{i}"), TRICKY)).collect(),
        other_unrestricted_partners: n as u32,
    };
    both_ways::<WouldSee>(would_see(0));
    both_ways::<WouldSee>(would_see(3));
    for (consent, agreement) in [
        (Consent::None, None),
        (Consent::Reason, None),
        (
            Consent::Agreement,
            Some(AgreementRef {
                id: "ag-1".into(),
                reference: "DSA".into(),
            }),
        ),
    ] {
        both_ways::<Assignable>(Assignable {
            target: TargetRef {
                id: "g-1".into(),
                kind: TargetKind::Group,
                name: "Reception".into(),
            },
            owner: org("A81001", "Camelia"),
            consent,
            agreement,
            would_see: would_see(2),
        });
    }
    for override_reason in [None, Some(TRICKY.to_string())] {
        both_ways::<AssignCommand>(AssignCommand {
            target_id: "g-1".into(),
            version: 7,
            override_reason,
        });
    }
    both_ways::<VersionCommand>(VersionCommand { version: 0 });
    both_ways::<VersionCommand>(VersionCommand { version: EXACT });
    for user_id in [None, Some("u-1".to_string())] {
        both_ways::<AuditEntry>(AuditEntry {
            id: "e-1".into(),
            at: "2024-05-01T09:00:00Z".into(),
            user_id,
            ods_code: "A81001".into(),
            action: AuditAction::RequestAssigned,
            subject_id: "r-1001".into(),
            detail: TRICKY.into(),
        });
    }
}

/// A new type in wire.rs must be added to the checks above (or, if the client never uses it,
/// to `NOT_USED_BY_THE_CLIENT`): otherwise the client could read it differently from serde.
#[test]
fn every_type_of_wire_rs_is_checked_both_ways_here() {
    let wire = include_str!("../src/wire.rs");
    let this = include_str!("wire_json.rs");
    let mut names: Vec<&str> = wire
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))?;
            rest.split([' ', '{', '(']).next()
        })
        .collect();
    // The domain's enums are re-exported (`pub use crate::model::{Role, ...};`): they are wire
    // types too.
    assert!(wire.contains("pub use crate::audit::AuditAction;"));
    for statement in wire.split("pub use crate::").skip(1) {
        let list = statement.split(';').next().unwrap_or("");
        let list = list.split_once("::").map_or(list, |(_, rest)| rest);
        names.extend(
            list.split([',', '{', '}', ' ', '\n'])
                .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase())),
        );
    }
    assert!(names.len() > 40, "wire.rs read: {names:?}");
    let missing: Vec<&str> = names
        .into_iter()
        .filter(|name| !NOT_USED_BY_THE_CLIENT.contains(name))
        .filter(|name| {
            !this.contains(&format!("both_ways::<{name}>("))
                && !this.contains(&format!("every_variant!({name} {{"))
        })
        .collect();
    assert!(missing.is_empty(), "not checked: {missing:?}");
}

/// (c) Answers are response types: members the client does not know are skipped, as serde
/// skips them, so the server may add fields without breaking the client (wire.rs).
#[test]
fn the_client_skips_unknown_members_of_every_answer_as_serde_does() {
    ignores_unknown_members(request_detail(history()));
    ignores_unknown_members(history().remove(1));
    ignores_unknown_members(patient(None));
    ignores_unknown_members(Session {
        token: "t".into(),
        user: user_view(Role::Admin),
    });
    ignores_unknown_members(ErrorBody {
        error: ErrorDetail {
            code: "invalid".into(),
            message: "m".into(),
            field: None,
        },
    });
    ignores_unknown_members(Health {
        status: "ok".into(),
        latency_ms: None,
        fail_rate: Some(0.5),
    });
    ignores_unknown_members(Folder {
        id: "f".into(),
        kind: FolderKind::Mine,
        name: "n".into(),
        owner_ods_code: "A".into(),
        owner_name: "o".into(),
        open_count: 3,
        covered: true,
    });
    ignores_unknown_members(AuditEntry {
        id: "e".into(),
        at: "t".into(),
        user_id: None,
        ods_code: "A".into(),
        action: AuditAction::CoversChanged,
        subject_id: "s".into(),
        detail: String::new(),
    });
}

/// (c) A required member missing is refused (the client shows "malformed", never a made-up
/// default), and a member of the wrong type too; `null` is `None` only for `Option`s.
#[test]
fn a_missing_or_mistyped_required_member_is_refused_like_serde_refuses_it() {
    let Value::Object(members) = serde_json::to_value(request_detail(history())).unwrap() else {
        unreachable!()
    };
    for (name, bad) in [
        ("version", None),
        ("history", None),
        ("visible_because", None),
        ("version", Some(Value::from(-1))),
        ("version", Some(Value::from(1.5))),
        ("version", Some(Value::from("3"))),
        ("version", Some(Value::Null)),
        ("subject", Some(Value::Null)),
        ("history", Some(Value::Null)),
        ("history", Some(serde_json::json!({}))),
        ("status", Some(Value::from("Open"))),
    ] {
        let mut m = members.clone();
        match bad {
            None => m.remove(name),
            Some(v) => m.insert(name.into(), v),
        };
        let text = Value::Object(m).to_string();
        assert!(
            serde_json::from_str::<RequestDetail>(&text).is_err(),
            "{text}"
        );
        assert_eq!(json::from_str::<RequestDetail>(&text), None, "{name}");
    }
    let text = r#"{"name":"n","nhs_number":"1","sharing":"share","date_of_birth":null}"#;
    let expected = serde_json::from_str::<Patient>(text).unwrap();
    assert_eq!(expected.date_of_birth, None);
    assert_eq!(json::from_str::<Patient>(text), Some(expected));
}

// ---------------------------------------------------------------------------------------------
// (d) Not JSON
// ---------------------------------------------------------------------------------------------

/// A cut-off answer (a dropped connection) must be refused without a panic, at every point:
/// no prefix of an object is a complete JSON text.
#[test]
fn every_truncation_of_a_request_detail_is_refused_without_a_panic() {
    let detail = request_detail(history());
    for text in [
        serde_json::to_string(&detail).unwrap(),
        serde_json::to_string_pretty(&detail).unwrap(),
        detail.to_json(),
    ] {
        for (end, _) in text.char_indices() {
            let cut = &text[..end];
            assert_eq!(json::from_str::<RequestDetail>(cut), None, "{cut}");
            assert_eq!(json::parse(cut), None, "{cut}");
            assert!(serde_json::from_str::<Value>(cut).is_err());
        }
        assert_eq!(json::from_str::<RequestDetail>(&text), Some(detail.clone()));
    }
}

/// Texts that are not JSON (or not one JSON value) are refused by the client exactly as by
/// serde_json, and texts at the edges of the grammar are accepted by both.
#[test]
fn the_client_refuses_exactly_the_texts_serde_json_refuses() {
    let refused = [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{\"a\":1 \"b\":2}",
        "{'a':1}",
        "01",
        "-01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "1e+",
        "0x10",
        "NaN",
        "Infinity",
        "1e400",
        "-1e400",
        "1.8e308",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\uD800\"",
        "\"\\uDC00\"",
        "\"\\uD800\\u0041\"",
        "\"a",
        "\"tab\there\"",
        "nul",
        "True",
        "[1] 2",
        "{} {}",
        "{\"a\" 1}",
        "{1:2}",
        "\u{feff}{}",
        "[1,\n",
    ];
    for text in refused {
        assert!(
            serde_json::from_str::<Value>(text).is_err(),
            "serde_json took {text:?}"
        );
        assert_eq!(json::parse(text), None, "client took {text:?}");
    }
    let accepted = [
        "0",
        "-0",
        "-0.0e-0",
        "1E+2",
        "1e-400",
        "0e400",
        "123456789012345678901234567890",
        "0.000001e-310",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623157e+308",
        "-1.7976931348623155e308",
        "5e-324",
        " \t\r\n[ ] ",
        "\"\\u0000\\/\\b\\f\"",
        "\"\u{7f}\"",
        "{\"\":\"\"}",
        "{\"a\":1,\"a\":2}",
    ];
    for text in accepted {
        let theirs = serde_json::from_str::<Value>(text).unwrap();
        let ours = json::parse(text);
        assert!(ours.is_some(), "client refused {text:?}");
        let ours = ours.unwrap();
        if !repeats_a_name(&ours) {
            assert!(same(&ours, &theirs), "{text}: {}", to_value(&ours));
        }
    }
}
