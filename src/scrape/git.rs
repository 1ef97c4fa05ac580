//! Running the system `git` for one repository: never prompting, never storing credentials, and killed (with
//! every process it started) when the repository's time is up.
//!
//! The clone is bare and nothing is ever checked out: a group's repository is untrusted input, and a bare
//! repository runs no hooks, filters or LFS smudging. Files are read with `git cat-file`.

use super::url::{redact, Credentials};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Environment variables the credential helper reads; set only on the child that needs them.
const USER_VAR: &str = "COHORT_GIT_USERNAME";
const PASSWORD_VAR: &str = "COHORT_GIT_PASSWORD";

/// A credential helper answering git's `get` from the two variables above, so the token is in no argument list
/// (visible to every user in `ps`) and no file. `store` and `erase` are ignored.
const HELPER: &str = "credential.helper=!f() { test \"$1\" = get && printf 'username=%s\\npassword=%s\\n' \"$COHORT_GIT_USERNAME\" \"$COHORT_GIT_PASSWORD\"; }; f";

/// Why a git command failed. (Its messages end up in `scrape-report.json` whole, so causes are written into them.)
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The repository's time ran out; git and its children were killed.
    #[error("timed out")]
    Timeout,
    /// git could not be started.
    #[error("cannot run git: {0} (is git installed and on PATH?)")]
    Spawn(std::io::Error),
    /// git ran and failed; `stderr` is redacted.
    #[error("git {args} failed: {}", stderr.trim())]
    Failed { args: String, stderr: String },
}

/// git commands against one bare repository, sharing one time budget.
pub struct Git<'a> {
    pub dir: PathBuf,
    pub credentials: Option<&'a Credentials>,
    /// When the repository's time is up.
    pub until: Instant,
}

impl<'a> Git<'a> {
    pub fn new(dir: &Path, credentials: Option<&'a Credentials>, until: Instant) -> Self {
        Git { dir: dir.to_path_buf(), credentials, until }
    }

    /// Runs `git --git-dir=<dir> <args>` and returns its standard output.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let mut cmd = command(self.credentials);
        cmd.arg("--git-dir").arg(&self.dir).args(args);
        run_until(cmd, self.until, args)
    }

    /// Standard output as text, trimmed.
    pub fn text(&self, args: &[&str]) -> Result<String, GitError> {
        Ok(String::from_utf8_lossy(&self.run(args)?).trim().to_string())
    }
}

/// A git command that never waits for a person: no terminal prompt, no askpass program, SSH in batch mode,
/// English messages (they are classified), and the URL's credentials through the `HELPER` credential helper only.
pub fn command(credentials: Option<&Credentials>) -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
        .env("LC_ALL", "C")
        .env("LANGUAGE", "")
        .args(["-c", "core.askPass="]);
    if std::env::var_os("GIT_SSH_COMMAND").is_none() {
        cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    cmd.env_remove(USER_VAR).env_remove(PASSWORD_VAR);
    if let Some(c) = credentials {
        // The empty helper first clears the user's own helpers, so a `credential.helper=store` in their config
        // never writes this token to ~/.git-credentials.
        cmd.args(["-c", "credential.helper=", "-c", HELPER]).env(USER_VAR, &c.username).env(PASSWORD_VAR, &c.password);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so a timeout kills git-remote-https and ssh too, not only git.
        cmd.process_group(0);
    }
    cmd
}

fn kill_all(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) with a negative pid signals the process group the child leads; no memory is touched.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

fn drain(mut from: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = from.read_to_end(&mut buf);
        buf
    })
}

/// Runs a prepared command until it ends or `until` passes, then kills it.
fn run_until(mut cmd: Command, until: Instant, args: &[&str]) -> Result<Vec<u8>, GitError> {
    if Instant::now() >= until {
        return Err(GitError::Timeout);
    }
    let mut child = cmd.spawn().map_err(GitError::Spawn)?;
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= until => {
                kill_all(&mut child);
                let _ = child.wait();
                break None;
            }
            Ok(None) => {
                thread::sleep(pause.min(until.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                kill_all(&mut child);
                let _ = child.wait();
                return Err(GitError::Spawn(e));
            }
        }
    };
    let out = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    match status {
        None => Err(GitError::Timeout),
        Some(s) if s.success() => Ok(out),
        Some(_) => Err(GitError::Failed {
            args: args.iter().take(2).copied().collect::<Vec<_>>().join(" "),
            stderr: redact(&String::from_utf8_lossy(&err)).into_owned(),
        }),
    }
}

/// Whether git can be run at all, with its version (`git version 2.47.3`).
pub fn version() -> Result<String, GitError> {
    let mut cmd = command(None);
    cmd.arg("--version");
    let out = run_until(cmd, Instant::now() + Duration::from_secs(30), &["--version"])?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_time_is_killed() {
        // A git alias runs a shell that runs `sleep`: unless the whole process group is killed, the sleeping
        // grandchild keeps the pipes open and run_until only returns when it ends, 30 s later.
        let mut cmd = command(None);
        cmd.args(["-c", "alias.snooze=!sleep 30", "snooze"]);
        let started = Instant::now();
        let r = run_until(cmd, Instant::now() + Duration::from_millis(200), &["snooze"]);
        assert!(matches!(r, Err(GitError::Timeout)), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(20), "the sleeping grandchild was not killed");
    }

    #[test]
    fn failures_carry_the_redacted_message() {
        let mut cmd = command(None);
        cmd.args(["-c", "alias.leak=!echo \"fatal: unable to access https://bob:s3cret@example.org/x\" >&2; exit 3", "leak"]);
        match run_until(cmd, Instant::now() + Duration::from_secs(20), &["leak"]) {
            Err(GitError::Failed { stderr, .. }) => {
                assert_eq!(stderr.trim(), "fatal: unable to access https://***@example.org/x")
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn credentials_reach_git_through_the_helper_only() {
        // `git credential fill` asks the configured helpers: ours must answer from the environment.
        let c = Credentials { username: "alice".into(), password: "t0ken".into() };
        let mut cmd = command(Some(&c));
        cmd.args(["credential", "fill"]).stdin(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"protocol=https\nhost=example.org\n\n").unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("username=alice\n") && text.contains("password=t0ken\n"), "{text}");
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert!(!args.iter().any(|a| a.contains("t0ken") || a.contains("alice")), "{args:?}");
    }
}
