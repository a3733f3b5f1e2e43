//! K4, K5, K7: the statistics of research studies against published worked examples (sources
//! cited at each test and in docs/TESTING.md "Research statistics"), then properties.

use domain::research::stats::{
    adjusted_wald, geometric_mean_time, lostness, mean, mean_sus, outcome, sus_score, t975,
    Attempt, Ending, Outcome, Z95,
};
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ---------------------------------------------------------------------------------------------
// K7 completion rate: adjusted Wald
// ---------------------------------------------------------------------------------------------

/// Tullis & Albert, "Measuring the User Experience" (2008), p. 69, worked on Tullis's page
/// "Calculating a Confidence Interval for Task Completion Using the Adjusted Wald Method"
/// (measuringux.com/adjustedwald.htm): 4 of 5 users succeed, z = 1.96 → 0.3596 to 0.9796.
#[test]
fn k7_adjusted_wald_four_of_five_is_36_to_98_percent_as_tullis_and_albert_work_it() {
    let i = adjusted_wald(4, 5).expect("attempts");
    assert_eq!(i.estimate, 0.8);
    assert!(close(i.low, 0.3596, 5e-4), "{i:?}");
    assert!(close(i.high, 0.9796, 5e-4), "{i:?}");
}

/// Sauro, "Confidence Interval Calculator for a Completion Rate" (measuringu.com/wald.htm):
/// 9 of 10 adjusts the proportion to about 11/14; the interval's top passes 100% and is
/// clamped (by hand: 0.5740 to 1.0039 before clamping).
#[test]
fn k7_adjusted_wald_nine_of_ten_is_clamped_at_one() {
    let i = adjusted_wald(9, 10).expect("attempts");
    assert!(close(i.low, 0.5740, 5e-4), "{i:?}");
    assert_eq!(i.high, 1.0);
    let none = adjusted_wald(0, 10).expect("attempts");
    assert_eq!((none.estimate, none.low), (0.0, 0.0));
    assert!(close(none.high, 0.3209, 5e-4), "{none:?}");
}

#[test]
fn k7_adjusted_wald_needs_attempts_and_no_more_successes_than_attempts() {
    assert_eq!(adjusted_wald(0, 0), None);
    assert_eq!(adjusted_wald(3, 2), None);
}

// ---------------------------------------------------------------------------------------------
// K7 time on task: geometric mean with a t interval on logarithms
// ---------------------------------------------------------------------------------------------

/// Sauro, "Graph and Calculator for Confidence Intervals for Task Times" (2006,
/// measuringu.com/time_intervals.php): times 55, 65, 75, 62, 45, 135 s → geometric mean 68 s,
/// 95% interval (46, 101).
#[test]
fn k7_geometric_mean_time_of_sauros_six_times_is_68_s_from_46_to_101() {
    let m = geometric_mean_time(&[55.0, 65.0, 75.0, 62.0, 45.0, 135.0]).expect("times");
    assert_eq!(m.n, 6);
    assert_eq!(m.estimate.round(), 68.0);
    let (lo, hi) = m.interval.expect("n >= 2");
    assert_eq!((lo.round(), hi.round()), (46.0, 101.0));
    // Not symmetric: the log scale stretches the top (Sauro: 68 + 33, 68 − 22).
    assert!(hi - m.estimate > m.estimate - lo);
}

#[test]
fn k7_geometric_mean_of_one_time_has_no_interval_and_bad_times_none() {
    let m = geometric_mean_time(&[42.0]).expect("one time");
    assert!(close(m.estimate, 42.0, 1e-9));
    assert_eq!(m.interval, None);
    assert_eq!(geometric_mean_time(&[]), None);
    assert_eq!(geometric_mean_time(&[10.0, 0.0]), None);
    assert_eq!(geometric_mean_time(&[10.0, f64::NAN]), None);
}

