//! Checksums of a generation's files in fixed-size chunks (`checksums.json`), so that a command checks exactly the
//! bytes it reads: a search that reads twenty stored documents hashes the few chunks they lie in, not the whole
//! generation. The tantivy directory ([`super::text_index`]) checks each chunk the first time any part of it is
//! read; a frame is checked as it is read ([`super::frames::read`]); [`Checksums::damaged`] checks everything (after
//! every ingest, before the new generation goes live; `cohort ingest --check`; once when `cohort serve` starts).
//!
//! The file checks itself: `checksum` is the hash of its own content with `checksum` empty. A flipped byte a command
//! reads is therefore always noticed, whichever file it is in (a flipped byte in a tantivy or Parquet file can
//! panic the reader or silently change answers).

use super::{io_err, write_atomically, Generation, Result, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's name in a generation folder.
pub const FILE_NAME: &str = "checksums.json";

/// Bytes per checked chunk: small enough that a search reading twenty documents hashes little, large enough that
/// the sums of a 10,000-report generation stay a few hundred kilobytes.
pub const CHUNK: usize = 64 * 1024;

/// Bumped when the layout of `checksums.json` changes.
const VERSION: u32 = 1;

/// Hex digits per chunk sum (the first 16 bytes of the chunk's blake3 hash).
const SUM_HEX: usize = 32;

/// One file's size and the sums of its chunks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChunks {
    pub bytes: u64,
    /// The chunks' sums, `SUM_HEX` hex digits each, in order.
    pub sums: String,
}

/// The sums of every file of a generation but the manifest and this file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksums {
    pub version: u32,
    /// Bytes per chunk.
    pub chunk: u64,
    /// By path relative to the generation folder, `/`-separated.
    pub files: BTreeMap<String, FileChunks>,
    /// blake3 of this file written with `checksum` empty.
    pub checksum: String,
}

fn corrupt(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt { path: path.to_path_buf(), reason: reason.into() }
}

fn chunk_sum(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    let mut hex = hash.to_hex();
    hex.truncate(SUM_HEX);
    hex.to_string()
}

/// What is wrong with a chunk or file, as the error says it.
pub fn damaged_range(from: u64, to: u64) -> String {
    format!("damaged index file (bytes {from}..{to} changed since it was written)")
}

/// Reads a file a chunk at a time (a whole tantivy store or frame need not be in memory to be summed), giving each
/// chunk to `each`; the file's length.
fn each_chunk(path: &Path, mut each: impl FnMut(usize, &[u8]) -> bool) -> Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut buf = vec![0u8; CHUNK];
    let (mut k, mut total) = (0usize, 0u64);
    loop {
        let mut filled = 0;
        while filled < CHUNK {
            match file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(StoreError::Io { path: path.to_path_buf(), source: e }),
            }
        }
        if filled == 0 {
            return Ok(total);
        }
        total += filled as u64;
        if !each(k, &buf[..filled]) {
            return Ok(total);
        }
        k += 1;
        if filled < CHUNK {
            return Ok(total);
        }
    }
}

impl FileChunks {
    fn of_file(path: &Path) -> Result<FileChunks> {
        let mut sums = String::new();
        let bytes = each_chunk(path, |_, chunk| {
            sums.push_str(&chunk_sum(chunk));
            true
        })?;
        Ok(FileChunks { bytes, sums })
    }

    /// Checks a file on disk a chunk at a time: `None` when it is as written, else why not.
    fn check_file(&self, path: &Path) -> Result<Option<String>> {
        let size = std::fs::metadata(path).map_err(io_err(path))?.len();
        if size != self.bytes {
            return Ok(Some(format!("damaged index file ({size} bytes, {} when written)", self.bytes)));
        }
        let mut bad = None;
        each_chunk(path, |k, chunk| {
            if self.chunk_is(k, chunk) {
                return true;
            }
            bad = Some(k);
            false
        })?;
        Ok(bad.map(|k| {
            let r = self.chunk_range(k);
            damaged_range(r.start as u64, r.end as u64)
        }))
    }

    /// How many chunks the file has.
    pub fn chunks(&self) -> usize {
        self.sums.len() / SUM_HEX
    }

