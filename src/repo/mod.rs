//! Reading a group's git repository as it stood at one commit: its files, the commit at a deadline, its branches,
//! its first day and its authors. No terminal, no command-line types.
//!
//! **How it reads.** The system `git`, never a subprocess per file: one `git log` and one `git for-each-ref` per
//! repository, and two long-lived `git cat-file` processes ([`objects::Objects`]) through which every tree and
//! blob is read and parsed in-process, so the many commits `verify` reads of one repository cost no process each. gitoxide (`gix`) would save the few processes per
//! repository, but it adds well over a hundred crates to a cold build that must stay short, while `git` is
//! already required by `cohort scrape` and reads every repository format (packs, alternates, bundles, shallow
//! clones) the way the groups' own git does. A repository of a few hundred files is read in tens of
//! milliseconds this way.
//!
//! **Which repositories.** A bare repository (`X.git`, scrape's `.clones/group_<n>.git`), a clone with a work tree
//! (`X/` with `X/.git`; only committed content is read, never the work tree), or a bundle (`X.bundle`), which is
//! unbundled once into a bare cache ([`open_bundle`]) and reused while the bundle is unchanged.
//!
//! Repositories are untrusted input: nothing is checked out, and every git process is started by [`git`], which
//! keeps the repository's own configuration from running a program or fetching anything, bounds its time and
//! ends it when cohort ends.

pub mod catfile;
pub mod git;
pub mod history;
pub mod objects;

use crate::scrape::export::{parse_ls_tree, TreeFile};
use git::{Git, GitError};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use history::{deadline_commit, Author, Branch, History};

/// Time allowed for one git command on a local repository (a huge repository is reported, not waited for).
const GIT_TIMEOUT: Duration = Duration::from_secs(120);

/// Time allowed for reading one repository, all its git commands together ([`Repo::until`]); `verify` stops
/// reading earlier states of it when this runs out too.
pub const REPO_TIME: Duration = Duration::from_secs(300);

/// Why a repository could not be read. Every variant names the path it is about.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("{}: no such repository", path.display())]
    Missing { path: PathBuf },
    #[error("{}: not a git repository ({detail})", path.display())]
    NotGit { path: PathBuf, detail: String },
    #[error("{}: the repository has no commits", path.display())]
    Empty { path: PathBuf },
    #[error("{}: the repository is damaged: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: git {args} failed: {detail}", path.display())]
    Git { path: PathBuf, args: String, detail: String },
    #[error("{}: {what} took longer than {seconds} s and was stopped", path.display())]
    TimedOut { path: PathBuf, what: String, seconds: u64 },
    #[error("{}: cannot run git: {source} (is git installed and on PATH?)", path.display())]
    Spawn { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl RepoError {
    /// A short stable name for JSON (`missing`, `not-git`, `empty`, `corrupt`, `git-failed`, `timed-out`).
    pub fn kind(&self) -> &'static str {
        match self {
            RepoError::Missing { .. } => "missing",
            RepoError::NotGit { .. } => "not-git",
            RepoError::Empty { .. } => "empty",
            RepoError::Corrupt { .. } => "corrupt",
            RepoError::TimedOut { .. } => "timed-out",
            RepoError::Git { .. } | RepoError::Spawn { .. } | RepoError::Io { .. } => "git-failed",
        }
    }
}

/// An opened repository: where its git data is and which branch is the default one.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The git directory (`X.git`, `X/.git`, or the bundle's cache).
    pub git_dir: PathBuf,
    /// What the user pointed at (shown in messages).
    pub shown: PathBuf,
    /// `refs/heads/main`, or `HEAD` when HEAD is detached.
    pub default_ref: String,
    /// When the time allowed for reading this repository is up ([`REPO_TIME`] after it was opened): no git
    /// command of it runs past this.
    pub until: Instant,
}

/// One file of a commit (regular files only; symbolic links and submodules are not content).
pub type File = TreeFile;

