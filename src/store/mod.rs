//! Storage: the tantivy index of answers and the polars frames, kept together in one index folder.
//!
//! Layout of an index folder (default `./index`):
//! ```text
//! index/CURRENT          name of the live generation, replaced atomically (write + rename)
//! index/gen-000007/      one generation: tantivy/, reports.parquet, checklist.parquet, answers.parquet, manifest.json,
//!                        checksums.json
//! index/.ingest.lock     present while an ingest runs
//! ```
//! An ingest builds a new generation beside the live one and switches `CURRENT` only when everything is written,
//! so a killed ingest leaves the previous generation live and consistent; readers never see a half-written one.
//!
//! Every file of a generation is checked against [`checksums`] as it is read, chunk by chunk: a command checks what
//! it reads, and [`Generation::verify`] checks everything (after every ingest, `cohort ingest --check`, `cohort
//! serve`'s start).

pub mod checksums;
pub mod figures;
pub mod frames;
pub mod manifest;
pub mod query_syntax;
pub mod text_index;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Storage errors, with the file they are about; the cause (an I/O, tantivy or polars error) is the source.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("no index at {}: run `cohort ingest DIR --index {}` first (or `cohort demo`)", path.display(), path.display())]
    NoIndex { path: PathBuf },
    #[error(
        "{}: another ingest (process {pid}) is running on this index; wait for it, or delete the lock file if that \
         process is gone",
        path.display()
    )]
    Locked { path: PathBuf, pid: String },
    #[error("{}: search index error", path.display())]
    Tantivy { path: PathBuf, source: tantivy::TantivyError },
    #[error("{}: frame error", path.display())]
    Polars { path: PathBuf, source: polars::prelude::PolarsError },
    #[error("{}: {reason}; re-run `cohort ingest` to rebuild the index", path.display())]
    Corrupt { path: PathBuf, reason: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

/// An index folder and its generations.
#[derive(Debug, Clone)]
pub struct IndexDir {
    pub root: PathBuf,
}

/// One generation of an index: where its parts live, and their checksums once read.
#[derive(Debug, Clone)]
pub struct Generation {
    pub dir: PathBuf,
    sums: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<checksums::Checksums>>>,
}

impl Generation {
    /// The generation in this folder.
    pub fn at(dir: impl Into<PathBuf>) -> Generation {
        Generation { dir: dir.into(), sums: Default::default() }
    }

    /// The checksums of the generation's files (read once, checked against their own checksum).
    pub fn sums(&self) -> Result<std::sync::Arc<checksums::Checksums>> {
        if let Some(s) = self.sums.get() {
            return Ok(std::sync::Arc::clone(s));
        }
        let read = std::sync::Arc::new(checksums::Checksums::read(self)?);
        Ok(std::sync::Arc::clone(self.sums.get_or_init(|| read)))
    }

    /// A file of the generation (path relative to its folder), read whole and checked against its checksums.
    pub fn read_checked(&self, name: &str) -> Result<Vec<u8>> {
        self.sums()?.read_file(self, name)
    }

    pub fn tantivy_dir(&self) -> PathBuf {
        self.dir.join("tantivy")
    }
    pub fn frame_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.parquet"))
    }
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.json")
    }

    /// Reads the manifest and checks every file of the generation against the checksums; the first damaged file
    /// is the error.
    pub fn verify(&self) -> Result<manifest::Manifest> {
        let m = manifest::Manifest::read(self)?;
        if let Some(e) = self.sums()?.damaged(self).into_iter().next() {
            return Err(e);
        }
        Ok(m)
    }

    /// Checks the manifest, the checksums and every file of the generation: each damaged file as an error naming
    /// it (none when the generation is sound). What `cohort ingest --check` reports.
    pub fn damaged(&self) -> Vec<StoreError> {
        let mut errors = Vec::new();
        if let Err(e) = manifest::Manifest::read(self) {
            errors.push(e);
        }
        match self.sums() {
            Ok(sums) => errors.extend(sums.damaged(self)),
            Err(e) => errors.push(e),
        }
        errors
    }

    fn number(&self) -> Option<u64> {
        self.dir.file_name()?.to_str()?.strip_prefix("gen-")?.parse().ok()
    }
}

