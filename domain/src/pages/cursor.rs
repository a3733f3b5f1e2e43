//! Cursors of the paged request lists: a position in the C4 order and a direction, and their
//! opaque text (see the `# Cursors` part of the module docs of `pages`).

use crate::error::DomainError;
use crate::ids::RequestId;
use crate::model::Request;
use crate::time::Timestamp;

/// The longest request id a cursor may carry, in bytes (longer is damaged).
const MAX_CURSOR_ID: usize = 256;

/// What the OpenAPI document says of a cursor (`pattern`): every text it matches is a cursor
/// [`Cursor::decode`] accepts (ids of printable ASCII; the server's ids are), so a tool that
/// generates "valid" cursors from the document gets pages, not 400s.
pub const CURSOR_PATTERN: &str = r"^1[ab]\.(0|-?[1-9][0-9]{0,17})\.([2-7][0-9a-f]){1,256}$";

/// A position in the C4 order: the last activity and id of a request (which may since have
/// moved or never have existed: a position is only a place between keys).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    pub at: Timestamp,
    pub id: RequestId,
}

impl Position {
    /// The position of a request now.
    pub fn of(request: &Request) -> Position {
        Position {
            at: request.last_activity(),
            id: request.id.clone(),
        }
    }
}

/// Where the next page starts: strictly after a position (Next) or strictly before it
/// (Previous).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    After(Position),
    Before(Position),
}

impl Cursor {
    /// The opaque text of the cursor: `1`, `a` or `b`, `.`, the time in milliseconds, `.`, the
    /// id's UTF-8 bytes in lower-case hexadecimal.
    pub fn encode(&self) -> String {
        let (dir, p) = match self {
            Cursor::After(p) => ('a', p),
            Cursor::Before(p) => ('b', p),
        };
        let mut out = format!("1{dir}.{}.", p.at.as_millis());
        for b in p.id.as_str().bytes() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// Reads a cursor written by [`Cursor::encode`]; anything else (an unknown version, a
    /// damaged or non-canonical text) is `Invalid { field: "cursor" }`. Checks the form only.
    pub fn decode(text: &str) -> Result<Cursor, DomainError> {
        let bad = DomainError::Invalid { field: "cursor" };
        if text.len() > 4 + 20 + 2 * MAX_CURSOR_ID {
            return Err(bad);
        }
        let mut parts = text.split('.');
        let (Some(head), Some(millis), Some(hex), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad);
        };
        let ms: i64 = millis.parse().map_err(|_| bad.clone())?;
        if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > 2 * MAX_CURSOR_ID {
            return Err(bad);
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| {
                let pair = hex.get(i..i + 2).ok_or(())?;
                if pair
                    .bytes()
                    .any(|c| !matches!(c, b'0'..=b'9' | b'a'..=b'f'))
                {
                    return Err(());
                }
                u8::from_str_radix(pair, 16).map_err(|_| ())
            })
            .collect::<Result<Vec<u8>, ()>>()
            .map_err(|()| bad.clone())?;
        let id = String::from_utf8(bytes).map_err(|_| bad.clone())?;
        let p = Position {
            at: Timestamp::from_millis(ms),
            id: RequestId::new(id),
        };
        let cursor = match head {
            "1a" => Cursor::After(p),
            "1b" => Cursor::Before(p),
            _ => return Err(bad),
        };
        // One text per cursor: "+5", "05" or "-0" are damaged, not synonyms.
        if cursor.encode() != text {
            return Err(bad);
        }
        Ok(cursor)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A position at `ms` milliseconds for request `id` (also used by `index`'s tests).
    pub(in crate::pages) fn pos(ms: i64, id: &str) -> Position {
        Position {
            at: Timestamp::from_millis(ms),
            id: RequestId::new(id),
        }
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote_for_any_id_and_time() {
        for c in [
            Cursor::After(pos(1_795_600_800_000, "r1")),
            Cursor::Before(pos(-5, "é/ü?&=.")),
            Cursor::After(pos(0, "x")),
            Cursor::Before(pos(i64::MIN, &"z".repeat(MAX_CURSOR_ID))),
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Ok(c.clone()), "{c:?}");
        }
    }

    #[test]
    fn a_damaged_or_foreign_cursor_is_invalid_with_the_field_cursor() {
        let good = Cursor::After(pos(12, "r1")).encode();
        assert_eq!(good, "1a.12.7231");
        for bad in [
            "",
            "1a",
            "1a.12",
            "1a.12.",
            "1a.12.723",
            "1a.12.7G31",
            "1a.12.7231.00",
            "1c.12.7231",
            "2a.12.7231",
            "1a.+12.7231",
            "1a.012.7231",
            "1a.-0.7231",
            "1a.12.7A31",
            "1a.12.ff",
            "1a.99999999999999999999.7231",
        ] {
            assert_eq!(
                Cursor::decode(bad),
                Err(DomainError::Invalid { field: "cursor" }),
                "{bad:?}"
            );
        }
        let long = Cursor::After(pos(1, &"z".repeat(MAX_CURSOR_ID + 1))).encode();
        assert!(Cursor::decode(&long).is_err());
    }

    proptest::proptest! {
        /// Every text the documented pattern admits decodes, and reads back as written.
        #[test]
        fn every_text_of_the_documented_pattern_is_a_cursor(
            text in proptest::string::string_regex(
                CURSOR_PATTERN.trim_start_matches('^').trim_end_matches('$'),
            )
            .expect("a regex proptest reads"),
        ) {
            let c = Cursor::decode(&text);
            proptest::prop_assert!(c.is_ok(), "{text:?}");
            proptest::prop_assert_eq!(c.map(|c| c.encode()).ok(), Some(text));
        }
    }
}
