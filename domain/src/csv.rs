//! CSV export of the audit log (L2): RFC 4180, with a guard against formula injection.

use crate::audit::{AuditEvent, AuditNames};

/// The header row, the fields of `GET /api/audit`: each id with its name beside it (issue 15).
pub const AUDIT_CSV_HEADER: &str =
    "id,at,user_id,user_name,ods_code,organisation_name,action,subject_id,request_subject,detail";

/// Each event with its names from [`crate::World::audit_names`] for the viewing organisation
/// (an absent name is an empty cell), e.g. the events of `World::audit_walk` mapped to
/// `(e, world.audit_names(viewer, e))`.
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, a quote, CR or
/// LF, quotes doubled. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
/// a leading `'` so that no spreadsheet runs it as a formula (L2).
pub fn audit_csv<'a>(events: impl IntoIterator<Item = (&'a AuditEvent, AuditNames<'a>)>) -> String {
    let mut out = String::new();
    out.push_str(AUDIT_CSV_HEADER);
    out.push_str("\r\n");
    for (e, names) in events {
        audit_csv_row(&mut out, e, names);
    }
    out
}

/// One row of [`audit_csv`] (with its CRLF), for a writer that streams the log in parts.
pub fn audit_csv_row(out: &mut String, e: &AuditEvent, names: AuditNames<'_>) {
    let at = e.at.to_rfc3339();
    let user = e.user.as_ref().map_or("", |u| u.as_str());
    let cells = [
        e.id.as_str(),
        at.as_str(),
        user,
        names.user_name.unwrap_or(""),
        e.ods_code.as_str(),
        names.organisation_name.unwrap_or(""),
        e.action.as_str(),
        e.subject_id.as_str(),
        names.request_subject.unwrap_or(""),
        e.detail.as_str(),
    ];
    csv_row(out, &cells);
}

