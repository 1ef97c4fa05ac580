//! The manifest of a generation: which report files it holds and their content hashes, so the next ingest knows
//! what changed without reading the frames; and the size and hash of every file of the generation itself, so a
//! damaged index is recognised when it is opened rather than read (a flipped byte in a tantivy or Parquet file can
//! panic the reader or silently change answers).
//!
//! The manifest checks itself: `checksum` is the hash of its own content with `checksum` empty.

use super::{io_err, write_atomically, Generation, Result, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// Every file of the generation but the manifest, by its path relative to the generation folder (`/`-separated).
    #[serde(default)]
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

    /// Records the size and hash of every file now in the generation (but the manifest and lock files).
    pub fn record_files(&mut self, generation: &Generation) -> Result<()> {
        let mut paths = Vec::new();
        list_files(&generation.dir, &generation.dir, &mut paths)?;
        let sums = crate::parallel::map_in_order(&paths, |(_, path)| file_sum(path));
        self.files.clear();
        for ((name, _), sum) in paths.into_iter().zip(sums) {
            self.files.insert(name, sum?);
        }
        Ok(())
    }

    /// Checks that every file the manifest lists is there with its recorded size and hash; the first that is not
    /// is the error.
    pub fn verify_files(&self, generation: &Generation) -> Result<()> {
        let listed: Vec<(&String, &FileSum)> = self.files.iter().collect();
        let checks = crate::parallel::map_in_order(&listed, |(name, want)| {
            let path = generation.dir.join(name);
            let size = std::fs::metadata(&path).map_err(io_err(&path))?.len();
            if size != want.bytes {
                return Err(corrupt(&path, format!("damaged index file ({size} bytes, {} when written)", want.bytes)));
            }
            let got = file_sum(&path)?;
            if got != **want {
                return Err(corrupt(&path, "damaged index file (its content changed since it was written)"));
            }
            Ok(())
        });
        checks.into_iter().collect()
    }
}

fn file_sum(path: &Path) -> Result<FileSum> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut hasher = blake3::Hasher::new();
    let bytes = hasher.update_reader(file).map_err(io_err(path))?.count();
    Ok(FileSum { bytes, blake3: hasher.finalize().to_hex().to_string() })
}

/// The files under `dir` as (name relative to `base`, path), skipping the manifest and lock files (which come and
/// go with the processes that hold them).
fn list_files(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        if entry.file_type().map_err(io_err(&path))?.is_dir() {
            list_files(base, &path, out)?;
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") || (dir == base && name == "manifest.json") || name.starts_with(".tmp") {
            continue;
        }
        let relative = path.strip_prefix(base).unwrap_or(&path);
        let relative: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        out.push((relative.join("/"), path));
    }
    Ok(())
}
