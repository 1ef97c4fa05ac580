//! Every git process cohort starts: the one place that spawns `git`, for `verify`, `ingest --repos` and
//! `scrape` alike.
//!
//! **A repository's configuration runs nothing.** A group's repository is hostile input, and git reads its
//! `config` (and whatever it includes) on every command. Three layers keep that configuration from running a
//! program or reaching the network:
//! - every command gets [`HARDENING`] as `-c` options, which outrank any file's value for the same key: no
//!   fsmonitor, no hooks, no pager, no signature check (`log.showSignature` would run `gpg.program`), the gpg
//!   programs themselves, automatic maintenance, credential helpers;
//! - reading a repository ([`Network::Off`]) allows no transport at all (`GIT_ALLOW_PROTOCOL` names none, which
//!   outranks every `protocol.*` setting) and no lazy fetch of a partial clone's missing objects
//!   (`GIT_NO_LAZY_FETCH`, git 2.44): a missing object is read as missing, and `remote.*.uploadpack`,
//!   `core.sshCommand`, `remote.*.vcs` and credential helpers never come into play; unbundling allows only the
//!   `file` transport the bundle needs; `scrape` ([`Network::Remote`]) fetches from the URL the course gave, in a
//!   clone cohort itself made, and forbids the `ext` transport;
//! - commands git would run through the repository's settings only on writes (filters, textconv, merge drivers,
//!   editors) are never asked for: nothing is checked out, diffed or committed, and aliases cannot shadow the
//!   built-in commands cohort calls.
//!
//! **Time limits, and no git outliving cohort.** Each git runs in its own process group, so a timeout kills git
//! with whatever it started ([`run_until`], and [`Watchdog`] for the long-lived `cat-file` processes). An
//! interrupt, hangup or termination of cohort kills every group still running before cohort ends
//! ([`install_cleanup`]): a Ctrl-C reaches the terminal's process group, which git's own group is not part of.
//! (`PR_SET_PDEATHSIG` would also cover `kill -9`, but it needs a `pre_exec` hook, which makes std fork instead of
//! `posix_spawn`: measured, that made a warm `verify` of the corpus 2.5 times slower. A `cat-file` whose cohort
//! was killed ends anyway, on the end of its input.)

use crate::scrape::url::{redact, Credentials};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Environment variables the credential helper reads; set only on the child that needs them.
const USER_VAR: &str = "COHORT_GIT_USERNAME";
const PASSWORD_VAR: &str = "COHORT_GIT_PASSWORD";

/// A credential helper answering git's `get` from the two variables above, so the token is in no argument list
/// (visible to every user in `ps`) and no file. `store` and `erase` are ignored.
const HELPER: &str = "credential.helper=!f() { test \"$1\" = get && printf 'username=%s\\npassword=%s\\n' \"$COHORT_GIT_USERNAME\" \"$COHORT_GIT_PASSWORD\"; }; f";

/// Settings every git command gets on its command line, where they outrank the repository's `config` (and any
/// file it includes): each names a way that configuration could run a program while cohort reads.
pub const HARDENING: &[&str] = &[
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.askPass=",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.openpgp.program=false",
    "gpg.x509.program=false",
    "gpg.ssh.program=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "protocol.ext.allow=never",
];

/// Environment variables that would point git at other files than the repository it is given.
const REDIRECTING_VARS: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_EXTERNAL_DIFF",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    USER_VAR,
    PASSWORD_VAR,
];

/// What a git command may reach beyond the local repository.
#[derive(Debug, Clone, Copy)]
pub enum Network<'a> {
    /// Nothing: a repository is read as it is on disk (a partial clone's missing objects stay missing).
    Off,
    /// Only the local file a bundle is (`git clone` of a bundle).
    Bundle,
    /// The remote of a clone cohort made (`scrape`), with the URL's credentials if it had some.
    Remote(Option<&'a Credentials>),
}

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
    pub network: Network<'a>,
    /// When the repository's time is up.
    pub until: Instant,
}

impl<'a> Git<'a> {
    /// Commands for a clone `scrape` made and fetches into.
    pub fn new(dir: &Path, credentials: Option<&'a Credentials>, until: Instant) -> Self {
        Git { dir: dir.to_path_buf(), network: Network::Remote(credentials), until }
    }

    /// Commands that only read a repository, reaching nothing beyond it.
    pub fn local(dir: &Path, until: Instant) -> Self {
        Git { dir: dir.to_path_buf(), network: Network::Off, until }
    }

