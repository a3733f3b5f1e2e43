//! Startup: the database opened (or created), an earlier JSON data file imported into a new
//! one, or the seed written at first start.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use domain::{Snapshot, World};

use super::seeds::world_from_seed_with;
use super::synthetic::{fingerprint, generated_organisations};
use super::{AppState, Durable, Loaded, Space, StartError, Store};
use crate::config::{Config, SeedSource};
use crate::db::{Backend, Sqlite};
use crate::knobs::Knobs;
use crate::live::Live;
use crate::lock::DbLock;
use crate::persist;
use crate::research::Research;
use crate::seed::SeedFile;
use crate::sessions::Sessions;

/// The data file: the domain snapshot without the generated organisations, the id counter, and
/// what re-creates those organisations.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFile {
    format: u32,
    next_id: u64,
    /// Absent in format 1, whose `world` holds every organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    generated: Option<Generated>,
    world: Snapshot,
}

/// Format 2 leaves the generated directory out of `world`; format 1 files (every organisation
/// written) are still read.
const DATA_FORMAT: u32 = 2;
const LEGACY_FORMAT: u32 = 1;

/// The organisations `synthetic::generate` adds after the explicit ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generated {
    count: usize,
    /// FNV-1a (64-bit, hex) of every generated organisation's fields, so a generator that
    /// changed between versions refuses the file instead of silently renaming partners.
    fingerprint: String,
}

/// Reads a JSON data file (the format before the database): re-creates the generated
/// organisations, checks their fingerprint, and lets the domain check the whole snapshot.
pub fn decode_data(bytes: &[u8]) -> Result<Loaded, String> {
    let file: DataFile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let generated = match (file.format, file.generated) {
        (DATA_FORMAT, None) | (LEGACY_FORMAT, None) => None,
        (DATA_FORMAT, Some(g)) => Some((g.count, g.fingerprint)),
        (format, _) => return Err(format!("unknown format {format}")),
    };
    decode(file.next_id, generated, file.world)
}

/// A stored state: the snapshot without the generated organisations, which are re-created and
/// must match their fingerprint.
pub(crate) fn decode(
    next_id: u64,
    generated: Option<(usize, String)>,
    mut world: Snapshot,
) -> Result<Loaded, String> {
    let count = match generated {
        None => 0,
        Some((count, print)) => {
            if count > crate::seed::MAX_GENERATED {
                return Err(format!("generated.count {count} is too large"));
            }
            let mut orgs = generated_organisations(count, &world.organisations, false)?;
            if fingerprint(&orgs) != print {
                // Written before issue 13: generated names could repeat the seed's own.
                orgs = generated_organisations(count, &world.organisations, true)?;
            }
            if fingerprint(&orgs) != print {
                return Err(
                    "the generated directory differs from the one this file was written with"
                        .into(),
                );
            }
            world.organisations.extend(orgs);
            count
        }
    };
    let world = World::from_snapshot(world).map_err(|e| e.to_string())?;
    Ok(Loaded {
        world,
        next_id,
        generated: count,
    })
}

/// The database to open and the JSON data file to import into it when the database is new:
/// `--data x.json` means `x.db` (importing `x.json`); any other path is the database itself,
/// importing a `state.json` beside it (the default `data/collab.db` imports `data/state.json`).
pub fn database_paths(data: &Path) -> (PathBuf, PathBuf) {
    if data.extension().is_some_and(|e| e == "json") {
        (data.with_extension("db"), data.to_path_buf())
    } else {
        (data.to_path_buf(), data.with_file_name("state.json"))
    }
}

