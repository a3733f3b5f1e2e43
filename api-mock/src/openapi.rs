//! `GET /api/openapi.json`: the OpenAPI 3.0 description of every route, built by hand from
//! the wire types of `domain::wire` and kept in step with the router by
//! `tests/openapi.rs` (every routed path and method is documented, and nothing else is).
//!
//! The schemas are strict on purpose (required fields, enums, `nullable`, no additional
//! properties in request bodies) so a fuzzer such as schemathesis checks real answers against
//! them.

use serde_json::{json, Map, Value};

use crate::extract::BODY_LIMIT;
use crate::handlers::limits;

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema_ref(name) })
}

/// A required, non-blank text of at most `max` characters.
fn text(max: usize) -> Value {
    json!({ "type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S" })
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A request body schema: unknown fields are refused (400).
fn strict(required: &[&str], properties: Value) -> Value {
    json!({
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": false
    })
}

fn enumeration(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

fn nullable_enum(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values, "nullable": true })
}

fn schemas() -> Value {
    let target_kind = enumeration(&["group", "colleague"]);
    let share_state = enumeration(&["pending", "enabled", "disabled"]);
    let sharing = enumeration(&["share", "do_not_share"]);
    let role = enumeration(&["admin", "staff"]);
    let request_kind = enumeration(&["medical", "admin"]);
    let status = enumeration(&["open", "closed"]);
    let time = json!({ "type": "string", "format": "date-time" });
    let summary_props = json!({
        "id": { "type": "string" },
        "patient": schema_ref("Patient"),
        "subject": { "type": "string" },
        "kind": request_kind,
        "status": status,
        "origin_ods_code": { "type": "string" },
        "assignee": schema_ref("Assignee"),
        "updated_at": time,
        "version": { "type": "integer", "format": "int64", "minimum": 1 }
    });
    let summary_required = [
        "id",
        "patient",
        "subject",
        "kind",
        "status",
        "origin_ods_code",
        "assignee",
        "updated_at",
        "version",
    ];
    let mut detail_props = summary_props.clone();
    if let Some(map) = detail_props.as_object_mut() {
        map.insert("patient".into(), schema_ref("PatientDetail"));
        map.insert("message".into(), json!({ "type": "string" }));
        map.insert("received_at".into(), time.clone());
        map.insert("origin".into(), schema_ref("OrgRef"));
        map.insert("holder".into(), schema_ref("OrgRef"));
        map.insert("history".into(), array_of("HistoryEvent"));
        map.insert(
            "visible_because".into(),
            enumeration(&["involved", "unrestricted_share"]),
        );
    }
    let mut detail_required: Vec<&str> = summary_required.to_vec();
    detail_required.extend([
        "message",
        "received_at",
        "origin",
        "holder",
        "history",
        "visible_because",
    ]);
    let patient_props = json!({
        "name": { "type": "string" },
        "nhs_number": { "type": "string", "pattern": "^[0-9]{10}$" },
        "sharing": sharing
    });
    let mut patient_detail_props = patient_props.clone();
    if let Some(map) = patient_detail_props.as_object_mut() {
        map.insert(
            "date_of_birth".into(),
            json!({ "type": "string", "format": "date" }),
        );
    }

    json!({
        "Error": object(&["error"], json!({
            "error": object(&["code", "message"], json!({
                "code": { "type": "string" },
                "message": { "type": "string" },
                "field": { "type": "string" }
            }))
        })),
        "Health": object(&["status"], json!({
            "status": enumeration(&["ok"]),
            "latency_ms": { "type": "string", "description": "Simulated latency: N or MIN-MAX ms, only while on." },
            "fail_rate": { "type": "number", "minimum": 0, "maximum": 1, "description": "Share of calls failed on purpose, only while on." }
        })),
        "Persona": object(&["user_id", "name", "role", "ods_code", "organisation"], json!({
            "user_id": { "type": "string" },
            "name": { "type": "string" },
            "role": role,
            "ods_code": { "type": "string" },
            "organisation": { "type": "string" }
        })),
        "SessionCreate": strict(&["user_id"], json!({ "user_id": text(limits::ID) })),
        "User": object(&["id", "name", "role", "ods_code"], json!({
            "id": { "type": "string" },
            "name": { "type": "string" },
            "role": role,
            "ods_code": { "type": "string" }
        })),
        "Session": object(&["token", "user"], json!({
            "token": { "type": "string" },
            "user": schema_ref("User")
        })),
        "Organisation": object(&["ods_code", "name", "kind", "postcode", "active"], json!({
            "ods_code": { "type": "string" },
            "name": { "type": "string" },
            "kind": { "type": "string" },
            "postcode": { "type": "string" },
            "active": { "type": "boolean" }
        })),
        "Me": object(&["user", "organisation"], json!({
            "user": schema_ref("User"),
            "organisation": schema_ref("Organisation")
        })),
        "OrganisationResults": object(&["results"], json!({
            "results": { "type": "array", "maxItems": 50, "items": schema_ref("Organisation") }
        })),
        "OrgRef": object(&["ods_code", "name"], json!({
            "ods_code": { "type": "string" },
            "name": { "type": "string" }
        })),
        "TargetRef": object(&["id", "kind", "name"], json!({
            "id": { "type": "string" },
            "kind": target_kind,
            "name": { "type": "string" }
        })),
        "Share": object(&["id", "partner", "restricted", "state"], json!({
            "id": { "type": "string" },
            "partner": schema_ref("OrgRef"),
            "restricted": { "type": "boolean" },
            "state": share_state
        })),
        "Target": object(&["id", "kind", "name", "shares"], json!({
            "id": { "type": "string" },
            "kind": target_kind,
            "name": { "type": "string" },
            "shares": array_of("Share")
        })),
        "ShareCreate": strict(&["target_id", "partner_ods_code", "restricted"], json!({
            "target_id": text(limits::ID),
            "partner_ods_code": text(limits::ODS),
            "restricted": { "type": "boolean" }
        })),
        "ShareUpdate": strict(&["restricted"], json!({ "restricted": { "type": "boolean" } })),
        "ExternalShare": object(&["share_id", "target", "owner", "restricted", "state"], json!({
            "share_id": { "type": "string" },
            "target": schema_ref("TargetRef"),
            "owner": schema_ref("OrgRef"),
            "restricted": { "type": "boolean" },
            "state": share_state
        })),
        "Agreement": object(&["id", "partner", "reference", "proposed_by_ods_code", "our_answer",
                              "their_answer", "active", "created_at"], json!({
            "id": { "type": "string" },
            "partner": schema_ref("OrgRef"),
            "reference": { "type": "string" },
            "proposed_by_ods_code": { "type": "string" },
            "our_answer": nullable_enum(&["accepted", "refused"]),
            "their_answer": nullable_enum(&["accepted", "refused"]),
            "active": { "type": "boolean" },
            "created_at": time
        })),
        "AgreementCreate": strict(&["partner_ods_code", "reference"], json!({
            "partner_ods_code": text(limits::ODS),
            "reference": text(limits::REFERENCE)
        })),
        "Folder": object(&["id", "kind", "name", "owner_ods_code", "owner_name", "open_count",
                           "covered", "active"], json!({
            "id": { "type": "string" },
            "kind": enumeration(&["all", "mine", "target", "external", "sent_externally"]),
            "name": { "type": "string" },
            "owner_ods_code": { "type": "string" },
            "owner_name": { "type": "string" },
            "open_count": { "type": "integer", "minimum": 0 },
            "covered": { "type": "boolean" },
            "active": { "type": "boolean" }
        })),
        "CoversUpdate": strict(&["folder_ids"], json!({
            "folder_ids": { "type": "array", "maxItems": limits::FOLDERS, "items": text(limits::ID) }
        })),
        "Patient": object(&["name", "nhs_number", "sharing"], patient_props),
        "PatientDetail": object(&["name", "nhs_number", "sharing", "date_of_birth"], patient_detail_props),
        "Assignee": object(&["kind", "id", "name", "ods_code"], json!({
            "kind": enumeration(&["group", "colleague", "inbox"]),
            "id": { "type": "string" },
            "name": { "type": "string" },
            "ods_code": { "type": "string" }
        })),
        "RequestSummary": object(&summary_required, summary_props),
        "RequestDetail": object(&detail_required, detail_props),
        "UserRef": object(&["id", "name"], json!({
            "id": { "type": "string" },
            "name": { "type": "string" }
        })),
        "Override": {
            "oneOf": [
                object(&["kind", "reason"], json!({
                    "kind": enumeration(&["reason"]),
                    "reason": { "type": "string" }
                })),
                object(&["kind", "agreement_id", "reference"], json!({
                    "kind": enumeration(&["agreement"]),
                    "agreement_id": { "type": "string" },
                    "reference": { "type": "string" }
                }))
            ]
        },
        "HistoryEvent": object(&["id", "at", "action", "user", "ods_code"], json!({
            "id": { "type": "string" },
            "at": time,
            "action": enumeration(&["received", "assigned", "closed", "reopened"]),
            "user": {
                "type": "object",
                "nullable": true,
                "required": ["id", "name"],
                "properties": { "id": { "type": "string" }, "name": { "type": "string" } }
            },
            "ods_code": { "type": "string" },
            "from": schema_ref("Assignee"),
            "to": schema_ref("Assignee"),
            "override": schema_ref("Override")
        })),
        "Assignable": object(&["target", "owner", "consent", "would_see"], json!({
            "target": schema_ref("TargetRef"),
            "owner": schema_ref("OrgRef"),
            "consent": enumeration(&["none", "agreement", "reason"]),
            "agreement": object(&["id", "reference"], json!({
                "id": { "type": "string" },
                "reference": { "type": "string" }
            })),
            "would_see": object(&["organisations", "other_unrestricted_partners"], json!({
                "organisations": array_of("OrgRef"),
                "other_unrestricted_partners": { "type": "integer", "minimum": 0 }
            }))
        })),
        "AssignCommand": strict(&["target_id", "version"], json!({
            "target_id": text(limits::ID),
            "version": { "type": "integer", "format": "int64", "minimum": 0 },
            "override_reason": { "type": "string", "description": "Needed when consent is `reason` (A3: 10–1000 characters after trimming, else 422)." }
        })),
        "VersionCommand": strict(&["version"], json!({
            "version": { "type": "integer", "format": "int64", "minimum": 0 }
        })),
        "AuditEntry": object(&["id", "at", "user_id", "ods_code", "action", "subject_id", "detail"], json!({
            "id": { "type": "string" },
            "at": time,
            "user_id": { "type": "string", "nullable": true },
            "ods_code": { "type": "string" },
            "action": enumeration(&[
                "share_created", "share_restriction_changed", "share_removed", "share_enabled",
                "share_disabled", "request_received", "request_assigned", "request_closed",
                "request_reopened", "covers_changed", "agreement_proposed",
                "agreement_accepted", "agreement_refused"
            ]),
            "subject_id": { "type": "string" },
            "detail": { "type": "string" }
        })),
        "DemoRequestCreate": strict(&["ods_code", "patient_id", "subject", "message", "kind"], json!({
            "ods_code": text(limits::ODS),
            "patient_id": text(limits::ID),
            "subject": text(limits::SUBJECT),
            "message": text(limits::MESSAGE),
            "kind": request_kind
        })),
        "DemoSharingUpdate": strict(&["sharing"], json!({ "sharing": sharing })),
        "DemoPatient": object(&["id", "name", "nhs_number", "sharing"], json!({
            "id": { "type": "string" },
            "name": { "type": "string" },
            "nhs_number": { "type": "string" },
            "sharing": sharing
        }))
    })
}

