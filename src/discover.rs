//! Finding report files in the layouts staff really have: one folder per group (`owner__repo/README.md`),
//! `group_12/reports/README.md`, `cloned_repos/group_<n>/...`, several cohorts side by side, or files given
//! directly.

use crate::corpus::Outcome;
use crate::domain::{parse_bytes, ParseError, ParseErrorKind, Report};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Default cap on a report file's size (20 MB, counted as `--max-file-mb` counts); larger files are reported, not read.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20_000_000;

/// A markdown file that may be a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The file.
    pub path: PathBuf,
    /// The root it was found under (the folder given on the command line, or the file's folder).
    pub root: PathBuf,
    /// Whether the file was named explicitly (then it is parsed whatever its name).
    pub explicit: bool,
}

/// A file or folder that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Folders that never hold a group's report.
pub fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "node_modules" | "target" | "venv" | "__pycache__" | "site-packages")
}

const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device): skipped; replace it with the report file";

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("md"))
}

/// Why the walk could not enter or stat an entry, in words that say what to do.
fn walk_error_reason(path: &Path, e: &walkdir::Error) -> String {
    if e.loop_ancestor().is_some() {
        return "symbolic link loop (it points back to a folder above it): not followed".into();
    }
    let io = e.io_error();
    let why = io.map_or(e.to_string(), ToString::to_string);
    match std::fs::read_link(path) {
        Ok(target) if io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {
            format!("symbolic link to {}, which does not exist: skipped", target.display())
        }
        // A link that resolves to itself, directly or through other links, says "too many levels".
        Ok(target) => format!("symbolic link to {} cannot be followed ({why}): skipped", target.display()),
        Err(_) => format!("cannot read: {why}; skipped"),
    }
}

/// Lists the markdown files under the given paths, with the problems met on the way.
pub fn candidates(paths: &[PathBuf]) -> (Vec<Candidate>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) => problems.push(Problem { path: root.clone(), reason: format!("cannot read: {e}") }),
            Ok(m) if m.is_file() => found.push(Candidate {
                path: root.clone(),
                root: root.parent().map(Path::to_path_buf).unwrap_or_default(),
                explicit: true,
            }),
            Ok(m) if !m.is_dir() => problems.push(Problem { path: root.clone(), reason: NOT_REGULAR.into() }),
            Ok(_) => {
                let root_real = std::fs::canonicalize(root).ok();
                let walker = WalkDir::new(root)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && skipped_dir(&e.file_name().to_string_lossy())));
                for entry in walker {
                    match entry {
                        Err(e) => {
                            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                            let reason = walk_error_reason(&path, &e);
                            problems.push(Problem { path, reason });
                        }
                        Ok(e) if e.file_type().is_file() => {
                            if is_markdown(e.path()) {
                                // A symbolic link (to the file or a folder above it) that leads out of the folder
                                // given is not followed: a group's repository must not make cohort read elsewhere.
                                let inside = e.depth() == 0
                                    || std::fs::canonicalize(e.path())
                                        .is_ok_and(|real| root_real.as_ref().is_some_and(|r| real.starts_with(r)));
                                if inside {
                                    found.push(Candidate { path: e.path().to_path_buf(), root: root.clone(), explicit: false });
                                } else {
                                    problems.push(Problem {
                                        path: e.path().to_path_buf(),
                                        reason: format!(
                                            "symbolic link leads outside {}; not followed (copy the file into the folder to include it)",
                                            root.display()
                                        ),
                                    });
                                }
                            }
                        }
                        // A FIFO, socket or device named like a report is never opened (reading a FIFO blocks until
                        // something writes to it), but staff are told it was there.
                        Ok(e) if !e.file_type().is_dir() && is_markdown(e.path()) => {
                            problems.push(Problem { path: e.path().to_path_buf(), reason: NOT_REGULAR.into() });
                        }
                        Ok(_) => {}
                    }
                }
            }
        }
    }
    (found, problems)
}

/// A report read from disk, with its id.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: String,
    /// Path relative to the root it was found under.
    pub relative: PathBuf,
    pub root: PathBuf,
    pub report: Report,
    /// The file's bytes' hash (for incremental ingest).
    pub hash: String,
}

/// Limits on what is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: DEFAULT_MAX_FILE_BYTES }
    }
}

/// Whether a parsed markdown file found by walking is an exam report rather than some other document: it must
/// carry several template questions or a real checklist.
pub fn looks_like_report(report: &Report) -> bool {
    report.answers.iter().filter(|a| a.key.is_some()).count() >= 3 || report.checklist.len() >= 10
}

/// The outcome of reading one candidate.
pub enum Read {
    Report(Box<Found>),
    /// Markdown that is not a report (a project README, docs): skipped quietly.
    NotAReport,
    Problem(Problem),
}

