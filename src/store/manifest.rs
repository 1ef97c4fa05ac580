//! The manifest of a generation: which report files it holds and their content hashes, so the next ingest knows
//! what changed without reading the frames. The checksums of the generation's own files are in
//! [`super::checksums`].
//!
//! The manifest checks itself: `checksum` is the hash of its own content with `checksum` empty.

use super::{io_err, write_atomically, Generation, Result, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest's name in a generation folder.
pub const FILE_NAME: &str = "manifest.json";

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

/// Size and content hash of one file of a generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    pub bytes: u64,
    pub blake3: String,
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
    /// What generations written before `checksums.json` listed of their files (kept so that their manifests still
    /// read as written: their ids survive the rebuild); empty, and not written, now.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FileSum>,
    /// blake3 of this manifest written with `checksum` empty.
    #[serde(default)]
    pub checksum: String,
}

/// Bumped whenever the layout of a generation changes (2: unstemmed `text_exact` field for phrases; 3: file sums and
/// the manifest's own checksum; 4: fact provenance and tick-state columns in the frames, which an older
/// generation's frames cannot be stacked with; 5: the `figures` frame, which reports kept from an older generation would lack).
pub const FORMAT: u32 = 5;

fn corrupt(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt { path: path.to_path_buf(), reason: reason.into() }
}

impl Manifest {
    fn content_hash(&self) -> std::result::Result<String, serde_json::Error> {
        let mut unsigned = self.clone();
        unsigned.checksum.clear();
        Ok(blake3::hash(&serde_json::to_vec_pretty(&unsigned)?).to_hex().to_string())
    }

    /// Reads a generation's manifest, refusing one whose checksum does not match its content.
    pub fn read(generation: &Generation) -> Result<Manifest> {
        let path = generation.manifest_path();
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| corrupt(&path, format!("damaged manifest (not readable: {e})")))?;
        if m.format != FORMAT && m.checksum.is_empty() {
            return Err(corrupt(&path, format!("index format {} (this cohort reads {FORMAT})", m.format)));
        }
        let actual = m.content_hash().map_err(|e| corrupt(&path, e.to_string()))?;
        if actual != m.checksum {
            return Err(corrupt(&path, "damaged manifest (its checksum does not match its content)"));
        }
        if m.format != FORMAT {
            return Err(corrupt(&path, format!("index format {} (this cohort reads {FORMAT})", m.format)));
        }
        Ok(m)
    }

    /// Writes the manifest with its checksum (which this sets).
    pub fn write(&mut self, generation: &Generation) -> Result<()> {
        let path = generation.manifest_path();
        self.checksum = self.content_hash().map_err(|e| corrupt(&path, e.to_string()))?;
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| corrupt(&path, e.to_string()))?;
        write_atomically(&path, &bytes)
    }
}