impl Repo {
    /// Opens a bare repository or a clone with a work tree. A folder that is not a repository is an error, never
    /// a reason to look in its parent folders.
    pub fn open(path: &Path) -> Result<Repo, RepoError> {
        if !path.exists() {
            return Err(RepoError::Missing { path: path.to_path_buf() });
        }
        let dot_git = path.join(".git");
        let linked = fs::symlink_metadata(&dot_git).is_ok_and(|m| m.file_type().is_symlink());
        let git_dir = if dot_git.is_file() && !linked {
            // A linked worktree or submodule: `.git` is a file `gitdir: <path>`.
            let text = fs::read_to_string(&dot_git).map_err(|e| RepoError::Io { path: dot_git.clone(), source: e })?;
            let target = text.trim().strip_prefix("gitdir:").map(str::trim).ok_or_else(|| RepoError::NotGit {
                path: path.to_path_buf(),
                detail: ".git is a file without a gitdir line".into(),
            })?;
            let target = Path::new(target);
            let target = if target.is_absolute() { target.to_path_buf() } else { path.join(target) };
            within_repositories(path, &target)?;
            target
        } else if dot_git.is_dir() {
            if linked {
                within_repositories(path, &dot_git)?;
            }
            dot_git
        } else {
            path.to_path_buf()
        };
        if !(git_dir.join("HEAD").is_file() && git_dir.join("objects").is_dir()) {
            return Err(RepoError::NotGit { path: path.to_path_buf(), detail: "no HEAD and objects folder".into() });
        }
        let until = Instant::now() + REPO_TIME;
        let repo = Repo { git_dir, shown: path.to_path_buf(), default_ref: String::new(), until };
        let head = repo.text(&["symbolic-ref", "-q", "HEAD"]).unwrap_or_default();
        let default_ref = if head.is_empty() { "HEAD".to_string() } else { head };
        let repo = Repo { default_ref, ..repo };
        let refs = repo.text(&["for-each-ref", "--format=%(refname)", "refs/heads"])?;
        let tip = repo.text(&["rev-parse", "-q", "--verify", &format!("{}^{{commit}}", repo.default_ref)]);
        // HEAD naming a branch that does not exist (a bundle made without HEAD): main, master, or the only branch.
        let fallback = || {
            let branches: Vec<&str> = refs.lines().collect();
            ["refs/heads/main", "refs/heads/master"]
                .into_iter()
                .find(|b| branches.contains(b))
                .or_else(|| (branches.len() == 1).then(|| branches[0]))
                .map(str::to_string)
        };
        match tip {
            Ok(t) if !t.is_empty() => Ok(repo),
            _ if fallback().is_some() => Ok(Repo { default_ref: fallback().unwrap_or_default(), ..repo }),
            _ if refs.is_empty() => Err(RepoError::Empty { path: path.to_path_buf() }),
            Ok(_) | Err(_) => Err(RepoError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("the default branch {} does not name a commit", repo.default_ref),
            }),
        }
    }

    /// Runs one git command against this repository.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, RepoError> {
        let until = (Instant::now() + GIT_TIMEOUT).min(self.until);
        Git::local(&self.git_dir, until).run(args).map_err(|e| self.git_error(args, e))
    }

    /// Standard output as text, trimmed.
    pub fn text(&self, args: &[&str]) -> Result<String, RepoError> {
        Ok(String::from_utf8_lossy(&self.run(args)?).trim().to_string())
    }

    fn git_error(&self, args: &[&str], e: GitError) -> RepoError {
        let path = self.shown.clone();
        match e {
            GitError::Spawn(source) => RepoError::Spawn { path, source },
            GitError::Timeout if Instant::now() >= self.until => {
                RepoError::TimedOut { path, what: "reading the repository".into(), seconds: REPO_TIME.as_secs() }
            }
            GitError::Timeout => RepoError::TimedOut {
                path,
                what: format!("git {}", args.iter().take(2).copied().collect::<Vec<_>>().join(" ")),
                seconds: GIT_TIMEOUT.as_secs(),
            },
            GitError::Failed { args, stderr } => {
                let detail = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
                let lower = stderr.to_lowercase();
                if [
                    "corrupt",
                    "bad object",
                    "unable to read",
                    "loose object",
                    "packfile",
                    "did not receive expected object",
                ]
                .iter()
                .any(|n| lower.contains(n))
                {
                    RepoError::Corrupt { path, detail }
                } else {
                    RepoError::Git { path, args, detail }
                }
            }
        }
    }

    /// The regular files of a commit's tree with their blob names and sizes.
    pub fn files(&self, commit: &str) -> Result<Vec<File>, RepoError> {
        Ok(parse_ls_tree(&self.run(&["ls-tree", "-r", "-l", "-z", "--full-tree", commit])?))
    }

    /// A reader for this repository's trees and blobs (two processes for all of them).
    pub fn objects(&self) -> Result<objects::Objects<'_>, RepoError> {
        objects::Objects::open(self)
    }

    /// The full name of a commit given by any revision, if the repository has it.
    pub fn resolve(&self, rev: &str) -> Option<String> {
        self.text(&["rev-parse", "-q", "--verify", &format!("{rev}^{{commit}}")]).ok().filter(|s| !s.is_empty())
    }
}

/// A clone's `.git` that is a file (`gitdir: ...`) or a link must lead to a folder beside the clone, in the
/// folder of repositories it was found in: a group's archive could otherwise make cohort read (and report as
/// the group's) any repository on the machine.
fn within_repositories(clone: &Path, git_dir: &Path) -> Result<(), RepoError> {
    let refused = |detail: String| RepoError::NotGit { path: clone.to_path_buf(), detail };
    let clone_real = fs::canonicalize(clone).map_err(|e| RepoError::Io { path: clone.to_path_buf(), source: e })?;
    let folder = clone_real.parent().unwrap_or(&clone_real);
    let target = fs::canonicalize(git_dir)
        .map_err(|_| refused(format!(".git points to {}, which does not exist", git_dir.display())))?;
    if target.starts_with(folder) {
        Ok(())
    } else {
        Err(refused(format!(".git points outside {} (to {}): not read", folder.display(), target.display())))
    }
}

