//! `cohort verify`: what each report claims (ticked checklist items, the number of tests it states) against its
//! group's repository at the deadline.
//!
//! For each report: the repository is found under `--repos` ([`Layout`]), the commit is chosen (the one an
//! index names, else the deadline rule [`crate::repo::deadline_commit`], else the default branch's tip), its
//! files are read ([`snapshot`]) and every item of the report's checklist gets a [`Verdict`] from the rules in
//! [`rules`]. A tick without evidence is looked for on the branches the commit does not contain before it is
//! called `no-evidence`. A repository that cannot be read is reported for its group and the others go on.

pub mod frame;
pub mod python;
pub mod rules;
pub mod secrets;
pub mod snapshot;
pub mod template;
pub mod workflow;
pub mod yaml;

use crate::domain::template::ChecklistId;
use crate::domain::Report;
use crate::repo::{self, History, Repo, RepoError};
use crate::scrape::time::{format_rfc3339, Deadline};
use rules::{evaluate, near_misses, rule_of, Class, Evidence, Finding, Rule};
use serde::Serialize;
use snapshot::{Reader, Snapshot};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What one report claims.
#[derive(Debug, Clone)]
pub struct Claims {
    pub id: String,
    /// Other names the report's repository may go by (the folder a lone report was given in).
    pub alt_ids: Vec<String>,
    pub group: Option<u32>,
    /// Students the report names (the group's size).
    pub students: usize,
    /// The number of tests it states (question 7).
    pub tests: Option<u32>,
    /// Its checklist's items, ticked or not, in template order.
    pub ticks: Vec<(ChecklistId, bool)>,
}

impl Claims {
    pub fn from_report(id: &str, report: &Report) -> Claims {
        let mut ticks: Vec<(ChecklistId, bool)> = Vec::new();
        for item in &report.checklist {
            if let Some(i) = item.id {
                if !ticks.iter().any(|(t, _)| *t == i) {
                    ticks.push((i, item.done));
                }
            }
        }
        ticks.sort_by_key(|(i, _)| ChecklistId::ALL.iter().position(|a| a == i));
        Claims {
            id: id.to_string(),
            alt_ids: vec![],
            group: report.facts.group,
            students: report.facts.students.len(),
            tests: report.facts.tests,
            ticks,
        }
    }

    /// From the JSON object `cohort parse --json` prints (and the index stores).
    pub fn from_summary(v: &serde_json::Value) -> Option<Claims> {
        let mut ticks: Vec<(ChecklistId, bool)> = v
            .get("ticks")?
            .as_object()?
            .iter()
            .filter_map(|(k, t)| Some((ChecklistId::from_name(k)?, t.as_bool()?)))
            .collect();
        ticks.sort_by_key(|(i, _)| ChecklistId::ALL.iter().position(|a| a == i));
        Some(Claims {
            id: v.get("id")?.as_str()?.to_string(),
            alt_ids: vec![],
            group: v.get("group").and_then(|g| g.as_u64()).and_then(|g| u32::try_from(g).ok()),
            students: v.get("students").and_then(|s| s.as_array()).map_or(0, Vec::len),
            tests: v.get("tests").and_then(|t| t.as_u64()).and_then(|t| u32::try_from(t).ok()),
            ticks,
        })
    }
}

/// The claims of every report in an index.
pub fn claims_from_index(index: &Path) -> anyhow::Result<Vec<Claims>> {
    claims_from_index_of(index, &[])
}

/// The claims of the reports of some cohorts in an index (all with none named); an unknown cohort is an error
/// naming the known ones.
pub fn claims_from_index_of(index: &Path, cohorts: &[String]) -> anyhow::Result<Vec<Claims>> {
    claims_of(&crate::index::Index::open(index)?, cohorts)
}

/// The claims of the reports of some cohorts (all with none named) of one opened generation.
pub fn claims_of(index: &crate::index::Index, cohorts: &[String]) -> anyhow::Result<Vec<Claims>> {
    index.check_cohorts(cohorts)?;
    let df = index.reports_frame()?;
    let mut out = Vec::new();
    for s in df.column("summary")?.str()?.iter().flatten() {
        let v: serde_json::Value = serde_json::from_str(s)?;
        let cohort = v["cohort"].as_str().unwrap_or_default();
        if cohorts.is_empty() || cohorts.iter().any(|c| c == cohort) {
            out.extend(Claims::from_summary(&v));
        }
    }
    Ok(out)
}

