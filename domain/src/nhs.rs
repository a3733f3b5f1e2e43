//! `NhsNumber`: 10 digits whose last is a modulus-11 check digit.

use crate::error::ParseError;

/// The modulus-11 check digit of nine digits: weights 10 down to 2, check digit = 11 − (sum mod
/// 11), where 11 means 0 and 10 means no valid number has these nine digits. The only place
/// the computation is written (parsing and generators both use it).
fn check_digit(nine: &[u32]) -> Option<u32> {
    let sum: u32 = nine.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        c => Some(c),
    }
}

/// A valid NHS number, stored as its 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Accepts `9434765919` and the displayed form `943 476 5919` (spaces are ignored), and
    /// checks the modulus-11 check digit: weights 10 down to 2 on the first nine digits, check
    /// digit = 11 − (sum mod 11), where 11 means 0 and 10 means the number is invalid.
    pub fn parse(s: &str) -> Result<NhsNumber, ParseError> {
        let digits: Vec<u32> = s
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()))
            .collect::<Option<Vec<u32>>>()
            .ok_or(ParseError::NhsNumber)?;
        if digits.len() != 10 {
            return Err(ParseError::NhsNumber);
        }
        if check_digit(&digits[..9]) != Some(digits[9]) {
            return Err(ParseError::NhsNumber);
        }
        Ok(NhsNumber(
            digits
                .iter()
                .filter_map(|d| char::from_digit(*d, 10))
                .collect(),
        ))
    }

    /// The NHS number whose first nine digits are `stem` (0 to 999,999,999, zero-padded) and
    /// whose tenth is their check digit; `None` when the check digit would be 10 (no such
    /// number exists) or `stem` has more than nine digits. For generators of test data.
    pub fn with_check_digit(stem: u32) -> Option<NhsNumber> {
        if stem > 999_999_999 {
            return None;
        }
        let text = format!("{stem:09}");
        let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
        let check = check_digit(&digits)?;
        Some(NhsNumber(format!("{text}{check}")))
    }

    /// The 10 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 3-3-4 display form, `943 476 5919`.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
    }
}

impl std::fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NhsNumber::parse(&s)
    }
}

impl From<NhsNumber> for String {
    fn from(n: NhsNumber) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_number_is_accepted_with_or_without_spaces_and_shown_3_3_4() {
        let n = NhsNumber::parse("943 476 5919").map(|n| (n.as_str().to_owned(), n.formatted()));
        assert_eq!(n, Ok(("9434765919".to_owned(), "943 476 5919".to_owned())));
        assert!(NhsNumber::parse("9434765919").is_ok());
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(NhsNumber::parse("9434765918"), Err(ParseError::NhsNumber));
    }

    #[test]
    fn a_number_whose_check_would_be_ten_is_refused() {
        // The ninth digit has weight 2: 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10, so no check
        // digit can make 000000006x valid.
        for last in 0..=9 {
            assert_eq!(
                NhsNumber::parse(&format!("000000006{last}")),
                Err(ParseError::NhsNumber)
            );
        }
    }

    #[test]
    fn a_number_made_from_nine_digits_parses_and_none_is_made_where_the_check_would_be_ten() {
        let made = NhsNumber::with_check_digit(943_476_591).expect("a valid stem");
        assert_eq!(made.as_str(), "9434765919");
        // 000000006: the ninth digit (weight 2) gives 12, 11 − 1 = 10: no number.
        assert_eq!(NhsNumber::with_check_digit(6), None);
        assert_eq!(NhsNumber::with_check_digit(1_000_000_000), None);
        for stem in (0..2_000_000u32).step_by(9_973) {
            match NhsNumber::with_check_digit(stem) {
                Some(n) => assert_eq!(NhsNumber::parse(n.as_str()), Ok(n.clone())),
                None => {
                    assert!((0..10).all(|d| NhsNumber::parse(&format!("{stem:09}{d}")).is_err()))
                }
            }
        }
    }

    #[test]
    fn wrong_length_and_non_digits_are_refused() {
        for s in [
            "",
            "943476591",
            "94347659190",
            "94347659I9",
            "943-476-5919",
            "９４３４７６５９１９",
        ] {
            assert_eq!(NhsNumber::parse(s), Err(ParseError::NhsNumber), "{s}");
        }
    }
}
