//! A study file (API.md "Study file") decoded and checked: its seed and each task's setup are
//! replayed through the domain like a `--seed` file, and the study is validated by the domain
//! (`domain::research::validate_each`) against the world each task starts from. What comes
//! out holds, for every task, the store it starts from when reached without history (the
//! seed, then the setups of the tasks up to it): the sandboxes of the study are clones of the
//! first one, sharing its structure (K9).

use std::sync::Arc;

use domain::research::{Study, StudySeed};
use domain::wire::Persona;

use crate::seed::SeedFile;
use crate::state::{replay_into, world_from_seed, Store};
use crate::views;

/// The id tag of what a study's seed and setups add (so no id of theirs is one the demo
/// world makes, K1).
const STUDY_TAG: &str = "st";

/// A study, checked, with the store each task starts from.
#[derive(Debug)]
pub struct LoadedStudy {
    /// The file as given (JSON), stored as it is.
    pub file: String,
    pub study: Study<serde_json::Value>,
    /// Each task's setup, decoded.
    pub setups: Vec<Option<SeedFile>>,
    /// `bases[i]`: the seed, then the setups of tasks `0..=i`.
    pub bases: Vec<Arc<Store>>,
}

/// A study refused: the entry at fault and why (`tasks[2].success.share.target_id: unknown
/// target "g-x"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn refused(path: impl Into<String>, message: impl Into<String>) -> Refused {
    Refused {
        path: path.into(),
        message: message.into(),
    }
}

/// A setup's seed entries: a seed file whose lists may all be left out; organisations and a
/// generated directory are refused (the directory is the seed's).
fn decode_setup(value: &serde_json::Value, path: &str) -> Result<SeedFile, Refused> {
    let mut object = match value {
        serde_json::Value::Object(o) => o.clone(),
        _ => return Err(refused(path, "must be an object of seed entries")),
    };
    for key in ["organisations", "directory"] {
        if object.contains_key(key) {
            return Err(refused(
                format!("{path}.{key}"),
                "a task's setup cannot add organisations (the directory is the seed's)",
            ));
        }
    }
    for key in ["organisations", "users", "groups", "patients", "requests"] {
        object
            .entry(key)
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    }
    let text = serde_json::Value::Object(object).to_string();
    SeedFile::parse(&text).map_err(|e| refused(path, e))
}

/// Replays a task's setup onto `store` (new ids from the store's counter, tagged).
pub fn apply_setup(store: &mut Store, setup: &SeedFile) -> Result<(), String> {
    let mut world = store.world.clone();
    replay_into(&mut world, setup, &mut |prefix| store.new_id(prefix))?;
    store.world = world;
    Ok(())
}

/// Decodes and checks a study file.
pub fn load(file: &str) -> Result<LoadedStudy, Refused> {
    let mut de = serde_json::Deserializer::from_str(file);
    let study: Study<serde_json::Value> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { "study".into() } else { path };
            refused(path, e.into_inner().to_string())
        })?;
    de.end().map_err(|e| refused("study", e.to_string()))?;
    let seed = match &study.seed {
        StudySeed::Demo(_) => SeedFile::demo().map_err(|e| refused("seed", e))?,
        StudySeed::Inline(value) => SeedFile::parse(&value.to_string())
            .map_err(|e| refused("seed", e.replace("seed entry ", "")))?,
    };
    let loaded = world_from_seed(&seed).map_err(|e| refused("seed", e))?;
    let first = Store::new_loaded(loaded).for_world(STUDY_TAG);
    let mut setups = Vec::with_capacity(study.tasks.len());
    let mut bases: Vec<Arc<Store>> = Vec::with_capacity(study.tasks.len());
    let mut current = first;
    for (i, task) in study.tasks.iter().enumerate() {
        let path = format!("tasks[{i}].setup");
        let setup = task
            .setup
            .as_ref()
            .map(|v| decode_setup(v, &path))
            .transpose()?;
        if let Some(setup) = &setup {
            apply_setup(&mut current, setup).map_err(|e| refused(&path, e))?;
        }
        current.world.forget_changes();
        bases.push(Arc::new(current.clone()));
        setups.push(setup);
    }
    if bases.is_empty() {
        return Err(refused("tasks", "at least one task is needed"));
    }
    domain::research::validate_each(&study, |i| &bases[i].world)
        .map_err(|e| refused(e.path, e.message))?;
    Ok(LoadedStudy {
        file: file.to_owned(),
        study,
        setups,
        bases,
    })
}

impl LoadedStudy {
    /// The study's personas as the sign-in screen lists them.
    pub fn personas(&self) -> Vec<Persona> {
        let world = &self.bases[self.bases.len() - 1].world;
        self.study
            .personas
            .iter()
            .filter_map(|id| world.user(id))
            .filter_map(|u| views::persona(world, u))
            .collect()
    }

    /// Whether `user` is one of the study's personas.
    pub fn has_persona(&self, user: &str) -> bool {
        self.study.personas.iter().any(|p| p.as_str() == user)
    }

    /// The persona of task `index` (the last task's once every task is done).
    pub fn persona_of(&self, index: usize) -> String {
        let last = self.study.tasks.len() - 1;
        self.study.tasks[index.min(last)]
            .persona
            .as_str()
            .to_owned()
    }

    pub fn task_count(&self) -> usize {
        self.study.tasks.len()
    }

    /// The index of the task with this id.
    pub fn task_index(&self, id: &str) -> Option<usize> {
        self.study.tasks.iter().position(|t| t.id == id)
    }
}