/// A commit the layout names for a report, and where that came from (`INDEX.tsv`, `source.json`).
type Pinned = (String, &'static str);

/// How the repositories are laid out under `--repos`.
#[derive(Debug, Clone)]
pub enum Layout {
    /// `cohort scrape`'s output: `.clones/group_<n>.git`, and `group_<n>/source.json` naming the commit.
    Scrape { root: PathBuf },
    /// `DIR/<id>.bundle`, `DIR/<id>.git` or `DIR/<id>/`; `INDEX.tsv` (`id`, `report_commit` columns) may name
    /// the commit of each.
    Folder { root: PathBuf, commits: HashMap<String, String> },
}

impl Layout {
    pub fn detect(root: &Path) -> Layout {
        if root.join(crate::scrape::REPORT_FILE).is_file() || root.join(crate::scrape::CLONES).is_dir() {
            return Layout::Scrape { root: root.to_path_buf() };
        }
        let mut commits = HashMap::new();
        if let Ok(text) = fs::read_to_string(root.join("INDEX.tsv")) {
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
            let id_col = header.iter().position(|h| *h == "id");
            let commit_col = header.iter().position(|h| *h == "report_commit" || *h == "commit");
            if let (Some(i), Some(c)) = (id_col, commit_col) {
                for l in lines {
                    let f: Vec<&str> = l.split('\t').collect();
                    if let (Some(id), Some(commit)) = (f.get(i), f.get(c)) {
                        if !commit.is_empty() {
                            commits.insert(id.to_string(), commit.to_string());
                        }
                    }
                }
            }
        }
        Layout::Folder { root: root.to_path_buf(), commits }
    }

    /// Opens the repository of a report, with the commit the layout names for it (and where that came from).
    fn open(&self, claims: &Claims, cache: &Path) -> Result<(Repo, Option<Pinned>), RepoError> {
        match self {
            Layout::Scrape { root } => {
                let mut names = vec![claims.id.clone()];
                if let Some(g) = claims.group {
                    names.push(format!("group_{g}"));
                }
                let name = names.iter().find(|n| root.join(crate::scrape::CLONES).join(format!("{n}.git")).exists());
                let Some(name) = name else {
                    return Err(RepoError::Missing {
                        path: root.join(crate::scrape::CLONES).join(format!("{}.git", names[0])),
                    });
                };
                let repo = Repo::open(&root.join(crate::scrape::CLONES).join(format!("{name}.git")))?;
                let commit = fs::read_to_string(root.join(name).join(crate::scrape::SOURCE_FILE))
                    .ok()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .and_then(|v| v.get("commit").and_then(|c| c.as_str()).map(str::to_string))
                    .map(|c| (c, "source.json"));
                Ok((repo, commit))
            }
            Layout::Folder { root, commits } => {
                let id = std::iter::once(&claims.id)
                    .chain(&claims.alt_ids)
                    .find(|id| {
                        root.join(format!("{id}.bundle")).is_file()
                            || root.join(format!("{id}.git")).exists()
                            || root.join(id).is_dir()
                    })
                    .unwrap_or(&claims.id);
                let bundle = root.join(format!("{id}.bundle"));
                let bare = root.join(format!("{id}.git"));
                let clone = root.join(id);
                let repo = if bundle.is_file() {
                    repo::open_bundle(&bundle, cache)?
                } else if bare.exists() {
                    Repo::open(&bare)?
                } else if clone.is_dir() {
                    Repo::open(&clone)?
                } else {
                    return Err(RepoError::Missing { path: root.join(format!("{}{{.bundle,.git,/}}", claims.id)) });
                };
                Ok((repo, commits.get(id).map(|c| (c.clone(), "INDEX.tsv"))))
            }
        }
    }
}

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub repos: PathBuf,
    pub deadline: Option<Deadline>,
    /// Only these items (all when empty); `tests` names the stated test count.
    pub items: Vec<String>,
    /// Where bundles are unbundled.
    pub cache: PathBuf,
    /// Time allowed for reading one repository ([`crate::repo::REPO_TIME`] unless told otherwise): past it the
    /// repository is `timed-out`, without verdicts.
    pub repo_time: std::time::Duration,
}

/// The verdict names (the JSON values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictKind {
    Supported,
    Partial,
    NoEvidence,
    OnlyOnBranch,
    Unclaimed,
    NotDecidable,
    TestsMismatch,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Supported => "supported",
            VerdictKind::Partial => "partial",
            VerdictKind::NoEvidence => "no-evidence",
            VerdictKind::OnlyOnBranch => "only-on-branch",
            VerdictKind::Unclaimed => "unclaimed",
            VerdictKind::NotDecidable => "not-decidable",
            VerdictKind::TestsMismatch => "tests-mismatch",
        }
    }
}

/// One (report, item) verdict: a JSON Lines record of `cohort verify --json` (fields in INTERFACE.md).
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub record: &'static str,
    pub id: String,
    pub group: Option<u32>,
    pub item: String,
    /// Whether the report ticks the item (for `tests`: whether it states a number).
    pub claimed: bool,
    pub verdict: VerdictKind,
    /// `decidable`, `shown` or `not-decidable`.
    pub class: &'static str,
    /// Whether staff should look: a decidable claim the repository does not support.
    pub flagged: bool,
    pub path: Option<String>,
    pub line: Option<usize>,
    pub evidence: Option<String>,
    /// The matching line, or a notice that it was withheld because it may hold a credential.
    pub snippet: Option<String>,
    pub branch: Option<String>,
    pub note: Option<String>,
    pub commit: Option<String>,
    pub stated: Option<u32>,
    pub counted: Option<usize>,
    /// For a claim without (full) evidence on a decidable item: the commit, in the history of the evaluated one,
    /// that removed evidence the history held earlier (the note says what, where and when).
    pub removed_by: Option<String>,
}

