//! The results' charts, drawn as inline SVG by the client (SPEC K7; STYLE.md "Charts are SVG
//! drawn by Leptos components, each with a table as its text alternative"): the completion
//! rate of each task as a bar with its 95% interval as a whisker, and each attempt's time on
//! task on a logarithmic axis, successes and the rest told apart by shape and a legend, never
//! by colour alone. Each chart is one image (`role="img"`) named by its heading and described
//! by a sentence that points to its table.
//!
//! The component is the `<svg>` element; what is inside is markup written by the pure
//! functions below from `geometry`'s coordinates (every text escaped). A typed Leptos view of
//! each mark cost about as much wasm as the rest of the results together, which the first
//! visit's byte budget (tests/budgets.json) could not carry; the markup is also what the
//! native tests read.

use std::fmt::Write;

use leptos::prelude::*;

use super::geometry::{
    at, completion_bar, dots, rate_scale, LogScale, BAND, PLOT_LEFT, PLOT_RIGHT, RATE_TICKS, WIDTH,
};
use super::words::{percent, seconds_words};

/// A task's row of the completion chart: its title and, with attempts, (rate, low, high).
#[derive(Clone, Debug, PartialEq)]
pub struct RateBar {
    pub task_id: String,
    pub title: String,
    pub rate: Option<(f64, f64, f64)>,
}

/// An attempt in the time chart: its task's row, time and whether it succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedAttempt {
    pub row: usize,
    pub time_s: f64,
    pub success: bool,
}

const ROW: f64 = 40.0;
const TOP: f64 = 8.0;
/// Where the time chart's bands start, under its legend.
const TIME_TOP: f64 = 40.0;

/// Text for SVG markup: `&`, `<`, `>` and quotes escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn line(out: &mut String, class: &str, x1: f64, x2: f64, y1: f64, y2: f64) {
    let _ = write!(
        out,
        r#"<line class="{class}" x1="{}" x2="{}" y1="{}" y2="{}"/>"#,
        at(x1),
        at(x2),
        at(y1),
        at(y2)
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, words: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
        at(x),
        at(y),
        escape(words)
    );
}

