//! A participant's progress through the study (K3–K5): the current task and its state, the
//! counts of the running attempt (changes and refused calls until the condition first holds,
//! API.md "Counting"), the outcomes recorded, the answers, the sandbox's knobs and the
//! facilitator's notes. Kept as JSON in the `participant` table, written after each change
//! of it.

use serde::{Deserialize, Serialize};

use domain::research::stats::{outcome, Attempt, Ending};
use domain::research::wire::{
    Ask, Note, OutcomeRow, ParticipantRow, TaskBrief, TaskState, TaskView,
};
use domain::research::{AttemptRecord, Outcome};

use super::study::LoadedStudy;
use crate::state::Store;

/// One finished attempt, as `GET /api/research/results` and its CSV count it (API.md
/// "Counting").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub task_id: String,
    pub outcome: Outcome,
    /// Time on task in seconds, injected latency subtracted.
    pub time_s: f64,
    /// Changes from Start until the condition first held (or the finish).
    pub changes: u32,
    /// Refused calls from Start to the finish.
    pub refused_calls: u32,
    pub problems_shown: u32,
    pub screens_distinct: u32,
    pub screens_visited: u32,
    pub seq: Option<u8>,
}

impl AttemptRow {
    /// The domain's record of it (K7).
    pub fn record(&self) -> AttemptRecord {
        AttemptRecord {
            outcome: self.outcome,
            time_s: self.time_s,
            refused_calls: self.refused_calls,
            problems_shown: self.problems_shown,
            screens_distinct: self.screens_distinct,
            screens_visited: self.screens_visited,
            seq: self.seq,
        }
    }
}

/// The stored progress of one participant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Progress {
    pub label: String,
    pub task_index: usize,
    pub state: TaskState,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    /// Changes of the sandbox in the running attempt.
    pub changes: u32,
    /// Refused calls in the running attempt.
    pub refused: u32,
    /// Validation problems the client showed in the running attempt.
    pub problems: u32,
    /// When the condition first held in the running attempt, with the counts then.
    pub success_at: Option<i64>,
    pub changes_at_success: u32,
    pub refused_at_success: u32,
    /// Screens visited in the running attempt, and the distinct ones (route templates).
    #[serde(default)]
    pub screens_visited: u32,
    #[serde(default)]
    pub screens: Vec<String>,
    /// Latency injected into the running attempt's calls, in ms (subtracted from its time).
    #[serde(default)]
    pub injected_ms: u64,
    /// Every finished attempt, in order.
    #[serde(default)]
    pub attempts: Vec<AttemptRow>,
    pub ask: Option<Ask>,
    /// SEQ answers by task id, and the SUS answers.
    pub seq: Vec<(String, u8)>,
    pub sus: Option<Vec<u8>>,
    pub latency_ms: u64,
    pub fail_rate: f64,
    pub notes: Vec<Note>,
}

/// An outcome's name in API.md.
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::DirectSuccess => "direct_success",
        Outcome::IndirectSuccess => "indirect_success",
        Outcome::Failure => "failure",
        Outcome::GaveUp => "gave_up",
        Outcome::TimedOut => "timed_out",
    }
}

impl Progress {
    pub fn new(label: String) -> Self {
        Self {
            label,
            task_index: 0,
            state: TaskState::NotStarted,
            started_at: None,
            ended_at: None,
            changes: 0,
            refused: 0,
            problems: 0,
            success_at: None,
            changes_at_success: 0,
            refused_at_success: 0,
            screens_visited: 0,
            screens: Vec::new(),
            injected_ms: 0,
            attempts: Vec::new(),
            ask: None,
            seq: Vec::new(),
            sus: None,
            latency_ms: 0,
            fail_rate: 0.0,
            notes: Vec::new(),
        }
    }

    /// At task `index`, not started (`index` = the task count: every task done).
    pub fn enter(&mut self, index: usize) {
        self.task_index = index;
        self.state = TaskState::NotStarted;
        self.started_at = None;
        self.ended_at = None;
        self.changes = 0;
        self.refused = 0;
        self.problems = 0;
        self.success_at = None;
        self.changes_at_success = 0;
        self.refused_at_success = 0;
        self.screens_visited = 0;
        self.screens.clear();
        self.injected_ms = 0;
        self.ask = None;
    }

    /// A screen the client showed: counted in the running attempt (K7 lostness).
    pub fn on_screen(&mut self, name: &str) -> bool {
        if self.state != TaskState::Running {
            return false;
        }
        self.screens_visited += 1;
        if !self.screens.iter().any(|s| s == name) {
            self.screens.push(name.to_owned());
        }
        true
    }

    /// A validation problem the client showed, while running.
    pub fn on_problem(&mut self) -> bool {
        if self.state != TaskState::Running {
            return false;
        }
        self.problems += 1;
        true
    }

    /// Latency injected into a call, while running.
    pub fn on_latency(&mut self, ms: u64) -> bool {
        if self.state != TaskState::Running || ms == 0 {
            return false;
        }
        self.injected_ms += ms;
        true
    }

    /// Whether every task is behind the participant.
    pub fn finished_all(&self, study: &LoadedStudy) -> bool {
        self.task_index >= study.task_count()
    }

