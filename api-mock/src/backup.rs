//! `api-mock backup OUT.db [--data FILE]` (issue 23): a consistent copy of the database while a
//! server may be writing to it, through SQLite's online backup API (rusqlite `backup`). The
//! source is opened read-only and never locked for writing, so the server goes on answering;
//! pages changed during the copy make SQLite restart it, and the copy is of one committed state.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

/// Copies `data` into a new database at `out`. Refuses to overwrite `out`.
pub fn run(data: &Path, out: &Path) -> Result<(), String> {
    if !data.exists() {
        return Err(format!("there is no database at {}", data.display()));
    }
    if out.exists() {
        return Err(format!(
            "{} exists already: give a new file name",
            out.display()
        ));
    }
    let source = Connection::open_with_flags(
        data,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {}: {e}", data.display()))?;
    source
        .busy_timeout(Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    let mut target =
        Connection::open(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let result = Backup::new(&source, &mut target)
        .and_then(|b| b.run_to_completion(256, Duration::from_millis(5), None));
    drop(target);
    if let Err(e) = result {
        let _ = std::fs::remove_file(out);
        return Err(format!("the backup of {} failed: {e}", data.display()));
    }
    Ok(())
}
