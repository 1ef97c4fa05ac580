//! The manifest of a generation: which files it holds and their content hashes, so the next ingest knows what
//! changed without reading the frames.

use super::{io_err, write_atomically, Generation, Result, StoreError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One ingested report file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The report id (unique in the index).
    pub id: String,
    /// The file, absolute.
    pub file: PathBuf,
    /// The folder given to ingest it came from, absolute.
    pub root: PathBuf,
    /// blake3 of the file's bytes.
    pub hash: String,
    /// The cohort label it was ingested with.
    pub cohort: String,
}

/// What a generation holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of the index folder.
    pub format: u32,
    /// The cohort version that wrote it.
    pub written_by: String,
    /// Hash of the group list used, if any (a changed list means facts must be re-attached).
    pub groups_hash: Option<String>,
    /// The cap on an answer's length the reports were ingested with (absent in older manifests).
    #[serde(default)]
    pub max_answer_bytes: Option<u64>,
    pub entries: Vec<Entry>,
}

/// Bumped whenever the layout of a generation changes (2: unstemmed `text_exact` field for phrases; 3: fact
/// provenance and tick-state columns in the frames, which an older generation's frames cannot be stacked with).
pub const FORMAT: u32 = 3;

impl Manifest {
    pub fn read(generation: &Generation) -> Result<Manifest> {
        let path = generation.manifest_path();
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::Corrupt { path: path.clone(), reason: format!("unreadable manifest: {e}") })?;
        if m.format != FORMAT {
            return Err(StoreError::Corrupt { path, reason: format!("index format {} (this cohort reads {FORMAT})", m.format) });
        }
        Ok(m)
    }

    pub fn write(&self, generation: &Generation) -> Result<()> {
        let path = generation.manifest_path();
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| StoreError::Corrupt { path: path.clone(), reason: e.to_string() })?;
        write_atomically(&path, &bytes)
    }
}
