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
    /// Its content is the course template's (the same as other groups' first day, or the course template's
    /// file): not the group's work.
    pub template: bool,
    /// The repository lacks its blob (a partial clone, a damaged mirror): listed, its content unknown (size 0).
    pub missing: bool,
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
    /// Files whose content the rules read but whose blob the repository lacks (a partial clone): a claim without
    /// evidence may have it there.
    pub unread: Vec<String>,
    /// Test functions pytest would not run, as `path:line name (asks for ...)`: they ask for fixtures nobody
    /// provides (a manual script named `test_*.py` whose functions take a URL or a file).
    pub not_run: Vec<String>,
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
pub(crate) fn wanted(path: &str) -> bool {
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
    /// `template` names the blobs that are the course template's content ([`super::template`]).
    pub fn new(repo: &'r Repo, template: HashSet<String>) -> Result<Reader<'r>, RepoError> {
        let objects = repo.objects()?;
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
        // A folder with its own `.github/` beside the group's own project is another project copied in (a vendored
        // SDK, a cloned library): its workflows never run here and its code is not the group's. When nothing of a
        // project lies outside it, it is the group's project, kept in a folder of the repository.
        let mut nested: Vec<String> =
            listed.iter().filter_map(|f| f.path.find("/.github/").map(|i| format!("{}/", &f.path[..i]))).collect();
        nested.sort();
        nested.dedup();
        nested.retain(|n| {
            listed.iter().any(|f| {
                let name = f.path.rsplit('/').next().unwrap_or(&f.path);
                !f.path.starts_with(n.as_str())
                    && exclusion(&f.path).is_none()
                    && (name.ends_with(".py") || matches!(name, "pyproject.toml" | "setup.py" | "requirements.txt"))
            })
        });
        let mut snap = Snapshot { commit: commit.to_string(), ..Snapshot::default() };
        for f in listed {
            let excluded = exclusion(&f.path)
                .or_else(|| {
                    venvs
                        .iter()
                        .any(|v| !v.is_empty() && f.path.starts_with(v.as_str()))
                        .then_some("a virtual environment")
                })
                .or_else(|| {
                    nested
                        .iter()
                        .any(|n| f.path.starts_with(n.as_str()))
                        .then_some("another project (its own .github/)")
                });
            let template = self.template.contains(&f.oid);
            let missing = self.objects.is_missing(&f.oid);
            snap.files.push(SnapFile { path: f.path, oid: f.oid, size: f.size, template, excluded, missing });
        }
        let to_read: Vec<(String, String)> = snap
            .files
            .iter()
            .filter(|f| f.excluded.is_none() && !f.missing && f.size <= MAX_READ && wanted(&f.path))
            .map(|f| (f.path.clone(), f.oid.clone()))
            .collect();
        for (path, oid) in to_read {
            let Some(bytes) = self.blob(&oid)? else {
                snap.unread.push(path);
                continue;
            };
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
        // Files whose content the rules would read but the repository lacks.
        snap.unread.extend(
            snap.files.iter().filter(|f| f.excluded.is_none() && f.missing && wanted(&f.path)).map(|f| f.path.clone()),
        );
        snap.unread.sort();
        include_local_actions(&mut snap);
        snap.test_patterns = test_patterns(&snap);
        drop_tests_pytest_cannot_run(&mut snap);
        for (i, f) in snap.files.iter().enumerate() {
            snap.by_path.entry(f.path.clone()).or_insert(i);
        }
        Ok(snap)
    }
}

/// Test functions asking for a fixture nobody provides are not run by pytest (it reports an error for each):
/// they are removed from their file's tests, and named in `not_run`. A project that loads fixture plugins
/// (`pytest_plugins`) or generates parameters (`pytest_generate_tests`) may provide any name: nothing is removed.
fn drop_tests_pytest_cannot_run(snap: &mut Snapshot) {
    let mentions = |needle: &str| {
        snap.texts.iter().any(|(p, b)| p.ends_with(".py") && b.windows(needle.len()).any(|w| w == needle.as_bytes()))
    };
    if mentions("pytest_plugins") || mentions("pytest_generate_tests") {
        return;
    }
    let provided: HashSet<&str> = snap
        .python
        .iter()
        .filter(|(p, _)| p.rsplit('/').next() == Some("conftest.py"))
        .flat_map(|(_, f)| f.fixtures.iter().map(String::as_str))
        .chain(super::rules::PYTEST_FIXTURES.iter().copied())
        .collect();
    let mut changed = Vec::new();
    for (path, f) in &snap.python {
        let known = |name: &str| {
            provided.contains(name)
                || f.fixtures.iter().any(|x| x == name)
                || f.imports.iter().any(|i| i.name.rsplit('.').next() == Some(name))
        };
        let (run, not_run): (Vec<_>, Vec<_>) =
            f.tests.iter().cloned().partition(|t| t.fixtures_wanted.iter().all(|w| known(w)));
        if !not_run.is_empty() {
            let not_run: Vec<_> = not_run
                .into_iter()
                .map(|t| {
                    let unknown: Vec<String> = t.fixtures_wanted.iter().filter(|w| !known(w)).cloned().collect();
                    (t, unknown)
                })
                .collect();
            changed.push((path.clone(), run, not_run));
        }
    }
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, run, not_run) in changed {
        if let Some(f) = snap.python.get_mut(&path) {
            let mut facts = (**f).clone();
            facts.tests = run;
            *f = Arc::new(facts);
        }
        for (t, unknown) in not_run {
            snap.not_run.push(format!("{path}:{} {} (asks for {})", t.line, t.name, unknown.join(", ")));
        }
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