/// One group's repository facts: a JSON Lines record of `cohort verify --json`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RepoFacts {
    pub record: &'static str,
    pub id: String,
    pub group: Option<u32>,
    pub repository: String,
    /// `ok`, or why it could not be read: `missing`, `not-git`, `empty`, `corrupt`, `no-commit`, `git-failed`,
    /// `timed-out`.
    pub status: String,
    pub error: Option<String>,
    pub commit: Option<String>,
    /// Where the commit came from: `INDEX.tsv`, `source.json`, `deadline`, `default-branch-tip`.
    pub commit_source: Option<&'static str>,
    pub commit_time: Option<String>,
    pub branch: Option<String>,
    pub commits: Option<usize>,
    /// People who committed (aliases merged, bots left out) and the names they used most.
    pub authors: Option<usize>,
    pub author_names: Vec<String>,
    /// Commits of each of `author_names`, in the same order (most first).
    pub author_commits: Vec<usize>,
    pub bot_commits: Option<usize>,
    /// Students the report names.
    pub group_size: usize,
    pub first_commit_time: Option<String>,
    pub last_commit_time: Option<String>,
    pub commits_after_deadline: Option<usize>,
    pub unmerged_branches: Vec<String>,
    pub notes: Vec<String>,
}

/// One report's result.
#[derive(Debug, Clone)]
pub struct GroupResult {
    pub facts: RepoFacts,
    pub verdicts: Vec<Verdict>,
}

/// What [`verify_index`] did.
#[derive(Debug, Clone)]
pub struct StoredVerdicts {
    pub reports: usize,
    /// Reports changed (or removed) by another ingest while they were verified: their verdicts were not stored.
    pub stale: usize,
    pub unread: usize,
    pub flagged: usize,
    pub path: PathBuf,
}

impl std::fmt::Display for StoredVerdicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "verified {} against their repositories ({} not read): {} to look at; verdicts in {}",
            crate::nouns::count(self.reports, "report", "reports"),
            self.unread,
            crate::nouns::count(self.flagged, "claim", "claims"),
            self.path.display()
        )?;
        if self.stale > 0 {
            write!(
                f,
                "; {} changed by another ingest meanwhile: their verdicts were dropped (run it again)",
                crate::nouns::count(self.stale, "report", "reports")
            )?;
        }
        Ok(())
    }
}

/// Verifies every report of an index and stores the verdicts in it (`verdicts.parquet`).
pub fn verify_index(index_dir: &Path, opts: &VerifyOptions) -> anyhow::Result<StoredVerdicts> {
    // The claims of one generation: the verdicts are computed for the reports as that generation holds them.
    let read = crate::Index::open(index_dir)?;
    let claims = claims_of(&read, &[])?;
    let results = verify(&claims, opts);
    store_fresh(index_dir, &read, results)
}

/// Each report's content hash (blake3 of its file as ingested), by id.
fn content_hashes(index: &crate::Index) -> anyhow::Result<HashMap<String, String>> {
    Ok(index.manifest()?.entries.into_iter().map(|e| (e.id, e.hash)).collect())
}

/// Stores verdicts computed for the reports of generation `read` into the index's live generation, keeping only
/// those of reports the live generation holds with the same content: an `ingest` that changed a report while
/// its repository was read (verification takes minutes) must not leave it with the verdicts of its old ticks.
/// The reports dropped are counted (`stale`); the next `ingest --repos` verifies them again.
pub fn store_fresh(
    index_dir: &Path,
    read: &crate::Index,
    mut results: Vec<GroupResult>,
) -> anyhow::Result<StoredVerdicts> {
    let then = content_hashes(read)?;
    let index = crate::Index::open(index_dir)?;
    let now = content_hashes(&index)?;
    let before = results.len();
    results.retain(|r| then.get(&r.facts.id).is_some_and(|h| now.get(&r.facts.id) == Some(h)));
    let stale = before - results.len();
    let path = frame::store(&index, &results)?;
    Ok(StoredVerdicts {
        stale,
        reports: results.len(),
        unread: results.iter().filter(|r| r.facts.status != "ok").count(),
        flagged: results.iter().flat_map(|r| &r.verdicts).filter(|v| v.flagged).count(),
        path,
    })
}

/// The checklist items the rules decide, in template order (for summaries).
pub fn decidable_items() -> Vec<&'static str> {
    rules::RULES.iter().filter(|r| r.class == Class::Decidable).map(|r| r.item).collect()
}

