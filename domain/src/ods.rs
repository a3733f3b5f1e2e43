//! `OdsCode`: the code of an organisation in the NHS Organisation Data Service.

use crate::error::ParseError;

/// 3–10 upper-case ASCII letters or digits (SPEC §2): `A81001`, `U12345`, `RXX`, `FA123`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct OdsCode(String);

impl OdsCode {
    /// Checks the shape; lower case is refused rather than silently upper-cased, so that the
    /// same organisation never has two spellings.
    pub fn parse(s: &str) -> Result<OdsCode, ParseError> {
        let ok = (3..=10).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(OdsCode(s.to_owned()))
        } else {
            Err(ParseError::OdsCode)
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OdsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OdsCode {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        OdsCode::parse(&s)
    }
}

impl From<OdsCode> for String {
    fn from(c: OdsCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_pcn_trust_and_pharmacy_codes_are_accepted() {
        for code in ["A81001", "U12345", "RXX", "FA123", "ABCDEFGHIJ"] {
            assert_eq!(
                OdsCode::parse(code).map(|c| c.as_str().to_owned()),
                Ok(code.to_owned())
            );
        }
    }

    #[test]
    fn short_long_lower_case_and_punctuated_codes_are_refused() {
        for code in [
            "",
            "AB",
            "ABCDEFGHIJK",
            "a81001",
            "A8 001",
            "A81-01",
            "É8100",
        ] {
            assert_eq!(OdsCode::parse(code), Err(ParseError::OdsCode), "{code}");
        }
    }
}
