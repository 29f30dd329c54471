//! Atomic writes for everything the user cares about (notes, watchlist,
//! exports, config written by the program, cache): write a temporary file in
//! the same folder, fsync it, then rename it over the target. A crash or a
//! failure at any step leaves the previous content intact.

use std::io::Write;
use std::path::Path;

/// Where a simulated failure strikes (tests only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailAt {
    Never,
    /// After the temporary file is written and synced, before the rename.
    BeforeRename,
}

/// Write `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, bytes, FailAt::Never)
}

/// [`write`] with an injectable failure, so tests can prove the old content survives.
pub fn write_with(path: &Path, bytes: &[u8], fail: FailAt) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".hkfilings-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if fail == FailAt::BeforeRename {
        // Dropping `tmp` removes the temporary file: the target is untouched.
        return Err(std::io::Error::other("simulated failure before rename"));
    }
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable where the platform allows syncing a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_content_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.toml");
        write(&p, b"first").unwrap();
        write(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_previous_content_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("watchlist.json");
        write(&p, b"[\"00020\"]").unwrap();
        let err = write_with(&p, b"half-writ", FailAt::BeforeRename).unwrap_err();
        assert!(err.to_string().contains("simulated"));
        assert_eq!(std::fs::read(&p).unwrap(), b"[\"00020\"]");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
