//! One commit of a repository as the evidence rules see it: every file with whether it is excluded (and why) and
//! whether it is unchanged since the repository's first day, the Python and workflow files read structurally,
//! and the small configuration texts. Parsed files are cached by blob, so a branch that shares most files with
//! the default branch costs only what differs.

use super::python::{self, PythonFacts};
use super::rules::exclusion;
use super::workflow::{self, Workflow};
use crate::repo::{objects::Objects, Repo, RepoError};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Files larger than this are listed but never read (models, data, notebooks with outputs).
const MAX_READ: u64 = 1 << 20;

/// One file of the commit.
#[derive(Debug, Clone)]
pub struct SnapFile {
    pub path: String,
    pub oid: String,
    pub size: u64,
    /// Its content is the same as on the repository's first day (the template's instantiation).
    pub template: bool,
    /// Why it is not the group's code (`reports/`, a virtual environment, run outputs), if so.
    pub excluded: Option<&'static str>,
}

impl SnapFile {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// A commit's files, read.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub commit: String,
    pub files: Vec<SnapFile>,
    pub python: HashMap<String, Arc<PythonFacts>>,
    pub workflows: Vec<(String, Arc<Workflow>)>,
    /// Contents of every file that was read, by path.
    pub texts: HashMap<String, Arc<Vec<u8>>>,
    /// File-name patterns pytest collects (`test_*.py`, `*_test.py` unless the project sets `python_files`).
    pub test_patterns: Vec<String>,
    /// The newest commit the hosted pre-commit service (pre-commit.ci) made in this commit's history, if any: the
    /// service runs the hooks on every push, so it is a CI running pre-commit that leaves no workflow file.
    pub precommit_ci_commit: Option<String>,
    /// Count every Python file in a test folder or named for tests as collected, whatever pytest's patterns say:
    /// how the rules ask whether a claim would hold if pytest collected everything the group wrote as a test.
    pub collect_any_test_file: bool,
    /// Where each path is in `files` ([`Reader::snapshot`] fills it): the rules ask for a file by path once per
    /// Python file and signal, which a search through `files` would make quadratic in the repository's size.
    by_path: HashMap<String, usize>,
}

impl Snapshot {
    pub fn file(&self, path: &str) -> Option<&SnapFile> {
        // The index is used only while it covers `files` (a snapshot built by hand has none).
        if !self.files.is_empty() && self.by_path.len() == self.files.len() {
            return self.by_path.get(path).and_then(|&i| self.files.get(i)).filter(|f| f.path == path);
        }
        self.files.iter().find(|f| f.path == path)
    }

    /// The text of a line of a file that was read (1-based).
    pub fn line_text(&self, path: &str, line: usize) -> Option<String> {
        let bytes = self.texts.get(path)?;
        let text = String::from_utf8_lossy(bytes);
        text.lines().nth(line.checked_sub(1)?).map(str::to_string)
    }

    /// Whether pytest collects a file by its name.
    pub fn collects(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        if self.test_patterns.iter().any(|p| super::rules::glob(p, name)) {
            return true;
        }
        let lower = path.to_lowercase();
        self.collect_any_test_file
            && lower.ends_with(".py")
            && name != "conftest.py"
            && (lower.rsplit('/').next().is_some_and(|n| n.contains("test"))
                || lower.split('/').any(|d| d == "tests" || d == "test"))
    }
}

/// Whether a file's content is read (by its name; its size is checked too).
fn wanted(path: &str) -> bool {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(ext, "py" | "yml" | "yaml" | "toml" | "cfg" | "ini" | "sh")
        || name.starts_with("dockerfile")
        || name.ends_with("dockerfile")
        || name == "makefile"
        || lower.ends_with(".dvc/config")
        || (matches!(ext, "js" | "ts")
            && (name.contains("load") || name.contains("k6") || name.contains("locust") || lower.contains("load")))
}

/// Reads snapshots of one repository.
pub struct Reader<'r> {
    pub repo: &'r Repo,
    objects: Objects<'r>,
    parser: Option<tree_sitter::Parser>,
    bytes: HashMap<String, Arc<Vec<u8>>>,
    python: HashMap<String, Arc<PythonFacts>>,
    workflows: HashMap<String, Option<Arc<Workflow>>>,
    template: HashSet<String>,
}

