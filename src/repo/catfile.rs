//! One long-lived `git cat-file --batch` per repository: every blob of a commit is read through one pipe instead
//! of one process per file (a repository of 300 files costs one process, not 300); `--batch-check` likewise
//! answers objects' types and sizes.

use super::git::{self, Running, Watchdog};
use super::RepoError;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout};
use std::time::Instant;

/// A running `git cat-file --batch`, killed when its time is up. Dropping it ends the process.
pub struct CatFile {
    git_dir: PathBuf,
    running: Running,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
    until: Instant,
    started: Instant,
    watchdog: Option<Watchdog>,
}

impl CatFile {
    /// `git cat-file --batch`: objects' contents ([`CatFile::read`]), until `until`.
    pub fn start(git_dir: &Path, until: Instant) -> Result<CatFile, RepoError> {
        CatFile::spawn(git_dir, "--batch", until)
    }

    /// `git cat-file --batch-check`: objects' types and sizes only ([`CatFile::info`]), until `until`.
    pub fn start_check(git_dir: &Path, until: Instant) -> Result<CatFile, RepoError> {
        CatFile::spawn(git_dir, "--batch-check", until)
    }

    fn spawn(git_dir: &Path, mode: &str, until: Instant) -> Result<CatFile, RepoError> {
        let mut cmd = git::command(git::Network::Off);
        cmd.arg("--git-dir").arg(git_dir).args(["cat-file", mode]).stdin(std::process::Stdio::piped());
        // Its messages are not read: a broken repository shows as `missing` answers or a closed pipe.
        cmd.stderr(std::process::Stdio::null());
        let mut running =
            git::spawn(&mut cmd).map_err(|e| RepoError::Spawn { path: git_dir.to_path_buf(), source: e })?;
        let watchdog = Some(Watchdog::arm(&running.child, until));
        let input = running.child.stdin.take();
        let output = running.child.stdout.take().ok_or_else(|| RepoError::Git {
            path: git_dir.to_path_buf(),
            args: format!("cat-file {mode}"),
            detail: "no output pipe".into(),
        })?;
        let started = Instant::now();
        Ok(CatFile {
            git_dir: git_dir.to_path_buf(),
            running,
            input,
            output: BufReader::new(output),
            until,
            started,
            watchdog,
        })
    }

    /// A failed read: the process was stopped because its time ran out, or the repository is damaged.
    fn broken(&self, detail: impl Into<String>) -> RepoError {
        if Instant::now() >= self.until {
            return RepoError::TimedOut {
                path: self.git_dir.clone(),
                what: "reading the repository".into(),
                seconds: self.until.saturating_duration_since(self.started).as_secs(),
            };
        }
        RepoError::Corrupt { path: self.git_dir.clone(), detail: detail.into() }
    }

    /// The bytes of one object, or `None` when the repository does not have it (a `--batch` process).
    pub fn read(&mut self, oid: &str) -> Result<Option<Vec<u8>>, RepoError> {
        Ok(self.read_typed(oid)?.map(|(_, bytes)| bytes))
    }

    /// The type (`blob`, `tree`, `commit`, `tag`) and bytes of one object, or `None` when the repository does
    /// not have it (a `--batch` process).
    pub fn read_typed(&mut self, oid: &str) -> Result<Option<(String, Vec<u8>)>, RepoError> {
        let Some((kind, size)) = self.ask(oid)? else { return Ok(None) };
        let mut bytes = vec![0; size + 1];
        self.output.read_exact(&mut bytes).map_err(|e| self.broken(format!("git cat-file: {e}")))?;
        bytes.pop(); // the newline after every object
        Ok(Some((kind, bytes)))
    }

    /// The type and size of one object, or `None` when the repository does not have it (a `--batch-check`
    /// process).
    pub fn info(&mut self, oid: &str) -> Result<Option<(String, u64)>, RepoError> {
        Ok(self.ask(oid)?.map(|(kind, size)| (kind, size as u64)))
    }

    /// Sends one object name and reads the answer's header (`<name> <type> <size>`): the object's type and
    /// size, `None` when it is missing.
    fn ask(&mut self, oid: &str) -> Result<Option<(String, usize)>, RepoError> {
        let input = self.input.as_mut().ok_or_else(|| RepoError::Corrupt {
            path: self.git_dir.clone(),
            detail: "git cat-file has stopped".into(),
        })?;
        // An object name never holds a newline; anything else would desynchronise the protocol.
        if oid.contains(['\n', '\r']) {
            return Ok(None);
        }
        writeln!(input, "{oid}").and_then(|()| input.flush()).map_err(|e| self.broken(format!("git cat-file: {e}")))?;
        let mut header = String::new();
        self.output.read_line(&mut header).map_err(|e| self.broken(format!("git cat-file: {e}")))?;
        let header = header.trim_end();
        if header.is_empty() {
            return Err(self.broken("git cat-file stopped answering"));
        }
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            return Ok(None);
        }
        let mut fields = header.rsplit(' ');
        let (size, kind) = (fields.next().and_then(|s| s.parse().ok()), fields.next());
        let (Some(size), Some(kind)) = (size, kind) else {
            return Err(self.broken(format!("unexpected answer from git cat-file: {header}")));
        };
        Ok(Some((kind.to_string(), size)))
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Disarmed before the process is reaped, so it never signals a reused process id; then killed rather
        // than waited for (a cat-file blocked on writing an answer nobody reads would never end).
        drop(self.watchdog.take());
        drop(self.input.take());
        self.running.kill_all();
        let _ = self.running.wait();
    }
}