/// A generation being written: removed when dropped unless it was published, so a failed ingest (a full disk, a
/// damaged input) leaves nothing behind for the next one to trip over.
#[derive(Debug)]
pub struct PendingGeneration {
    generation: Generation,
    published: bool,
}

impl std::ops::Deref for PendingGeneration {
    type Target = Generation;
    fn deref(&self) -> &Generation {
        &self.generation
    }
}

impl Drop for PendingGeneration {
    fn drop(&mut self) {
        if !self.published {
            remove_settling(&self.generation.dir);
        }
    }
}

/// Removes the folder of a failed generation, in which a thread may still be finishing a file: when indexing fails
/// (a full disk), tantivy drops its document-store writer without joining the thread that compresses the store,
/// and that thread writes the store's footer once its channel closes. A file appearing during `remove_dir_all`
/// makes it fail (the folder is not empty), so it is tried again briefly; once the folder is gone, nothing can
/// appear in it. Whatever is still left is removed by the next ingest ([`IndexDir::remove_unpublished`]).
fn remove_settling(dir: &Path) {
    for _ in 0..20 {
        match fs::remove_dir_all(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            _ => return,
        }
    }
}

impl IndexDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        IndexDir { root: root.into() }
    }

    fn current_file(&self) -> PathBuf {
        self.root.join("CURRENT")
    }

    /// The live generation, if the folder holds an index.
    pub fn current(&self) -> Result<Option<Generation>> {
        let path = self.current_file();
        match fs::read_to_string(&path) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains('/') || name.contains("..") {
                    return Err(StoreError::Corrupt { path, reason: "CURRENT does not name a generation".into() });
                }
                Ok(Some(Generation::at(self.root.join(name))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path, source: e }),
        }
    }

    /// The live generation with its checksums read (checked against their own checksum); or an error telling how
    /// to make one, or naming what is damaged. Each file is checked as it is read: a search that panics or quietly
    /// misses answers on a damaged file costs far more than the check (tantivy and Parquet readers trust their
    /// bytes), and checking only what is read keeps a search in milliseconds.
    pub fn require_current(&self) -> Result<Generation> {
        let generation = self.current()?.ok_or_else(|| StoreError::NoIndex { path: self.root.clone() })?;
        generation.sums()?;
        Ok(generation)
    }

    /// A fresh generation folder (not yet live), removed again unless [`IndexDir::publish`]ed.
    pub fn new_generation(&self) -> Result<PendingGeneration> {
        self.new_generation_dir().map(|generation| PendingGeneration { generation, published: false })
    }

    fn new_generation_dir(&self) -> Result<Generation> {
        fs::create_dir_all(&self.root).map_err(io_err(&self.root))?;
        let mut n = self.generation_numbers()?.into_iter().max().unwrap_or(0) + 1;
        loop {
            let dir = self.root.join(format!("gen-{n:06}"));
            match fs::create_dir(&dir) {
                Ok(()) => return Ok(Generation::at(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(StoreError::Io { path: dir, source: e }),
            }
        }
    }

    fn generation_numbers(&self) -> Result<Vec<u64>> {
        let mut v = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(v),
            Err(e) => return Err(StoreError::Io { path: self.root.clone(), source: e }),
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(n) = name.strip_prefix("gen-").and_then(|s| s.parse().ok()) {
                v.push(n);
            }
        }
        Ok(v)
    }

    /// Makes a generation live: the switch is one atomic rename of the CURRENT file. `was_live` is the generation
    /// that was live until now: it is kept (a reader may still have it open); every other one goes.
    pub fn publish(&self, generation: &mut PendingGeneration, was_live: Option<&Generation>) -> Result<()> {
        let name = generation.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        write_atomically(&self.current_file(), name.as_bytes())?;
        generation.published = true;
        let keep = [generation.number(), was_live.and_then(Generation::number)];
        self.remove_generations_except(&keep);
        Ok(())
    }

    /// Removes what ingests that failed or were killed left: every generation but the live one and, if given, the
    /// one live before it. Only call while holding the ingest lock (no other ingest is writing one). Failures here
    /// lose nothing and are ignored.
    pub fn remove_unpublished(&self, live: Option<&Generation>) {
        let live_n = live.and_then(Generation::number);
        let Ok(numbers) = self.generation_numbers() else { return };
        // Generations newer than the live one were never published; older ones are kept as the previous ingest
        // left them (a reader may still be reading the one live before it).
        for n in numbers {
            if live_n.map_or(true, |live| n > live) {
                let _ = fs::remove_dir_all(self.root.join(format!("gen-{n:06}")));
            }
        }
    }

    fn remove_generations_except(&self, keep: &[Option<u64>]) {
        let Ok(numbers) = self.generation_numbers() else { return };
        for n in numbers {
            if !keep.contains(&Some(n)) {
                let _ = fs::remove_dir_all(self.root.join(format!("gen-{n:06}")));
            }
        }
    }

    /// Takes the ingest lock; it is released when the guard drops. A lock left by a process that no longer
    /// exists is taken over.
    pub fn lock(&self) -> Result<IngestLock> {
        fs::create_dir_all(&self.root).map_err(io_err(&self.root))?;
        let path = self.root.join(".ingest.lock");
        for _ in 0..2 {
            match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(IngestLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&path).unwrap_or_default().trim().to_string();
                    let alive = !pid.is_empty() && Path::new("/proc").join(&pid).exists();
                    if alive {
                        return Err(StoreError::Locked { path, pid });
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(StoreError::Io { path, source: e }),
            }
        }
        Err(StoreError::Locked { path, pid: "unknown".into() })
    }
}