/// Verifies every report's claims against its repository. Never fails as a whole: a repository that cannot be
/// read is that group's result.
///
/// Two passes: every repository's history and first day are read first, so that what the groups' first days
/// share (the course template as instantiated) is known before any file is judged ([`template`]).
pub fn verify(claims: &[Claims], opts: &VerifyOptions) -> Vec<GroupResult> {
    let layout = Layout::detect(&opts.repos);
    let internal = |c: &Claims| {
        let mut facts = base_facts(c, "");
        facts.status = "internal".into();
        facts.error = Some("internal error (a bug in cohort: please report it)".into());
        GroupResult { facts, verdicts: vec![] }
    };
    // Both passes mostly wait for git (logs, object reads): twice the threads keep the cores busy.
    let threads = crate::parallel::default_threads() * 2;
    let prepared: Vec<Result<Prepared, Box<GroupResult>>> = crate::parallel::map_in_order_on(threads, claims, |c| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(c, &layout, opts)))
            .unwrap_or_else(|_| Err(Box::new(internal(c))))
    });
    let days: Vec<&template::FirstDay> = prepared.iter().filter_map(|p| p.as_ref().ok()?.first_day.as_ref()).collect();
    let shared = template::shared(&days);
    let pairs: Vec<(&Claims, &Result<Prepared, Box<GroupResult>>)> = claims.iter().zip(&prepared).collect();
    crate::parallel::map_in_order_on(threads, &pairs, |(c, p)| match p {
        Err(r) => withhold_keys((**r).clone()),
        Ok(p) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| withhold_keys(finish(c, p, &shared, opts))))
            .unwrap_or_else(|_| internal(c)),
    })
}

/// Keys inside what the repository named (a route path in the evidence, a branch, an author's name, a note
/// quoting them) are withheld before anything is printed or stored, as lines of code holding one are
/// ([`secrets::withhold_keys`]). Paths stay as they are (they say where to look); commit names are not keys.
fn withhold_keys(mut r: GroupResult) -> GroupResult {
    let clean = |s: &mut String| {
        if let std::borrow::Cow::Owned(o) = secrets::withhold_keys(s) {
            *s = o;
        }
    };
    let f = &mut r.facts;
    f.author_names.iter_mut().chain(f.unmerged_branches.iter_mut()).chain(f.branch.iter_mut()).for_each(clean);
    for v in &mut r.verdicts {
        v.evidence.iter_mut().chain(v.note.iter_mut()).chain(v.branch.iter_mut()).for_each(clean);
    }
    r
}

fn base_facts(c: &Claims, repository: &str) -> RepoFacts {
    RepoFacts {
        record: "repository",
        id: c.id.clone(),
        group: c.group,
        repository: repository.to_string(),
        status: "ok".into(),
        group_size: c.students,
        ..RepoFacts::default()
    }
}

/// Whether the first day looks like a finished project uploaded in one go rather than the template's
/// instantiation: it holds most of the history, in several commits (a repository that is nothing but the
/// template's first commit is still the template).
fn imported_first_day(h: &History) -> bool {
    h.first_day_commits >= 3 && h.first_day_commits * 2 > h.commits
}

fn time(unix: i64) -> String {
    format_rfc3339(unix, 0)
}

fn wants(opts: &VerifyOptions, item: &str) -> bool {
    opts.items.is_empty() || opts.items.iter().any(|i| i == item)
}

/// The error a repository past its time ([`VerifyOptions::repo_time`]) gets, whatever failed first when its git
/// processes were stopped.
fn over_time(repo: &Repo, started: std::time::Instant, e: RepoError) -> RepoError {
    if std::time::Instant::now() < repo.until {
        return e;
    }
    RepoError::TimedOut {
        path: repo.shown.clone(),
        what: "reading the repository".into(),
        seconds: repo.until.saturating_duration_since(started).as_secs(),
    }
}

/// A repository that could not be read: the group's result says why.
fn fail(mut facts: RepoFacts, e: &RepoError) -> GroupResult {
    facts.status = e.kind().into();
    facts.error = Some(crate::scrape::url::redact(&e.to_string()).into_owned());
    GroupResult { facts, verdicts: vec![] }
}

/// Verifies one report on its own: the template is known only by the course template's content (no other
/// group's first day to compare with).
pub fn verify_one(c: &Claims, layout: &Layout, opts: &VerifyOptions) -> GroupResult {
    match prepare(c, layout, opts) {
        Ok(p) => finish(c, &p, &Default::default(), opts),
        Err(r) => *r,
    }
}

/// A report's repository opened, its commit chosen and its history read: what the first pass of [`verify`] keeps.
pub struct Prepared {
    facts: RepoFacts,
    repo: Repo,
    commit: String,
    history: History,
    /// The first day's files as template candidates; `None` when the first day is the group's own work (a
    /// project uploaded in one go).
    first_day: Option<template::FirstDay>,
    /// When reading it began: its time ([`VerifyOptions::repo_time`]) runs from there.
    started: std::time::Instant,
}

