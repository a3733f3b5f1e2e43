//! Research studies (SPEC K1–K9, API.md "Research studies"): the loaded study, its
//! participants, and each participant's sandbox: a [`Space`] of its own beside the demo world,
//! built from the study's seed (a clone of the study's first store, so it shares the seed's
//! structure, K9), with its own change path, live events and knobs.
//!
//! Invariants:
//! - a session is bound to one world (`sessions.rs`): the demo world, one sandbox, or the
//!   facilitator's (no world); every staff route acts on the session's world only (K1);
//! - a sandbox's rows are its world `sb:ID` in the state tables, its snapshot at the start of
//!   task N is the world `sb:ID@N`, its progress a row of `participant`; deleting the
//!   participant deletes all of them, its log and its sessions in one transaction (K2, K9);
//! - ids made in a sandbox carry its tag (`sh-ID-45`), so no id of one world names anything in
//!   another;
//! - the study cannot be replaced while participants exist (409 `study_in_use`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};

use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

use domain::research::wire::{Note, ParticipantRow};
use domain::Timestamp;

use crate::config::{Config, Latency};
use crate::error::ApiError;
use crate::knobs::Knobs;
use crate::live::Live;
use crate::state::{decode, Durable, Loaded, Space, Store};

pub mod progress;
pub mod store;
pub mod study;

use progress::Progress;
use study::LoadedStudy;

/// The world key of the facilitator's sessions: no world at all.
pub const FACILITATOR: &str = "*facilitator";

/// Bytes of randomness in the facilitator's key and in a participant's code (K8: ≥ 128 bits).
const SECRET_BYTES: usize = 16;