impl<'r> Reader<'r> {
    /// `template` names the template as instantiated: `(first commit, instantiation commit, end of the first
    /// day)`. Its blobs are the first commit's and those of the instantiation still there at the end of the first
    /// day (a template file the group deleted that day and brought back later was brought back on purpose).
    pub fn new(repo: &'r Repo, template: Option<(&str, &str, &str)>) -> Result<Reader<'r>, RepoError> {
        let mut objects = repo.objects()?;
        let mut blobs_of_template = HashSet::new();
        if let Some((first, instantiation, day_end)) = template {
            let kept: HashSet<String> = objects.files(day_end)?.into_iter().map(|f| f.oid).collect();
            blobs_of_template.extend(objects.files(first)?.into_iter().map(|f| f.oid));
            blobs_of_template
                .extend(objects.files(instantiation)?.into_iter().map(|f| f.oid).filter(|o| kept.contains(o)));
        }
        let template = blobs_of_template;
        Ok(Reader {
            repo,
            objects,
            parser: python::parser(),
            bytes: HashMap::new(),
            python: HashMap::new(),
            workflows: HashMap::new(),
            template,
        })
    }

    fn blob(&mut self, oid: &str) -> Result<Option<Arc<Vec<u8>>>, RepoError> {
        if let Some(b) = self.bytes.get(oid) {
            return Ok(Some(b.clone()));
        }
        let Some(bytes) = self.objects.read(oid)? else { return Ok(None) };
        let b = Arc::new(bytes);
        self.bytes.insert(oid.to_string(), b.clone());
        Ok(Some(b))
    }

    pub fn snapshot(&mut self, commit: &str) -> Result<Snapshot, RepoError> {
        let listed = self.objects.files(commit)?;
        // A folder holding `pyvenv.cfg` is a virtual environment, whatever it is called.
        let venvs: Vec<String> = listed
            .iter()
            .filter(|f| f.path == "pyvenv.cfg" || f.path.ends_with("/pyvenv.cfg"))
            .map(|f| f.path.trim_end_matches("pyvenv.cfg").to_string())
            .collect();
        let mut snap = Snapshot { commit: commit.to_string(), ..Snapshot::default() };
        for f in listed {
            let excluded = exclusion(&f.path).or_else(|| {
                venvs.iter().any(|v| !v.is_empty() && f.path.starts_with(v.as_str())).then_some("a virtual environment")
            });
            let template = self.template.contains(&f.oid);
            snap.files.push(SnapFile { path: f.path, oid: f.oid, size: f.size, template, excluded });
        }
        let to_read: Vec<(String, String)> = snap
            .files
            .iter()
            .filter(|f| f.excluded.is_none() && f.size <= MAX_READ && wanted(&f.path))
            .map(|f| (f.path.clone(), f.oid.clone()))
            .collect();
        for (path, oid) in to_read {
            let Some(bytes) = self.blob(&oid)? else { continue };
            let lower = path.to_lowercase();
            if lower.ends_with(".py") {
                let facts = match self.python.get(&oid) {
                    Some(f) => Some(f.clone()),
                    None => {
                        let f = self.parser.as_mut().and_then(|p| python::read(p, &bytes)).map(Arc::new);
                        if let Some(f) = &f {
                            self.python.insert(oid.clone(), f.clone());
                        }
                        f
                    }
                };
                if let Some(f) = facts {
                    snap.python.insert(path.clone(), f);
                }
            } else if (lower.starts_with(".github/workflows/") || lower.contains("/.github/workflows/"))
                && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
            {
                let w = self
                    .workflows
                    .entry(oid.clone())
                    .or_insert_with(|| workflow::read(&String::from_utf8_lossy(&bytes)).map(Arc::new))
                    .clone();
                if let Some(w) = w {
                    snap.workflows.push((path.clone(), w));
                }
            }
            snap.texts.insert(path, bytes);
        }
        include_local_actions(&mut snap);
        snap.test_patterns = test_patterns(&snap);
        for (i, f) in snap.files.iter().enumerate() {
            snap.by_path.entry(f.path.clone()).or_insert(i);
        }
        Ok(snap)
    }
}

/// A workflow step `uses: ./path` runs the steps of the composite action at `path/action.yml`: they count as the
/// workflow's own (at the line of the `uses:`), so a cache or a linter set up in a shared action is seen.
fn include_local_actions(snap: &mut Snapshot) {
    for (_, w) in snap.workflows.iter_mut() {
        if w.local_actions.is_empty() {
            continue;
        }
        let mut merged = (**w).clone();
        for (dir, line) in &w.local_actions {
            let action = ["action.yml", "action.yaml"]
                .iter()
                .find_map(|n| snap.texts.get(&format!("{dir}/{n}")))
                .and_then(|b| workflow::read_action(&String::from_utf8_lossy(b)));
            if let Some(a) = action {
                merged.include_action(&a, *line);
            }
        }
        *w = Arc::new(merged);
    }
}

/// pytest's `python_files` from `pyproject.toml` or `pytest.ini` at the root, else its default.
fn test_patterns(snap: &Snapshot) -> Vec<String> {
    let from_pyproject = snap.texts.get("pyproject.toml").and_then(|b| {
        let doc: toml::Table = toml::from_str(String::from_utf8_lossy(b).trim_start_matches('\u{feff}')).ok()?;
        let v = doc.get("tool")?.get("pytest")?.get("ini_options")?.get("python_files")?.clone();
        Some(match v {
            toml::Value::String(s) => s.split_whitespace().map(str::to_string).collect::<Vec<_>>(),
            toml::Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
            _ => vec![],
        })
    });
    let from_ini = snap.texts.get("pytest.ini").and_then(|b| {
        let text = String::from_utf8_lossy(b);
        let line = text.lines().find(|l| l.trim_start().starts_with("python_files"))?;
        Some(line.split_once('=')?.1.split_whitespace().map(str::to_string).collect::<Vec<_>>())
    });
    from_pyproject
        .or(from_ini)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| vec!["test_*.py".to_string(), "*_test.py".to_string()])
}
