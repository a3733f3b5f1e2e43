//! The JSON data file of earlier versions (imported once into the database, never written) and
//! the folder that holds the database.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the directory that will hold the database.
pub fn ensure_parent(path: &Path) -> io::Result<()> {
    fs::create_dir_all(parent_dir(path))
}

/// The bytes of the data file, `None` when there is none.
pub fn read_existing(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_none_and_a_bare_name_lives_here() {
        let dir = std::env::temp_dir().join(format!("api-mock-persist-{}", std::process::id()));
        let path = dir.join("nested").join("state.json");
        ensure_parent(&path).expect("create dir");
        fs::write(&path, b"two").expect("write");
        assert_eq!(read_existing(&path).expect("read"), Some(b"two".to_vec()));
        assert_eq!(read_existing(&dir.join("missing")).expect("read"), None);
        assert_eq!(parent_dir(Path::new("collab.db")), PathBuf::from("."));
        let _ = fs::remove_dir_all(&dir);
    }
}