/// Opens a bundle through a bare cache under `cache`: unbundled on first use (`git clone --bare`, which keeps
/// every branch and the bundle's HEAD), reused while the bundle's size and modification time are unchanged.
///
/// Several runs may share one cache (three `verify`s, or `verify` beside `ingest --repos`): a bundle is
/// unbundled under a lock file of its own (`.<name>-<key>.lock`, released when its holder ends, even killed),
/// into a staging folder only the lock's holder uses, and moved into place in one rename with its stamp already
/// in it; a run that waited for the lock finds the stamp and unbundles nothing. Staging folders a killed run
/// left are removed by the next run that takes the lock. Unbundling has `GIT_TIMEOUT`.
pub fn open_bundle(bundle: &Path, cache: &Path) -> Result<Repo, RepoError> {
    let meta = fs::metadata(bundle).map_err(|_| RepoError::Missing { path: bundle.to_path_buf() })?;
    if !meta.is_file() {
        return Err(RepoError::NotGit { path: bundle.to_path_buf(), detail: "a bundle must be a file".into() });
    }
    let stamp = format!(
        "{} {}",
        meta.len(),
        meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
    );
    let canonical = fs::canonicalize(bundle).unwrap_or_else(|_| bundle.to_path_buf());
    let name = bundle.file_stem().map_or_else(|| "bundle".into(), |s| s.to_string_lossy().into_owned());
    let key = blake3::hash(canonical.to_string_lossy().as_bytes()).to_hex();
    let base = format!("{name}-{}", &key[..12]);
    let dir = cache.join(format!("{base}.git"));
    let stamp_file = dir.join("cohort-bundle-stamp");
    let current = || fs::read_to_string(&stamp_file).ok().as_deref() == Some(stamp.as_str());
    if !current() {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |e| RepoError::Io { path, source: e }
        };
        fs::create_dir_all(cache).map_err(io(cache))?;
        let lock_path = cache.join(format!(".{base}.lock"));
        let _lock = lock_file(&lock_path).map_err(io(&lock_path))?;
        // Another run may have unbundled it while this one waited for the lock.
        if !current() {
            remove_stale_staging(cache, &base);
            let staging = cache.join(format!(".{base}.{}.tmp", std::process::id()));
            let mut cmd = git::command(git::Network::Bundle);
            cmd.args(["clone", "--bare", "--quiet"]).arg(bundle).arg(&staging);
            if let Err(e) = git::run_until(cmd, Instant::now() + GIT_TIMEOUT, &["clone", "--bare"]) {
                let _ = fs::remove_dir_all(&staging);
                return Err(unbundle_error(bundle, e));
            }
            fs::write(staging.join("cohort-bundle-stamp"), &stamp).map_err(io(&staging))?;
            if dir.exists() {
                // The bundle changed: the old copy is moved aside in one rename, then removed.
                let old = cache.join(format!(".{base}.{}.old.tmp", std::process::id()));
                fs::rename(&dir, &old).map_err(io(&dir))?;
                let _ = fs::remove_dir_all(&old);
            }
            fs::rename(&staging, &dir).map_err(io(&dir))?;
        }
    }
    let mut repo = Repo::open(&dir).map_err(|e| match e {
        RepoError::Empty { .. } => RepoError::Empty { path: bundle.to_path_buf() },
        other => other,
    })?;
    repo.shown = bundle.to_path_buf();
    Ok(repo)
}

fn unbundle_error(bundle: &Path, e: GitError) -> RepoError {
    let path = bundle.to_path_buf();
    match e {
        GitError::Spawn(source) => RepoError::Spawn { path, source },
        GitError::Timeout => RepoError::TimedOut { path, what: "unbundling".into(), seconds: GIT_TIMEOUT.as_secs() },
        GitError::Failed { stderr, .. } => {
            let detail =
                stderr.lines().find(|l| l.starts_with("fatal:") || l.starts_with("error:")).unwrap_or("").trim();
            let detail = if detail.is_empty() { "git clone failed".to_string() } else { detail.to_string() };
            if stderr.contains("does not look like a v2 or v3 bundle") || stderr.contains("not a bundle") {
                RepoError::NotGit { path, detail }
            } else {
                RepoError::Corrupt { path, detail }
            }
        }
    }
}

/// Staging folders of one bundle that earlier runs left (killed while unbundling): only the holder of the
/// bundle's lock stages, so under the lock every one of them is abandoned.
fn remove_stale_staging(cache: &Path, base: &str) {
    let prefix = format!(".{base}.");
    let Ok(entries) = fs::read_dir(cache) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// An exclusive lock on a file, held until the returned file is dropped (or its process ends).
fn lock_file(path: &Path) -> std::io::Result<fs::File> {
    let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        loop {
            // SAFETY: flock(2) on a descriptor this function owns; no memory is touched.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
    Ok(file)
}

/// Where bundles are unbundled unless told otherwise: `$XDG_CACHE_HOME/cohort/bundles`, `~/.cache/cohort/bundles`,
/// or the temporary folder.
pub fn default_cache() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("cohort").join("bundles")
}
