//! Results and exports of a study (SPEC K7, API.md "Research studies"), the facilitator's:
//! per task the outcomes, completion rate with its adjusted-Wald interval, geometric mean time
//! with its t interval on logarithms, errors per attempt, lostness and mean SEQ; the mean SUS
//! with its interval; as JSON, as CSV (a row per participant and attempt) or as one JSON file
//! with every log; and a participant's log as JSON lines. The statistics are the domain's
//! (`domain::research`); this only gathers the attempts.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use domain::csv::csv_row;
use domain::research::stats::{mean_sus, sus_score};
use domain::research::task_results;
use domain::research::wire::{
    ParticipantResult, RateView, ResultsView, SusView, TaskResultView, TimeView,
};
use domain::wire;

use super::research::Facilitator;
use super::{ApiRouter, AppStateRef};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::research::progress::{outcome_name, AttemptRow};
use crate::research::study::LoadedStudy;
use crate::research::Participant;
use crate::state::AppState;

pub fn router() -> ApiRouter {
    OpenApiRouter::new()
        .routes(routes!(results_get))
        .routes(routes!(participant_log))
}

/// The CSV's columns (API.md).
pub const RESULTS_CSV_HEADER: [&str; 11] = [
    "participant",
    "task_id",
    "outcome",
    "time_s",
    "changes",
    "refused_calls",
    "problems_shown",
    "screens_distinct",
    "screens_visited",
    "lostness",
    "seq",
];

/// Every participant's attempts, by participant.
fn attempts(state: &AppState) -> Vec<(std::sync::Arc<Participant>, Vec<AttemptRow>)> {
    state
        .research
        .participants()
        .into_iter()
        .map(|p| {
            let rows = p.progress().attempts.clone();
            (p, rows)
        })
        .collect()
}

/// K7 over every participant's attempts.
pub fn results(study: &LoadedStudy, state: &AppState) -> ResultsView {
    let all = attempts(state);
    let tasks = study
        .study
        .tasks
        .iter()
        .map(|t| {
            let records: Vec<_> = all
                .iter()
                .flat_map(|(_, rows)| rows.iter().filter(|a| a.task_id == t.id))
                .map(AttemptRow::record)
                .collect();
            let r = task_results(&records, t.fewest_screens);
            TaskResultView {
                task_id: t.id.clone(),
                attempts: r.attempts,
                direct: r.direct,
                indirect: r.indirect,
                failed: r.failed,
                gave_up: r.gave_up,
                timed_out: r.timed_out,
                completion: r.completion.map(|c| RateView {
                    rate: c.estimate,
                    low: c.low,
                    high: c.high,
                }),
                time_s: r.time_s.map(|m| TimeView {
                    geo_mean: m.estimate,
                    low: m.interval.map(|i| i.0),
                    high: m.interval.map(|i| i.1),
                }),
                errors_per_attempt: r.errors_per_attempt,
                lostness: r.lostness,
                seq_mean: r.seq_mean,
            }
        })
        .collect();
    let participants: Vec<ParticipantResult> = all
        .iter()
        .map(|(p, _)| {
            let progress = p.progress();
            let sus = progress
                .sus
                .as_ref()
                .and_then(|a| <[u8; 10]>::try_from(a.as_slice()).ok())
                .and_then(|a| sus_score(&a));
            ParticipantResult {
                id: p.id.clone(),
                label: progress.label.clone(),
                sus,
            }
        })
        .collect();
    let scores: Vec<f64> = participants.iter().filter_map(|p| p.sus).collect();
    ResultsView {
        tasks,
        sus: mean_sus(&scores).map(|m| SusView {
            mean: m.estimate,
            low: m.interval.map(|i| i.0),
            high: m.interval.map(|i| i.1),
            n: m.n,
        }),
        participants,
    }
}

/// A number for the CSV: plain, up to three decimals.
fn number(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The CSV of API.md: a row per participant and task attempted.
pub fn results_csv(study: &LoadedStudy, state: &AppState) -> String {
    let mut out = String::new();
    csv_row(&mut out, &RESULTS_CSV_HEADER);
    for (p, rows) in attempts(state) {
        for a in rows {
            let fewest = study
                .study
                .tasks
                .iter()
                .find(|t| t.id == a.task_id)
                .map_or(0, |t| t.fewest_screens);
            let cells = [
                p.id.clone(),
                a.task_id.clone(),
                outcome_name(a.outcome).to_owned(),
                number(a.time_s),
                a.changes.to_string(),
                a.refused_calls.to_string(),
                a.problems_shown.to_string(),
                a.screens_distinct.to_string(),
                a.screens_visited.to_string(),
                a.record().lostness(fewest).map(number).unwrap_or_default(),
                a.seq.map(|s| s.to_string()).unwrap_or_default(),
            ];
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            csv_row(&mut out, &cells);
        }
    }
    out
}

fn download(content_type: &str, name: &str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/research/results",
    tag = "research",
    params(
        ("format" = Option<String>, Query, description = "`csv`: a row per participant and task attempted; `json`: the results and every participant's log in one file."),
    ),
    responses(
        (status = 200, body = ResultsView, description = "JSON; `text/csv` with `format=csv`; a download with `format=json`."),
        (status = 400, body = wire::ErrorBody),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody, description = "No study is loaded."),
    ),
)]
pub async fn results_get(
    state: AppStateRef,
    _: Facilitator,
    query: ApiQuery,
) -> ApiResult<Response> {
    let study = state.research.study().ok_or_else(ApiError::not_found)?;
    let state = state.0;
    let format = query.get("format").map(str::to_owned);
    tokio::task::spawn_blocking(move || match format.as_deref() {
        None => Ok(Json(results(&study, &state)).into_response()),
        Some("csv") => Ok(download(
            "text/csv; charset=utf-8",
            "results.csv",
            results_csv(&study, &state),
        )),
        Some("json") => {
            let logs: serde_json::Map<String, Value> = state
                .research
                .participants()
                .iter()
                .map(|p| {
                    let lines = p
                        .read_log()
                        .iter()
                        .filter_map(|l| serde_json::from_str(l).ok())
                        .collect();
                    (p.id.clone(), Value::Array(lines))
                })
                .collect();
            let body = serde_json::json!({
                "study": study.study.name,
                "results": results(&study, &state),
                "logs": logs,
            });
            Ok(download(
                "application/json",
                "results.json",
                body.to_string(),
            ))
        }
        Some(_) => Err(ApiError::invalid("format", "format must be csv or json.")),
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
}

#[utoipa::path(
    get,
    path = "/research/participants/{id}/log",
    tag = "research",
    params(("id" = String, Path)),
    responses(
        (status = 200, content_type = "application/x-ndjson", body = String, description = "The log as JSON lines: `{\"at\",\"kind\",\"task_id\",…}`."),
        (status = 403, body = wire::ErrorBody),
        (status = 404, body = wire::ErrorBody),
    ),
)]
pub async fn participant_log(
    state: AppStateRef,
    _: Facilitator,
    ApiPath(id): ApiPath,
) -> ApiResult<Response> {
    let p = state
        .research
        .participant(&id)
        .ok_or_else(ApiError::not_found)?;
    let lines = tokio::task::spawn_blocking(move || p.read_log())
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let mut body = lines.join("\n");
    if !body.is_empty() {
        body.push('\n');
    }
    Ok((
        [(CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        body,
    )
        .into_response())
}