/// One documented operation.
struct Op {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    /// No token needed.
    public: bool,
    body: Option<&'static str>,
    /// Success status and schema (`None`: no body).
    ok: (u16, Option<Value>),
    /// Error statuses beyond those every authenticated call can answer.
    errors: &'static [u16],
    query: Value,
}

/// Every route of the API (the router test checks this list against `lib.rs`).
fn operations() -> Vec<Op> {
    let none = json!([]);
    let id_param = |name: &str| json!([{ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }]);
    vec![
        Op {
            method: "get",
            path: "/api/health",
            id: "health_get",
            summary: "Liveness and the active UX-testing knobs.",
            public: true,
            body: None,
            ok: (200, Some(schema_ref("Health"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "get",
            path: "/api/openapi.json",
            id: "openapi_get",
            summary: "This document.",
            public: true,
            body: None,
            ok: (200, Some(json!({ "type": "object" }))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "get",
            path: "/api/personas",
            id: "personas_list",
            summary: "Demo personas to sign in as.",
            public: true,
            body: None,
            ok: (200, Some(array_of("Persona"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/session",
            id: "session_create",
            summary: "Sign in as a persona.",
            public: true,
            body: Some("SessionCreate"),
            ok: (200, Some(schema_ref("Session"))),
            errors: &[400, 404, 413],
            query: none.clone(),
        },
        Op {
            method: "get",
            path: "/api/me",
            id: "me_get",
            summary: "The signed-in user and organisation.",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("Me"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "get",
            path: "/api/organisations",
            id: "organisations_search",
            summary: "Search the directory by ODS code or name.",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("OrganisationResults"))),
            errors: &[400],
            query: json!([
                { "name": "q", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer" } }
            ]),
        },
        Op {
            method: "get",
            path: "/api/targets",
            id: "targets_list",
            summary: "Own groups and colleagues with their shares (S1–S7).",
            public: false,
            body: None,
            ok: (200, Some(array_of("Target"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/shares",
            id: "shares_create",
            summary: "Share a target with a partner (S1–S4).",
            public: false,
            body: Some("ShareCreate"),
            ok: (201, Some(schema_ref("Share"))),
            errors: &[400, 403, 404, 409, 413, 422],
            query: none.clone(),
        },
        Op {
            method: "patch",
            path: "/api/shares/{id}",
            id: "shares_update",
            summary: "Change a share's restricted flag (S5).",
            public: false,
            body: Some("ShareUpdate"),
            ok: (200, Some(schema_ref("Share"))),
            errors: &[400, 403, 404, 413],
            query: id_param("id"),
        },
        Op {
            method: "delete",
            path: "/api/shares/{id}",
            id: "shares_delete",
            summary: "Remove a share (S5, S7).",
            public: false,
            body: None,
            ok: (204, None),
            errors: &[403, 404],
            query: id_param("id"),
        },
        Op {
            method: "get",
            path: "/api/external",
            id: "external_list",
            summary: "Targets shared with this organisation.",
            public: false,
            body: None,
            ok: (200, Some(array_of("ExternalShare"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/external/{share_id}/enable",
            id: "external_enable",
            summary: "Enable a share made to us (S4).",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("ExternalShare"))),
            errors: &[403, 404, 422],
            query: id_param("share_id"),
        },
        Op {
            method: "post",
            path: "/api/external/{share_id}/disable",
            id: "external_disable",
            summary: "Disable a share made to us (S4, S6).",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("ExternalShare"))),
            errors: &[403, 404, 422],
            query: id_param("share_id"),
        },
        Op {
            method: "get",
            path: "/api/agreements",
            id: "agreements_list",
            summary: "The data sharing agreement register.",
            public: false,
            body: None,
            ok: (200, Some(array_of("Agreement"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/agreements",
            id: "agreements_create",
            summary: "Propose an agreement (D1).",
            public: false,
            body: Some("AgreementCreate"),
            ok: (201, Some(schema_ref("Agreement"))),
            errors: &[400, 403, 409, 413, 422],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/agreements/{id}/accept",
            id: "agreements_accept",
            summary: "Accept an agreement (D1).",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("Agreement"))),
            errors: &[403, 404],
            query: id_param("id"),
        },
        Op {
            method: "post",
            path: "/api/agreements/{id}/refuse",
            id: "agreements_refuse",
            summary: "Refuse an agreement (D1).",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("Agreement"))),
            errors: &[403, 404],
            query: id_param("id"),
        },
        Op {
            method: "get",
            path: "/api/folders",
            id: "folders_list",
            summary: "Folders with counts and covers (C1–C4).",
            public: false,
            body: None,
            ok: (200, Some(array_of("Folder"))),
            errors: &[],
            query: none.clone(),
        },
        Op {
            method: "put",
            path: "/api/covers",
            id: "covers_update",
            summary: "Replace the user's covers (C1, C2).",
            public: false,
            body: Some("CoversUpdate"),
            ok: (200, Some(array_of("Folder"))),
            errors: &[400, 413, 422],
            query: none.clone(),
        },
        Op {
            method: "get",
            path: "/api/requests",
            id: "requests_list",
            summary: "The Messages page or one folder (C3, C4).",
            public: false,
            body: None,
            ok: (200, Some(array_of("RequestSummary"))),
            errors: &[400, 404],
            query: json!([
                { "name": "folder", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "status", "in": "query", "required": false, "schema": enumeration(&["open", "closed", "all"]) }
            ]),
        },
        Op {
            method: "get",
            path: "/api/requests/{id}",
            id: "requests_get",
            summary: "A request with its history (V1–V4).",
            public: false,
            body: None,
            ok: (200, Some(schema_ref("RequestDetail"))),
            errors: &[404],
            query: id_param("id"),
        },
        Op {
            method: "get",
            path: "/api/requests/{id}/assignable",
            id: "requests_assignable",
            summary: "Where the request may go, with consent and who would see it (A2, A3).",
            public: false,
            body: None,
            ok: (200, Some(array_of("Assignable"))),
            errors: &[404],
            query: id_param("id"),
        },
        Op {
            method: "post",
            path: "/api/requests/{id}/assign",
            id: "requests_assign",
            summary: "Assign a request (A1–A6).",
            public: false,
            body: Some("AssignCommand"),
            ok: (200, Some(schema_ref("RequestDetail"))),
            errors: &[400, 404, 409, 413, 422],
            query: id_param("id"),
        },
        Op {
            method: "post",
            path: "/api/requests/{id}/close",
            id: "requests_close",
            summary: "Close a request (A4, A5).",
            public: false,
            body: Some("VersionCommand"),
            ok: (200, Some(schema_ref("RequestDetail"))),
            errors: &[400, 404, 409, 413, 422],
            query: id_param("id"),
        },
        Op {
            method: "post",
            path: "/api/requests/{id}/reopen",
            id: "requests_reopen",
            summary: "Reopen a request (A4, A5).",
            public: false,
            body: Some("VersionCommand"),
            ok: (200, Some(schema_ref("RequestDetail"))),
            errors: &[400, 404, 409, 413, 422],
            query: id_param("id"),
        },
        Op {
            method: "get",
            path: "/api/audit",
            id: "audit_list",
            summary: "The organisation's audit log, newest first, or CSV (L1, L2).",
            public: false,
            body: None,
            ok: (200, Some(array_of("AuditEntry"))),
            errors: &[400],
            query: json!([
                { "name": "format", "in": "query", "required": false, "schema": enumeration(&["json", "csv"]) }
            ]),
        },
        Op {
            method: "post",
            path: "/api/demo/requests",
            id: "demo_requests_create",
            summary: "A patient request arriving (demo).",
            public: false,
            body: Some("DemoRequestCreate"),
            ok: (201, Some(schema_ref("RequestDetail"))),
            errors: &[400, 404, 413],
            query: none.clone(),
        },
        Op {
            method: "post",
            path: "/api/demo/patients/{id}/sharing",
            id: "demo_patients_sharing",
            summary: "A patient changes their sharing preference (demo; V2).",
            public: false,
            body: Some("DemoSharingUpdate"),
            ok: (200, Some(schema_ref("DemoPatient"))),
            errors: &[400, 404, 413],
            query: id_param("id"),
        },
        Op {
            method: "post",
            path: "/api/demo/reset",
            id: "demo_reset",
            summary: "Back to the seed data (demo).",
            public: false,
            body: None,
            ok: (204, None),
            errors: &[],
            query: none,
        },
    ]
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Invalid input (`invalid`, with `field` where one can be named).",
        401 => "No valid bearer token (`unauthenticated`).",
        403 => "Not allowed for this role or organisation (`forbidden`).",
        404 => "Unknown, or not visible to the caller (`not_found`, identical bodies).",
        405 => "Method not allowed on this path (`method_not_allowed`).",
        409 => "Conflict (`conflict`, `already_shared`, `agreement_exists`).",
        413 => "Body over 64 KiB (`too_large`).",
        422 => "Refused by a rule of SPEC.md (the code names the rule).",
        503 => "Simulated failure from --fail-rate (`unavailable`).",
        _ => "",
    }
}

/// OpenAPI links: where the id of one answer can be used next, so a stateful fuzzer
/// (schemathesis) reaches the operations on things it created rather than only 404s.
/// `(from operation, to operation, path parameter, runtime expression)`.
const LINKS: &[(&str, &str, &str, &str)] = &[
    ("shares_create", "shares_update", "id", "$response.body#/id"),
    ("shares_create", "shares_delete", "id", "$response.body#/id"),
    (
        "agreements_create",
        "agreements_accept",
        "id",
        "$response.body#/id",
    ),
    (
        "agreements_create",
        "agreements_refuse",
        "id",
        "$response.body#/id",
    ),
    (
        "external_list",
        "external_enable",
        "share_id",
        "$response.body#/0/share_id",
    ),
    (
        "external_list",
        "external_disable",
        "share_id",
        "$response.body#/0/share_id",
    ),
    (
        "demo_requests_create",
        "requests_get",
        "id",
        "$response.body#/id",
    ),
    (
        "demo_requests_create",
        "requests_assignable",
        "id",
        "$response.body#/id",
    ),
    (
        "demo_requests_create",
        "requests_assign",
        "id",
        "$response.body#/id",
    ),
    (
        "demo_requests_create",
        "requests_close",
        "id",
        "$response.body#/id",
    ),
    (
        "requests_list",
        "requests_get",
        "id",
        "$response.body#/0/id",
    ),
    (
        "requests_list",
        "requests_assignable",
        "id",
        "$response.body#/0/id",
    ),
    (
        "requests_list",
        "requests_assign",
        "id",
        "$response.body#/0/id",
    ),
    (
        "requests_list",
        "requests_close",
        "id",
        "$response.body#/0/id",
    ),
    (
        "requests_list",
        "requests_reopen",
        "id",
        "$response.body#/0/id",
    ),
];

/// The `links` of the success answer of `op_id`, if any.
fn links_of(op_id: &str) -> Option<Value> {
    let mut links = Map::new();
    for (from, to, param, expression) in LINKS {
        if *from == op_id {
            links.insert(
                format!("{to}_{param}"),
                json!({ "operationId": to, "parameters": { *param: expression } }),
            );
        }
    }
    (!links.is_empty()).then_some(Value::Object(links))
}

/// `(method, path)` of every documented operation, for the router test.
pub fn documented_routes() -> Vec<(String, String)> {
    operations()
        .into_iter()
        .map(|op| (op.method.to_uppercase(), op.path.to_owned()))
        .collect()
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let mut responses = Map::new();
        let ok = match &op.ok.1 {
            Some(schema) if op.id == "audit_list" => json!({
                "description": reason(op.ok.0),
                "content": {
                    "application/json": { "schema": schema },
                    "text/csv": { "schema": { "type": "string" } }
                }
            }),
            Some(schema) => json!({
                "description": reason(op.ok.0),
                "content": { "application/json": { "schema": schema } }
            }),
            None => json!({ "description": reason(op.ok.0) }),
        };
        let mut ok = ok;
        if let (Some(links), Some(map)) = (links_of(op.id), ok.as_object_mut()) {
            map.insert("links".into(), links);
        }
        responses.insert(op.ok.0.to_string(), ok);
        let mut errors: Vec<u16> = op.errors.to_vec();
        if !op.public {
            errors.extend([401, 503]);
        } else if op.path != "/api/health" && op.path != "/api/openapi.json" {
            // Only these two are exempt from --fail-rate (see `knobs`).
            errors.push(503);
        }
        errors.sort_unstable();
        errors.dedup();
        for status in errors {
            responses.insert(
                status.to_string(),
                json!({
                    "description": reason(status),
                    "content": { "application/json": { "schema": schema_ref("Error") } }
                }),
            );
        }
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": op.query,
            "responses": responses,
        });
        if let Some(map) = operation.as_object_mut() {
            if op.public {
                map.insert("security".into(), json!([]));
            }
            if let Some(body) = op.body {
                map.insert(
                    "requestBody".into(),
                    json!({
                        "required": true,
                        "content": { "application/json": { "schema": schema_ref(body) } }
                    }),
                );
            }
        }
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        if let Some(map) = entry.as_object_mut() {
            map.insert(op.method.to_owned(), operation);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Collaboration mock API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "The HTTP contract of shared/API.md. Bodies are JSON, at most {BODY_LIMIT} bytes; \
                 errors are {{\"error\":{{\"code\",\"message\",\"field\"?}}}}. Checks run in the \
                 order 401, 413, 400, 404, 403, 409, 422, and a refused call changes nothing."
            )
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas()
        }
    })
}
