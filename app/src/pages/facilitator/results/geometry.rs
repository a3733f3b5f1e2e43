//! The pure geometry of the results' charts (SPEC K7, STYLE.md "Charts are SVG drawn by
//! Leptos components"): a linear scale for rates, a logarithmic scale for times with its
//! ticks, and where each bar, whisker and dot goes. No Leptos here, so native tests cover it.

/// The charts' width in SVG user units; the SVG scales to its container.
pub const WIDTH: f64 = 400.0;
/// Where the plotting area starts and ends across, leaving room for the axis labels.
pub const PLOT_LEFT: f64 = 16.0;
pub const PLOT_RIGHT: f64 = WIDTH - 24.0;

/// A linear map from `[d0, d1]` to `[r0, r1]`, clamped to the range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn map(&self, v: f64) -> f64 {
        let v = if v.is_finite() { v } else { self.d0 };
        let t = ((v - self.d0) / (self.d1 - self.d0)).clamp(0.0, 1.0);
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// The 0–100% axis of the completion chart.
pub fn rate_scale() -> Linear {
    Linear {
        d0: 0.0,
        d1: 1.0,
        r0: PLOT_LEFT,
        r1: PLOT_RIGHT,
    }
}

/// The completion chart's ticks: 0%, 25%, 50%, 75%, 100%.
pub const RATE_TICKS: [(f64, &str); 5] = [
    (0.0, "0%"),
    (0.25, "25%"),
    (0.5, "50%"),
    (0.75, "75%"),
    (1.0, "100%"),
];

/// One task's bar: from the axis's start to the rate, and the whisker of its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub width: f64,
    pub whisker_low: f64,
    pub whisker_high: f64,
}

/// The bar of a completion rate with its interval (proportions 0–1), on `scale`; `None`
/// without attempts (no rate). Bounds out of order or out of 0–1 are put right.
pub fn completion_bar(scale: &Linear, rate: Option<(f64, f64, f64)>) -> Option<Bar> {
    let (rate, low, high) = rate?;
    let end = scale.map(rate);
    let (a, b) = (scale.map(low), scale.map(high));
    Some(Bar {
        x: scale.r0,
        width: (end - scale.r0).max(0.0),
        whisker_low: a.min(b),
        whisker_high: a.max(b),
    })
}

/// The log axis's possible ticks, in seconds, with their labels.
pub const TIME_TICKS: [(f64, &str); 12] = [
    (0.1, "0.1 s"),
    (0.3, "0.3 s"),
    (1.0, "1 s"),
    (3.0, "3 s"),
    (10.0, "10 s"),
    (30.0, "30 s"),
    (60.0, "1 min"),
    (180.0, "3 min"),
    (600.0, "10 min"),
    (1800.0, "30 min"),
    (3600.0, "1 h"),
    (10800.0, "3 h"),
];

/// The shortest and longest times the axis can show; times beyond are drawn at its ends.
const SHORTEST: f64 = 0.1;
const LONGEST: f64 = 10800.0;

/// A logarithmic map of times (seconds) onto `[r0, r1]`, whose ends are ticks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogScale {
    pub lo: f64,
    pub hi: f64,
    pub r0: f64,
    pub r1: f64,
}

impl LogScale {
    /// The scale for these times: from the largest tick at or below the shortest to the
    /// smallest tick at or above the longest, at least two ticks apart; 10 s to 10 min when
    /// there is no time.
    pub fn for_times(times: &[f64], r0: f64, r1: f64) -> Self {
        let clean = times
            .iter()
            .filter(|t| !t.is_nan())
            .map(|t| t.clamp(SHORTEST, LONGEST));
        let (min, max) = clean.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
            (a.min(t), b.max(t))
        });
        if min > max {
            return Self {
                lo: 10.0,
                hi: 600.0,
                r0,
                r1,
            };
        }
        let below = TIME_TICKS.iter().rposition(|(t, _)| *t <= min).unwrap_or(0);
        let above = TIME_TICKS
            .iter()
            .position(|(t, _)| *t >= max)
            .unwrap_or(TIME_TICKS.len() - 1);
        let (below, above) = if above > below {
            (below, above)
        } else if above + 1 < TIME_TICKS.len() {
            (below, above + 1)
        } else {
            (below - 1, above)
        };
        Self {
            lo: TIME_TICKS[below].0,
            hi: TIME_TICKS[above].0,
            r0,
            r1,
        }
    }

    /// Where a time goes across; times beyond the axis are drawn at its ends.
    pub fn map(&self, t: f64) -> f64 {
        let t = if t.is_nan() {
            self.lo
        } else {
            t.clamp(self.lo, self.hi)
        };
        let at = (t.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln());
        self.r0 + at * (self.r1 - self.r0)
    }

    /// The ticks on the axis, in order: every possible tick from its start to its end.
    pub fn ticks(&self) -> Vec<(f64, &'static str)> {
        TIME_TICKS
            .iter()
            .copied()
            .filter(|(t, _)| *t >= self.lo && *t <= self.hi)
            .collect()
    }
}

/// One attempt as the time chart draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub cx: f64,
    pub cy: f64,
    pub success: bool,
}

/// The height of a task's band in the time chart, and the offsets of the attempts in it (so
/// that equal times do not hide each other).
pub const BAND: f64 = 44.0;
const SPREAD: [f64; 3] = [0.0, -6.0, 6.0];

