//! Words and numbers as people read them: NHS numbers, UK times and dates, counts, and the
//! names of the API's kinds.

use domain::wire::{RequestKind, Sharing, TargetKind};
use domain::{NhsNumber, Timestamp};
use wasm_bindgen::JsValue;

/// An NHS number as people read it, 3-3-4 (`943 476 5919`); kept as sent if it does not parse.
pub fn nhs_number(text: &str) -> String {
    NhsNumber::parse(text)
        .map(|n| n.formatted())
        .unwrap_or_else(|_| text.to_string())
}

/// A time for people in England: `24 Nov 2026, 08:05`, in UK time whatever the computer's
/// zone, through the browser's own `Intl` (no date library in the bundle).
pub fn format_time(rfc3339: &str) -> String {
    let Ok(at) = Timestamp::parse_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    // Millisecond counts of real dates fit an f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.as_millis() as f64));
    UK_TIME
        .with(|format| format.format().call1(&JsValue::UNDEFINED, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

thread_local! {
    /// One formatter for every time on the page: building one per call (what
    /// `Date.toLocaleString` with options does) costs more than the whole row.
    static UK_TIME: js_sys::Intl::DateTimeFormat = {
        let options = js_sys::Object::new();
        for (key, value) in [
            ("day", "numeric"),
            ("month", "short"),
            ("year", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZone", "Europe/London"),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        let locales = js_sys::Array::of1(&"en-GB".into());
        js_sys::Intl::DateTimeFormat::new(&locales, &options)
    };
}

/// A date of birth `YYYY-MM-DD` as `12 Apr 1938`.
pub fn format_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match domain::time::parse_date(date) {
        Ok((y, m, d)) => {
            let month = usize::try_from(m.saturating_sub(1))
                .ok()
                .and_then(|i| MONTHS.get(i))
                .copied()
                .unwrap_or("");
            format!("{d} {month} {y}")
        }
        Err(_) => date.to_string(),
    }
}

/// `5000` as `5,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The patient's preference in plain words (SPEC V2, A3).
pub fn sharing_words(sharing: Sharing) -> &'static str {
    match sharing {
        Sharing::Share => "Shares data with other organisations",
        Sharing::DoNotShare => "Has asked not to share data",
    }
}

/// A request's kind as its tag says it.
pub fn kind_words(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Medical => "Medical",
        RequestKind::Admin => "Admin",
    }
}

/// A target's kind as a word.
pub fn target_kind_words(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Group => "Group",
        TargetKind::Colleague => "Colleague",
    }
}

/// A human name for the directory's organisation kinds.
pub fn org_kind_label(kind: &str) -> String {
    match kind {
        "gp_practice" => "GP practice".to_string(),
        "pcn" => "Primary Care Network".to_string(),
        "community_service" => "Community service".to_string(),
        "extended_hours_hub" => "Extended hours hub".to_string(),
        "pharmacy" => "Pharmacy".to_string(),
        "trust" => "NHS trust".to_string(),
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => std::iter::once(first.to_ascii_uppercase())
                    .chain(chars)
                    .collect(),
                None => String::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{format_date, org_kind_label, thousands};

    #[test]
    fn thousands_are_grouped_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5000), "5,000");
        assert_eq!(thousands(1_000_001), "1,000,001");
    }

    #[test]
    fn a_date_of_birth_reads_day_month_year() {
        assert_eq!(format_date("1938-04-12"), "12 Apr 1938");
        assert_eq!(format_date("not a date"), "not a date");
    }

    #[test]
    fn an_unknown_organisation_kind_is_spelled_out() {
        assert_eq!(org_kind_label("pcn"), "Primary Care Network");
        assert_eq!(org_kind_label("care_home"), "Care home");
    }
}
