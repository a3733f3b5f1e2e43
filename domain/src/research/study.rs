//! The study file of API.md ("Study file") and its validation against the sandbox's world
//! (K2, K3): every id a task names must exist, personas must be active users, task ids unique,
//! numbers within sensible bounds. A refusal names the bad entry by its path in the file, as
//! `tasks[2].success.share.target_id: unknown target "g-x"`.
//!
//! The seed itself (and each task's `setup`, seed entries) is the server's business: its
//! format is decoded and replayed by `api-mock`, so here it is an opaque type parameter `S`
//! (the server uses `serde_json::Value` and decodes it with its seed reader afterwards, so a
//! bad seed entry is named by the seed reader).

use std::collections::HashSet;
use std::fmt;

use crate::ids::UserId;
use crate::world::World;

use super::condition::Condition;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The longest study name and task title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest task instruction accepted, in characters.
pub const MAX_INSTRUCTION: usize = 2000;
/// The longest task id accepted, in characters.
pub const MAX_TASK_ID: usize = 64;
/// The most tasks one study may hold.
pub const MAX_TASKS: usize = 50;
/// The most personas one study may list.
pub const MAX_PERSONAS: usize = 50;
/// The shortest time limit of a task, in seconds.
pub const MIN_TIME_LIMIT_S: u32 = 10;
/// The longest time limit of a task, in seconds (2 hours).
pub const MAX_TIME_LIMIT_S: u32 = 7200;
/// The largest `fewest_changes` and `fewest_screens` accepted.
pub const MAX_FEWEST: u32 = 1000;

/// A study file (API.md): a seed, the personas a participant may use, the tasks, and whether
/// participants are told their outcome (K4: not unless the study says so).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(
    feature = "serde",
    serde(bound(serialize = "S: Serialize", deserialize = "S: Deserialize<'de>"))
)]
pub struct Study<S> {
    pub name: String,
    pub seed: StudySeed<S>,
    pub personas: Vec<UserId>,
    pub tasks: Vec<Task<S>>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub show_outcome: bool,
}

/// Where a study's sandboxes start from: the built-in demo network (`"demo"`) or a seed
/// written inline (API.md "Seed file"), kept as the caller's type `S`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum StudySeed<S> {
    Demo(DemoSeed),
    Inline(S),
}

/// The word `"demo"` in a study file's `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DemoSeed {
    Demo,
}

/// One task (K3): done as `persona`, after `setup` (seed entries added at its start), judged by
/// `success`; `fewest_changes` decides direct success (K4) and `fewest_screens` is the R of
/// lostness (K7).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(
    feature = "serde",
    serde(bound(serialize = "S: Serialize", deserialize = "S: Deserialize<'de>"))
)]
pub struct Task<S> {
    pub id: String,
    pub title: String,
    pub instruction: String,
    pub persona: UserId,
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub setup: Option<S>,
    pub success: Condition,
    pub fewest_changes: u32,
    pub fewest_screens: u32,
    pub time_limit_s: u32,
}

/// A study file refused: `path` names the entry (`tasks[2].success.share.target_id`), and
/// `message` says what is wrong with it (`unknown target "g-x"`). Displayed as
/// `path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyError {
    pub path: String,
    pub message: String,
}

impl StudyError {
    /// An error at `path`.
    pub fn at(path: &str, message: String) -> StudyError {
        StudyError {
            path: path.to_owned(),
            message,
        }
    }
}

impl fmt::Display for StudyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for StudyError {}

/// Validates a study against one world: the study's seed with every task's setup applied.
/// See [`validate_each`] to check each task against the world it starts from.
pub fn validate<S>(study: &Study<S>, world: &World) -> Result<(), StudyError> {
    validate_each(study, |_| world)
}

/// Validates a study; `world_for(i)` is the world task `i` starts from (the seed and the
/// setups of tasks `0..=i`), in which its persona and every id of its condition must exist.
/// The study's personas are checked in the world of the last task (every setup applied).
/// The first problem in file order is returned.
pub fn validate_each<'w, S>(
    study: &Study<S>,
    world_for: impl Fn(usize) -> &'w World,
) -> Result<(), StudyError> {
    text(&study.name, "name", MAX_TITLE)?;
    count(study.personas.len(), "personas", "persona", MAX_PERSONAS)?;
    count(study.tasks.len(), "tasks", "task", MAX_TASKS)?;
    let last = world_for(study.tasks.len() - 1);
    let mut personas = HashSet::new();
    for (i, p) in study.personas.iter().enumerate() {
        let path = format!("personas[{i}]");
        persona(last, p, &path)?;
        if !personas.insert(p) {
            return Err(StudyError::at(
                &path,
                format!("persona \"{p}\" is listed twice"),
            ));
        }
    }
    let mut ids = HashSet::new();
    for (i, task) in study.tasks.iter().enumerate() {
        let at = |field: &str| format!("tasks[{i}].{field}");
        text(&task.id, &at("id"), MAX_TASK_ID)?;
        if !ids.insert(task.id.as_str()) {
            return Err(StudyError::at(
                &at("id"),
                format!("duplicate task id \"{}\"", task.id),
            ));
        }
        text(&task.title, &at("title"), MAX_TITLE)?;
        text(&task.instruction, &at("instruction"), MAX_INSTRUCTION)?;
        if !personas.contains(&task.persona) {
            return Err(StudyError::at(
                &at("persona"),
                format!("\"{}\" is not one of the study's personas", task.persona),
            ));
        }
        let world = world_for(i);
        persona(world, &task.persona, &at("persona"))?;
        task.success.check(world, &at("success"))?;
        if task.fewest_changes > MAX_FEWEST {
            return Err(StudyError::at(
                &at("fewest_changes"),
                format!("at most {MAX_FEWEST}, not {}", task.fewest_changes),
            ));
        }
        if !(1..=MAX_FEWEST).contains(&task.fewest_screens) {
            return Err(StudyError::at(
                &at("fewest_screens"),
                format!("between 1 and {MAX_FEWEST}, not {}", task.fewest_screens),
            ));
        }
        if !(MIN_TIME_LIMIT_S..=MAX_TIME_LIMIT_S).contains(&task.time_limit_s) {
            return Err(StudyError::at(
                &at("time_limit_s"),
                format!(
                    "between {MIN_TIME_LIMIT_S} and {MAX_TIME_LIMIT_S} seconds, not {}",
                    task.time_limit_s
                ),
            ));
        }
    }
    Ok(())
}

fn text(value: &str, path: &str, max: usize) -> Result<(), StudyError> {
    if value.trim().is_empty() {
        return Err(StudyError::at(path, "must not be blank".into()));
    }
    let n = value.chars().count();
    if n > max {
        return Err(StudyError::at(
            path,
            format!("at most {max} characters, not {n}"),
        ));
    }
    Ok(())
}

fn persona(world: &World, id: &UserId, path: &str) -> Result<(), StudyError> {
    match world.user(id) {
        None => Err(StudyError::at(path, format!("unknown user \"{id}\""))),
        Some(u) if !u.active => Err(StudyError::at(path, format!("user \"{id}\" is inactive"))),
        Some(_) => Ok(()),
    }
}

/// Refuses an empty list at `path`, or one longer than `max`.
fn count(len: usize, path: &str, noun: &str, max: usize) -> Result<(), StudyError> {
    if len == 0 {
        return Err(StudyError::at(
            path,
            format!("at least one {noun} is needed"),
        ));
    }
    if len > max {
        return Err(StudyError::at(path, format!("at most {max} {noun}s")));
    }
    Ok(())
}
