//! `AppState`: the domain `World` as the read side, its durable copy in the database
//! (`db.rs`), the directory index, the sessions and the knobs.
//!
//! The module is split by path: `start` (the first state: database, JSON import or seed),
//! `change` (the change path: apply, commit, publish), `seeds` (a seed replayed through the
//! rules) and `synthetic` (the generated directory and `--generate-requests`).
//!
//! Invariants:
//! - changes take turns (an async mutex, first come first served); each is applied to a copy
//!   of the current state (O(1): the world's collections are persistent), what it changed
//!   (`World::take_delta`, from the world's dirty log, O(change)) is committed in one
//!   transaction on a blocking thread, and only then published and answered,
//!   so the database always equals an acknowledged state and changes reach the disk in the
//!   order they were applied;
//! - readers take the published state (an `Arc`, behind a lock held only to copy or swap the
//!   pointer): they never wait for a change or an fsync, and never see a state that is not on
//!   disk yet;
//! - if writing fails, the copy is dropped (the transaction rolls back), so memory and disk
//!   never disagree;
//! - new ids (`ev-N`, `sh-N`, `ag-N`, `r-N`) come from a counter stored with each change, so
//!   ids are never reused across restarts;
//! - the organisations of the seed's `directory.generate` are the last ones of the world, in
//!   generation order, and are not written: the database records how many there were and a
//!   fingerprint of them, and `synthetic::generate` re-creates them at start (a fingerprint that
//!   no longer matches refuses the database).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use domain::{EventId, Snapshot, Timestamp, World};

use crate::config::Config;
use crate::db::{Backend, Meta};
use crate::directory::Directory;
use crate::knobs::Knobs;
use crate::live::Live;
use crate::lock::DbLock;
use crate::seed::SeedFile;
use crate::sessions::Sessions;
use crate::views;

mod change;
mod seeds;
mod start;
pub mod synthetic;

pub use seeds::{replay_into, world_from_seed, world_from_seed_with};
pub(crate) use start::decode;
pub use start::{database_paths, decode_data};
pub use synthetic::generate_requests;

use synthetic::fingerprint;

/// Why the server cannot start: printed, then the process exits non-zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// A world with the number of generated organisations at its end.
#[derive(Debug)]
pub struct Loaded {
    pub world: World,
    pub next_id: u64,
    /// How many of the world's last organisations `synthetic::generate` made.
    pub generated: usize,
}

/// The state a change works on: copied, changed, then its difference written and the copy
/// published.
#[derive(Debug, Clone)]
pub struct Store {
    pub world: World,
    pub directory: Arc<Directory>,
    next_id: u64,
    last_now: i64,
    /// How many of the world's last organisations are generated (not written), with their
    /// fingerprint (computed once: no change adds organisations).
    generated: Option<(usize, String)>,
    /// Put in every new id after its prefix: empty in the demo world, the sandbox's own in a
    /// research sandbox, so no id made in one world names anything in another (K1).
    id_tag: Arc<str>,
}

/// The latest time the world records (an audit event's, a request's arrival), in ms.
fn latest_time(world: &World) -> i64 {
    let audit = world.audit_log().iter().map(|e| e.at.as_millis());
    let requests = world.requests().iter().map(|r| r.received_at.as_millis());
    audit.chain(requests).max().unwrap_or(0)
}

impl Store {
    /// `last_now`: the clock's last reading as stored (0 if unknown); the clock starts after it
    /// and after every time the world records, so time never goes backwards (C4).
    fn new(mut loaded: Loaded, last_now: i64) -> Self {
        // Written whole (first start, import, reset) or read back from the database: the next
        // change's delta starts here.
        loaded.world.forget_changes();
        let last_now = last_now.max(latest_time(&loaded.world));
        let directory = Arc::new(Directory::new(
            loaded.world.organisations().iter().map(views::organisation),
        ));
        let orgs = loaded.world.organisations();
        let generated = (loaded.generated > 0).then(|| {
            let explicit = orgs.len().saturating_sub(loaded.generated);
            (loaded.generated, fingerprint(&orgs[explicit..]))
        });
        Self {
            world: loaded.world,
            directory,
            next_id: loaded.next_id,
            last_now,
            generated,
            id_tag: Arc::from(""),
        }
    }