/// Student t 0.975 quantiles against the NIST/SEMATECH e-Handbook of Statistical Methods,
/// table 1.3.6.7.2 (critical values of the t distribution, column 0.975), to its 3 decimals;
/// above 30 degrees of freedom the Cornish–Fisher expansion takes over.
#[test]
fn k7_t_quantiles_match_the_nist_table() {
    for (df, want) in [
        (1, 12.706),
        (2, 4.303),
        (3, 3.182),
        (4, 2.776),
        (5, 2.571),
        (9, 2.262),
        (10, 2.228),
        (15, 2.131),
        (20, 2.086),
        (25, 2.060),
        (29, 2.045),
        (30, 2.042),
        (31, 2.040),
        (40, 2.021),
        (50, 2.009),
        (60, 2.000),
        (80, 1.990),
        (100, 1.984),
    ] {
        assert!(
            close(t975(df), want, 5e-4),
            "df {df}: {} vs {want}",
            t975(df)
        );
    }
    assert!(close(t975(1_000_000), Z95, 1e-5));
    assert_eq!(t975(0), f64::INFINITY);
}

// ---------------------------------------------------------------------------------------------
// K5 SUS
// ---------------------------------------------------------------------------------------------

/// Brooke (1996), "SUS: a 'quick and dirty' usability scale": odd items contribute the answer
/// minus 1, even items 5 minus the answer, the sum times 2.5 (0–100). The mixed answers are
/// scored by hand: (3+3+2+3+2) + (3+4+3+3+2) = 28 → 70.
#[test]
fn k5_sus_scores_per_brooke() {
    assert_eq!(sus_score(&[3; 10]), Some(50.0));
    assert_eq!(sus_score(&[5, 1, 5, 1, 5, 1, 5, 1, 5, 1]), Some(100.0));
    assert_eq!(sus_score(&[1, 5, 1, 5, 1, 5, 1, 5, 1, 5]), Some(0.0));
    assert_eq!(sus_score(&[4, 2, 4, 1, 3, 2, 4, 2, 3, 3]), Some(70.0));
    assert_eq!(sus_score(&[0, 2, 4, 1, 3, 2, 4, 2, 3, 3]), None);
    assert_eq!(sus_score(&[4, 2, 4, 1, 3, 2, 4, 2, 3, 6]), None);
}

/// Mean SUS with a t interval (4 df, t = 2.776445), by hand: 70, 72.5, 85, 60, 90 → 75.5,
/// 60.55 to 90.45; three near-perfect scores clamp the top at 100.
#[test]
fn k7_mean_sus_has_a_t_interval_clamped_to_0_100() {
    let m = mean_sus(&[70.0, 72.5, 85.0, 60.0, 90.0]).expect("scores");
    assert!(close(m.estimate, 75.5, 1e-9));
    let (lo, hi) = m.interval.expect("n >= 2");
    assert!(
        close(lo, 60.548, 1e-3) && close(hi, 90.452, 1e-3),
        "{lo} {hi}"
    );
    let top = mean_sus(&[100.0, 100.0, 97.5]).expect("scores");
    let (lo, hi) = top.interval.expect("n >= 2");
    assert!(close(lo, 95.581, 1e-3), "{lo}");
    assert_eq!(hi, 100.0);
    assert_eq!(mean_sus(&[]), None);
    assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
}

// ---------------------------------------------------------------------------------------------
// K7 lostness
// ---------------------------------------------------------------------------------------------

/// Smith (1996), "Exploring the navigation of hypertext" (Int. J. Human-Computer Studies):
/// L = √((N/S − 1)² + (R/N − 1)²), 0 for a perfect path. By hand: 8 distinct screens in 10
/// visits for a task needing 4 → √(0.04 + 0.25) = 0.5385.
#[test]
fn k7_lostness_per_smith() {
    assert_eq!(lostness(4, 4, 4), Some(0.0));
    assert!(close(lostness(8, 10, 4).expect("visits"), 0.538_516, 1e-6));
    assert_eq!(lostness(0, 0, 3), None, "no screen visited");
    assert_eq!(lostness(5, 4, 3), None, "more distinct screens than visits");
    assert_eq!(lostness(2, 4, 0), None);
}

// ---------------------------------------------------------------------------------------------
// K4 outcome
// ---------------------------------------------------------------------------------------------

fn finished(holds: bool, refused: u32, changes: u32) -> Attempt {
    Attempt {
        ending: Ending::Finished,
        holds_at_finish: holds,
        refused_before_success: refused,
        changes_before_success: changes,
    }
}