    /// Runs `git --git-dir=<dir> <args>` and returns its standard output.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        let mut cmd = command(self.network);
        cmd.arg("--git-dir").arg(&self.dir).args(args);
        run_until(cmd, self.until, args)
    }

    /// Standard output as text, trimmed.
    pub fn text(&self, args: &[&str]) -> Result<String, GitError> {
        Ok(String::from_utf8_lossy(&self.run(args)?).trim().to_string())
    }
}

/// A git command that never waits for a person and that the repository's configuration cannot turn into another
/// program (the module's documentation says how): no terminal prompt, no askpass program, SSH in batch mode,
/// English messages (they are classified), the URL's credentials through the `HELPER` credential helper only, in
/// its own process group. Start it with [`spawn`] (or [`run_until`]), which registers the group
/// for cleanup.
pub fn command(network: Network<'_>) -> Command {
    let mut cmd = Command::new("git");
    for var in REDIRECTING_VARS {
        cmd.env_remove(var);
    }
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .env("LANGUAGE", "")
        .arg("--no-pager");
    for setting in HARDENING {
        cmd.args(["-c", setting]);
    }
    match network {
        Network::Off => {
            // No transport is allowed (the variable outranks every `protocol.*` setting), no helper asked.
            cmd.env("GIT_ALLOW_PROTOCOL", "none").env("GIT_PROTOCOL_FROM_USER", "0").args(["-c", "credential.helper="]);
        }
        Network::Bundle => {
            cmd.env("GIT_ALLOW_PROTOCOL", "file").env("GIT_PROTOCOL_FROM_USER", "0").args(["-c", "credential.helper="]);
        }
        Network::Remote(credentials) => {
            if std::env::var_os("GIT_SSH_COMMAND").is_none() {
                cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
            }
            if let Some(c) = credentials {
                // The empty helper first clears the user's own helpers, so a `credential.helper=store` in their
                // config never writes this token to ~/.git-credentials.
                cmd.args(["-c", "credential.helper=", "-c", HELPER])
                    .env(USER_VAR, &c.username)
                    .env(PASSWORD_VAR, &c.password);
            }
        }
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so a timeout kills git-remote-https, ssh or a fetch too, not only git.
        cmd.process_group(0);
    }
    cmd
}

/// Process groups of running git commands, for [`install_cleanup`]'s handler (a fixed table of atomics: the
/// handler may neither lock nor allocate). 0 is a free slot.
static GROUPS: [AtomicI32; 256] = [const { AtomicI32::new(0) }; 256];

/// A started git command: the child and its place in the cleanup table, freed when it is reaped.
pub struct Running {
    pub child: Child,
    slot: Option<usize>,
}

impl Running {
    /// Kills git and everything it started (its process group).
    pub fn kill_all(&mut self) {
        kill_group(&mut self.child);
    }

    /// Waits for the child to end and frees its cleanup slot.
    pub fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        let status = self.child.wait();
        self.release();
        status
    }

    fn release(&mut self) {
        if let Some(slot) = self.slot.take() {
            GROUPS[slot].store(0, Ordering::SeqCst);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.release();
    }
}

/// Starts a command made by [`command`], registered so that cohort's end ends it too.
pub fn spawn(cmd: &mut Command) -> std::io::Result<Running> {
    install_cleanup();
    let child = cmd.spawn()?;
    let pid = i32::try_from(child.id()).unwrap_or(0);
    let slot = (pid > 0)
        .then(|| GROUPS.iter().position(|g| g.compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst).is_ok()))
        .flatten();
    Ok(Running { child, slot })
}

#[cfg(unix)]
extern "C" fn end_every_group(signal: libc::c_int) {
    for group in &GROUPS {
        let pid = group.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) is async-signal-safe; a negative pid names the process group git leads.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    // SAFETY: signal(2) and raise(3) are async-signal-safe. The default action (ending cohort) follows as soon
    // as this handler returns, with the exit status a shell expects of that signal.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Makes an interrupt (Ctrl-C), hangup or termination of cohort kill every git process group still running
/// before cohort ends, as it would have without a handler. A signal the user ignores (`nohup`) or another part
/// of the program handles is left as it was. Installed with the first git command.
pub fn install_cleanup() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: installs a handler that only makes async-signal-safe calls; the previous disposition is
                // put back when it was not the default.
                unsafe {
                    let previous =
                        libc::signal(signal, end_every_group as extern "C" fn(libc::c_int) as libc::sighandler_t);
                    if previous != libc::SIG_DFL && previous != libc::SIG_ERR {
                        libc::signal(signal, previous);
                    }
                }
            }
        });
    }
}

