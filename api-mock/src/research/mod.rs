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

use crate::config::Config;
use crate::error::ApiError;
use crate::live::Live;
use crate::state::{decode, Durable, Loaded, Space, Store};

pub mod log;
mod participant;
pub mod progress;
pub mod store;
pub mod study;

use participant::{snapshot_of, tag_of};
pub use participant::{world_of, Participant};
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

    /// A participant with its sandbox (a new `Space` on `store`), told of every change of it;
    /// `first`: the sandbox as the first task starts, when known.
    fn participant_of(
        &self,
        study: &Arc<LoadedStudy>,
        id: String,
        code: String,
        store: Store,
        progress: Progress,
        first: Option<Arc<Store>>,
    ) -> Arc<Participant> {
        let space = Arc::new(Space::new(
            world_of(&id),
            store,
            Arc::new(Live::new()),
            self.durable.clone(),
        ));
        Self::wire(Participant {
            id,
            code,
            space,
            study: study.clone(),
            progress: Mutex::new(progress),
            snapshots: Mutex::new(first.map(|f| HashMap::from([(0, f)])).unwrap_or_default()),
            memory_log: Mutex::new(Vec::new()),
            saving: Mutex::new(()),
            turn: tokio::sync::Mutex::new(()),
            events: self.events.clone(),
            durable: self.durable.clone(),
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
        let participant = self.participant_of(study, id.clone(), code, store, progress, None);
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
        // 64 random bits, and never an id in use (a new sandbox must not replace another).
        let id = loop {
            let id = format!("p{}", random_hex(8).map_err(ApiError::internal)?);
            if self.participant(&id).is_none() {
                break id;
            }
        };
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
        let participant =
            self.participant_of(study, id.clone(), code, store, progress, Some(first));
        self.edit_participants(|m| {
            m.insert(id, participant.clone());
        });
        participant.changed();
        Ok(participant)
    }

    /// Deletes a participant, its sandbox, snapshots, log and sessions (on a blocking
    /// thread).
    pub fn delete(&self, participant: &Participant) -> Result<(), ApiError> {
        // In the sandbox's writers' turn, closed first: no change of it is written after.
        let _turn = participant.space.close();
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
