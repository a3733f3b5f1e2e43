//! CSV export of the audit log (L2): RFC 4180, with a guard against formula injection.

use crate::audit::AuditEvent;

/// The header row, the same columns as `GET /api/audit`.
pub const AUDIT_CSV_HEADER: &str = "id,at,user_id,ods_code,action,subject_id,detail";

/// Accepts `&[AuditEvent]` or the `Vec<&AuditEvent>` of `World::audit_for`.
/// RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, a quote, CR or
/// LF, quotes doubled. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
/// a leading `'` so that no spreadsheet runs it as a formula (L2).
pub fn audit_csv<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> String {
    let mut out = String::new();
    out.push_str(AUDIT_CSV_HEADER);
    out.push_str("\r\n");
    for e in events {
        let at = e.at.to_rfc3339();
        let user = e.user.as_ref().map_or("", |u| u.as_str());
        let cells = [
            e.id.as_str(),
            at.as_str(),
            user,
            e.ods_code.as_str(),
            e.action.as_str(),
            e.subject_id.as_str(),
            e.detail.as_str(),
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
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

    #[test]
    fn l2_export_has_a_header_and_quotes_commas_quotes_and_newlines(
    ) -> Result<(), crate::error::ParseError> {
        let e = event("Reason: \"urgent\", see notes\nline two")?;
        let csv = audit_csv([&e]);
        assert_eq!(
            csv,
            "id,at,user_id,ods_code,action,subject_id,detail\r\n\
             e1,2026-11-25T10:00:00Z,u1,A81001,request_assigned,r1,\
             \"Reason: \"\"urgent\"\", see notes\nline two\"\r\n"
        );
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
            let csv = audit_csv(&[event(detail)?]);
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
        ) {
            let mut e = event(&detail).expect("valid event");
            e.subject_id = subject.clone();
            let csv = audit_csv([&e]);
            let rows = read_back(&csv);
            prop_assert_eq!(rows.len(), 2, "{:?}", csv);
            prop_assert_eq!(rows[0].join(","), AUDIT_CSV_HEADER);
            prop_assert_eq!(rows[1].len(), 7);
            for (original, cell) in [(&subject, &rows[1][5]), (&detail, &rows[1][6])] {
                prop_assert!(!cell.starts_with(L2_GUARDED), "{:?} exported as {:?}", original, cell);
                let unguarded = cell.strip_prefix('\'').filter(|_| original.starts_with(L2_GUARDED));
                prop_assert_eq!(unguarded.unwrap_or(cell), original.as_str());
            }
        }
    }
}