/// The first pass for one report: the repository, the commit, the history and the first day.
fn prepare(c: &Claims, layout: &Layout, opts: &VerifyOptions) -> Result<Prepared, Box<GroupResult>> {
    let started = std::time::Instant::now();
    let mut facts = base_facts(c, "");
    let (mut repo, pinned) = match layout.open(c, &opts.cache) {
        Ok(r) => r,
        Err(e) => return Err(Box::new(fail(facts, &e))),
    };
    repo.until = started + opts.repo_time;
    facts.repository = repo.shown.display().to_string();
    facts.branch = repo.default_ref.strip_prefix("refs/heads/").map(str::to_string);
    let pinned = pinned.and_then(|(c, src)| match repo.resolve(&c) {
        Some(full) => Some((full, src)),
        None => {
            facts
                .notes
                .push(format!("{src} names commit {c}, which the repository does not have; the deadline rule chose"));
            None
        }
    });
    let chosen = match (pinned, opts.deadline) {
        (Some((commit, src)), _) => Ok((commit, src)),
        (None, Some(d)) => match repo::deadline_commit(|a| repo.run(a), &repo.default_ref, d.unix) {
            Ok(Some(commit)) => Ok((commit, "deadline")),
            Ok(None) => {
                facts.status = "no-commit".into();
                facts.error = Some(format!("no commit on the default branch at or before the deadline {d}"));
                return Err(Box::new(GroupResult { facts, verdicts: vec![] }));
            }
            Err(e) => Err(e),
        },
        (None, None) => repo
            .resolve(&repo.default_ref)
            .map(|c| (c, "default-branch-tip"))
            .ok_or_else(|| RepoError::Empty { path: repo.shown.clone() }),
    };
    let (commit, source) = match chosen {
        Ok(c) => c,
        Err(e) => return Err(Box::new(fail(facts, &over_time(&repo, started, e)))),
    };
    if source == "default-branch-tip" {
        facts
            .notes
            .push("no deadline given and no commit named for this report: the default branch's tip was read".into());
    }
    facts.commit = Some(commit.clone());
    facts.commit_source = Some(source);
    let read = || -> Result<(History, Option<Result<template::FirstDay, RepoError>>), RepoError> {
        let commit_time: i64 = repo.text(&["log", "-1", "--format=%ct", &commit, "--"])?.parse().unwrap_or(0);
        let deadline = opts.deadline.map_or(commit_time, |d| d.unix);
        let history = History::read(&repo, &commit, deadline)?;
        // The first day holds the template's instantiation, unless it holds most of the history: a project
        // developed elsewhere and uploaded in one go, whose first day is the group's own work.
        // A first day that cannot be read (a tree the copy lacks) costs the template's exclusion, not the
        // repository.
        let first_day =
            if imported_first_day(&history) { None } else { Some(template::FirstDay::read(&repo, &history)) };
        Ok((history, first_day))
    };
    let (history, first_day) = match read() {
        Ok(r) => r,
        Err(e) => return Err(Box::new(fail(facts, &over_time(&repo, started, e)))),
    };
    let first_day = match first_day {
        Some(Err(e)) => {
            facts.notes.push(format!(
                "the repository's first day could not be read ({}): no file is taken for the template's",
                crate::scrape::url::redact(&e.to_string())
            ));
            None
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };
    if imported_first_day(&history) {
        facts.notes.push(format!(
            "{} of {} commits are from the first day (a project uploaded in one go): files unchanged since then count",
            history.first_day_commits, history.commits
        ));
    }
    Ok(Prepared { facts, repo, commit, history, first_day, started })
}

/// The second pass for one report: its commit's files judged, with `shared` the blobs other groups' first days
/// hold too.
fn finish(c: &Claims, p: &Prepared, shared: &std::collections::HashSet<String>, opts: &VerifyOptions) -> GroupResult {
    let Prepared { facts, repo, commit, history, first_day, started } = p;
    let started = *started;
    let (mut facts, commit) = (facts.clone(), commit.clone());
    let template = first_day.as_ref().map(|d| template::template_blobs(d, shared)).unwrap_or_default();
    let read = || -> Result<(Snapshot, Reader<'_>), RepoError> {
        let mut reader = Reader::new(repo, template)?;
        let mut snap = reader.snapshot(&commit)?;
        snap.precommit_ci_commit = history.precommit_ci_commit.clone();
        Ok((snap, reader))
    };
    let (snap, mut reader) = match read() {
        Ok(r) => r,
        Err(e) => return fail(facts, &over_time(repo, started, e)),
    };
    facts.notes.extend(unread_note(&snap));
    facts.commit_time = Some(time(history.commit_time));
    facts.last_commit_time = Some(time(history.commit_time));
    facts.first_commit_time = Some(time(history.first_time));
    facts.commits = Some(history.commits);
    facts.authors = Some(history.authors.len());
    facts.author_names = history.authors.iter().map(|a| a.name.clone()).collect();
    facts.author_commits = history.authors.iter().map(|a| a.commits).collect();
    facts.bot_commits = Some(history.bot_commits);
    facts.commits_after_deadline = Some(history.after_deadline);
    facts.unmerged_branches = history.unmerged.iter().map(|b| b.name.clone()).collect();
    if c.students > 0 && history.authors.len() < c.students {
        facts.notes.push(format!(
            "{} committed; the report names {}",
            crate::nouns::count(history.authors.len(), "person", "people"),
            crate::nouns::count(c.students, "student", "students")
        ));
    }

    let mut verdicts = Vec::new();
    let new_verdict = |item: &str, claimed: bool, kind: VerdictKind, class: &'static str| Verdict {
        record: "verdict",
        id: c.id.clone(),
        group: c.group,
        item: item.to_string(),
        claimed,
        verdict: kind,
        class,
        flagged: false,
        path: None,
        line: None,
        evidence: None,
        snippet: None,
        branch: None,
        note: None,
        commit: Some(commit.clone()),
        stated: None,
        counted: None,
        removed_by: None,
    };
    let any_ticked = c.ticks.iter().any(|(_, t)| *t);
    if !any_ticked {
        facts.notes.push(if c.ticks.is_empty() {
            "the report has no checklist: no ticks to verify".into()
        } else {
            "the report ticks nothing: no ticks to verify".into()
        });
    }
    let mut branch_snaps: Vec<Option<Option<Snapshot>>> = vec![None; history.unmerged.len()];
    let mut merge_bases: Vec<Option<Option<String>>> = vec![None; history.unmerged.len()];
    let mut past = Past { reader: &mut reader, snaps: HashMap::new() };
    for &(item, ticked) in c.ticks.iter().filter(|_| any_ticked) {
        if !wants(opts, item.as_str()) {
            continue;
        }
        let Some(rule) = rule_of(item) else {
            if ticked {
                verdicts.push(new_verdict(item.as_str(), true, VerdictKind::NotDecidable, "not-decidable"));
            }
            continue;
        };
        let class = rule.class.as_str();
        let with = |mut v: Verdict, e: &Evidence, snap: &Snapshot| {
            v.path = Some(e.path.clone());
            v.line = e.line;
            v.evidence = Some(e.what.clone());
            v.snippet = e.line.and_then(|l| snap.line_text(&e.path, l)).map(|t| secrets::printable(&t));
            v
        };
        match (evaluate(rule, &snap), ticked) {
            (Finding::Supported(e), true) => {
                verdicts.push(with(new_verdict(item.as_str(), true, VerdictKind::Supported, class), &e, &snap))
            }
            (Finding::Supported(e), false) => {
                verdicts.push(with(new_verdict(item.as_str(), false, VerdictKind::Unclaimed, class), &e, &snap))
            }
            (Finding::Partial(e), true) => {
                let mut v = with(new_verdict(item.as_str(), true, VerdictKind::Partial, class), &e, &snap);
                v.flagged = rule.class == Class::Decidable;
                explain(&mut v, rule, &snap, history, &mut past);
                verdicts.push(v);
            }
            (Finding::Partial(_) | Finding::Nothing { .. }, false) => {}
            (Finding::Nothing { template }, true) => {
                let mut found = None;
                for (i, b) in history.unmerged.iter().enumerate() {
                    if branch_snaps[i].is_none() {
                        branch_snaps[i] = Some(past.reader.snapshot(&b.tip).ok());
                    }
                    let Some(Some(bs)) = &branch_snaps[i] else { continue };
                    let Finding::Supported(e) = evaluate(rule, bs) else { continue };
                    // The branch must add the evidence: a branch holding an older state of the default branch
                    // (an automated update branch, a stale feature branch) shows what the history had, not work
                    // left unmerged. Where the branch left the commit read's history, the evidence must not be.
                    if merge_bases[i].is_none() {
                        merge_bases[i] =
                            Some(repo.text(&["merge-base", &commit, &b.tip]).ok().filter(|m| !m.is_empty()));
                    }
                    let base = merge_bases[i].clone().flatten();
                    if base.is_some_and(|m| past.supported(rule, &m).is_some()) {
                        continue;
                    }
                    found = Some((b.name.clone(), e, i));
                    break;
                }
                let mut v = match found {
                    Some((name, e, i)) => {
                        let snap_b = branch_snaps[i].as_ref().and_then(|s| s.as_ref()).unwrap_or(&snap);
                        let mut v =
                            with(new_verdict(item.as_str(), true, VerdictKind::OnlyOnBranch, class), &e, snap_b);
                        v.note = Some(format!("only on unmerged branch {name}"));
                        v.branch = Some(name);
                        v
                    }
                    None => {
                        let mut v = new_verdict(item.as_str(), true, VerdictKind::NoEvidence, class);
                        if let Some(t) = template {
                            v.note = Some(format!(
                                "only in {} ({}), the template's content (other groups' first day holds the same \
                                 file, or the course template writes it)",
                                t.path, t.what
                            ));
                        }
                        v
                    }
                };
                v.flagged = rule.class == Class::Decidable;
                explain(&mut v, rule, &snap, history, &mut past);
                verdicts.push(v);
            }
        }
    }
    if let (Some(stated), true) = (c.tests, wants(opts, "tests")) {
        verdicts.push(tests_verdict(stated, &snap, new_verdict("tests", true, VerdictKind::Supported, "decidable")));
    }
    // Past its time the repository's git processes were stopped, and states not read look like states without
    // evidence: no verdict of it can be trusted.
    if std::time::Instant::now() >= repo.until {
        let e = over_time(repo, started, RepoError::Empty { path: repo.shown.clone() });
        return fail(facts, &e);
    }
    GroupResult { facts, verdicts }
}

