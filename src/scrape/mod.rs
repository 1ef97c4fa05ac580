//! `cohort scrape`: every group's report as it stood at the deadline, from the repositories in `group_info.csv`.
//!
//! For each group: a bare clone kept in `DIR/.clones/group_<n>.git` (fetched again on later runs, never cloned
//! twice), the default branch as the server names it, the last commit on it at or before the deadline, and that
//! commit's report with its figures written to `DIR/group_<n>/` with a `source.json`. Every group's outcome goes
//! to `DIR/scrape-report.json`; a group that fails (a vanished or private repository, a malformed URL, a timeout)
//! is listed there and the others go on, as is a row whose group number cannot be read (`-1`, `1.5`, empty). A
//! `file://` URL or a path on this machine is fetched only with [`ScrapeOptions::allow_local`]: the group list is
//! filled in by students.
//!
//! Which commit counts: [`crate::repo::deadline_commit`], the one rule `scrape` and `verify` share (the last
//! commit on the default branch's first-parent line whose committer date is at or before the deadline; its
//! documentation says why).

pub mod export;
pub mod time;
pub mod url;

pub use time::Deadline;

use crate::discover::Limits;
use crate::domain::groups::{read_group_list, GroupListError, GroupRow};
use crate::repo::git::{self, Git, GitError};
use export::{choose_report, parse_ls_tree, plan, relative_to};
use serde::Serialize;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use url::redact;

/// Where the bare clones are kept inside the output folder (a dot folder: ingest never walks it).
pub const CLONES: &str = ".clones";
/// Where a group's export is assembled before it replaces the previous one in one rename.
const STAGING: &str = ".staging";
/// The run's report inside the output folder.
pub const REPORT_FILE: &str = "scrape-report.json";
/// Written beside each exported report.
pub const SOURCE_FILE: &str = "source.json";

/// How to scrape.
#[derive(Debug, Clone)]
pub struct ScrapeOptions {
    /// Output folder: `group_<n>/`, `.clones/`, `scrape-report.json`.
    pub out: PathBuf,
    pub deadline: Deadline,
    /// Repositories fetched at once.
    pub jobs: usize,
    /// Time allowed for one repository (fetch and export together); git is killed when it runs out.
    pub timeout: Duration,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Size limits: larger report candidates are not read, larger figures not copied.
    pub limits: Limits,
    /// Fetch `file://` URLs and paths on this machine (staff mirrors). Off by default: the group list is filled
    /// in by students, and a local path there would make cohort copy a folder of this machine into the output.
    pub allow_local: bool,
}

impl ScrapeOptions {
    pub fn new(out: impl Into<PathBuf>, deadline: Deadline) -> Self {
        ScrapeOptions {
            out: out.into(),
            deadline,
            jobs: 8,
            timeout: Duration::from_secs(300),
            progress: false,
            limits: Limits::default(),
            allow_local: false,
        }
    }
}

crate::string_enum! {
    /// Why a group could not be scraped.
    pub Failure {
        /// The row's group number cannot be read (`-1`, `1.5`, `seven`, empty, too large): the row is skipped.
        InvalidGroup = "invalid-group",
        /// The group list has no repository for the group.
        MissingUrl = "missing-url",
        /// The repository cell cannot be read as a URL without guessing.
        MalformedUrl = "malformed-url",
        /// The repository is a `file://` URL or a path on this machine, and `allow_local` is off.
        LocalUrl = "local-url",
        /// The group number appears on an earlier line too; only that line is scraped.
        DuplicateGroup = "duplicate-group",
        NotFound = "not-found",
        /// The server wants credentials: a private repository, or (on GitHub) one that does not exist.
        AuthRequired = "auth-required",
        /// The host cannot be reached.
        Unreachable = "unreachable",
        Timeout = "timeout",
        /// The repository has no commits at all.
        EmptyRepository = "empty-repository",
        NoCommitBeforeDeadline = "no-commit-before-deadline",
        /// The commit holds no markdown file that reads as a report.
        NoReport = "no-report",
        /// git failed in another way (the message says how).
        GitFailed = "git-failed",
        /// The export could not be written.
        WriteFailed = "write-failed",
        /// A bug in cohort.
        Internal = "internal",
    }
}

crate::string_enum! {
    /// Whether the clone was made in this run or an earlier clone was fetched again.
    pub CloneAction { Cloned = "cloned", Updated = "updated" }
}

