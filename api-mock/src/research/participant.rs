//! One participant of a study: its link's code, its sandbox (a [`Space`]), its progress and
//! its snapshots at the start of each task reached (K2: reset to any task).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use domain::research::wire::{Note, ParticipantRow};
use domain::Timestamp;

use super::progress::Progress;
use super::study::{self, LoadedStudy};
use super::{lock, now_ms};
use crate::config::Latency;
use crate::error::ApiError;
use crate::knobs::Knobs;
use crate::state::{decode, Durable, Space, Store};

/// One participant: its code, its sandbox and its progress.
pub struct Participant {
    pub id: String,
    pub code: String,
    pub space: Arc<Space>,
    pub study: Arc<LoadedStudy>,
    pub(super) progress: Mutex<Progress>,
    /// The sandbox as each task started (in memory; on disk as world `sb:ID@N`).
    pub(super) snapshots: Mutex<HashMap<usize, Arc<Store>>>,
    /// The log, with `--in-memory` only (else in the database).
    pub(super) memory_log: Mutex<Vec<String>>,
    /// Saves of the progress take turns here (see [`Participant::save`]).
    pub(super) saving: Mutex<()>,
    /// Moves between tasks (an answer, an advance, a reset) take turns here, so a double
    /// click or an answer racing the facilitator moves on once.
    pub turn: tokio::sync::Mutex<()>,
    pub(super) events: broadcast::Sender<String>,
    pub(super) durable: Arc<Durable>,
}

impl std::fmt::Debug for Participant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Participant").field("id", &self.id).finish()
    }
}

/// The sandbox world key of participant `id`.
pub fn world_of(id: &str) -> String {
    format!("sb:{id}")
}

/// The world key of participant `id`'s snapshot at the start of task `index`.
pub(super) fn snapshot_of(id: &str, index: usize) -> String {
    format!("sb:{id}@{index}")
}

/// The tag of the ids a participant's sandbox makes.
pub(super) fn tag_of(id: &str) -> String {
    format!("{id}-")
}

