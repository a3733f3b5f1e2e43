//! The results' charts, drawn as inline SVG by the client (SPEC K7; STYLE.md "Charts are SVG
//! drawn by Leptos components, each with a table as its text alternative"): the completion
//! rate of each task as a bar with its 95% interval as a whisker, and each attempt's time on
//! task on a logarithmic axis, successes and the rest told apart by shape and a legend, never
//! by colour alone. Each chart is one image (`role="img"`) named by its heading and described
//! by a sentence that points to its table. The geometry is `geometry`'s.

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

/// The x axis under a chart at `y`: a line, and a tick and label at each `(x, label)`.
fn axis(y: f64, ticks: Vec<(f64, &'static str)>, grid_top: f64) -> impl IntoView {
    let line_y = at(y);
    view! {
        <g class="app-chart__axis" aria-hidden="true">
            {ticks
                .into_iter()
                .map(|(x, label)| {
                    view! {
                        <line class="app-chart__grid" x1=at(x) x2=at(x) y1=at(grid_top) y2=at(y) />
                        <line class="app-chart__tick" x1=at(x) x2=at(x) y1=at(y) y2=at(y + 5.0) />
                        <text x=at(x) y=at(y + 18.0) text-anchor="middle">{label}</text>
                    }
                })
                .collect_view()}
            <line class="app-chart__axis-line" x1=at(PLOT_LEFT) x2=at(PLOT_RIGHT) y1=line_y.clone() y2=line_y />
        </g>
    }
}

/// The completion rate of each task with its interval, 0–100%.
#[component]
pub fn CompletionChart(
    bars: Signal<Vec<RateBar>>,
    /// The id of the heading that names the chart.
    heading_id: &'static str,
    /// The id of the sentence that describes it (and names its table).
    description_id: &'static str,
) -> impl IntoView {
    let scale = rate_scale();
    move || {
        let bars = bars.get();
        #[allow(clippy::cast_precision_loss)]
        let axis_y = TOP + bars.len() as f64 * ROW + 4.0;
        let height = axis_y + 26.0;
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(i, bar)| {
                #[allow(clippy::cast_precision_loss)]
                let y = TOP + i as f64 * ROW;
                let geometry = completion_bar(&scale, bar.rate);
                let label = match bar.rate {
                    Some((rate, _, _)) => format!("{}: {}", bar.title, percent(rate)),
                    None => format!("{}: no attempts", bar.title),
                };
                let shape = geometry.map(|b| {
                    let mid = at(y + 25.0);
                    view! {
                        <rect
                            class="app-chart__bar"
                            data-testid="chart-bar"
                            data-task=bar.task_id.clone()
                            x=at(b.x)
                            y=at(y + 18.0)
                            width=at(b.width)
                            height="14"
                        />
                        <g class="app-chart__whisker" data-testid="chart-whisker">
                            <line x1=at(b.whisker_low) x2=at(b.whisker_high) y1=mid.clone() y2=mid />
                            <line x1=at(b.whisker_low) x2=at(b.whisker_low) y1=at(y + 19.0) y2=at(y + 31.0) />
                            <line x1=at(b.whisker_high) x2=at(b.whisker_high) y1=at(y + 19.0) y2=at(y + 31.0) />
                        </g>
                    }
                });
                view! {
                    <g>
                        <text x=at(PLOT_LEFT) y=at(y + 13.0)>{label}</text>
                        {shape}
                    </g>
                }
            })
            .collect_view();
        let ticks = RATE_TICKS
            .iter()
            .map(|(p, label)| (scale.map(*p), *label))
            .collect();
        view! {
            <svg
                class="app-chart"
                data-testid="chart-completion"
                role="img"
                aria-labelledby=heading_id
                aria-describedby=description_id
                viewBox=format!("0 0 {} {}", at(WIDTH), at(height))
                width="100%"
                focusable="false"
            >
                {axis(axis_y, ticks, TOP)}
                {rows}
            </svg>
        }
    }
}

/// Each attempt's time on task, by task, on a logarithmic axis.
#[component]
pub fn TimeChart(
    /// The titles of the tasks, one band each, in order.
    titles: Signal<Vec<String>>,
    attempts: Signal<Vec<TimedAttempt>>,
    heading_id: &'static str,
    description_id: &'static str,
) -> impl IntoView {
    move || {
        let titles = titles.get();
        let attempts = attempts.get();
        let times: Vec<f64> = attempts.iter().map(|a| a.time_s).collect();
        let scale = LogScale::for_times(&times, PLOT_LEFT, PLOT_RIGHT);
        let top = 40.0;
        #[allow(clippy::cast_precision_loss)]
        let axis_y = top + titles.len() as f64 * BAND + 2.0;
        let height = axis_y + 26.0;
        let plotted: Vec<(usize, f64, bool)> = attempts
            .iter()
            .map(|a| (a.row, a.time_s, a.success))
            .collect();
        let marks = dots(&plotted, &scale, top)
            .into_iter()
            .zip(&attempts)
            .map(|(d, a)| {
                let time = seconds_words(a.time_s);
                if d.success {
                    view! {
                        <circle class="app-chart__dot app-chart__dot--success" data-testid="chart-dot" data-success="true" data-time=time cx=at(d.cx) cy=at(d.cy) r="5" />
                    }
                    .into_any()
                } else {
                    view! {
                        <rect class="app-chart__dot app-chart__dot--other" data-testid="chart-dot" data-success="false" data-time=time x=at(d.cx - 4.5) y=at(d.cy - 4.5) width="9" height="9" />
                    }
                    .into_any()
                }
            })
            .collect_view();
        let bands = titles
            .into_iter()
            .enumerate()
            .map(|(i, title)| {
                #[allow(clippy::cast_precision_loss)]
                let y = top + i as f64 * BAND;
                view! {
                    <text x=at(PLOT_LEFT) y=at(y + 14.0)>{title}</text>
                    <line class="app-chart__band" x1=at(PLOT_LEFT) x2=at(PLOT_RIGHT) y1=at(y + 30.0) y2=at(y + 30.0) />
                }
            })
            .collect_view();
        let ticks = scale
            .ticks()
            .into_iter()
            .map(|(t, label)| (scale.map(t), label))
            .collect();
        view! {
            <svg
                class="app-chart"
                data-testid="chart-time"
                role="img"
                aria-labelledby=heading_id
                aria-describedby=description_id
                viewBox=format!("0 0 {} {}", at(WIDTH), at(height))
                width="100%"
                focusable="false"
            >
                <g class="app-chart__legend" data-testid="chart-legend">
                    <circle class="app-chart__dot app-chart__dot--success" cx=at(PLOT_LEFT + 5.0) cy="10" r="5" />
                    <text x=at(PLOT_LEFT + 16.0) y="14">"Success (direct or indirect)"</text>
                    <rect class="app-chart__dot app-chart__dot--other" x=at(PLOT_LEFT + 0.5) y="23.5" width="9" height="9" />
                    <text x=at(PLOT_LEFT + 16.0) y="32">"Failure, gave up or timed out"</text>
                </g>
                {axis(axis_y, ticks, top)}
                {bands}
                {marks}
            </svg>
        }
    }
}