    /// Whether `bytes` are chunk `k` as written.
    pub fn chunk_is(&self, k: usize, bytes: &[u8]) -> bool {
        self.sums.get(k * SUM_HEX..(k + 1) * SUM_HEX).is_some_and(|want| want == chunk_sum(bytes))
    }

    /// The byte range of chunk `k`.
    pub fn chunk_range(&self, k: usize) -> std::ops::Range<usize> {
        let len = usize::try_from(self.bytes).unwrap_or(usize::MAX);
        (k * CHUNK).min(len)..((k + 1) * CHUNK).min(len)
    }

    /// Checks a whole file's bytes: `None` when they are as written, else why not.
    pub fn check(&self, bytes: &[u8]) -> Option<String> {
        if bytes.len() as u64 != self.bytes {
            return Some(format!("damaged index file ({} bytes, {} when written)", bytes.len(), self.bytes));
        }
        // Large files (a frame) on two threads: the chunks are independent.
        let chunks: Vec<(usize, &[u8])> = bytes.chunks(CHUNK).enumerate().collect();
        let bad = if chunks.len() > 64 {
            let halves: Vec<&[(usize, &[u8])]> = chunks.chunks(chunks.len().div_ceil(2)).collect();
            crate::parallel::map_in_order(&halves, |part| part.iter().find(|(k, c)| !self.chunk_is(*k, c)).copied())
                .into_iter()
                .flatten()
                .next()
        } else {
            chunks.iter().find(|(k, c)| !self.chunk_is(*k, c)).copied()
        };
        bad.map(|(k, _)| {
            let r = self.chunk_range(k);
            damaged_range(r.start as u64, r.end as u64)
        })
    }
}

impl Checksums {
    fn path(generation: &Generation) -> PathBuf {
        generation.dir.join(FILE_NAME)
    }

    fn content_hash(&self) -> std::result::Result<String, serde_json::Error> {
        let mut unsigned = self.clone();
        unsigned.checksum.clear();
        Ok(blake3::hash(&serde_json::to_vec(&unsigned)?).to_hex().to_string())
    }

    /// The sums of every file now in the generation (but the manifest, this file and lock files).
    pub fn compute(generation: &Generation) -> Result<Checksums> {
        let mut paths = Vec::new();
        list_files(&generation.dir, &generation.dir, &mut paths)?;
        let sums = crate::parallel::map_in_order(&paths, |(_, path)| FileChunks::of_file(path));
        let mut files = BTreeMap::new();
        for ((name, _), sum) in paths.into_iter().zip(sums) {
            files.insert(name, sum?);
        }
        Ok(Checksums { version: VERSION, chunk: CHUNK as u64, files, checksum: String::new() })
    }

    /// Writes the file with its checksum (which this sets).
    pub fn write(&mut self, generation: &Generation) -> Result<()> {
        let path = Self::path(generation);
        self.checksum = self.content_hash().map_err(|e| corrupt(&path, e.to_string()))?;
        let bytes = serde_json::to_vec(self).map_err(|e| corrupt(&path, e.to_string()))?;
        write_atomically(&path, &bytes)
    }