/// Earlier states of the repository, read on demand and kept for the other items of the report.
struct Past<'a, 'r> {
    reader: &'a mut Reader<'r>,
    snaps: HashMap<String, Option<Snapshot>>,
}

/// Where to look along a line of commits (newest first, 0 the evaluated commit): 1, 2, 4, ... back, and sixteen
/// evenly spaced places, so both recent removals and evidence that lived a while long ago are met.
fn probes(len: usize) -> Vec<usize> {
    let mut at: Vec<usize> =
        std::iter::successors(Some(1usize), |p| p.checked_mul(2)).take_while(|p| *p < len).collect();
    at.extend((1..=16).map(|k| k * (len.saturating_sub(1)) / 16).filter(|p| *p > 0));
    at.sort_unstable();
    at.dedup();
    at
}

impl Past<'_, '_> {
    /// Whether the rule is supported at a commit, and by what.
    fn supported(&mut self, rule: &Rule, commit: &str) -> Option<Evidence> {
        let snap = match self.snaps.get(commit) {
            Some(s) => s,
            None => {
                let s = self.reader.snapshot(commit).ok();
                self.snaps.entry(commit.to_string()).or_insert(s)
            }
        };
        match evaluate(rule, snap.as_ref()?) {
            Finding::Supported(e) => Some(e),
            _ => None,
        }
    }

