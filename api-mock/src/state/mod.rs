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

pub use seeds::{world_from_seed, world_from_seed_with};
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
        }
    }

    /// A fresh id with `prefix`, never used before in this data file.
    pub fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{}", self.next_id)
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

    fn meta(&self) -> Meta {
        Meta {
            next_id: self.next_id,
            generated: self.generated.clone(),
            last_now: self.last_now,
        }
    }

    /// Everything but the generated organisations (see the module docs).
    fn stored_snapshot(&self) -> Snapshot {
        let explicit =
            self.world.organisations().len() - self.generated.as_ref().map_or(0, |(n, _)| *n);
        self.world.snapshot_with_organisations(explicit)
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    pub sessions: Sessions,
    /// Live updates: numbered events, their ring and channel, tickets (`live.rs`).
    pub live: Live,
    pub knobs: Arc<Knobs>,
    /// The built client to serve, if any.
    pub static_dir: Option<PathBuf>,
    /// The published state; the lock is held only to copy or replace the `Arc`.
    store: RwLock<Arc<Store>>,
    /// Changes take turns here (first come, first served), for as long as they write.
    writers: Arc<tokio::sync::Mutex<()>>,
    /// The durable store; `None` with `--in-memory`. Used only by the change holding the turn.
    backend: Option<Mutex<Box<dyn Backend>>>,
    /// The database file; `None` with `--in-memory`.
    data: Option<PathBuf>,
    /// One writer per database: held for the life of the state (`lock.rs`).
    _lock: Option<DbLock>,
    /// Set when a commit failed: from then on every change answers 503 until a restart, as
    /// what is on disk can no longer be trusted to follow what was answered.
    broken: OnceLock<String>,
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

    /// The published state, as of now: a later change publishes a new one and leaves this
    /// one as it is.
    pub fn read(&self) -> Arc<Store> {
        match self.store.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The database file, `None` in memory.
    pub fn data_path(&self) -> Option<&Path> {
        self.data.as_deref()
    }
}
