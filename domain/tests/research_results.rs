//! K7: a task's results over its attempts, on the three-participant story (one direct
//! success, one success after a refused call, one gives up), computed by hand.

use domain::research::results::{task_results, AttemptRecord};
use domain::research::stats::Outcome;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

fn attempt(
    outcome: Outcome,
    time_s: f64,
    refused: u32,
    problems: u32,
    screens: (u32, u32),
    seq: Option<u8>,
) -> AttemptRecord {
    AttemptRecord {
        outcome,
        time_s,
        refused_calls: refused,
        problems_shown: problems,
        screens_distinct: screens.0,
        screens_visited: screens.1,
        seq,
    }
}

#[test]
fn k7_three_participants_summarised_as_computed_by_hand() {
    let r = task_results(
        &[
            attempt(Outcome::DirectSuccess, 60.0, 0, 0, (3, 3), Some(6)),
            attempt(Outcome::IndirectSuccess, 135.0, 1, 1, (5, 8), Some(3)),
            attempt(Outcome::GaveUp, 200.0, 0, 0, (0, 0), None),
        ],
        3,
    );
    assert_eq!(
        (
            r.attempts,
            r.direct,
            r.indirect,
            r.failed,
            r.gave_up,
            r.timed_out
        ),
        (3, 1, 1, 0, 1, 0)
    );
    // Adjusted Wald of 2/3: p' = (2 + 1.92) / (3 + 3.84) = 0.573, ± 0.3707.
    let c = r.completion.expect("attempts");
    assert!(
        close(c.estimate, 2.0 / 3.0) && close(c.low, 0.2024) && close(c.high, 0.9437),
        "{c:?}"
    );
    // Successful attempts only: √(60 × 135) = 90 s; t(1 df) = 12.706 makes the interval wide.
    let t = r.time_s.expect("two successes");
    assert!(close(t.estimate, 90.0), "{t:?}");
    let (lo, hi) = t.interval.expect("n = 2");
    assert!(close(lo, 0.5209) && (hi - 15548.7).abs() < 0.1, "{lo} {hi}");
    // Errors: (0 + (1 refused + 1 problem) + 0) / 3.
    assert!(close(r.errors_per_attempt.expect("attempts"), 2.0 / 3.0));
    // Lostness over attempts that visited a screen: (0 + √((5/8 − 1)² + (3/5 − 1)²)) / 2.
    assert!(close(r.lostness.expect("screens"), 0.27415));
    assert_eq!(r.seq_mean, Some(4.5));
}

#[test]
fn k7_no_attempts_and_no_successes_leave_the_means_empty() {
    let r = task_results(&[], 2);
    assert_eq!(
        (r.attempts, r.completion, r.time_s, r.errors_per_attempt),
        (0, None, None, None)
    );
    assert_eq!((r.lostness, r.seq_mean), (None, None));
    let r = task_results(
        &[
            attempt(Outcome::Failure, 30.0, 2, 0, (2, 4), Some(2)),
            attempt(Outcome::TimedOut, 300.0, 0, 3, (4, 9), None),
        ],
        2,
    );
    assert_eq!((r.failed, r.timed_out), (1, 1));
    assert_eq!(r.time_s, None, "no successful attempt");
    let c = r.completion.expect("attempts");
    assert_eq!((c.estimate, c.low), (0.0, 0.0));
    assert_eq!(r.errors_per_attempt, Some(2.5));
}