#[test]
fn k4_outcomes_of_an_attempt() {
    assert_eq!(outcome(&finished(true, 0, 1), 1), Outcome::DirectSuccess);
    assert_eq!(outcome(&finished(true, 0, 0), 1), Outcome::DirectSuccess);
    assert_eq!(
        outcome(&finished(true, 1, 1), 1),
        Outcome::IndirectSuccess,
        "a refused call first"
    );
    assert_eq!(
        outcome(&finished(true, 0, 3), 1),
        Outcome::IndirectSuccess,
        "more changes than the fewest"
    );
    assert_eq!(outcome(&finished(false, 0, 1), 1), Outcome::Failure);
    let mut gave_up = finished(true, 0, 1);
    gave_up.ending = Ending::GaveUp;
    assert_eq!(outcome(&gave_up, 1), Outcome::GaveUp);
    let mut late = finished(true, 0, 1);
    late.ending = Ending::TimedOut;
    assert_eq!(outcome(&late, 1), Outcome::TimedOut);
    assert!(Outcome::DirectSuccess.is_success() && Outcome::IndirectSuccess.is_success());
    assert!(
        !Outcome::Failure.is_success()
            && !Outcome::GaveUp.is_success()
            && !Outcome::TimedOut.is_success()
    );
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn k7_completion_interval_holds_the_rate_within_0_1_and_narrows_as_n_grows(
        n in 1u32..300,
        x_frac in 0.0f64..=1.0,
    ) {
        let x = ((f64::from(n) * x_frac).round() as u32).min(n);
        let i = adjusted_wald(x, n).expect("attempts");
        prop_assert!(0.0 <= i.low && i.low <= i.estimate && i.estimate <= i.high && i.high <= 1.0, "{:?}", i);
        let bigger = adjusted_wald(2 * x, 2 * n).expect("attempts");
        prop_assert!(bigger.high - bigger.low <= i.high - i.low + 1e-12, "{:?} {:?}", i, bigger);
        prop_assert!(i.high - i.low > 0.0);
    }

    #[test]
    fn k7_time_interval_holds_the_geometric_mean_and_narrows_as_n_grows(
        times in proptest::collection::vec(1.0f64..3600.0, 2..40),
    ) {
        let m = geometric_mean_time(&times).expect("times");
        let (lo, hi) = m.interval.expect("n >= 2");
        prop_assert!(lo <= m.estimate && m.estimate <= hi);
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        prop_assert!(min - 1e-9 <= m.estimate && m.estimate <= max + 1e-9);
        prop_assert!(m.estimate <= mean(&times).expect("times") + 1e-9, "AM-GM");
        // The same times observed twice: the same mean, a narrower interval.
        let twice: Vec<f64> = times.iter().chain(times.iter()).copied().collect();
        let m2 = geometric_mean_time(&twice).expect("times");
        let (lo2, hi2) = m2.interval.expect("n >= 2");
        prop_assert!((m2.estimate - m.estimate).abs() <= 1e-9 * m.estimate);
        prop_assert!(hi2 - lo2 <= hi - lo + 1e-9);
    }

    #[test]
    fn k5_k7_sus_scores_and_their_mean_stay_within_0_100(
        answers in proptest::collection::vec(proptest::array::uniform10(1u8..=5), 1..30),
    ) {
        let scores: Vec<f64> = answers.iter().map(|a| sus_score(a).expect("in range")).collect();
        for s in &scores {
            prop_assert!((0.0..=100.0).contains(s) && (s / 2.5).fract() == 0.0);
        }
        let m = mean_sus(&scores).expect("scores");
        prop_assert!((0.0..=100.0).contains(&m.estimate));
        if let Some((lo, hi)) = m.interval {
            prop_assert!(0.0 <= lo && lo <= m.estimate + 1e-9 && m.estimate <= hi + 1e-9 && hi <= 100.0);
        } else {
            prop_assert_eq!(scores.len(), 1);
        }
    }

    #[test]
    fn k7_lostness_is_never_negative_and_zero_only_on_the_shortest_path(
        visits in 1u32..200, distinct_frac in 0.0f64..=1.0, fewest in 1u32..50,
    ) {
        let distinct = ((f64::from(visits) * distinct_frac).ceil() as u32).clamp(1, visits);
        let l = lostness(distinct, visits, fewest).expect("valid counts");
        prop_assert!(l >= 0.0);
        prop_assert_eq!(l == 0.0, distinct == visits && distinct == fewest);
    }

    #[test]
    fn k7_t_quantiles_fall_towards_z_as_df_grows(df in 1u32..500) {
        prop_assert!(t975(df + 1) < t975(df));
        prop_assert!(t975(df) > Z95);
    }
}
