//! Research studies (SPEC K1–K9, API.md "Research studies"), the pure part:
//! - [`study`]: the study file (name, seed, personas, tasks) and its validation against the
//!   world a sandbox starts from, naming the bad entry by its path;
//! - [`condition`]: a task's success condition (K3), evaluated over a [`crate::World`];
//! - [`stats`]: the statistics of K4, K5 and K7 (outcome of an attempt, adjusted-Wald
//!   interval, geometric mean time with a t interval on logarithms, SUS, lostness);
//! - [`results`]: a task's results over its attempts (K7), from those statistics;
//! - `wire`: the JSON bodies of API.md "Research studies" (with the `serde` feature).
//!
//! Nothing here reads a clock or does IO: times and counts are the caller's.

pub mod condition;
pub mod results;
pub mod stats;
pub mod study;
#[cfg(feature = "serde")]
pub mod wire;

pub use condition::{Condition, OverrideKind};
pub use results::{task_results, AttemptRecord, TaskResults};
pub use stats::{Attempt, Ending, Interval, Mean, Outcome};
pub use study::{validate, validate_each, DemoSeed, Study, StudyError, StudySeed, Task};