    /// A world read back (a sandbox), sharing `other`'s directory index, fingerprint of the
    /// generated organisations and the parts of its world no command changes (the same study
    /// seed: no change adds organisations).
    pub fn from_loaded_sharing(mut loaded: Loaded, last_now: i64, other: &Store) -> Self {
        loaded.world.forget_changes();
        // The organisations (20,000 in the demo seed), users, groups and targets no command
        // changes: held once with the study's (K9), after a restart too.
        loaded.world.share_fixed_parts_with(&other.world);
        Self {
            last_now: last_now.max(latest_time(&loaded.world)),
            world: loaded.world,
            directory: other.directory.clone(),
            next_id: loaded.next_id,
            generated: other.generated.clone(),
            id_tag: other.id_tag.clone(),
        }
    }

    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    pub fn last_now(&self) -> i64 {
        self.last_now
    }

    /// Sets the id counter and the clock (never backwards: the larger of both is kept).
    pub fn set_counters(&mut self, next_id: u64, last_now: i64) {
        self.next_id = self.next_id.max(next_id);
        self.last_now = self.last_now.max(last_now);
    }

    /// A store of a world just built (a study's seed).
    pub fn new_loaded(loaded: Loaded) -> Self {
        Self::new(loaded, 0)
    }

    /// This store for another world: the same state (shared, O(1)), its new ids tagged with
    /// `tag` (K1).
    pub fn for_world(&self, tag: &str) -> Store {
        Store {
            id_tag: Arc::from(tag),
            ..self.clone()
        }
    }

    /// A fresh id with `prefix`, never used before in this data file (nor, with its world's
    /// tag, in another world).
    pub fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}{}", self.id_tag, self.next_id)
    }

    /// The tag of this world's new ids.
    pub fn id_tag(&self) -> &str {
        &self.id_tag
    }

    pub fn new_event(&mut self) -> EventId {
        EventId::new(self.new_id("ev"))
    }

    /// The clock: wall time in ms, strictly increasing across changes so history orders.
    pub fn now(&mut self) -> Timestamp {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        self.last_now = wall.max(self.last_now + 1);
        Timestamp::from_millis(self.last_now)
    }

    pub(crate) fn meta(&self) -> Meta {
        Meta {
            next_id: self.next_id,
            generated: self.generated.clone(),
            last_now: self.last_now,
        }
    }

    /// Everything but the generated organisations (see the module docs).
    pub(crate) fn stored_snapshot(&self) -> Snapshot {
        let explicit =
            self.world.organisations().len() - self.generated.as_ref().map_or(0, |(n, _)| *n);
        self.world.snapshot_with_organisations(explicit)
    }
}

/// One world and its change path: the demo world, or a participant's sandbox (K1). Each has
/// its own published state, turn of writers, live events and (for a sandbox) knobs; all share
/// the one database.
pub struct Space {
    /// `""` for the demo world, `sb:ID` for participant ID's sandbox: the rows' key in the
    /// database.
    pub key: String,
    /// The published state; the lock is held only to copy or replace the `Arc`.
    store: RwLock<Arc<Store>>,
    /// Changes take turns here (first come, first served), for as long as they write.
    writers: Arc<tokio::sync::Mutex<()>>,
    /// Live updates of this world (numbered per organisation within it).
    pub live: Arc<Live>,
    /// This world's own latency and failures (a sandbox's, set by the facilitator); `None`:
    /// the server's.
    knobs: RwLock<Option<Arc<Knobs>>>,
    durable: Arc<Durable>,
    /// Told of every published change (research progress, K3), after its live events.
    observer: OnceLock<Observer>,
    /// Set when the world is deleted (a participant's): no change is applied after.
    closed: std::sync::atomic::AtomicBool,
}

/// What a world's observer is told after each change: the state before and after.
pub type Observer = Box<dyn Fn(&Store, &Store) + Send + Sync>;

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Space").field("key", &self.key).finish()
    }
}