/// The dots of attempts given as (task's row from 0, time in seconds, success), each in its
/// task's band starting at `top`, the n-th attempt of a task offset up or down in turn.
pub fn dots(attempts: &[(usize, f64, bool)], scale: &LogScale, top: f64) -> Vec<Dot> {
    let mut seen: Vec<usize> = Vec::new();
    attempts
        .iter()
        .map(|&(row, time, success)| {
            if seen.len() <= row {
                seen.resize(row + 1, 0);
            }
            let nth = seen[row];
            seen[row] += 1;
            #[allow(clippy::cast_precision_loss)]
            let band_top = top + row as f64 * BAND;
            Dot {
                cx: scale.map(time),
                cy: band_top + 30.0 + SPREAD[nth % SPREAD.len()],
                success,
            }
        })
        .collect()
}

/// A coordinate as SVG text, to one decimal, without Rust's float printing.
pub fn at(x: f64) -> String {
    super::words::fixed(x, 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_of_zero_is_a_bar_of_no_width_and_a_full_rate_reaches_the_axis_end() {
        let s = rate_scale();
        let none = completion_bar(&s, Some((0.0, 0.0, 0.4))).unwrap();
        assert!(none.width.abs() < 1e-9);
        let all = completion_bar(&s, Some((1.0, 0.6, 1.0))).unwrap();
        assert!((all.x + all.width - PLOT_RIGHT).abs() < 1e-9);
    }

    #[test]
    fn the_interval_whisker_stays_inside_the_axis_and_around_the_rate() {
        let s = rate_scale();
        let b = completion_bar(&s, Some((2.0 / 3.0, 0.202_465, 0.943_695))).unwrap();
        assert!(b.whisker_low >= PLOT_LEFT && b.whisker_high <= PLOT_RIGHT);
        assert!(b.whisker_low <= b.x + b.width && b.x + b.width <= b.whisker_high);
        // Bounds past the axis or out of order are drawn within it, low before high.
        let odd = completion_bar(&s, Some((0.5, 1.2, -0.1))).unwrap();
        assert!((odd.whisker_low - PLOT_LEFT).abs() < 1e-9);
        assert!((odd.whisker_high - PLOT_RIGHT).abs() < 1e-9);
    }

    #[test]
    fn a_task_without_attempts_has_no_bar() {
        assert_eq!(completion_bar(&rate_scale(), None), None);
    }

    #[test]
    fn the_log_scale_is_monotone_and_spans_its_range() {
        let s = LogScale::for_times(&[12.0, 95.0, 400.0], 0.0, 100.0);
        assert_eq!((s.lo, s.hi), (10.0, 600.0));
        let mut last = f64::NEG_INFINITY;
        for t in [10.0, 11.0, 30.0, 59.9, 60.0, 200.0, 599.0, 600.0] {
            let x = s.map(t);
            assert!(x > last, "{t} s maps to {x}, not right of {last}");
            last = x;
        }
        assert!((s.map(10.0) - 0.0).abs() < 1e-9 && (s.map(600.0) - 100.0).abs() < 1e-9);
        // Equal ratios are equal distances: 10 → 30 as 60 → 180 nearly (log scale).
        let d1 = s.map(30.0) - s.map(10.0);
        let d2 = s.map(180.0) - s.map(60.0);
        assert!((d1 - d2).abs() < 1e-9);
    }

    #[test]
    fn ticks_lie_within_the_range_and_include_its_ends() {
        for times in [
            vec![0.02, 0.3],
            vec![42.0],
            vec![5.0, 5000.0],
            vec![60.0, 60.0],
            vec![20_000.0],
            vec![0.0],
        ] {
            let s = LogScale::for_times(&times, 0.0, 100.0);
            let ticks = s.ticks();
            assert!(ticks.len() >= 2, "{times:?}: {ticks:?}");
            assert_eq!(ticks.first().unwrap().0, s.lo);
            assert_eq!(ticks.last().unwrap().0, s.hi);
            for t in &times {
                let t = t.clamp(0.1, 10800.0);
                assert!(s.lo <= t && t <= s.hi, "{t} outside {s:?}");
            }
        }
    }

    #[test]
    fn no_time_gives_ten_seconds_to_ten_minutes() {
        let s = LogScale::for_times(&[], 0.0, 1.0);
        assert_eq!((s.lo, s.hi), (10.0, 600.0));
        let labels: Vec<_> = s.ticks().into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["10 s", "30 s", "1 min", "3 min", "10 min"]);
    }

    #[test]
    fn dots_sit_in_their_tasks_band_and_equal_times_do_not_overlap() {
        let s = LogScale::for_times(&[20.0, 20.0, 90.0], 0.0, 100.0);
        let d = dots(
            &[(0, 20.0, true), (0, 20.0, false), (1, 90.0, true)],
            &s,
            10.0,
        );
        assert_eq!(d.len(), 3);
        assert!(d[0].cy >= 10.0 && d[0].cy <= 10.0 + BAND);
        assert!(d[2].cy >= 10.0 + BAND && d[2].cy <= 10.0 + 2.0 * BAND);
        assert_ne!(d[0].cy, d[1].cy);
        assert!(d[0].success && !d[1].success);
        assert!(d.iter().all(|d| (0.0..=100.0).contains(&d.cx)));
    }

    #[test]
    fn coordinates_print_to_one_decimal() {
        assert_eq!(at(12.345), "12.3");
        assert_eq!(at(400.0), "400.0");
    }
}