fn kill_group(child: &mut Child) {
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

/// Kills a long-lived git command's process group when its time is up (a `cat-file` that stops answering
/// would otherwise hold a read forever). Dropping it disarms it.
pub struct Watchdog {
    disarm: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Watchdog {
    pub fn arm(child: &Child, until: Instant) -> Watchdog {
        let pid = i32::try_from(child.id()).unwrap_or(0);
        let (disarm, disarmed) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            let wait = until.saturating_duration_since(Instant::now());
            if let Err(mpsc::RecvTimeoutError::Timeout) = disarmed.recv_timeout(wait) {
                #[cfg(unix)]
                if pid > 0 {
                    // SAFETY: as in `kill_group`; the child is not reaped before this thread is joined.
                    unsafe {
                        libc::kill(-pid, libc::SIGKILL);
                    }
                }
            }
        });
        Watchdog { disarm: Some(disarm), thread: Some(thread) }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.disarm.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn drain(mut from: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = from.read_to_end(&mut buf);
        buf
    })
}

/// Runs a command made by [`command`] until it ends or `until` passes, then kills it with its process group.
pub fn run_until(mut cmd: Command, until: Instant, args: &[&str]) -> Result<Vec<u8>, GitError> {
    if Instant::now() >= until {
        return Err(GitError::Timeout);
    }
    let mut running = spawn(&mut cmd).map_err(GitError::Spawn)?;
    let stdout = running.child.stdout.take().map(drain);
    let stderr = running.child.stderr.take().map(drain);
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match running.child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= until => {
                running.kill_all();
                let _ = running.wait();
                break None;
            }
            Ok(None) => {
                thread::sleep(pause.min(until.saturating_duration_since(Instant::now())));
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                running.kill_all();
                let _ = running.wait();
                return Err(GitError::Spawn(e));
            }
        }
    };
    // Whatever git started and left behind (a helper keeping the pipes open) ends with it.
    running.kill_all();
    drop(running);
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
    let mut cmd = command(Network::Off);
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
        let mut cmd = command(Network::Off);
        cmd.args(["-c", "alias.snooze=!sleep 30", "snooze"]);
        let started = Instant::now();
        let r = run_until(cmd, Instant::now() + Duration::from_millis(200), &["snooze"]);
        assert!(matches!(r, Err(GitError::Timeout)), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(20), "the sleeping grandchild was not killed");
    }

    #[test]
    fn failures_carry_the_redacted_message() {
        let mut cmd = command(Network::Off);
        cmd.args([
            "-c",
            "alias.leak=!echo \"fatal: unable to access https://bob:s3cret@example.org/x\" >&2; exit 3",
            "leak",
        ]);
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
        let mut cmd = command(Network::Remote(Some(&c)));
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

    #[test]
    fn reading_allows_no_transport_and_no_fetch() {
        // A clone of a local folder is the `file` transport: refused when reading, allowed for a remote.
        let work = tempfile::tempdir().unwrap();
        let mut init = command(Network::Off);
        init.args(["init", "--quiet", "--bare"]).arg(work.path().join("src.git"));
        run_until(init, Instant::now() + Duration::from_secs(30), &["init"]).unwrap();
        let clone = |network: Network<'_>, to: &str| {
            let mut cmd = command(network);
            cmd.args(["clone", "--quiet", "--bare"]).arg(work.path().join("src.git")).arg(work.path().join(to));
            run_until(cmd, Instant::now() + Duration::from_secs(30), &["clone"])
        };
        match clone(Network::Off, "a.git") {
            Err(GitError::Failed { stderr, .. }) => assert!(stderr.contains("not allowed"), "{stderr}"),
            other => panic!("a transport was used while reading: {other:?}"),
        }
        clone(Network::Remote(None), "b.git").unwrap();
    }

    #[test]
    fn the_cleanup_table_is_freed_when_git_ends() {
        let used = || GROUPS.iter().filter(|g| g.load(Ordering::SeqCst) != 0).count();
        let before = used();
        for _ in 0..300 {
            let mut cmd = command(Network::Off);
            cmd.arg("--version");
            run_until(cmd, Instant::now() + Duration::from_secs(30), &["--version"]).unwrap();
        }
        // Other tests run git at the same time; none of the 300 may be left behind.
        assert!(used() <= before + 8, "{} slots still taken", used());
    }
}