/// The database every world writes to, and whether it can still be trusted.
#[derive(Debug)]
pub struct Durable {
    /// The durable store; `None` with `--in-memory`. Used only by the change holding a turn.
    backend: Option<Mutex<Box<dyn Backend>>>,
    /// Set when a commit failed: from then on every change answers 503 until a restart, as
    /// what is on disk can no longer be trusted to follow what was answered.
    broken: OnceLock<String>,
}

impl Durable {
    /// Runs `f` on the database (`None` in memory), on the caller's (blocking) thread.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Backend) -> Result<T, String>,
    ) -> Option<Result<T, String>> {
        let backend = self.backend.as_ref()?;
        let mut db = match backend.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        Some(f(db.as_mut()))
    }

    pub fn is_broken(&self) -> bool {
        self.broken.get().is_some()
    }
}

impl Space {
    pub(crate) fn new(key: String, store: Store, live: Arc<Live>, durable: Arc<Durable>) -> Self {
        Self {
            key,
            store: RwLock::new(Arc::new(store)),
            writers: Arc::new(tokio::sync::Mutex::new(())),
            live,
            knobs: RwLock::new(None),
            durable,
            observer: OnceLock::new(),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Closes the world (a participant deleted), waiting for the change being written: every
    /// later change answers 401, as its session is gone. Returns the writers' turn, held by
    /// the caller while it deletes the world's rows. Call on a blocking thread.
    pub fn close(&self) -> tokio::sync::OwnedMutexGuard<()> {
        let turn = self.writers.clone().blocking_lock_owned();
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        turn
    }

    /// Whether the world was closed.
    pub fn is_closed(&self) -> bool {
        self.closed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The published state, as of now: a later change publishes a new one and leaves this
    /// one as it is.
    pub fn read(&self) -> Arc<Store> {
        match self.store.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// This world's own knobs, if it has any.
    pub fn own_knobs(&self) -> Option<Arc<Knobs>> {
        match self.knobs.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Sets (or with `None` removes) this world's own knobs.
    pub fn set_knobs(&self, knobs: Option<Arc<Knobs>>) {
        match self.knobs.write() {
            Ok(mut g) => *g = knobs,
            Err(poisoned) => *poisoned.into_inner() = knobs,
        }
    }

    /// Sets the observer of this world's changes (once).
    pub fn observe(&self, observer: Observer) {
        let _ = self.observer.set(observer);
    }

    pub fn durable(&self) -> &Arc<Durable> {
        &self.durable
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    pub sessions: Sessions,
    /// Live updates: the demo world's numbered events, and the tickets that open every
    /// world's streams (`live.rs`).
    pub live: Arc<Live>,
    pub knobs: Arc<Knobs>,
    /// The built client to serve, if any.
    pub static_dir: Option<PathBuf>,
    /// The demo world.
    pub demo: Arc<Space>,
    /// The study, its participants and their sandboxes (SPEC K1–K9).
    pub research: crate::research::Research,
    durable: Arc<Durable>,
    /// The database file; `None` with `--in-memory`.
    data: Option<PathBuf>,
    /// One writer per database: held for the life of the state (`lock.rs`).
    _lock: Option<DbLock>,
    seed: SeedFile,
    /// `--generate-requests`: added to the seed's world at first start and on reset.
    generate_requests: usize,
}

impl AppState {
    /// The demo network in memory, without knobs: for tests.
    pub fn demo_in_memory() -> Result<Self, StartError> {
        Self::start(&Config {
            data: None,
            ..Config::default()
        })
    }

    /// The demo world's published state, as of now.
    pub fn read(&self) -> Arc<Store> {
        self.demo.read()
    }

    /// The database every world writes to.
    pub fn durable(&self) -> &Arc<Durable> {
        &self.durable
    }

    /// The world a session acts on: the demo world (`""`), or a participant's sandbox while
    /// the participant exists.
    pub fn space(&self, world: &str) -> Option<Arc<Space>> {
        if world.is_empty() {
            Some(self.demo.clone())
        } else {
            self.research.sandbox(world)
        }
    }

    /// The database file, `None` in memory.
    pub fn data_path(&self) -> Option<&Path> {
        self.data.as_deref()
    }
}