    /// Along a line of commits whose first (the evaluated commit) does not support the rule: the newest probed
    /// commit that does, then bisection between it and the newer one that does not, down to two neighbours.
    /// Returns the place of the newer neighbour (the commit that removed the evidence) and the evidence before it.
    fn bisect(&mut self, rule: &Rule, line: &[(String, i64)]) -> Option<(usize, Evidence)> {
        let mut newer = 0;
        let mut found = None;
        for p in probes(line.len()) {
            if let Some(e) = self.supported(rule, &line[p].0) {
                found = Some((p, e));
                break;
            }
            newer = p;
        }
        let (mut older, mut evidence) = found?;
        while older - newer > 1 {
            let mid = newer + (older - newer) / 2;
            match self.supported(rule, &line[mid].0) {
                Some(e) => (older, evidence) = (mid, e),
                None => newer = mid,
            }
        }
        Some((newer, evidence))
    }

    /// Where evidence the history held before the evaluated commit went: first along the default branch's
    /// first-parent line, else (evidence written on a branch and removed before it was merged) along a line of
    /// parents down to the newest probed commit, by time, that held it. Returns the removing commit, its time and
    /// the evidence before it. Evidence that came and went between two probes can be missed: this explains a
    /// verdict, it never makes one.
    fn removal(&mut self, rule: &Rule, history: &History) -> Option<(String, i64, Evidence)> {
        let (mut line, (mut at, mut e)) = match self.bisect(rule, &history.first_parent) {
            Some(found) => (history.first_parent.clone(), found),
            None => self.off_the_line(rule, history)?,
        };
        // A merge that drops the evidence took the removal from another parent: follow that parent down to the
        // commit that removed it on its branch (a few merges deep at most).
        for _ in 0..4 {
            let (merge, older) = (&line[at].0, &line[at + 1].0);
            let parents = history.graph.get(merge).map(|r| r.parents.clone()).unwrap_or_default();
            let Some(side) = parents
                .iter()
                .filter(|p| *p != older)
                .filter(|p| self.supported(rule, p).is_none())
                .map(|p| history.line_between(p, older).unwrap_or_else(|| history.first_parents_of(p)))
                .next()
            else {
                break;
            };
            let mut side_line = vec![line[at].clone()];
            side_line.extend(side);
            match self.bisect(rule, &side_line) {
                Some((a, ev)) => (line, at, e) = (side_line, a, ev),
                None => break,
            }
        }
        let (c, t) = &line[at];
        Some((c.clone(), *t, e))
    }

    /// Evidence written on a branch and removed before the branch was merged: the newest probed commit, by time,
    /// that held it, and the bisection along a line of parents from the evaluated commit down to it.
    #[allow(clippy::type_complexity)]
    fn off_the_line(&mut self, rule: &Rule, history: &History) -> Option<(Vec<(String, i64)>, (usize, Evidence))> {
        let by_time = history.by_time();
        let on_line: std::collections::HashSet<&str> = history.first_parent.iter().map(|(c, _)| c.as_str()).collect();
        let held = probes(by_time.len())
            .into_iter()
            .map(|p| &by_time[p].0)
            .filter(|c| !on_line.contains(c.as_str()))
            .find(|c| self.supported(rule, c).is_some())?
            .clone();
        let line = history.line_between(&history.commit, &held)?;
        let found = self.bisect(rule, &line)?;
        Some((line, found))
    }
}

