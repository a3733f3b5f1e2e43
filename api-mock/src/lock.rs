//! One writer per database: an operating-system lock (`flock`, through `fs4`) on a lock file
//! beside the database (`collab.db` → `collab.db.lock`), taken before the database is opened
//! and held for the life of the process; the kernel releases it when the process ends, however
//! it ends (SIGKILL included), so a stale lock file never blocks a restart.
//!
//! The holder writes its pid into the file, so a second server on the same database can say
//! who holds it. The database itself stays readable by other programs (an online backup, the
//! `sqlite3` shell): SQLite's own `locking_mode=EXCLUSIVE` would block those too.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;
use fs4::TryLockError;

/// The held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DbLock {
    /// Keeps the lock: `flock` locks belong to the open file.
    _file: File,
    path: PathBuf,
}

/// The lock file of the database at `db`: its name with `.lock` added.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl DbLock {
    /// Takes the lock of the database at `db`, without waiting. The error names the database
    /// and, when the lock file says so, the pid of the process holding it.
    pub fn acquire(db: &Path) -> Result<Self, String> {
        let path = lock_path(db);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open its lock file {}: {e}", path.display()))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let holder = match text.trim().parse::<u32>() {
                    Ok(pid) => format!("pid {pid}"),
                    Err(_) => "pid unknown".to_owned(),
                };
                return Err(format!(
                    "database {} is in use by another api-mock ({holder}, holding {}): one \
                     server per database; stop that one or pass another --data",
                    db.display(),
                    path.display()
                ));
            }
            Err(TryLockError::Error(e)) => {
                return Err(format!("cannot lock {}: {e}", path.display()));
            }
        }
        // Ours now: say who holds it.
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|()| writeln!(file, "{}", std::process::id()))
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write the lock file {}: {e}", path.display()))?;
        Ok(Self { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `flock` locks belong to the open file, so a second open in the same process is refused
    /// too (what two `AppState`s on one file in a test would do).
    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_second_holder_is_refused_with_the_file_and_pid_named_until_the_first_lets_go() {
        let dir = std::env::temp_dir().join(format!("api-mock-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("x.db");
        let first = DbLock::acquire(&db).unwrap();
        assert_eq!(first.path(), dir.join("x.db.lock"));
        let refused = DbLock::acquire(&db).unwrap_err();
        assert!(refused.contains(&db.display().to_string()), "{refused}");
        assert!(
            refused.contains(&format!("pid {}", std::process::id())),
            "{refused}"
        );
        drop(first);
        DbLock::acquire(&db).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