impl Participant {
    /// The progress, for reading or changing (then [`Self::save`]).
    pub fn progress(&self) -> MutexGuard<'_, Progress> {
        lock(&self.progress)
    }

    /// Writes the progress and tells the facilitator's page (on the caller's thread).
    ///
    /// What is written is the progress as it is now, under a lock of its own, so two saves
    /// racing each other cannot leave an older copy on disk (`_changed` is the caller's copy,
    /// kept for the call sites' clarity). A deleted participant is not written again.
    pub fn save(&self, _changed: &Progress) -> Result<(), ApiError> {
        let _in_order = lock(&self.saving);
        let body = {
            let now = self.progress();
            serde_json::to_string(&*now).map_err(|e| ApiError::internal(e.to_string()))?
        };
        if let Some(Err(e)) = self.durable.with(|db| match db.research() {
            Some(r) => r.update_participant(&self.id, &body),
            None => Ok(()),
        }) {
            return Err(ApiError::internal(format!("cannot save progress: {e}")));
        }
        self.changed();
        Ok(())
    }

    /// Tells the facilitator's page this participant's row changed.
    pub fn changed(&self) {
        let _ = self.events.send(self.id.clone());
    }

    /// The row of `GET /api/research/participants`.
    pub fn row(&self, link: String) -> ParticipantRow {
        let now = now_ms();
        let mut p = self.progress();
        if p.tick(&self.study, &self.space.read(), now) {
            let saved = p.clone();
            drop(p);
            crate::routes::task::mark_end(self);
            if let Err(e) = self.save(&saved) {
                tracing::error!("{}", e.message);
            }
            p = self.progress();
        }
        p.row(&self.id, &self.code, link, &self.study, now)
    }

    /// The store task `index` starts from: its snapshot if the participant reached it, else
    /// the study's (the seed and the setups up to it), as this sandbox's.
    fn start_of(&self, index: usize) -> Result<Store, ApiError> {
        if let Some(s) = lock(&self.snapshots).get(&index) {
            return Ok(Store::clone(s));
        }
        let stored = self
            .durable
            .with(|db| db.load(&snapshot_of(&self.id, index)));
        if let Some(Ok(Some((meta, snapshot)))) = stored {
            let loaded =
                decode(meta.next_id, meta.generated, snapshot).map_err(ApiError::internal)?;
            let store = self.study.bases[0].adopt(loaded, meta.last_now, &tag_of(&self.id));
            return Ok(store);
        }
        Ok(self.study.bases[index].for_world(&tag_of(&self.id)))
    }

    /// Records the sandbox as task `index` starts (memory and disk).
    fn snapshot(&self, index: usize) -> Result<(), String> {
        lock(&self.snapshots).insert(index, self.space.read());
        match self
            .durable
            .with(|db| db.copy_world(&self.space.key, &snapshot_of(&self.id, index)))
        {
            Some(r) => r,
            None => Ok(()),
        }
    }

    /// Moves to task `index`: the sandbox becomes its start (`from_snapshot`: as it was when
    /// the task started before; else the current state with the task's setup added), the
    /// task not started.
    pub async fn enter(self: &Arc<Self>, index: usize, reset: bool) -> Result<(), ApiError> {
        let count = self.study.task_count();
        if index < count {
            let start = if reset {
                Some(self.start_of(index)?)
            } else {
                None
            };
            let setup = self.study.setups[index].clone();
            self.space
                .replace_with(move |store| {
                    if let Some(start) = start {
                        let next_id = store.next_id().max(start.next_id());
                        let last_now = store.last_now();
                        *store = start;
                        store.set_counters(next_id, last_now);
                    } else if let Some(setup) = &setup {
                        study::apply_setup(store, setup).map_err(ApiError::internal)?;
                    }
                    Ok(())
                })
                .await?;
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.snapshot(index))
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?
                .map_err(ApiError::internal)?;
        }
        let saved = {
            let mut p = self.progress();
            p.enter(index.min(count));
            p.clone()
        };
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.save(&saved))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
    }

    /// The demo reset on a sandbox: its world back to the study's start of the current task
    /// (the seed and the setups up to it); the progress stays.
    pub async fn reset_world(self: &Arc<Self>) -> Result<(), ApiError> {
        let index = {
            let p = self.progress();
            p.task_index.min(self.study.task_count() - 1)
        };
        let start = self.study.bases[index].for_world(&tag_of(&self.id));
        self.space
            .replace_with(move |store| {
                let (next_id, last_now) = (store.next_id(), store.last_now());
                *store = start;
                store.set_counters(next_id, last_now);
                Ok(())
            })
            .await
    }

    /// Called after every change of the sandbox (K3): counts it and checks the condition.
    pub(super) fn on_change(&self, after: &Store) {
        let (saved, reached) = {
            let mut p = self.progress();
            let before = p.success_at;
            if !p.on_change(&self.study, after, now_ms()) {
                return;
            }
            (p.clone(), before.is_none() && p.success_at.is_some())
        };
        if reached {
            self.mark("task_success_reached", serde_json::json!({}));
        }
        if let Err(e) = self.save(&saved) {
            tracing::error!("{}", e.message);
        }
    }

    /// The in-memory log (`--in-memory`).
    pub(super) fn memory_log(&self) -> MutexGuard<'_, Vec<String>> {
        lock(&self.memory_log)
    }

    /// Changes the progress with `f` (true: it changed), then saves it on a blocking thread.
    pub async fn update(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Progress, &Store) -> bool,
    ) -> Result<bool, ApiError> {
        let store = self.space.read();
        let saved = {
            let mut p = self.progress();
            if !f(&mut p, &store) {
                return Ok(false);
            }
            p.clone()
        };
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.save(&saved))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))??;
        Ok(true)
    }

    /// Sets this sandbox's latency and failure rate (both 0: off).
    pub fn set_knobs(&self, latency_ms: u64, fail_rate: f64) {
        let knobs = (latency_ms > 0 || fail_rate > 0.0).then(|| {
            Arc::new(Knobs::new(
                Latency {
                    min_ms: latency_ms,
                    max_ms: latency_ms,
                },
                fail_rate,
                now_ms() as u64,
            ))
        });
        self.space.set_knobs(knobs);
    }

    /// A note of the facilitator's, stamped now.
    pub fn note(&self, text: String) -> Note {
        Note {
            at: Timestamp::from_millis(now_ms()).to_rfc3339(),
            text,
        }
    }
}