/// Adds to a claim without (full) evidence what a reader would want next: test files that would count but do
/// not (not collected, empty, all commented out) and, when the history held the evidence before the commit read,
/// the commit that removed it.
fn explain(v: &mut Verdict, rule: &Rule, snap: &Snapshot, history: &History, past: &mut Past<'_, '_>) {
    let mut notes: Vec<String> = v.note.take().into_iter().collect();
    notes.extend(near_misses(rule, snap));
    notes.extend(unread_note(snap));
    // Only where a missing piece is flagged: walking back costs reads, and a shown item's absence proves nothing.
    let removal = if rule.class == Class::Decidable { past.removal(rule, history) } else { None };
    if let Some((commit, when, e)) = removal {
        let subject = past
            .reader
            .repo
            .text(&["log", "-1", "--format=%s", &commit, "--"])
            .map(|s| secrets::printable(s.trim()))
            .unwrap_or_default();
        let date = time(when);
        notes.push(format!(
            "{} ({}{}) was there until commit {} of {} (\"{}\") removed it",
            e.what,
            e.path,
            e.line.map(|l| format!(":{l}")).unwrap_or_default(),
            commit.get(..12).unwrap_or(&commit),
            date.get(..10).unwrap_or(&date),
            subject
        ));
        v.removed_by = Some(commit);
    }
    v.note = (!notes.is_empty()).then(|| notes.join("; "));
}

/// Files the rules would read whose content the repository lacks: the evidence may be there.
fn unread_note(snap: &Snapshot) -> Option<String> {
    let (n, shown) = (snap.unread.len(), snap.unread.iter().take(5).cloned().collect::<Vec<_>>().join(", "));
    (n > 0).then(|| {
        format!(
            "the repository lacks the content of {} (a partial clone or a damaged copy): {shown}{}",
            crate::nouns::count(n, "file the rules read", "files the rules read"),
            if n > 5 { ", ..." } else { "" }
        )
    })
}

/// What the code holds in tests, as pytest would count them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestCount {
    pub functions: usize,
    /// With `parametrize` cases expanded.
    pub cases: usize,
    /// Tests in files pytest does not collect by name.
    pub uncollected: usize,
    pub uncollected_files: Vec<String>,
    pub commented_out: usize,
}

pub fn count_tests(snap: &Snapshot) -> TestCount {
    let mut n = TestCount::default();
    let mut paths: Vec<&String> =
        snap.python.keys().filter(|p| snap.file(p).is_some_and(|f| f.excluded.is_none())).collect();
    paths.sort();
    // The same test twice (a test file copied into two folders) is one test written.
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let f = &snap.python[p];
        n.commented_out += f.commented_tests;
        if snap.collects(p) {
            // A name defined twice in one file is one test: Python keeps the last definition.
            let mut names = std::collections::HashSet::new();
            let unique = f.tests.iter().rev().filter(|t| names.insert((t.class.clone(), t.name.clone())));
            for t in unique.filter(|t| seen.insert((t.class.clone(), t.name.clone(), t.body))) {
                n.functions += 1;
                n.cases += t.cases;
            }
        } else if !f.tests.is_empty() && (p.contains("test")) {
            n.uncollected += f.tests.iter().map(|t| t.cases).sum::<usize>();
            n.uncollected_files.push(p.clone());
        }
    }
    n
}

/// Whether a stated count is outside the tolerance around what the code holds.
///
/// The tolerance is a factor of two either way with two tests of slack: the study found only 48% of stated
/// counts exact and 80% within ±20% (groups count a parametrised test once or per case, count test classes,
/// or wrote the number a few commits before the report), so a ±20% band would flag one honest group in five.
/// The cases worth a look are far outside it (103 stated for 18 functions, 9 stated for 45).
pub fn tests_mismatch(stated: usize, count: &TestCount) -> bool {
    let lo = count.functions.min(count.cases);
    let hi = count.cases.max(count.functions) + count.uncollected;
    stated > 2 * hi + 2 || 2 * stated + 2 < lo
}

fn tests_verdict(stated: u32, snap: &Snapshot, mut v: Verdict) -> Verdict {
    let n = count_tests(snap);
    v.stated = Some(stated);
    v.counted = Some(n.cases);
    let mismatch = tests_mismatch(stated as usize, &n);
    v.verdict = if mismatch { VerdictKind::TestsMismatch } else { VerdictKind::Supported };
    v.flagged = mismatch;
    v.evidence = Some(format!(
        "{}, {} with parametrize expanded",
        crate::nouns::count(n.functions, "test function", "test functions"),
        crate::nouns::count(n.cases, "case", "cases")
    ));
    let mut notes = Vec::new();
    if n.uncollected > 0 {
        notes.push(format!(
            "{} in files pytest does not collect: {}",
            crate::nouns::count(n.uncollected, "test", "tests"),
            n.uncollected_files.join(", ")
        ));
    }
    if n.commented_out > 0 {
        notes.push(format!("{} commented out", crate::nouns::count(n.commented_out, "test", "tests")));
    }
    if snap.unread.iter().any(|p| p.ends_with(".py")) {
        notes.extend(unread_note(snap));
    }
    if !snap.not_run.is_empty() {
        let shown: Vec<&str> = snap.not_run.iter().take(3).map(String::as_str).collect();
        notes.push(format!(
            "{} not counted: pytest would not run them, as they ask for fixtures nothing provides: {}{}",
            crate::nouns::count(snap.not_run.len(), "test function", "test functions"),
            shown.join(", "),
            if snap.not_run.len() > 3 { ", ..." } else { "" }
        ));
    }
    v.note = (!notes.is_empty()).then(|| notes.join("; "));
    v
}
