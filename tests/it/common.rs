//! Helpers the command-line test modules share.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// The `cohort` binary under test.
pub fn cohort() -> Command {
    Command::cargo_bin("cohort").expect("the cohort binary")
}

/// Runs cohort, asserts it succeeded (showing its stderr if not), and returns its standard output.
pub fn run_ok(args: &[&str]) -> String {
    let out = cohort().args(args).output().expect("run cohort");
    assert!(out.status.success(), "cohort {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Each line of JSON Lines output, parsed; a line that is not JSON fails the test with the line.
pub fn json_lines(s: &str) -> Vec<Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

/// A guard against a command that never ends (a FIFO opened for reading, a symlink loop followed), not a timing.
const HANG: Duration = Duration::from_secs(600);

/// The `cohort` binary under test, killed if it hangs (the adversarial and reliability inputs).
pub fn guarded() -> Command {
    let mut c = cohort();
    c.timeout(HANG);
    c
}

/// Runs the guarded binary and returns what it did.
pub fn run_guarded(args: &[&str]) -> Output {
    guarded().args(args).output().expect("run cohort")
}

/// Runs the guarded binary, asserts it succeeded (showing its stderr if not), and returns its standard output.
pub fn run_ok_guarded(args: &[&str]) -> String {
    let out = run_guarded(args);
    assert!(out.status.success(), "cohort {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs git in `dir` with a fixed identity and dates and no user or system configuration (fixture repositories).
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=Ada Tester", "-c", "user.email=ada@example.invalid", "-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Writes (Some) or deletes (None) files in a work tree, then commits everything at `date` with `message`.
pub fn commit_files(dir: &Path, files: &[(&str, Option<&str>)], date: &str, message: &str) {
    for (path, content) in files {
        let p = dir.join(path);
        match content {
            Some(c) => {
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(&p, c).expect("write");
            }
            None => std::fs::remove_file(&p).expect("remove"),
        }
    }
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message], date);
}

/// The full name of the one commit (on any branch) whose message holds `message`.
pub fn commit_named(dir: &Path, message: &str) -> String {
    let out = std::process::Command::new("git")
        .args(["log", "--all", "--format=%H", "--fixed-strings", "--grep", message])
        .current_dir(dir)
        .output()
        .expect("git log");
    let names = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(names.lines().count(), 1, "one commit named {message}: {names}");
    names
}

/// Adds `sentence` as its own paragraph after the `n`-th (0-based) "Answer:" line of a report.
pub fn add_to_answer(file: &Path, n: usize, sentence: &str) {
    let text = std::fs::read_to_string(file).expect("read report");
    let mut out = String::new();
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if line.contains("Answer:") {
            if seen == n {
                out.push_str(&format!("\n{sentence}\n\n"));
            }
            seen += 1;
        }
    }
    assert!(seen > n, "the report has {seen} answers");
    std::fs::write(file, out).expect("write report");
}

/// The report files (`README.md`) under `dir`, in path order.
pub fn report_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "README.md")
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files
}