crate::string_enum! {
    /// `ok` or `failed`.
    pub Status { Ok = "ok", Failed = "failed" }
}

/// One group's line of `scrape-report.json`. Every key is always present (null when it does not apply).
#[derive(Debug, Clone, Serialize)]
pub struct GroupOutcome {
    /// Null when the row's group number cannot be read (reason `invalid-group`).
    pub group: Option<u32>,
    /// Line of the group list.
    pub line: usize,
    /// The repository URL fetched, credentials redacted (or the redacted cell when it is malformed).
    pub repo: Option<String>,
    pub status: Status,
    pub reason: Option<Failure>,
    pub message: Option<String>,
    /// How the URL was normalised, other report-like files, figures left out.
    pub notes: Vec<String>,
    /// Set once the default branch was fetched (a clone that failed before that is removed).
    pub clone: Option<CloneAction>,
    pub branch: Option<String>,
    pub commit: Option<String>,
    /// Committer date of the commit (RFC 3339, the committer's offset).
    pub commit_time: Option<String>,
    /// Where the report is in the repository.
    pub report_path: Option<String>,
    /// The export, relative to the output folder (`group_12`).
    pub dir: Option<String>,
    /// Files written, relative to `dir`.
    pub files: Vec<String>,
    /// Local images the report references that are not in the commit (repository paths).
    pub missing_images: Vec<String>,
    /// On a failure: whether an export from an earlier run is still in `group_<n>/` (it was left in place).
    pub previous_export: bool,
}

impl GroupOutcome {
    fn new(row: &GroupRow) -> Self {
        GroupOutcome::at_line(Some(row.group), row.line)
    }

    /// A row of the group list whose group number cannot be read.
    fn invalid_group(rejected: &GroupListError) -> Self {
        GroupOutcome::at_line(None, rejected.line)
            .fail(Failure::InvalidGroup, format!("{}; the row was skipped", rejected.reason))
    }

    fn at_line(group: Option<u32>, line: usize) -> Self {
        GroupOutcome {
            group,
            line,
            repo: None,
            status: Status::Ok,
            reason: None,
            message: None,
            notes: vec![],
            clone: None,
            branch: None,
            commit: None,
            commit_time: None,
            report_path: None,
            dir: None,
            files: vec![],
            missing_images: vec![],
            previous_export: false,
        }
    }

    fn fail(mut self, reason: Failure, message: impl Into<String>) -> Self {
        self.status = Status::Failed;
        self.reason = Some(reason);
        self.message = Some(redact(&message.into()).into_owned());
        self
    }

    pub fn ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// `DIR/scrape-report.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ScrapeReport {
    pub group_list: String,
    pub deadline: String,
    pub deadline_unix: i64,
    pub scraped_at: String,
    pub git: String,
    pub groups_total: usize,
    pub ok: usize,
    pub failed: usize,
    pub groups: Vec<GroupOutcome>,
}

/// `DIR/group_<n>/source.json`: where the exported files came from.
#[derive(Debug, Serialize)]
struct Source<'a> {
    group: u32,
    repo: &'a str,
    branch: &'a str,
    commit: &'a str,
    commit_time: &'a str,
    deadline: String,
    scraped_at: String,
    report_path: &'a str,
    /// The repository folder that this folder is (`""` for the root).
    exported_folder: &'a str,
    files: &'a [String],
    missing_images: &'a [String],
    other_reports: &'a [String],
}

/// Why a scrape could not run at all (single groups fail in [`GroupOutcome`], not here).
#[derive(Debug, thiserror::Error)]
pub enum ScrapeError {
    #[error("{}: {reason}", path.display())]
    GroupList { path: PathBuf, reason: String },
    #[error("{0}")]
    Git(String),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ScrapeError + '_ {
    move |source| ScrapeError::Io { path: path.to_path_buf(), source }
}

