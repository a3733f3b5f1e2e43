//! K7: a task's results over its attempts, as API.md `GET /api/research/results` reports them
//! per task: counts by outcome, the completion rate with its adjusted-Wald interval, the
//! geometric mean time of successful attempts with its t interval on logarithms, errors per
//! attempt, mean lostness and mean SEQ. The server counts (API.md "Counting") and subtracts
//! injected latency from times; this only summarises.

use super::stats::{adjusted_wald, geometric_mean_time, lostness, mean, Interval, Mean, Outcome};

/// One participant's attempt at a task, as the server recorded it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttemptRecord {
    pub outcome: Outcome,
    /// Time on task in seconds, injected latency already subtracted.
    pub time_s: f64,
    /// Refused calls from Start to the finish.
    pub refused_calls: u32,
    /// Validation problems shown from Start to the finish.
    pub problems_shown: u32,
    pub screens_distinct: u32,
    pub screens_visited: u32,
    /// The Single Ease Question's answer (1–7), if given.
    pub seq: Option<u8>,
}

impl AttemptRecord {
    /// K7 errors: refused calls plus validation problems shown.
    pub fn errors(&self) -> u32 {
        self.refused_calls.saturating_add(self.problems_shown)
    }

    /// This attempt's lostness with `fewest_screens` as R; None when it visited no screen.
    pub fn lostness(&self, fewest_screens: u32) -> Option<f64> {
        lostness(self.screens_distinct, self.screens_visited, fewest_screens)
    }
}

/// The results of one task (K7). Every mean is None when there is nothing to average.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskResults {
    pub attempts: u32,
    pub direct: u32,
    pub indirect: u32,
    pub failed: u32,
    pub gave_up: u32,
    pub timed_out: u32,
    /// (direct + indirect) / attempts with its adjusted-Wald interval.
    pub completion: Option<Interval>,
    /// Geometric mean time of the successful attempts, with its interval from two of them.
    pub time_s: Option<Mean>,
    pub errors_per_attempt: Option<f64>,
    /// The mean over attempts that visited a screen.
    pub lostness: Option<f64>,
    pub seq_mean: Option<f64>,
}

/// Summarises the attempts at a task whose fewest screens are `fewest_screens` (R).
pub fn task_results(attempts: &[AttemptRecord], fewest_screens: u32) -> TaskResults {
    let count = |o: Outcome| u32::try_from(attempts.iter().filter(|a| a.outcome == o).count());
    let count = |o| count(o).unwrap_or(u32::MAX);
    let n = u32::try_from(attempts.len()).unwrap_or(u32::MAX);
    let (direct, indirect) = (
        count(Outcome::DirectSuccess),
        count(Outcome::IndirectSuccess),
    );
    let times: Vec<f64> = attempts
        .iter()
        .filter(|a| a.outcome.is_success())
        .map(|a| a.time_s)
        .collect();
    let errors: Vec<f64> = attempts.iter().map(|a| f64::from(a.errors())).collect();
    let lost: Vec<f64> = attempts
        .iter()
        .filter_map(|a| a.lostness(fewest_screens))
        .collect();
    let seq: Vec<f64> = attempts
        .iter()
        .filter_map(|a| a.seq)
        .map(f64::from)
        .collect();
    TaskResults {
        attempts: n,
        direct,
        indirect,
        failed: count(Outcome::Failure),
        gave_up: count(Outcome::GaveUp),
        timed_out: count(Outcome::TimedOut),
        completion: adjusted_wald(direct + indirect, n),
        time_s: geometric_mean_time(&times),
        errors_per_attempt: mean(&errors),
        lostness: mean(&lost),
        seq_mean: mean(&seq),
    }
}