    /// Reads a generation's checksums, refusing a file whose own checksum does not match its content. A generation
    /// without one was written by an older cohort (whose manifest then says which format it is).
    pub fn read(generation: &Generation) -> Result<Checksums> {
        let path = Self::path(generation);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // The manifest's own error (older format, damaged) says more, when it has one.
                super::manifest::Manifest::read(generation)?;
                return Err(corrupt(&path, "missing (an index written by an older cohort?)"));
            }
            Err(e) => return Err(StoreError::Io { path, source: e }),
        };
        let sums: Checksums = serde_json::from_slice(&bytes)
            .map_err(|e| corrupt(&path, format!("damaged checksums (not readable: {e})")))?;
        let actual = sums.content_hash().map_err(|e| corrupt(&path, e.to_string()))?;
        if actual != sums.checksum {
            return Err(corrupt(&path, "damaged checksums (the file's own checksum does not match its content)"));
        }
        if sums.version != VERSION || sums.chunk != CHUNK as u64 {
            return Err(corrupt(&path, format!("checksums version {} (this cohort reads {VERSION})", sums.version)));
        }
        if let Some((name, _)) =
            sums.files.iter().find(|(_, f)| f.sums.len() != f.bytes.div_ceil(CHUNK as u64) as usize * SUM_HEX)
        {
            return Err(corrupt(&path, format!("damaged checksums (the sums of {name} do not fit its size)")));
        }
        Ok(sums)
    }

    /// The sums of one file, by its path relative to the generation folder.
    pub fn file(&self, name: &str) -> Option<&FileChunks> {
        self.files.get(name)
    }

    /// Reads a listed file whole and checks it; an unlisted one is read as it is (`verdicts.parquet`, which
    /// `cohort ingest --repos` adds to a live generation).
    pub fn read_file(&self, generation: &Generation, name: &str) -> Result<Vec<u8>> {
        let path = generation.dir.join(name);
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        if let Some(reason) = self.file(name).and_then(|sums| sums.check(&bytes)) {
            return Err(corrupt(&path, reason));
        }
        Ok(bytes)
    }

    /// Checks every listed file of the generation: every damaged or missing file, each as an error naming it.
    pub fn damaged(&self, generation: &Generation) -> Vec<StoreError> {
        let listed: Vec<(&String, &FileChunks)> = self.files.iter().collect();
        crate::parallel::map_in_order(&listed, |(name, want)| {
            let path = generation.dir.join(name);
            match want.check_file(&path)? {
                Some(reason) => Err(corrupt(&path, reason)),
                None => Ok(()),
            }
        })
        .into_iter()
        .filter_map(std::result::Result::err)
        .collect()
    }
}

/// The files under `dir` as (name relative to `base`, path), skipping the manifest, the checksums and lock files
/// (which come and go with the processes that hold them).
pub(super) fn list_files(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        if entry.file_type().map_err(io_err(&path))?.is_dir() {
            list_files(base, &path, out)?;
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let own = dir == base && (name == super::manifest::FILE_NAME || name == FILE_NAME);
        if name.ends_with(".lock") || own || name.starts_with(".tmp") || name.starts_with(".cohort-") {
            continue;
        }
        let relative = path.strip_prefix(base).unwrap_or(&path);
        let relative: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        out.push((relative.join("/"), path));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation_with(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Generation) {
        let dir = tempfile::tempdir().expect("temp dir");
        let generation = Generation::at(dir.path().join("gen-000001"));
        for (name, bytes) in files {
            let path = generation.dir.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        (dir, generation)
    }

    #[test]
    fn every_changed_chunk_and_size_is_noticed_and_named() {
        let big: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i * 7 % 251) as u8).collect();
        let (_dir, generation) = generation_with(&[("tantivy/a.store", big.clone()), ("reports.parquet", vec![1, 2])]);
        let mut sums = Checksums::compute(&generation).expect("sums");
        assert_eq!(sums.files["tantivy/a.store"].chunks(), 4);
        sums.write(&generation).expect("write");
        let sums = Checksums::read(&generation).expect("read back");
        assert!(sums.damaged(&generation).is_empty());
        for at in [0, CHUNK - 1, CHUNK, 3 * CHUNK + 16] {
            let mut bad = big.clone();
            bad[at] ^= 0x20;
            let reason = sums.files["tantivy/a.store"].check(&bad).expect("noticed");
            let k = at / CHUNK;
            assert!(reason.contains(&format!("bytes {}..", k * CHUNK)), "{at}: {reason}");
            std::fs::write(generation.dir.join("tantivy/a.store"), &bad).expect("write");
            let errors = sums.damaged(&generation);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].to_string().contains("a.store"), "{}", errors[0]);
        }
        std::fs::write(generation.dir.join("tantivy/a.store"), &big[..CHUNK]).expect("cut");
        assert!(sums.damaged(&generation)[0].to_string().contains("bytes,"), "a cut file says its size");
        std::fs::remove_file(generation.dir.join("reports.parquet")).expect("remove");
        assert_eq!(sums.damaged(&generation).len(), 2, "a missing file is named too");
    }

    #[test]
    fn a_damaged_checksums_file_is_refused() {
        let (_dir, generation) = generation_with(&[("reports.parquet", vec![5; 100])]);
        let mut sums = Checksums::compute(&generation).expect("sums");
        sums.write(&generation).expect("write");
        let path = generation.dir.join(FILE_NAME);
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.len() / 2;
        bytes[at] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        let e = Checksums::read(&generation).expect_err("damaged");
        assert!(e.to_string().contains("checksums.json"), "{e}");
    }
}