/// The x axis at `y`: grid lines up to `grid_top`, a tick and a label at each `(x, label)`.
fn axis(out: &mut String, y: f64, ticks: &[(f64, &str)], grid_top: f64) {
    out.push_str(r#"<g class="app-chart__axis" aria-hidden="true">"#);
    for (x, label) in ticks {
        line(out, "app-chart__grid", *x, *x, grid_top, y);
        line(out, "app-chart__tick", *x, *x, y, y + 5.0);
        text(out, *x, y + 18.0, "middle", label);
    }
    line(out, "app-chart__axis-line", PLOT_LEFT, PLOT_RIGHT, y, y);
    out.push_str("</g>");
}

/// The completion chart's height and inner markup.
pub fn completion_markup(bars: &[RateBar]) -> (f64, String) {
    let scale = rate_scale();
    #[allow(clippy::cast_precision_loss)]
    let axis_y = TOP + bars.len() as f64 * ROW + 4.0;
    let mut out = String::new();
    let ticks: Vec<(f64, &str)> = RATE_TICKS
        .iter()
        .map(|(p, l)| (scale.map(*p), *l))
        .collect();
    axis(&mut out, axis_y, &ticks, TOP);
    for (i, bar) in bars.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = TOP + i as f64 * ROW;
        let label = match bar.rate {
            Some((rate, _, _)) => format!("{}: {}", bar.title, percent(rate)),
            None => format!("{}: no attempts", bar.title),
        };
        text(&mut out, PLOT_LEFT, y + 13.0, "start", &label);
        if let Some(b) = completion_bar(&scale, bar.rate) {
            let _ = write!(
                out,
                r#"<rect class="app-chart__bar" data-testid="chart-bar" data-task="{}" x="{}" y="{}" width="{}" height="14"/>"#,
                escape(&bar.task_id),
                at(b.x),
                at(y + 18.0),
                at(b.width)
            );
            out.push_str(r#"<g class="app-chart__whisker" data-testid="chart-whisker">"#);
            line(
                &mut out,
                "",
                b.whisker_low,
                b.whisker_high,
                y + 25.0,
                y + 25.0,
            );
            line(
                &mut out,
                "",
                b.whisker_low,
                b.whisker_low,
                y + 19.0,
                y + 31.0,
            );
            line(
                &mut out,
                "",
                b.whisker_high,
                b.whisker_high,
                y + 19.0,
                y + 31.0,
            );
            out.push_str("</g>");
        }
    }
    (axis_y + 26.0, out)
}

fn mark(out: &mut String, success: bool, cx: f64, cy: f64, extra: &str) {
    if success {
        let _ = write!(
            out,
            r#"<circle class="app-chart__dot app-chart__dot--success" {extra} cx="{}" cy="{}" r="5"/>"#,
            at(cx),
            at(cy)
        );
    } else {
        let _ = write!(
            out,
            r#"<rect class="app-chart__dot app-chart__dot--other" {extra} x="{}" y="{}" width="9" height="9"/>"#,
            at(cx - 4.5),
            at(cy - 4.5)
        );
    }
}

/// The time chart's height and inner markup: a legend, a band per task, a mark per attempt.
pub fn time_markup(titles: &[String], attempts: &[TimedAttempt]) -> (f64, String) {
    let times: Vec<f64> = attempts.iter().map(|a| a.time_s).collect();
    let scale = LogScale::for_times(&times, PLOT_LEFT, PLOT_RIGHT);
    #[allow(clippy::cast_precision_loss)]
    let axis_y = TIME_TOP + titles.len() as f64 * BAND + 2.0;
    let mut out = String::new();
    out.push_str(r#"<g class="app-chart__legend" data-testid="chart-legend">"#);
    mark(&mut out, true, PLOT_LEFT + 5.0, 10.0, "");
    text(
        &mut out,
        PLOT_LEFT + 16.0,
        14.0,
        "start",
        "Success (direct or indirect)",
    );
    mark(&mut out, false, PLOT_LEFT + 5.0, 28.0, "");
    text(
        &mut out,
        PLOT_LEFT + 16.0,
        32.0,
        "start",
        "Failure, gave up or timed out",
    );
    out.push_str("</g>");
    let ticks: Vec<(f64, &str)> = scale
        .ticks()
        .into_iter()
        .map(|(t, l)| (scale.map(t), l))
        .collect();
    axis(&mut out, axis_y, &ticks, TIME_TOP);
    for (i, title) in titles.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = TIME_TOP + i as f64 * BAND;
        text(&mut out, PLOT_LEFT, y + 14.0, "start", title);
        line(
            &mut out,
            "app-chart__band",
            PLOT_LEFT,
            PLOT_RIGHT,
            y + 30.0,
            y + 30.0,
        );
    }
    let plotted: Vec<(usize, f64, bool)> = attempts
        .iter()
        .map(|a| (a.row, a.time_s, a.success))
        .collect();
    for (d, a) in dots(&plotted, &scale, TIME_TOP).into_iter().zip(attempts) {
        let extra = format!(
            r#"data-testid="chart-dot" data-success="{}" data-time="{}""#,
            d.success,
            escape(&seconds_words(a.time_s))
        );
        mark(&mut out, d.success, d.cx, d.cy, &extra);
    }
    (axis_y + 26.0, out)
}

/// The `<svg>` of a chart: one image, named and described by the page's text.
#[component]
pub fn Chart(
    /// The chart's height and inner markup.
    drawn: Memo<(f64, String)>,
    test_id: &'static str,
    /// The id of the heading that names the chart.
    heading_id: &'static str,
    /// The id of the sentence that describes it (and names its table).
    description_id: &'static str,
) -> impl IntoView {
    view! {
        <svg
            class="app-chart"
            data-testid=test_id
            role="img"
            aria-labelledby=heading_id
            aria-describedby=description_id
            viewBox=move || drawn.with(|(h, _)| format!("0 0 {} {}", at(WIDTH), at(*h)))
            width="100%"
            focusable="false"
            inner_html=move || drawn.with(|(_, markup)| markup.clone())
        ></svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<RateBar> {
        vec![
            RateBar {
                task_id: "a".into(),
                title: "Share <a> & go".into(),
                rate: Some((0.5, 0.094_5, 0.905_5)),
            },
            RateBar {
                task_id: "b".into(),
                title: "Untried".into(),
                rate: None,
            },
        ]
    }

    #[test]
    fn the_completion_chart_has_a_bar_and_whisker_per_task_with_attempts_and_escaped_titles() {
        let (height, svg) = completion_markup(&bars());
        assert_eq!(svg.matches(r#"data-testid="chart-bar""#).count(), 1);
        assert_eq!(svg.matches(r#"data-testid="chart-whisker""#).count(), 1);
        assert!(svg.contains("Share &lt;a&gt; &amp; go: 50%"));
        assert!(svg.contains("Untried: no attempts"));
        for label in ["0%", "25%", "50%", "75%", "100%"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
        assert!(height > 2.0 * ROW);
    }

    #[test]
    fn the_time_chart_has_a_mark_per_attempt_told_apart_by_shape_and_a_legend() {
        let titles = vec!["One".to_string(), "Two".to_string()];
        let attempts = [
            TimedAttempt {
                row: 0,
                time_s: 42.0,
                success: true,
            },
            TimedAttempt {
                row: 0,
                time_s: 95.0,
                success: false,
            },
            TimedAttempt {
                row: 1,
                time_s: 400.0,
                success: false,
            },
        ];
        let (_, svg) = time_markup(&titles, &attempts);
        assert_eq!(svg.matches(r#"data-testid="chart-dot""#).count(), 3);
        assert_eq!(
            svg.matches(r#"<circle"#).count(),
            1 + 1,
            "a success and the legend's"
        );
        assert_eq!(
            svg.matches(r#"<rect"#).count(),
            2 + 1,
            "two others and the legend's"
        );
        assert!(svg.contains("Success (direct or indirect)"));
        for tick in ["30 s", "1 min", "3 min", "10 min"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "{tick}");
        }
    }

    #[test]
    fn a_chart_without_attempts_still_draws_its_axis() {
        let (_, svg) = time_markup(&["One".to_string()], &[]);
        assert_eq!(svg.matches(r#"data-testid="chart-dot""#).count(), 0);
        assert!(svg.contains(">10 s</text>") && svg.contains(">10 min</text>"));
    }
}
