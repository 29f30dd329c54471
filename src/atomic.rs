//! Atomic writes for everything the user cares about (notes, watchlist,
//! exports, config written by the program, cache): write a temporary file in
//! the same folder, fsync it, then rename it over the target. A crash or a
//! failure at any step leaves the previous content intact.
//!
//! What the rename would break is written through instead: a symbolic link
//! is followed to the file it names (the link stays a link), and a device or
//! a pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written to in place, since
//! it has no content to keep. A replaced file keeps its permissions; a new
//! one gets the usual `0666` less the umask. The target's folder must exist.

use std::io::Write;
use std::path::{Path, PathBuf};

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
    let special = path.starts_with("/dev") || path.starts_with("/proc");
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::other("it is a folder"));
        }
        Ok(m) if !m.is_file() || special => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)?;
            return f.write_all(bytes);
        }
        _ => {}
    }
    let path = &follow_links(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("there is no folder {}", dir.display()),
        ));
    }
    let kept = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hkfilings-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created as any new file is: the umask narrows it.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    let _removed_on_signal = crate::signals::temp(tmp.path());
    if let Some(p) = kept {
        tmp.as_file().set_permissions(p)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // Test hook: with HKFILINGS_TEST_HOLD_WRITE=1 the temporary file stays
    // a while before the rename, so a test can end the process mid-write.
    if std::env::var_os("HKFILINGS_TEST_HOLD_WRITE").is_some_and(|v| v == "1") {
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
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

/// The file a chain of symbolic links ends at (the path itself when it is
/// no link); the last may not exist yet.
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
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

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.csv");
        std::fs::write(&target, b"old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_to_in_place_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write(&fifo, b"through the pipe").unwrap();
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(!kind.is_file(), "the pipe is still a pipe");
        assert_eq!(reader.join().unwrap(), b"through the pipe");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_and_a_new_one_is_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("shared.csv");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o664)).unwrap();
        write(&p, b"new").unwrap();
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o664
        );
        let q = dir.path().join("fresh.csv");
        write(&q, b"new").unwrap();
        // 0666 less a umask, which leaves the owner reading and writing and
        // (under any usual umask) the group reading.
        let mode = std::fs::metadata(&q).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o600, 0o600);
        assert_ne!(mode, 0o600, "not the temporary file's private mode");
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it_and_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/folder/x.csv");
        let err = write(&p, b"x").unwrap_err();
        assert!(err.to_string().contains("no/such/folder"), "{err}");
        assert!(!dir.path().join("no").exists());
    }
}
