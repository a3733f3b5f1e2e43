//! `Timestamp`: milliseconds since the Unix epoch (UTC), with RFC 3339 text written and read by
//! hand (days-from-civil arithmetic), so the domain needs no clock and no date library.

use crate::error::ParseError;

const MS_PER_DAY: i64 = 86_400_000;

/// A point in time, UTC, to the millisecond. The caller supplies "now" to every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Timestamp(i64);

impl Timestamp {
    /// From milliseconds since 1970-01-01T00:00:00Z.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// `2026-11-25T10:00:00Z`, or `2026-11-25T10:00:00.250Z` when the milliseconds are not zero.
    pub fn to_rfc3339(self) -> String {
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms_of_day = self.0.rem_euclid(MS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        let millis = ms_of_day % 1000;
        let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
        if millis == 0 {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
        } else {
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{millis:03}Z")
        }
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; digits of the fraction past the
    /// millisecond are dropped. Leap seconds (`:60`) are refused.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, ParseError> {
        let b = s.as_bytes();
        if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(ParseError::Timestamp);
        }
        let (y, m, d) = parse_date_bytes(&b[..10]).ok_or(ParseError::Timestamp)?;
        if b[13] != b':' || b[16] != b':' {
            return Err(ParseError::Timestamp);
        }
        let hh = num(&b[11..13]).ok_or(ParseError::Timestamp)?;
        let mi = num(&b[14..16]).ok_or(ParseError::Timestamp)?;
        let ss = num(&b[17..19]).ok_or(ParseError::Timestamp)?;
        if hh > 23 || mi > 59 || ss > 59 {
            return Err(ParseError::Timestamp);
        }
        let mut i = 19;
        let mut millis = 0i64;
        if b[i] == b'.' {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 3 {
                    millis = millis * 10 + i64::from(b[i] - b'0');
                }
                i += 1;
            }
            let n = i - start;
            if n == 0 {
                return Err(ParseError::Timestamp);
            }
            for _ in n..3 {
                millis *= 10;
            }
        }
        let offset_min = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = num(&[*h1, *h2]).ok_or(ParseError::Timestamp)?;
                let om = num(&[*m1, *m2]).ok_or(ParseError::Timestamp)?;
                if oh > 23 || om > 59 {
                    return Err(ParseError::Timestamp);
                }
                let v = oh * 60 + om;
                if *sign == b'-' {
                    -v
                } else {
                    v
                }
            }
            _ => return Err(ParseError::Timestamp),
        };
        let days = days_from_civil(y, m, d);
        let secs = days * 86_400 + hh * 3600 + mi * 60 + ss - offset_min * 60;
        Ok(Timestamp(secs * 1000 + millis))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Checks a calendar date written `YYYY-MM-DD` (a date of birth).
pub fn parse_date(s: &str) -> Result<(i64, u32, u32), ParseError> {
    if s.len() != 10 {
        return Err(ParseError::Date);
    }
    parse_date_bytes(s.as_bytes()).ok_or(ParseError::Date)
}

fn parse_date_bytes(b: &[u8]) -> Option<(i64, u32, u32)> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = num(&b[..4])?;
    let m = u32::try_from(num(&b[5..7])?).ok()?;
    let d = u32::try_from(num(&b[8..10])?).ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

fn num(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date. Years are counted from March so that
/// the leap day is the last day of the year, and grouped in 400-year eras of 146 097 days.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_a_known_date_are_written_in_rfc3339_utc() {
        assert_eq!(
            Timestamp::from_millis(0).to_rfc3339(),
            "1970-01-01T00:00:00Z"
        );
        // 2026-11-25T10:00:00Z is 1_795_600_800 seconds after the epoch.
        let t = Timestamp::from_millis(1_795_600_800_000);
        assert_eq!(t.to_rfc3339(), "2026-11-25T10:00:00Z");
        assert_eq!(
            Timestamp::from_millis(1_795_600_800_250).to_rfc3339(),
            "2026-11-25T10:00:00.250Z"
        );
        assert_eq!(
            Timestamp::from_millis(-1).to_rfc3339(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn rfc3339_text_is_read_back_with_offsets_and_fractions() {
        let p = |s| Timestamp::parse_rfc3339(s).map(Timestamp::as_millis);
        assert_eq!(p("2026-11-25T10:00:00Z"), Ok(1_795_600_800_000));
        assert_eq!(p("2026-11-25T11:30:00+01:30"), Ok(1_795_600_800_000));
        assert_eq!(p("2026-11-25T10:00:00.25Z"), Ok(1_795_600_800_250));
        assert_eq!(p("2026-11-25T10:00:00.123456Z"), Ok(1_795_600_800_123));
        assert_eq!(p("2024-02-29T00:00:00Z").map(|_| ()), Ok(()));
    }

    #[test]
    fn impossible_times_are_refused() {
        for s in [
            "2026-11-25",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T10:00:00",
            "2026-11-25T10:00:00.Z",
            "2026-11-25T10:00:00+0100",
        ] {
            assert_eq!(
                Timestamp::parse_rfc3339(s),
                Err(ParseError::Timestamp),
                "{s}"
            );
        }
    }

    #[test]
    fn every_day_for_eight_centuries_round_trips() {
        for day in (-200_000i64..200_000).step_by(7) {
            let t = Timestamp::from_millis(day * MS_PER_DAY + 45_296_007);
            assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Ok(t));
        }
    }

    #[test]
    fn dates_of_birth_must_exist() {
        assert_eq!(parse_date("1950-02-28"), Ok((1950, 2, 28)));
        assert_eq!(parse_date("1900-02-29"), Err(ParseError::Date));
        assert_eq!(parse_date("2000-02-29"), Ok((2000, 2, 29)));
    }
}