/// Reads and parses candidates on all cores; results keep the candidates' order, and `each` is called as each one
/// is done (a progress bar). A panic while parsing one file (a bug) becomes a problem for that file, never a lost
/// batch.
pub fn read_all(cands: &[Candidate], limits: Limits, each: impl Fn() + Sync) -> Vec<Read> {
    let threads = crate::parallel::default_threads();
    crate::corpus::read_each(cands, limits, threads, |_, _| (), each)
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Report(found, ()) => Read::Report(found),
            Outcome::NotAReport => Read::NotAReport,
            Outcome::Problem(p) => Read::Problem(p),
        })
        .collect()
}

/// Reads and parses one candidate.
pub fn read(c: &Candidate, limits: Limits) -> Read {
    match read_bytes(c, limits) {
        Ok(bytes) => parse_candidate(c, &bytes),
        Err(problem) => Read::Problem(problem),
    }
}

/// Reads a candidate's bytes, within the size limit. For callers that need the bytes as well as the report (the
/// course checker's emulation reads the file as the checker does); [`parse_candidate`] makes the report.
pub fn read_bytes(c: &Candidate, limits: Limits) -> Result<Vec<u8>, Problem> {
    let meta = std::fs::metadata(&c.path)
        .map_err(|e| Problem { path: c.path.clone(), reason: format!("cannot read: {e}") })?;
    if meta.len() > limits.max_file_bytes {
        return Err(Problem {
            path: c.path.clone(),
            reason: format!(
                "file is {} MB, over the {} MB limit for a report (raise it with --max-file-mb)",
                meta.len() / 1_000_000,
                limits.max_file_bytes / 1_000_000
            ),
        });
    }
    std::fs::read(&c.path).map_err(|e| Problem { path: c.path.clone(), reason: format!("cannot read: {e}") })
}

/// Parses a candidate's bytes (see [`read_bytes`]).
pub fn parse_candidate(c: &Candidate, bytes: &[u8]) -> Read {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let relative = c.path.strip_prefix(&c.root).unwrap_or(&c.path).to_path_buf();
    match parse_bytes(&relative, bytes) {
        Ok(report) if c.explicit || looks_like_report(&report) => {
            Read::Report(Box::new(Found { id: String::new(), relative, root: c.root.clone(), report, hash }))
        }
        Ok(_) => Read::NotAReport,
        Err(ParseError { kind: ParseErrorKind::NotAReport, .. }) if !c.explicit => Read::NotAReport,
        Err(e) => Read::Problem(Problem { path: c.path.clone(), reason: format_reason(&e) }),
    }
}

fn format_reason(e: &ParseError) -> String {
    match &e.kind {
        ParseErrorKind::Decode(d) => d.to_string(),
        ParseErrorKind::NotAReport => "not an exam report (no question headings and no checklist found)".into(),
    }
}

/// The id of a report: its folder relative to the root, without a trailing `reports` folder
/// (`group_12/reports/README.md` → `group_12`); a file directly in the root is named by its stem.
pub fn report_id(relative: &Path) -> String {
    let mut parts: Vec<String> =
        relative.parent().map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect()).unwrap_or_default();
    while parts.last().is_some_and(|p| p.eq_ignore_ascii_case("reports") || p.eq_ignore_ascii_case("report")) && parts.len() > 1 {
        parts.pop();
    }
    if parts.is_empty() {
        return relative.file_stem().map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// Gives every report its id; reports that would share one (two reports in one folder) are named by their file.
pub fn assign_ids(found: &mut [Found]) {
    let mut count: HashMap<(PathBuf, String), usize> = HashMap::new();
    for f in found.iter_mut() {
        f.id = report_id(&f.relative);
        *count.entry((f.root.clone(), f.id.clone())).or_default() += 1;
    }
    for f in found.iter_mut() {
        if count[&(f.root.clone(), f.id.clone())] > 1 {
            f.id = f.relative.with_extension("").to_string_lossy().replace('\\', "/");
        }
    }
}

/// Finds and parses every report under the given paths. Problems never stop the walk.
pub fn discover(paths: &[PathBuf], limits: Limits) -> (Vec<Found>, Vec<Problem>) {
    let (cands, mut problems) = candidates(paths);
    let mut found = Vec::new();
    for r in read_all(&cands, limits, || {}) {
        match r {
            Read::Report(f) => found.push(*f),
            Read::NotAReport => {}
            Read::Problem(p) => problems.push(p),
        }
    }
    assign_ids(&mut found);
    (found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_layouts() {
        assert_eq!(report_id(Path::new("owner__repo/README.md")), "owner__repo");
        assert_eq!(report_id(Path::new("group_12/reports/README.md")), "group_12");
        assert_eq!(report_id(Path::new("2025/group_3/reports/README.md")), "2025/group_3");
        assert_eq!(report_id(Path::new("README.md")), "README");
        assert_eq!(report_id(Path::new("reports/README.md")), "reports");
    }
}