/// Scrapes every group of the group list into `opts.out` and writes `scrape-report.json`.
pub fn scrape(group_list: &Path, opts: &ScrapeOptions) -> Result<ScrapeReport, ScrapeError> {
    let bytes = fs::read(group_list)
        .map_err(|e| ScrapeError::GroupList { path: group_list.to_path_buf(), reason: format!("cannot read: {e}") })?;
    // A row whose group number cannot be read is reported with its line; the others are scraped.
    let list = read_group_list(&String::from_utf8_lossy(&bytes));
    let rows = list.rows;
    let git_version = git::version().map_err(|e| ScrapeError::Git(e.to_string()))?;
    let scraped_at = time::now_rfc3339();
    for dir in [opts.out.clone(), opts.out.join(CLONES), opts.out.join(STAGING)] {
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    }

    // A group listed twice would write one folder twice: the first line wins, later ones are reported.
    let mut first_line: HashMap<u32, usize> = HashMap::new();
    let mut outcomes: Vec<Option<GroupOutcome>> = vec![None; rows.len()];
    let mut todo = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match first_line.get(&row.group) {
            Some(&first) => {
                let message = format!(
                    "group {} is listed again (first on line {first}); only line {first} was scraped",
                    row.group
                );
                outcomes[i] = Some(GroupOutcome::new(row).fail(Failure::DuplicateGroup, message));
            }
            None => {
                first_line.insert(row.group, row.line);
                todo.push(i);
            }
        }
    }

    let bar = opts.progress.then(|| {
        let b = indicatif::ProgressBar::new(todo.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} scraping {pos}/{len} repositories {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let done = crate::parallel::map_in_order_on(opts.jobs.max(1), &todo, |&i| {
        let row = &rows[i];
        // A panic on one repository (a bug) becomes that group's failure, never a lost run.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scrape_group(row, opts)))
            .unwrap_or_else(|_| {
                GroupOutcome::new(row).fail(Failure::Internal, "internal error (a bug in cohort: please report it)")
            });
        if let Some(b) = &bar {
            b.inc(1);
        }
        (i, outcome)
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    for (i, o) in done {
        outcomes[i] = Some(o);
    }
    let _ = fs::remove_dir(opts.out.join(STAGING));

    let mut groups: Vec<GroupOutcome> = outcomes.into_iter().flatten().collect();
    groups.extend(list.rejected.iter().map(GroupOutcome::invalid_group));
    groups.sort_by_key(|g| g.line);
    let ok = groups.iter().filter(|g| g.ok()).count();
    let report = ScrapeReport {
        group_list: group_list.display().to_string(),
        deadline: opts.deadline.to_string(),
        deadline_unix: opts.deadline.unix,
        scraped_at,
        git: git_version,
        groups_total: groups.len(),
        ok,
        failed: groups.len() - ok,
        groups,
    };
    write_json(&opts.out.join(REPORT_FILE), &report).map_err(io_err(&opts.out.join(REPORT_FILE)))?;
    Ok(report)
}

/// Writes JSON whole or not at all ([`crate::store::write_atomically`]), redacted once more as a last line of
/// defence.
fn write_json(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    crate::store::write_atomically(path, redact(&text).as_bytes()).map_err(|e| match e {
        crate::store::StoreError::Io { source, .. } => source,
        other => std::io::Error::other(other),
    })
}

/// What git's message says went wrong.
fn classify(e: &GitError, timeout: Duration) -> (Failure, String) {
    match e {
        GitError::Timeout => (
            Failure::Timeout,
            format!(
                "no result within {} s; git was stopped (raise --timeout for large repositories)",
                timeout.as_secs()
            ),
        ),
        GitError::Spawn(_) => (Failure::GitFailed, e.to_string()),
        GitError::Failed { stderr, .. } => {
            let lower = stderr.to_lowercase();
            let detail = stderr
                .lines()
                .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
                .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("")
                .trim()
                .to_string();
            let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
            if has(&[
                "repository not found",
                "does not appear to be a git repository",
                "not found",
                "no such file or directory",
                "returned error: 404",
            ]) {
                (Failure::NotFound, format!("repository not found ({detail})"))
            } else if has(&[
                "could not read username",
                "could not read password",
                "terminal prompts disabled",
                "authentication failed",
                "permission denied",
                "returned error: 403",
                "returned error: 401",
            ]) {
                (
                    Failure::AuthRequired,
                    format!(
                        "the server asks for credentials: the repository is private, or does not exist (GitHub answers \
                         both the same way); check the URL, or give a token in the URL's user part ({detail})"
                    ),
                )
            } else if has(&[
                "could not resolve host",
                "failed to connect",
                "couldn't connect",
                "connection refused",
                "connection timed out",
                "network is unreachable",
                "could not resolve hostname",
            ]) {
                (Failure::Unreachable, format!("cannot reach the host ({detail})"))
            } else {
                (Failure::GitFailed, if detail.is_empty() { e.to_string() } else { detail })
            }
        }
    }
}

/// An error while scraping one group: its kind and message.
type Fail = (Failure, String);

fn scrape_group(row: &GroupRow, opts: &ScrapeOptions) -> GroupOutcome {
    let mut out = GroupOutcome::new(row);
    let Some(cell) = row.repo_cell.as_deref() else {
        return out.fail(Failure::MissingUrl, "no repository for this group in the group list");
    };
    let repo = match url::clone_url(cell) {
        Ok(r) => r,
        Err(problem) => {
            out.repo = Some(redact(cell.trim()).into_owned());
            return out.fail(Failure::MalformedUrl, problem.0);
        }
    };
    out.repo = Some(repo.shown.clone());
    out.notes = repo.notes.clone();
    let export_dir = opts.out.join(format!("group_{}", row.group));
    let clone_dir = opts.out.join(CLONES).join(format!("group_{}.git", row.group));
    if repo.local && !opts.allow_local {
        out.previous_export = export_dir.join(SOURCE_FILE).is_file();
        return out.fail(
            Failure::LocalUrl,
            "a file:// URL or a path on this machine, not a server; not fetched (a group list filled in by students \
             must not make cohort copy local folders): pass --allow-local if staff wrote this row",
        );
    }
    let fresh = !clone_dir.exists();
    match fetch_and_export(row, &repo, &clone_dir, fresh, &export_dir, opts, &mut out) {
        Ok(()) => out,
        Err((kind, message)) => {
            if fresh && out.clone.is_none() {
                // Never fetched: nothing worth keeping, and a later run starts clean.
                let _ = fs::remove_dir_all(&clone_dir);
            }
            out.previous_export = export_dir.join(SOURCE_FILE).is_file();
            out.fail(kind, message)
        }
    }
}

fn fetch_and_export(
    row: &GroupRow,
    repo: &url::RepoUrl,
    clone_dir: &Path,
    fresh: bool,
    export_dir: &Path,
    opts: &ScrapeOptions,
    out: &mut GroupOutcome,
) -> Result<(), Fail> {
    let git = Git::new(clone_dir, repo.credentials.as_ref(), Instant::now() + opts.timeout);
    let g = |e: GitError| classify(&e, opts.timeout);
    if fresh {
        git.run(&["init", "--bare", "--quiet"]).map_err(g)?;
    }
    // The URL stored in the clone never has credentials in it (they go through the helper).
    let stored = git.text(&["config", "--get", "remote.origin.url"]).ok();
    if stored.as_deref() != Some(repo.url.as_str()) {
        if stored.is_some() {
            out.notes.push("the repository URL changed since the last scrape; fetched from the new one".into());
        }
        git.run(&["config", "remote.origin.url", &repo.url]).map_err(g)?;
    }

    let head = git.text(&["ls-remote", "--symref", "origin", "HEAD"]).map_err(g)?;
    if head.is_empty() {
        return Err((Failure::EmptyRepository, "the repository has no commits".into()));
    }
    let branch = head
        .lines()
        .find_map(|l| l.strip_prefix("ref: refs/heads/").and_then(|r| r.strip_suffix("\tHEAD")))
        .map(str::to_string)
        .ok_or((Failure::GitFailed, "the server does not say which branch is the default".to_string()))?;
    let branch_ref = format!("refs/heads/{branch}");
    git.run(&[
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
        "origin",
        &format!("+{branch_ref}:{branch_ref}"),
    ])
    .map_err(g)?;
    git.run(&["symbolic-ref", "HEAD", &branch_ref]).map_err(g)?;
    out.branch = Some(branch.clone());
    // From here on the clone holds the branch and is kept even if this group fails later (no commit before the
    // deadline, no report): the next run only fetches what is new.
    out.clone = Some(if fresh { CloneAction::Cloned } else { CloneAction::Updated });

    let commit = crate::repo::deadline_commit(|a| git.run(a), &branch_ref, opts.deadline.unix).map_err(g)?;
    let Some(commit) = commit else {
        let first = git.text(&["log", "--first-parent", "--reverse", "--format=%cI", &branch_ref]).map_err(g)?;
        let first = first.lines().next().unwrap_or("?");
        return Err((
            Failure::NoCommitBeforeDeadline,
            format!(
                "no commit on {branch} at or before the deadline {}; its first commit is dated {first}",
                opts.deadline
            ),
        ));
    };
    let commit_time = git.text(&["log", "-1", "--format=%cI", &commit]).map_err(g)?;
    out.commit = Some(commit.clone());
    out.commit_time = Some(commit_time.clone());

    let files = parse_ls_tree(&git.run(&["ls-tree", "-r", "-l", "-z", "--full-tree", &commit]).map_err(g)?);
    let chosen = choose_report(&files, opts.limits, |f| git.run(&["cat-file", "blob", &f.oid])).map_err(g)?;
    let Some(chosen) = chosen else {
        let md = files.iter().filter(|f| f.path.to_lowercase().ends_with(".md")).count();
        return Err((
            Failure::NoReport,
            format!(
                "no markdown file of commit {} reads as a report ({md} .md files looked at)",
                &commit[..commit.len().min(12)]
            ),
        ));
    };
    let plan = plan(&files, &chosen, opts.limits);
    out.report_path = Some(chosen.file.path.clone());
    out.missing_images = plan.missing_images.clone();
    if !chosen.others.is_empty() {
        out.notes.push(format!("other files reading as reports: {}", chosen.others.join(", ")));
    }
    out.notes.extend(plan.skipped.iter().map(|s| format!("not copied: {s}")));

    // Assemble beside the output, then replace the previous export in one rename.
    let staging = opts.out.join(STAGING).join(format!("group_{}", row.group));
    let write_err = |path: &Path, e: std::io::Error| (Failure::WriteFailed, format!("{}: {e}", path.display()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| write_err(&staging, e))?;
    }
    let mut written = Vec::new();
    for f in &plan.files {
        let bytes = if f.path == chosen.file.path {
            chosen.bytes.clone()
        } else {
            git.run(&["cat-file", "blob", &f.oid]).map_err(g)?
        };
        let rel = relative_to(&plan.root, &f.path);
        let dest = staging.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| write_err(parent, e))?;
        }
        fs::write(&dest, bytes).map_err(|e| write_err(&dest, e))?;
        written.push(rel.to_string());
    }
    let source = Source {
        group: row.group,
        repo: &repo.shown,
        branch: &branch,
        commit: &commit,
        commit_time: &commit_time,
        deadline: opts.deadline.to_string(),
        scraped_at: time::now_rfc3339(),
        report_path: &chosen.file.path,
        exported_folder: &plan.root,
        files: &written,
        missing_images: &plan.missing_images,
        other_reports: &chosen.others,
    };
    let source_path = staging.join(SOURCE_FILE);
    write_json(&source_path, &source).map_err(|e| write_err(&source_path, e))?;
    if export_dir.exists() {
        fs::remove_dir_all(export_dir).map_err(|e| write_err(export_dir, e))?;
    }
    fs::rename(&staging, export_dir).map_err(|e| write_err(export_dir, e))?;
    out.dir = export_dir.file_name().map(|n| n.to_string_lossy().into_owned());
    out.files = written;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(stderr: &str) -> GitError {
        GitError::Failed { args: "ls-remote".into(), stderr: stderr.into() }
    }

    #[test]
    fn classifies_gits_messages() {
        let t = Duration::from_secs(5);
        let kind = |s: &str| classify(&failed(s), t).0;
        assert_eq!(
            kind("fatal: '/x/y' does not appear to be a git repository\nfatal: Could not read from remote repository."),
            Failure::NotFound
        );
        assert_eq!(
            kind("remote: Repository not found.\nfatal: repository 'https://github.com/a/b/' not found"),
            Failure::NotFound
        );
        assert_eq!(
            kind("fatal: could not read Username for 'https://github.com': terminal prompts disabled"),
            Failure::AuthRequired
        );
        assert_eq!(
            kind("fatal: unable to access 'https://x.org/a/': Could not resolve host: x.org"),
            Failure::Unreachable
        );
        assert_eq!(
            kind("fatal: unable to access 'https://127.0.0.1:9/a/': Failed to connect to 127.0.0.1 port 9"),
            Failure::Unreachable
        );
        assert_eq!(kind("fatal: something else"), Failure::GitFailed);
        assert_eq!(classify(&GitError::Timeout, t).0, Failure::Timeout);
        assert_eq!(classify(&failed("fatal: something else"), t).1, "fatal: something else");
    }
}
