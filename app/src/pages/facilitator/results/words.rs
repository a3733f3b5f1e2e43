//! The results in words (SPEC K7): rates as percentages with their intervals, times, plain
//! decimals, outcomes, and the slug of a file name. Numbers are rounded with integer
//! arithmetic and printed as integers, so Rust's float printing stays out of the bundle (as
//! `row::number_text` keeps it out), and every function here runs in native tests.

use super::super::study::duration_words;

/// What the tables show for a figure there is none of (no attempt, no answer).
pub const NONE: &str = "—";

/// `x` rounded to `places` decimals (0 to 3), as `0.67`, `4.0`, `-1.5`.
pub fn fixed(x: f64, places: u32) -> String {
    if !x.is_finite() {
        return NONE.to_string();
    }
    let scale = 10_i64.pow(places.min(3));
    // Rounded to an integer of at most 2⁵³ in absolute value for any figure shown here.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let n = (x * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let scale = scale.unsigned_abs();
    if places == 0 {
        format!("{sign}{n}")
    } else {
        let width = places.min(3) as usize;
        format!("{sign}{}.{:0width$}", n / scale, n % scale)
    }
}

/// An optional figure to `places` decimals, or "—".
pub fn optional(x: Option<f64>, places: u32) -> String {
    x.map_or_else(|| NONE.to_string(), |x| fixed(x, places))
}

/// A proportion (0–1) as a whole percentage: `67%`.
pub fn percent(p: f64) -> String {
    format!("{}%", fixed(p * 100.0, 0))
}

/// A rate with its 95% interval: `67% (21%–94%)`.
pub fn rate_words(rate: f64, low: f64, high: f64) -> String {
    format!("{} ({}–{})", percent(rate), percent(low), percent(high))
}

/// A time on task: `0.4 s` and `4.2 s` below ten seconds, then `42 s`, `1 min 05 s`.
pub fn seconds_words(s: f64) -> String {
    let s = if s.is_finite() { s.max(0.0) } else { 0.0 };
    if s < 9.95 {
        format!("{} s", fixed(s, 1))
    } else {
        // Times on task are far below 2⁶⁴ seconds.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = s.round() as u64;
        duration_words(whole)
    }
}

/// A geometric mean time with its interval, when it has one: `42 s (30–58 s)` when all three
/// are whole seconds under a minute, else each in full (`1 min 05 s (40 s–2 min 10 s)`).
pub fn time_words(mean: f64, low: Option<f64>, high: Option<f64>) -> String {
    let Some((low, high)) = low.zip(high) else {
        return seconds_words(mean);
    };
    let plain = |s: f64| (9.95..59.5).contains(&s);
    if plain(mean) && plain(low) && plain(high) {
        format!(
            "{} s ({}–{} s)",
            fixed(mean, 0),
            fixed(low, 0),
            fixed(high, 0)
        )
    } else {
        format!(
            "{} ({}–{})",
            seconds_words(mean),
            seconds_words(low),
            seconds_words(high)
        )
    }
}

/// An attempt's outcome (K4) in words.
pub fn outcome_words(outcome: &str) -> &str {
    match outcome {
        "direct_success" => "Direct success",
        "indirect_success" => "Indirect success",
        "failure" => "Failure",
        "gave_up" => "Gave up",
        "timed_out" => "Timed out",
        other => other,
    }
}

/// Whether an outcome is a success, direct or indirect (K7's completion).
pub fn is_success(outcome: &str) -> bool {
    matches!(outcome, "direct_success" | "indirect_success")
}

/// A name as a file name's part: lower-case ASCII letters and digits joined by single
/// dashes (`Sharing basics` → `sharing-basics`); `fallback` when nothing is left.
pub fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        fallback.to_string()
    } else {
        out.chars()
            .take(60)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_half_away_from_zero_and_pads_decimals() {
        assert_eq!(fixed(2.0 / 3.0, 2), "0.67");
        assert_eq!(fixed(4.0, 1), "4.0");
        assert_eq!(fixed(0.600_925 / 2.0, 2), "0.30");
        assert_eq!(fixed(72.45, 0), "72");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(f64::NAN, 1), NONE);
    }

    #[test]
    fn a_missing_figure_is_a_dash() {
        assert_eq!(optional(None, 2), "—");
        assert_eq!(optional(Some(0.0), 2), "0.00");
    }

    #[test]
    fn a_rate_reads_as_percentages_with_its_interval() {
        // Two of three, adjusted Wald (api-mock/tests/research_results.rs).
        assert_eq!(rate_words(2.0 / 3.0, 0.202_465, 0.943_695), "67% (20%–94%)");
        assert_eq!(rate_words(0.0, 0.0, 0.5), "0% (0%–50%)");
        assert_eq!(rate_words(1.0, 0.6, 1.0), "100% (60%–100%)");
    }

    #[test]
    fn times_read_in_seconds_then_minutes() {
        assert_eq!(seconds_words(0.04), "0.0 s");
        assert_eq!(seconds_words(4.24), "4.2 s");
        assert_eq!(seconds_words(42.4), "42 s");
        assert_eq!(seconds_words(65.0), "1 min 05 s");
        assert_eq!(seconds_words(-3.0), "0.0 s");
    }

    #[test]
    fn a_mean_time_shows_its_interval_in_one_unit_when_it_can() {
        assert_eq!(time_words(42.0, Some(30.2), Some(58.0)), "42 s (30–58 s)");
        assert_eq!(
            time_words(65.0, Some(40.0), Some(130.0)),
            "1 min 05 s (40 s–2 min 10 s)"
        );
        assert_eq!(time_words(3.0, Some(1.0), Some(9.0)), "3.0 s (1.0 s–9.0 s)");
        // One success: no interval.
        assert_eq!(time_words(42.0, None, None), "42 s");
    }

    #[test]
    fn outcomes_read_as_words_and_successes_are_direct_or_indirect() {
        assert_eq!(outcome_words("gave_up"), "Gave up");
        assert_eq!(outcome_words("timed_out"), "Timed out");
        assert!(is_success("indirect_success"));
        assert!(!is_success("failure"));
    }

    #[test]
    fn a_slug_keeps_lower_case_letters_and_digits_joined_by_dashes() {
        assert_eq!(slug("Sharing basics", "study"), "sharing-basics");
        assert_eq!(slug("  P-1 (pilot)! ", "p"), "p-1-pilot");
        assert_eq!(slug("Ünïcode", "study"), "n-code");
        assert_eq!(slug("!!!", "study"), "study");
    }
}
