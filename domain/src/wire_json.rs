//! `wire` bodies as JSON through `json` (the client's reader and writer), member names and
//! enum names exactly as serde writes them: `tests/wire_json.rs` checks every type against
//! serde_json both ways, and api-mock's tests read every real answer of the server with it.

use crate::json::{FromJson, ObjectWriter, Reader, ToJson};
use crate::wire::*;
use crate::{json_enum, json_struct};

json_enum!(Role { Admin = "admin", Staff = "staff" });
json_enum!(Sharing { Share = "share", DoNotShare = "do_not_share" });
json_enum!(ShareState { Pending = "pending", Enabled = "enabled", Disabled = "disabled" });
json_enum!(TargetKind { Group = "group", Colleague = "colleague" });
json_enum!(AssigneeKind { Group = "group", Colleague = "colleague", Inbox = "inbox" });
json_enum!(RequestKind { Medical = "medical", Admin = "admin" });
json_enum!(RequestStatus { Open = "open", Closed = "closed" });
json_enum!(StatusFilter { Open = "open", Closed = "closed", All = "all" });
json_enum!(Answer { Accepted = "accepted", Refused = "refused" });
json_enum!(FolderKind {
    All = "all",
    Mine = "mine",
    Target = "target",
    External = "external",
    SentExternally = "sent_externally",
});
json_enum!(VisibleBecause { Involved = "involved", UnrestrictedShare = "unrestricted_share" });
json_enum!(HistoryAction {
    Received = "received",
    Assigned = "assigned",
    Closed = "closed",
    Reopened = "reopened",
});
json_enum!(Consent { None = "none", Agreement = "agreement", Reason = "reason" });
json_enum!(AuditAction {
    ShareCreated = "share_created",
    ShareRestrictionChanged = "share_restriction_changed",
    ShareRemoved = "share_removed",
    ShareEnabled = "share_enabled",
    ShareDisabled = "share_disabled",
    RequestReceived = "request_received",
    RequestAssigned = "request_assigned",
    RequestClosed = "request_closed",
    RequestReopened = "request_reopened",
    CoversChanged = "covers_changed",
    AgreementProposed = "agreement_proposed",
    AgreementAccepted = "agreement_accepted",
    AgreementRefused = "agreement_refused",
});

json_struct!(OrgRef { ods_code, name });
json_struct!(TargetRef { id, kind, name });
json_struct!(ErrorBody { error });
json_struct!(ErrorDetail {
    code,
    message,
    field
});
json_struct!(Health {
    status,
    latency_ms,
    fail_rate
});
json_struct!(Persona {
    user_id,
    name,
    role,
    ods_code,
    organisation
});
json_struct!(SessionCreate { user_id });
json_struct!(UserView {
    id,
    name,
    role,
    ods_code
});
json_struct!(Session { token, user });
json_struct!(Organisation {
    ods_code,
    name,
    kind,
    postcode,
    active
});
json_struct!(Me { user, organisation });
json_struct!(OrganisationResults { results });
json_struct!(Share {
    id,
    partner,
    restricted,
    state
});
json_struct!(Target {
    id,
    kind,
    name,
    shares
});
json_struct!(ShareCreate {
    target_id,
    partner_ods_code,
    restricted
});
json_struct!(ShareUpdate { restricted });
json_struct!(ExternalShare {
    share_id,
    target,
    owner,
    restricted,
    state
});
json_struct!(Agreement {
    id,
    partner,
    reference,
    proposed_by_ods_code,
    our_answer,
    their_answer,
    active,
    created_at,
});
json_struct!(AgreementCreate {
    partner_ods_code,
    reference
});
json_struct!(Folder {
    id,
    kind,
    name,
    owner_ods_code,
    owner_name,
    open_count,
    covered
});
json_struct!(CoversUpdate { folder_ids });
json_struct!(Patient {
    name,
    nhs_number,
    sharing,
    date_of_birth
});
json_struct!(Assignee {
    kind,
    id,
    name,
    ods_code
});
json_struct!(RequestSummary {
    id,
    patient,
    subject,
    kind,
    status,
    origin_ods_code,
    assignee,
    updated_at,
    version,
});
json_struct!(UserRef { id, name });
json_struct!(HistoryEvent { id, at, action, user, ods_code, from, to, override_ = "override" });
json_struct!(RequestDetail {
    id,
    patient,
    subject,
    kind,
    status,
    origin_ods_code,
    assignee,
    updated_at,
    version,
    message,
    received_at,
    origin,
    holder,
    history,
    visible_because,
});
json_struct!(AgreementRef { id, reference });
json_struct!(WouldSee {
    organisations,
    other_unrestricted_partners
});
json_struct!(Assignable {
    target,
    owner,
    consent,
    agreement,
    would_see
});
json_struct!(AssignCommand {
    target_id,
    version,
    override_reason
});
json_struct!(VersionCommand { version });
json_struct!(AuditEntry {
    id,
    at,
    user_id,
    ods_code,
    action,
    subject_id,
    detail
});

/// `{"kind": "reason", "reason"}` or `{"kind": "agreement", "agreement_id", "reference"}`.
impl FromJson for Override {
    fn read(reader: &mut Reader) -> Option<Self> {
        let (mut kind, mut reason, mut agreement_id, mut reference) = (None, None, None, None);
        reader.begin_object()?;
        let mut first = true;
        while let Some(name) = reader.next_member(&mut first)? {
            let slot = match &*name {
                "kind" => &mut kind,
                "reason" => &mut reason,
                "agreement_id" => &mut agreement_id,
                "reference" => &mut reference,
                _ => {
                    reader.skip()?;
                    continue;
                }
            };
            *slot = Some(String::read(reader)?);
        }
        match kind?.as_str() {
            "reason" => Some(Override::Reason { reason: reason? }),
            "agreement" => Some(Override::Agreement {
                agreement_id: agreement_id?,
                reference: reference?,
            }),
            _ => None,
        }
    }
}

impl ToJson for Override {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        match self {
            Override::Reason { reason } => {
                object.member("kind", "reason");
                object.member("reason", reason);
            }
            Override::Agreement {
                agreement_id,
                reference,
            } => {
                object.member("kind", "agreement");
                object.member("agreement_id", agreement_id);
                object.member("reference", reference);
            }
        }
        object.end();
    }
}

/// Only `Health` has a float, and only the server writes it; `Display` is exact enough for
/// JSON (shortest round-trip form). Not finite is `null`, as serde_json writes it.
impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            out.push_str(&format!("{self}"));
        } else {
            out.push_str("null");
        }
    }
}