/// The shortest facilitator key accepted from `--facilitator-key-file`.
const MIN_KEY_CHARS: usize = 16;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| format!("no randomness: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// Wall time in ms.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// One participant: its code, its sandbox and its progress.
pub struct Participant {
    pub id: String,
    pub code: String,
    pub space: Arc<Space>,
    pub study: Arc<LoadedStudy>,
    progress: Mutex<Progress>,
    /// The sandbox as each task started (in memory; on disk as world `sb:ID@N`).
    snapshots: Mutex<HashMap<usize, Arc<Store>>>,
    events: broadcast::Sender<String>,
    durable: Arc<Durable>,
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
fn snapshot_of(id: &str, index: usize) -> String {
    format!("sb:{id}@{index}")
}

/// The tag of the ids a participant's sandbox makes.
fn tag_of(id: &str) -> String {
    format!("{id}-")
}

impl Participant {
    /// The progress, for reading or changing (then [`Self::save`]).
    pub fn progress(&self) -> MutexGuard<'_, Progress> {
        lock(&self.progress)
    }

    /// Writes the progress and tells the facilitator's page (on the caller's thread).
    pub fn save(&self, progress: &Progress) -> Result<(), ApiError> {
        let body =
            serde_json::to_string(progress).map_err(|e| ApiError::internal(e.to_string()))?;
        if let Some(Err(e)) = self.durable.with(|db| match db.research() {
            Some(r) => r.put_participant(&self.id, &self.code, &body),
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
    fn on_change(&self, after: &Store) {
        let mut p = self.progress();
        if p.on_change(&self.study, after, now_ms()) {
            let saved = p.clone();
            drop(p);
            if let Err(e) = self.save(&saved) {
                tracing::error!("{}", e.message);
            }
        }
    }

    /// A refused call of the participant's: counted in the running attempt (API.md
    /// "Counting").
    pub async fn refused_call(self: &Arc<Self>) {
        let saved = {
            let mut p = self.progress();
            if !p.on_refused() {
                return;
            }
            p.clone()
        };
        let this = self.clone();
        let _ = tokio::task::spawn_blocking(move || this.save(&saved)).await;
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

/// The research side of the server.
pub struct Research {
    /// The SHA-256 of the facilitator's key.
    key_hash: Vec<u8>,
    /// A key made at this start, to print once.
    new_key: Mutex<Option<String>>,
    study: RwLock<Option<Arc<LoadedStudy>>>,
    participants: RwLock<BTreeMap<String, Arc<Participant>>>,
    /// Participant ids whose row changed, for the facilitator's event stream.
    pub events: broadcast::Sender<String>,
    durable: Arc<Durable>,
    /// `--base-url`, before participant links.
    pub base_url: String,
    /// Facilitator calls that change the study or the participants take turns.
    pub turn: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Research {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Research")
            .field("participants", &self.read_participants().len())
            .finish()
    }
}

impl Research {
    /// The facilitator's key, the stored study and participants (or `--study`).
    pub fn start(config: &Config, durable: &Arc<Durable>) -> Result<Self, String> {
        let (key, new_key) = match &config.facilitator_key_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    format!("cannot read facilitator key file {}: {e}", path.display())
                })?;
                let key = text.trim().to_owned();
                if key.chars().count() < MIN_KEY_CHARS {
                    return Err(format!(
                        "the facilitator key in {} must be at least {MIN_KEY_CHARS} characters",
                        path.display()
                    ));
                }
                (key, None)
            }
            None => {
                let key = random_hex(SECRET_BYTES * 2)?;
                (key.clone(), Some(key))
            }
        };
        let (events, _) = broadcast::channel(1024);
        let this = Self {
            key_hash: sha256(&key),
            new_key: Mutex::new(new_key),
            study: RwLock::new(None),
            participants: RwLock::new(BTreeMap::new()),
            events,
            durable: durable.clone(),
            base_url: config.base_url.clone().unwrap_or_default(),
            turn: tokio::sync::Mutex::new(()),
        };
        let stored = match durable.with(|db| match db.research() {
            Some(r) => {
                r.drop_orphan_worlds()?;
                Ok((r.study()?, r.participants()?))
            }
            None => Ok((None, Vec::new())),
        }) {
            Some(r) => r?,
            None => (None, Vec::new()),
        };
        match stored {
            (Some(file), participants) => {
                let loaded =
                    study::load(&file).map_err(|e| format!("the stored study is refused: {e}"))?;
                let loaded = Arc::new(loaded);
                this.set_study(Some(loaded.clone()));
                for (id, code, body) in participants {
                    this.restore(&loaded, id, code, &body)?;
                }
            }
            (None, _) => {
                if let Some(path) = &config.study {
                    let file = std::fs::read_to_string(path)
                        .map_err(|e| format!("cannot read study file {}: {e}", path.display()))?;
                    let loaded = study::load(&file)
                        .map_err(|e| format!("study file {} refused: {e}", path.display()))?;
                    if let Some(r) = durable.with(|db| match db.research() {
                        Some(r) => r.put_study(Some(&file)),
                        None => Ok(()),
                    }) {
                        r?;
                    }
                    this.set_study(Some(Arc::new(loaded)));
                }
            }
        }
        Ok(this)
    }

    /// The key made at this start (to print once); `None` with `--facilitator-key-file` or
    /// once taken.
    pub fn take_new_key(&self) -> Option<String> {
        lock(&self.new_key).take()
    }

    /// Whether `key` is the facilitator's.
    pub fn key_matches(&self, key: &str) -> bool {
        let given = sha256(key);
        // Both are SHA-256 digests: compared whole, without an early exit.
        given.len() == self.key_hash.len()
            && given
                .iter()
                .zip(&self.key_hash)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    pub fn study(&self) -> Option<Arc<LoadedStudy>> {
        match self.study.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether a study is loaded (the demo calls are then the facilitator's alone).
    pub fn is_running(&self) -> bool {
        self.study().is_some()
    }

    pub fn set_study(&self, study: Option<Arc<LoadedStudy>>) {
        match self.study.write() {
            Ok(mut g) => *g = study,
            Err(poisoned) => *poisoned.into_inner() = study,
        }
    }

    fn read_participants(&self) -> BTreeMap<String, Arc<Participant>> {
        match self.participants.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn edit_participants(&self, f: impl FnOnce(&mut BTreeMap<String, Arc<Participant>>)) {
        match self.participants.write() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Every participant, by id.
    pub fn participants(&self) -> Vec<Arc<Participant>> {
        self.read_participants().into_values().collect()
    }

    pub fn participant(&self, id: &str) -> Option<Arc<Participant>> {
        self.read_participants().get(id).cloned()
    }

    /// The participant whose link carries `code`.
    pub fn by_code(&self, code: &str) -> Option<Arc<Participant>> {
        let given = sha256(code);
        self.read_participants()
            .into_values()
            .find(|p| sha256(&p.code) == given)
    }

    /// The sandbox of world key `world` (`sb:ID`), while its participant exists.
    pub fn sandbox(&self, world: &str) -> Option<Arc<Space>> {
        let id = world.strip_prefix("sb:")?;
        self.participant(id).map(|p| p.space.clone())
    }

    /// A participant's link.
    pub fn link(&self, code: &str) -> String {
        format!("{}/p/{code}", self.base_url.trim_end_matches('/'))
    }

    /// The participant, told of every change of its sandbox.
    fn wire(participant: Participant) -> Arc<Participant> {
        Arc::new_cyclic(|weak: &Weak<Participant>| {
            let weak = weak.clone();
            participant.space.observe(Box::new(move |_before, after| {
                if let Some(p) = weak.upgrade() {
                    p.on_change(after);
                }
            }));
            participant
        })
    }

    /// A participant read back at start.
    fn restore(
        &self,
        study: &Arc<LoadedStudy>,
        id: String,
        code: String,
        body: &str,
    ) -> Result<(), String> {
        let progress: Progress =
            serde_json::from_str(body).map_err(|e| format!("participant {id}: {e}"))?;
        let world = world_of(&id);
        let stored = self
            .durable
            .with(|db| db.load(&world))
            .transpose()?
            .flatten();
        let store = match stored {
            Some((meta, snapshot)) => {
                let loaded = decode(meta.next_id, meta.generated, snapshot)
                    .map_err(|e| format!("participant {id}'s sandbox: {e}"))?;
                study.bases[0].adopt(loaded, meta.last_now, &tag_of(&id))
            }
            None => study.bases[0].for_world(&tag_of(&id)),
        };
        let space = Arc::new(Space::new(
            world,
            store,
            Arc::new(Live::new()),
            self.durable.clone(),
        ));
        let participant = Self::wire(Participant {
            id: id.clone(),
            code,
            space,
            study: study.clone(),
            progress: Mutex::new(progress),
            snapshots: Mutex::new(HashMap::new()),
            events: self.events.clone(),
            durable: self.durable.clone(),
        });
        let (latency, fail) = {
            let p = participant.progress();
            (p.latency_ms, p.fail_rate)
        };
        participant.set_knobs(latency, fail);
        self.edit_participants(|m| {
            m.insert(id, participant);
        });
        Ok(())
    }

    /// A new participant with a sandbox at the start of the first task (on a blocking
    /// thread: it writes the sandbox whole).
    pub fn create(
        &self,
        study: &Arc<LoadedStudy>,
        label: String,
    ) -> Result<Arc<Participant>, ApiError> {
        let id = format!("p{}", random_hex(4).map_err(ApiError::internal)?);
        let code = random_hex(SECRET_BYTES).map_err(ApiError::internal)?;
        let world = world_of(&id);
        let store = study.bases[0].for_world(&tag_of(&id));
        let progress = Progress::new(label);
        let body =
            serde_json::to_string(&progress).map_err(|e| ApiError::internal(e.to_string()))?;
        if let Some(Err(e)) = self.durable.with(|db| {
            db.replace(&world, &store.meta(), &store.stored_snapshot())?;
            db.copy_world(&world, &snapshot_of(&id, 0))?;
            match db.research() {
                Some(r) => r.put_participant(&id, &code, &body),
                None => Ok(()),
            }
        }) {
            return Err(ApiError::internal(format!(
                "cannot save the participant: {e}"
            )));
        }
        let first = Arc::new(store.clone());
        let space = Arc::new(Space::new(
            world,
            store,
            Arc::new(Live::new()),
            self.durable.clone(),
        ));
        let participant = Self::wire(Participant {
            id: id.clone(),
            code,
            space,
            study: study.clone(),
            progress: Mutex::new(progress),
            snapshots: Mutex::new(HashMap::from([(0, first)])),
            events: self.events.clone(),
            durable: self.durable.clone(),
        });
        self.edit_participants(|m| {
            m.insert(id, participant.clone());
        });
        participant.changed();
        Ok(participant)
    }

    /// Deletes a participant, its sandbox, snapshots, log and sessions (on a blocking
    /// thread).
    pub fn delete(&self, participant: &Participant) -> Result<(), ApiError> {
        if let Some(Err(e)) = self.durable.with(|db| match db.research() {
            Some(r) => r.delete_participant(&participant.id, &participant.space.key),
            None => Ok(()),
        }) {
            return Err(ApiError::internal(format!(
                "cannot delete the participant: {e}"
            )));
        }
        self.edit_participants(|m| {
            m.remove(&participant.id);
        });
        participant.changed();
        Ok(())
    }

    /// Replaces the study (no participant may exist).
    pub fn replace_study(&self, loaded: LoadedStudy) -> Result<(), ApiError> {
        if let Some(Err(e)) = self.durable.with(|db| match db.research() {
            Some(r) => r.put_study(Some(&loaded.file)),
            None => Ok(()),
        }) {
            return Err(ApiError::internal(format!("cannot save the study: {e}")));
        }
        self.set_study(Some(Arc::new(loaded)));
        let _ = self.events.send(String::new());
        Ok(())
    }
}

impl Store {
    /// A world read back from the database, made a store of this study's sandbox: the
    /// directory index is this store's (shared), the ids tagged.
    pub fn adopt(&self, loaded: Loaded, last_now: i64, tag: &str) -> Store {
        Store::from_loaded_sharing(loaded, last_now, self).for_world(tag)
    }
}