impl AppState {
    /// Loads the state: an existing database wins; a new database imports an earlier JSON
    /// data file (left untouched) or else the seed, written at once. A damaged database or
    /// JSON file stops the start and is left as it is.
    pub fn start(config: &Config) -> Result<Self, StartError> {
        let seed = match &config.seed {
            SeedSource::Demo => SeedFile::demo(),
            SeedSource::File(path) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read seed file {}: {e}", path.display()))
                .and_then(|text| SeedFile::parse(&text)),
        }
        .map_err(|e| StartError(format!("seed refused: {e}")))?;

        let mut data = None;
        let mut lock = None;
        let mut backend: Option<Box<dyn Backend>> = None;
        let mut sessions = Sessions::in_memory(config.session_idle(), config.max_sessions);
        let mut stored = None;
        let mut import = None;
        if let Some(given) = &config.data {
            let (db_path, json_path) = database_paths(given);
            let refused = |e: String| {
                StartError(format!(
                    "database {} cannot be used: {e}; it was left untouched: move it away \
                     or pass another --data",
                    db_path.display()
                ))
            };
            persist::ensure_parent(&db_path).map_err(|e| {
                StartError(format!(
                    "cannot create the folder of {}: {e}",
                    db_path.display()
                ))
            })?;
            // One writer per database, before anything is read or written.
            lock = Some(DbLock::acquire(&db_path).map_err(StartError)?);
            let read_import = || -> Result<Option<Loaded>, StartError> {
                let Some(bytes) = persist::read_existing(&json_path).map_err(|e| {
                    StartError(format!(
                        "cannot read data file {}: {e}",
                        json_path.display()
                    ))
                })?
                else {
                    return Ok(None);
                };
                let loaded = decode_data(&bytes).map_err(|e| {
                    StartError(format!(
                        "data file {} is corrupt or not a state of this server ({e}); \
                         it was left untouched: move it away or pass another --data",
                        json_path.display()
                    ))
                })?;
                tracing::info!(
                    "importing {} into {} (the JSON file is left as it is)",
                    json_path.display(),
                    db_path.display()
                );
                Ok(Some(loaded))
            };
            // Without a database yet, an earlier JSON file is read (and refused if damaged)
            // before the database is created, so a refused import leaves no database behind.
            let read_early = !db_path.exists();
            if read_early {
                import = read_import()?;
            }
            let mut db = Sqlite::open(&db_path).map_err(refused)?;
            stored = match db.load("").map_err(refused)? {
                Some((meta, snapshot)) => Some((
                    decode(meta.next_id, meta.generated, snapshot).map_err(refused)?,
                    meta.last_now,
                )),
                None => None,
            };
            // No stored state (its `meta` row commits with it): a new database, or a first
            // start or import killed before its commit, done again.
            if stored.is_none() && !read_early {
                import = read_import()?;
            }
            sessions = Sessions::open(&db_path, config.session_idle(), config.max_sessions)
                .map_err(|e| refused(format!("cannot read its sessions: {e}")))?;
            data = Some(db_path);
            backend = Some(Box::new(db));
        }
        let fresh = stored.is_none();
        let (loaded, last_now) = match (stored, import) {
            (Some(stored), _) => stored,
            (None, Some(loaded)) => (loaded, 0),
            (None, None) => (
                world_from_seed_with(&seed, config.generate_requests)
                    .map_err(|e| StartError(format!("seed refused: {e}")))?,
                0,
            ),
        };
        let store = Store::new(loaded, last_now);
        if let (true, Some(db)) = (fresh, backend.as_mut()) {
            db.replace("", &store.meta(), &store.stored_snapshot())
                .map_err(|e| StartError(format!("cannot write the database: {e}")))?;
        }
        let durable = Arc::new(Durable {
            backend: backend.map(Mutex::new),
            broken: OnceLock::new(),
        });
        let live = Arc::new(Live::new());
        let demo = Arc::new(Space::new(
            String::new(),
            store,
            live.clone(),
            durable.clone(),
        ));
        let research = Research::start(config, &durable).map_err(StartError)?;
        Ok(Self {
            sessions,
            live,
            knobs: Arc::new(Knobs::new(
                config.latency,
                config.fail_rate,
                config.chaos_seed,
            )),
            static_dir: config.static_dir.clone(),
            demo,
            research,
            durable,
            data,
            _lock: lock,
            seed,
            generate_requests: config.generate_requests,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::state::world_from_seed;

    #[test]
    #[allow(clippy::unwrap_used)]
    fn data_written_with_the_earlier_directory_generator_still_loads_with_its_names() {
        let seed = SeedFile::demo().unwrap();
        let loaded = world_from_seed(&seed).unwrap();
        let explicit = loaded.world.organisations().len() - loaded.generated;
        let snapshot = loaded.world.snapshot_with_organisations(explicit);
        let legacy =
            generated_organisations(loaded.generated, &snapshot.organisations, true).unwrap();
        let own: HashSet<&str> = snapshot
            .organisations
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert!(
            legacy.iter().any(|o| own.contains(o.name.as_str())),
            "the earlier generator repeated the seed's names (issue 13)"
        );
        let again = decode(
            loaded.next_id,
            Some((loaded.generated, fingerprint(&legacy))),
            snapshot,
        )
        .unwrap();
        assert_eq!(&again.world.organisations()[explicit..], legacy.as_slice());
    }
}