/// Held while an ingest runs.
#[derive(Debug)]
pub struct IngestLock {
    path: PathBuf,
}

impl Drop for IngestLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Writes a file so that it is whole or absent: `write` fills a temporary file beside `path`, which is synced and
/// renamed over `path` only when everything is written. Readers see the old content or the new, never a part; a
/// full disk, a writer that fails half-way or a killed process leaves the previous file (or none), never a
/// truncated one that a notebook, spreadsheet, browser or the index would read as whole. Every file cohort writes
/// for keeps (index files, frames, exports, figures, HTML pages) goes through here.
///
/// `write` gets the open temporary file and its path, for writers that open the path themselves; the path keeps
/// the extension of `path` (writers that tell the format by it, like the PNG encoder).
pub fn write_whole<E: From<StoreError>>(
    path: &Path,
    access: Access,
    write: impl FnOnce(&mut fs::File, &Path) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let suffix = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cohort-").suffix(&suffix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(match access {
        Access::Shared => 0o666,
        Access::OwnerOnly => 0o600,
    }));
    let mut tmp = builder.tempfile_in(dir).map_err(io_err(dir))?;
    let tmp_path = tmp.path().to_path_buf();
    write(tmp.as_file_mut(), &tmp_path)?;
    tmp.as_file().sync_all().map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| StoreError::Io { path: path.to_path_buf(), source: e.error })?;
    Ok(())
}

/// Who may read a file [`write_whole`] writes (on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// What a plain create gives (0666 less the umask): figures, pages, exports and index files staff share.
    Shared,
    /// The owner only (0600): the pseudonym key.
    OwnerOnly,
}

/// Writes `bytes` to `path` through [`write_whole`], [`Access::Shared`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_whole(path, Access::Shared, |file, _| file.write_all(bytes).map_err(io_err(path)))
}

/// Hard-links (or copies) every file of a folder into another; tantivy never changes a segment file once
/// written, so linking is a safe, instant copy of the previous index.
pub fn link_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(io_err(to))?;
    for entry in fs::read_dir(from).map_err(io_err(from))? {
        let entry = entry.map_err(io_err(from))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if entry.file_type().map_err(io_err(&src))?.is_dir() {
            link_tree(&src, &dst)?;
        } else if entry.file_name().to_string_lossy().ends_with(".lock") {
            // tantivy's lock files belong to the index that holds them.
            continue;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(io_err(&src))?;
        }
    }
    Ok(())
}
