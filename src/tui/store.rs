//! What the analyst keeps between sessions: starred issuers (the watchlist),
//! notes per issuer, and dismissed findings with their reasons. One JSON file
//! in the platform data folder (`HKFILINGS_DATA_DIR` overrides it), written
//! atomically. A file that does not parse is reported and left alone: it is
//! only replaced when the user saves something, and then kept beside the new
//! one as `user.json.corrupt-<timestamp>`.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A finding as it is recognised again in the next session: the file it is
/// in, its code, line and message (ids are not stable between loads).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingKey {
    pub file: String,
    pub code: String,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissal {
    #[serde(flatten)]
    pub finding: FindingKey,
    pub reason: String,
    /// When it was dismissed (ISO date).
    pub date: String,
}

/// The saved state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserData {
    /// Stock codes of starred issuers.
    pub starred: BTreeSet<String>,
    /// Stock code -> note text.
    pub notes: BTreeMap<String, String>,
    pub dismissed: Vec<Dismissal>,
}

impl UserData {
    pub fn dismissal(&self, key: &FindingKey) -> Option<&Dismissal> {
        self.dismissed.iter().find(|d| &d.finding == key)
    }
}

/// The user data and where it lives.
#[derive(Debug, Clone)]
pub struct Store {
    pub data: UserData,
    /// None: no data folder (nothing is saved).
    pub path: Option<PathBuf>,
    /// The file on disk did not parse: replaced only on the next save, after
    /// moving it aside.
    corrupt: bool,
}

/// The data folder: `HKFILINGS_DATA_DIR`, else the platform's
/// (`~/.local/share/hkfilings` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("HKFILINGS_DATA_DIR") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => {
            directories::ProjectDirs::from("", "", "hkfilings").map(|d| d.data_dir().to_path_buf())
        }
    }
}

impl Store {
    /// A store that saves nothing (tests, no home folder).
    pub fn memory() -> Store {
        Store {
            data: UserData::default(),
            path: None,
            corrupt: false,
        }
    }

    /// Load `user.json` from `dir`; a problem for the status bar when it is unreadable.
    pub fn load(dir: Option<&Path>) -> (Store, Option<String>) {
        let Some(dir) = dir else {
            return (Store::memory(), None);
        };
        let path = dir.join("user.json");
        let mut store = Store {
            data: UserData::default(),
            path: Some(path.clone()),
            corrupt: false,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (store, None),
            Err(e) => {
                store.corrupt = true;
                return (store, Some(format!("{}: cannot read: {e}", path.display())));
            }
        };
        match serde_json::from_str::<UserData>(&text) {
            Ok(d) => {
                store.data = d;
                (store, None)
            }
            Err(e) => {
                store.corrupt = true;
                (
                    store,
                    Some(format!(
                        "{}: line {}: {e}; stars, notes and dismissals start empty (the file is kept)",
                        path.display(),
                        e.line()
                    )),
                )
            }
        }
    }

    /// Write the data atomically. A corrupt file is first moved aside.
    pub fn save(&mut self) -> Result<(), String> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        if self.corrupt && path.exists() {
            let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S");
            let name = format!(
                "{}.corrupt-{stamp}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("user.json")
            );
            let aside = path.with_file_name(name);
            std::fs::rename(&path, &aside)
                .map_err(|e| format!("cannot keep the corrupt {}: {e}", path.display()))?;
        }
        self.corrupt = false;
        let mut bytes = serde_json::to_vec_pretty(&self.data).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        }
        crate::atomic::write(&path, &bytes)
            .map_err(|e| format!("cannot save {}: {e}", path.display()))
    }
}