    /// Start pressed: the attempt runs from now. False if nothing was started.
    pub fn start(&mut self, study: &LoadedStudy, now: i64) -> bool {
        if self.finished_all(study) || self.state != TaskState::NotStarted || self.ask.is_some() {
            return false;
        }
        self.state = TaskState::Running;
        self.started_at = Some(now);
        true
    }

    /// A change of the sandbox: counted while running, and the condition checked (K3).
    /// True if the progress changed.
    pub fn on_change(&mut self, study: &LoadedStudy, after: &Store, now: i64) -> bool {
        if self.state != TaskState::Running {
            return false;
        }
        self.changes += 1;
        if self.success_at.is_none()
            && study.study.tasks[self.task_index]
                .success
                .holds(&after.world)
        {
            self.success_at = Some(now);
            self.changes_at_success = self.changes;
            self.refused_at_success = self.refused;
        }
        true
    }

    /// A refused call (4xx other than 401) while running. True if counted.
    pub fn on_refused(&mut self) -> bool {
        if self.state != TaskState::Running {
            return false;
        }
        self.refused += 1;
        true
    }

    /// Ends the running attempt (K4) and records its outcome; the SEQ is asked next.
    pub fn end(&mut self, study: &LoadedStudy, store: &Store, ending: Ending, now: i64) -> bool {
        if self.state != TaskState::Running {
            return false;
        }
        let task = &study.study.tasks[self.task_index];
        let holds = task.success.holds(&store.world);
        let (changes, refused) = if self.success_at.is_some() {
            (self.changes_at_success, self.refused_at_success)
        } else {
            (self.changes, self.refused)
        };
        let o = outcome(
            &Attempt {
                ending,
                holds_at_finish: holds,
                refused_before_success: refused,
                changes_before_success: changes,
            },
            task.fewest_changes,
        );
        let started = self.started_at.unwrap_or(now);
        let end = match ending {
            Ending::TimedOut => started + i64::from(task.time_limit_s) * 1000,
            _ => now,
        };
        let injected = i64::try_from(self.injected_ms).unwrap_or(i64::MAX);
        // At least a millisecond: a time on task is positive (its logarithm is taken, K7).
        let ms = (end - started - injected).max(1);
        self.attempts.push(AttemptRow {
            task_id: task.id.clone(),
            outcome: o,
            time_s: ms as f64 / 1000.0,
            changes,
            refused_calls: self.refused,
            problems_shown: self.problems,
            screens_distinct: u32::try_from(self.screens.len()).unwrap_or(u32::MAX),
            screens_visited: self.screens_visited,
            seq: None,
        });
        self.state = TaskState::Done;
        self.ended_at = Some(end);
        self.ask = Some(Ask::Seq);
        true
    }

    /// Ends a running attempt whose time limit has passed. True if it did.
    pub fn tick(&mut self, study: &LoadedStudy, store: &Store, now: i64) -> bool {
        let Some(started) = self.started_at else {
            return false;
        };
        if self.state != TaskState::Running || self.finished_all(study) {
            return false;
        }
        let limit = i64::from(study.study.tasks[self.task_index].time_limit_s) * 1000;
        now - started >= limit && self.end(study, store, Ending::TimedOut, now)
    }

    /// Seconds on the current attempt.
    pub fn elapsed_s(&self, now: i64) -> f64 {
        match (self.started_at, self.ended_at) {
            (Some(s), Some(e)) => (e - s).max(0) as f64 / 1000.0,
            (Some(s), None) => (now - s).max(0) as f64 / 1000.0,
            _ => 0.0,
        }
    }

    /// The row of `GET /api/research/participants`.
    pub fn row(
        &self,
        id: &str,
        code: &str,
        link: String,
        study: &LoadedStudy,
        now: i64,
    ) -> ParticipantRow {
        ParticipantRow {
            id: id.to_owned(),
            label: self.label.clone(),
            code: code.to_owned(),
            link,
            task_id: study.study.tasks.get(self.task_index).map(|t| t.id.clone()),
            task_index: self.task_index,
            task_state: if self.finished_all(study) {
                TaskState::Done
            } else {
                self.state
            },
            elapsed_s: self.elapsed_s(now),
            errors: self.refused + self.problems,
            outcomes: self
                .attempts
                .iter()
                .map(|a| OutcomeRow {
                    task_id: a.task_id.clone(),
                    outcome: outcome_name(a.outcome).into(),
                    time_s: a.time_s,
                })
                .collect(),
            latency_ms: self.latency_ms,
            fail_rate: self.fail_rate,
            notes: self.notes.clone(),
        }
    }

    /// `GET /api/task`.
    pub fn task_view(&self, study: &LoadedStudy, now: i64) -> TaskView {
        let task = study.study.tasks.get(self.task_index);
        TaskView {
            task: task.map(|t| TaskBrief {
                id: t.id.clone(),
                title: t.title.clone(),
                instruction: t.instruction.clone(),
                time_limit_s: t.time_limit_s,
                persona: t.persona.to_string(),
            }),
            state: if task.is_none() {
                TaskState::Done
            } else {
                self.state
            },
            index: self.task_index,
            count: study.task_count(),
            ask: self.ask,
            elapsed_s: self.elapsed_s(now),
        }
    }
}
