//! The statistics of K4, K5 and K7: the outcome of an attempt, the completion rate with its
//! adjusted-Wald interval, the geometric mean time with a t interval on logarithms, SUS scores
//! and their mean with a t interval, and lostness. Pure functions of counts and times the
//! caller supplies. Worked examples and their sources: `domain/tests/research_stats.rs` and
//! docs/TESTING.md "Research statistics".

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The 0.975 quantile of the standard normal distribution: the z of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A point estimate with its two-sided 95% interval, `low <= estimate <= high`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// A mean of `n` values with its two-sided 95% t interval, which needs `n >= 2` (None below).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    pub n: usize,
    pub estimate: f64,
    pub interval: Option<(f64, f64)>,
}

/// K4: the outcome of an attempt at a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Outcome {
    DirectSuccess,
    IndirectSuccess,
    Failure,
    GaveUp,
    TimedOut,
}

impl Outcome {
    /// Direct and indirect successes count as completions (K7).
    pub fn is_success(self) -> bool {
        matches!(self, Outcome::DirectSuccess | Outcome::IndirectSuccess)
    }
}

/// How an attempt ended (K3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// "I have finished".
    Finished,
    /// "Give up".
    GaveUp,
    /// The time limit ran out.
    TimedOut,
}

/// What the server counted during an attempt (API.md "Counting"): changes and refused calls
/// from Start until the condition first held (all of them when it never held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub ending: Ending,
    /// The success condition holds at the finish.
    pub holds_at_finish: bool,
    pub refused_before_success: u32,
    pub changes_before_success: u32,
}

/// K4: direct success (holds at finish, no refused call and at most `fewest_changes` changes
/// before it first held), indirect success (holds, not direct), failure (does not hold at
/// finish), gave up, timed out. Giving up and running out of time are outcomes of their own,
/// whatever the state.
pub fn outcome(attempt: &Attempt, fewest_changes: u32) -> Outcome {
    match attempt.ending {
        Ending::GaveUp => Outcome::GaveUp,
        Ending::TimedOut => Outcome::TimedOut,
        Ending::Finished if !attempt.holds_at_finish => Outcome::Failure,
        Ending::Finished
            if attempt.refused_before_success == 0
                && attempt.changes_before_success <= fewest_changes =>
        {
            Outcome::DirectSuccess
        }
        Ending::Finished => Outcome::IndirectSuccess,
    }
}

/// K7: the completion rate `successes / attempts` with its adjusted-Wald (Agresti–Coull) 95%
/// interval: `p' = (x + z²/2) / (n + z²)`, `p' ± z √(p'(1 − p') / (n + z²))`, clamped to
/// [0, 1]. None without attempts or with more successes than attempts.
pub fn adjusted_wald(successes: u32, attempts: u32) -> Option<Interval> {
    if attempts == 0 || successes > attempts {
        return None;
    }
    let (x, n) = (f64::from(successes), f64::from(attempts));
    let z2 = Z95 * Z95;
    let n_adj = n + z2;
    let p_adj = (x + z2 / 2.0) / n_adj;
    let margin = Z95 * (p_adj * (1.0 - p_adj) / n_adj).sqrt();
    Some(Interval {
        estimate: x / n,
        low: (p_adj - margin).max(0.0),
        high: (p_adj + margin).min(1.0),
    })
}

/// The arithmetic mean, None when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// The mean of `values` with its t interval (n − 1 degrees of freedom).
fn t_mean(values: &[f64]) -> Option<Mean> {
    let m = mean(values)?;
    let n = values.len();
    let interval = (n >= 2).then(|| {
        let var = values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1) as f64;
        let df = u32::try_from(n - 1).unwrap_or(u32::MAX);
        let half = t975(df) * (var / n as f64).sqrt();
        (m - half, m + half)
    });
    Some(Mean {
        n,
        estimate: m,
        interval,
    })
}

/// K7: the geometric mean of task times (seconds) with its 95% interval, computed as a t
/// interval on the natural logarithms and transformed back (so it is not symmetric). None when
/// empty or when a time is not a positive finite number.
pub fn geometric_mean_time(times_s: &[f64]) -> Option<Mean> {
    if times_s.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
        return None;
    }
    let logs: Vec<f64> = times_s.iter().map(|t| t.ln()).collect();
    let m = t_mean(&logs)?;
    Some(Mean {
        n: m.n,
        estimate: m.estimate.exp(),
        interval: m.interval.map(|(lo, hi)| (lo.exp(), hi.exp())),
    })
}

/// K5: a SUS score from the ten answers in questionnaire order, each 1–5:
/// 2.5 × (Σ(odd item − 1) + Σ(5 − even item)), 0–100. None when an answer is out of range.
pub fn sus_score(answers: &[u8; 10]) -> Option<f64> {
    if answers.iter().any(|a| !(1..=5).contains(a)) {
        return None;
    }
    let sum: u32 = answers
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let a = u32::from(a);
            // Items 1, 3, 5, 7, 9 are at even indexes.
            if i % 2 == 0 {
                a - 1
            } else {
                5 - a
            }
        })
        .sum();
    Some(2.5 * f64::from(sum))
}

/// K7: the mean SUS score with its t interval, clamped to 0–100. None when empty.
pub fn mean_sus(scores: &[f64]) -> Option<Mean> {
    let m = t_mean(scores)?;
    Some(Mean {
        interval: m
            .interval
            .map(|(lo, hi)| (lo.clamp(0.0, 100.0), hi.clamp(0.0, 100.0))),
        ..m
    })
}

/// K7: lostness √((N/S − 1)² + (R/N − 1)²) with N distinct screens, S screen visits and R the
/// fewest screens the task needs; 0 is a perfect path. None when no screen was visited, when
/// R is 0, or when N exceeds S (impossible counts).
pub fn lostness(distinct: u32, visits: u32, fewest: u32) -> Option<f64> {
    if distinct == 0 || fewest == 0 || distinct > visits {
        return None;
    }
    let (n, s, r) = (f64::from(distinct), f64::from(visits), f64::from(fewest));
    Some(((n / s - 1.0).powi(2) + (r / n - 1.0).powi(2)).sqrt())
}

/// The 0.975 quantiles of Student's t for 1 to 30 degrees of freedom (two-sided 95%), to six
/// decimals; computed by numerical integration of the t density and checked against the
/// published tables (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2).
const T975: [f64; 30] = [
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
    2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
    2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
    2.048407, 2.045230, 2.042272,
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom (the critical value of a
/// two-sided 95% interval): the table up to 30, above it the Cornish–Fisher expansion of
/// Abramowitz & Stegun 26.7.5 around z (error below 3e-8 from 31 on). `df` 0 has no quantile:
/// infinity.
pub fn t975(df: u32) -> f64 {
    match df {
        0 => f64::INFINITY,
        1..=30 => T975[(df - 1) as usize],
        _ => {
            let x = Z95;
            let v = f64::from(df);
            let (x2, x3) = (x * x, x * x * x);
            let (x5, x7, x9) = (x3 * x2, x3 * x2 * x2, x3 * x3 * x3);
            let g1 = (x3 + x) / 4.0;
            let g2 = (5.0 * x5 + 16.0 * x3 + 3.0 * x) / 96.0;
            let g3 = (3.0 * x7 + 19.0 * x5 + 17.0 * x3 - 15.0 * x) / 384.0;
            let g4 = (79.0 * x9 + 776.0 * x7 + 1482.0 * x5 - 1920.0 * x3 - 945.0 * x) / 92160.0;
            x + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v)
        }
    }
}