/// One RFC 4180 row of `cells` (with its CRLF), each quoted when needed and guarded against
/// formula injection like the audit export's (L2): for every CSV the server writes.
pub fn csv_row(out: &mut String, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

/// The first characters a spreadsheet may read as the start of a formula (L2).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn push_cell(out: &mut String, cell: &str) {
    let guarded = cell.starts_with(FORMULA_STARTS);
    let quoted = cell.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditAction;
    use crate::ids::{EventId, UserId};
    use crate::ods::OdsCode;
    use crate::time::Timestamp;

    fn event(detail: &str) -> Result<AuditEvent, crate::error::ParseError> {
        Ok(AuditEvent {
            id: EventId::new("e1"),
            at: Timestamp::from_millis(1_795_600_800_000),
            user: Some(UserId::new("u1")),
            ods_code: OdsCode::parse("A81001")?,
            action: AuditAction::RequestAssigned,
            subject_id: "r1".into(),
            detail: detail.into(),
            parties: vec![],
        })
    }

    fn names<'a>(user: &'a str, org: &'a str, subject: Option<&'a str>) -> AuditNames<'a> {
        AuditNames {
            user_name: Some(user),
            organisation_name: Some(org),
            request_subject: subject,
        }
    }

    fn plain_names() -> AuditNames<'static> {
        names("Dr Sarah Ahmed", "Camelia Surgery", Some("Sore throat"))
    }

    #[test]
    fn l2_export_has_a_header_and_quotes_commas_quotes_and_newlines(
    ) -> Result<(), crate::error::ParseError> {
        let e = event("Reason: \"urgent\", see notes\nline two")?;
        let csv = audit_csv([(&e, plain_names())]);
        assert_eq!(
            csv,
            "id,at,user_id,user_name,ods_code,organisation_name,action,subject_id,\
             request_subject,detail\r\n\
             e1,2026-11-25T10:00:00Z,u1,Dr Sarah Ahmed,A81001,Camelia Surgery,\
             request_assigned,r1,Sore throat,\
             \"Reason: \"\"urgent\"\", see notes\nline two\"\r\n"
        );
        Ok(())
    }

    /// Issue 15: each id keeps its name beside it; a name the log does not show (no user for a
    /// received request, a subject the viewer may not read) is an empty cell, not a shifted row.
    #[test]
    fn l2_names_sit_beside_their_ids_and_absent_names_are_empty_cells(
    ) -> Result<(), crate::error::ParseError> {
        let mut e = event("Received from Oak Practice")?;
        e.user = None;
        e.action = crate::audit::AuditAction::RequestReceived;
        let hidden = AuditNames {
            organisation_name: Some("Oak Practice, Leeds"),
            ..AuditNames::default()
        };
        let csv = audit_csv([(&e, hidden)]);
        assert!(
            csv.ends_with(
                "\r\ne1,2026-11-25T10:00:00Z,,,A81001,\"Oak Practice, Leeds\",request_received,r1,,\
                 Received from Oak Practice\r\n"
            ),
            "{csv:?}"
        );
        Ok(())
    }

    /// L2: names and subjects are user-controlled text, so the formula guard covers them too.
    #[test]
    fn l2_export_disarms_formulas_in_names_and_subjects() -> Result<(), crate::error::ParseError> {
        let e = event("plain")?;
        let csv = audit_csv([(
            &e,
            names(
                "+44 Dr Plus",
                "@Org",
                Some("=HYPERLINK(\"http://x\",\"y\")"),
            ),
        )]);
        let rows = read_back(&csv);
        assert_eq!(rows[1][3], "'+44 Dr Plus");
        assert_eq!(rows[1][5], "'@Org");
        assert_eq!(rows[1][8], "'=HYPERLINK(\"http://x\",\"y\")");
        Ok(())
    }

    #[test]
    fn l2_export_disarms_cells_that_a_spreadsheet_would_run_as_formulas(
    ) -> Result<(), crate::error::ParseError> {
        for (detail, cell) in [
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "\"'\r=1+1\""),
            ("plain = text", "plain = text"),
            ("a\t=1", "a\t=1"),
        ] {
            let e = event(detail)?;
            let csv = audit_csv([(&e, plain_names())]);
            assert!(
                csv.ends_with(&format!(",{cell}\r\n")),
                "{detail:?}: {csv:?}"
            );
        }
        Ok(())
    }

    /// What SPEC L2 lists, written out again here so that the test does not trust the code's
    /// own list.
    const L2_GUARDED: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

    /// Reads an exported CSV back with the `csv` crate (an RFC 4180 reader).
    fn read_back(csv: &str) -> Vec<Vec<String>> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        reader
            .records()
            .map(|r| {
                r.expect("the export is valid CSV")
                    .iter()
                    .map(String::from)
                    .collect()
            })
            .collect()
    }

    /// Any text, a good share of it starting with a character L2 guards or CSV quotes.
    fn cell_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            ("[=+\\-@\t\r\n\",' ]", any::<String>()).prop_map(|(a, b)| a + &b),
            "[=+\\-@\t\r\n\",' a]{0,6}",
        ]
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn l2_no_exported_cell_starts_a_formula_and_every_cell_reads_back(
            detail in cell_text(),
            subject in cell_text(),
            user_name in cell_text(),
            org_name in cell_text(),
            request_subject in cell_text(),
        ) {
            let mut e = event(&detail).expect("valid event");
            e.subject_id = subject.clone();
            let csv = audit_csv([(&e, names(&user_name, &org_name, Some(&request_subject)))]);
            let rows = read_back(&csv);
            prop_assert_eq!(rows.len(), 2, "{:?}", csv);
            prop_assert_eq!(rows[0].join(","), AUDIT_CSV_HEADER);
            prop_assert_eq!(rows[1].len(), 10);
            for (original, cell) in [
                (&user_name, &rows[1][3]),
                (&org_name, &rows[1][5]),
                (&subject, &rows[1][7]),
                (&request_subject, &rows[1][8]),
                (&detail, &rows[1][9]),
            ] {
                prop_assert!(!cell.starts_with(L2_GUARDED), "{:?} exported as {:?}", original, cell);
                let unguarded = cell.strip_prefix('\'').filter(|_| original.starts_with(L2_GUARDED));
                prop_assert_eq!(unguarded.unwrap_or(cell), original.as_str());
            }
        }
    }
}
