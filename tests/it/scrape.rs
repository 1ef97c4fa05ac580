//! `cohort scrape` end to end on local repositories: built with `git init`, commits dated around the deadline with
//! GIT_AUTHOR_DATE/GIT_COMMITTER_DATE, reports from the synthetic generator.
//!
//! No test touches the network. The group lists name GitHub URLs in the forms students write; a git config given
//! to cohort through GIT_CONFIG_GLOBAL rewrites `https://github.com/` to a local folder of repositories
//! (`url.<base>.insteadOf`), and `protocol.allow=never` with only `file` allowed makes any other transport fail
//! instead of connecting.

use assert_cmd::Command;
use cohort::synth::{generate, Cohort, CohortSpec, SyntheticReport, TINY_PNG};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const DEADLINE: &str = "2026-01-23T23:59:59+01:00";
/// The deadline as a Unix time (checked against `date -u -d @1769209199`: 2026-01-23T22:59:59Z).
const D: i64 = 1_769_209_199;
const HOUR: i64 = 3600;

fn run_git(dir: &Path, args: &[&str], at: Option<i64>) -> String {
    let mut c = std::process::Command::new("git");
    c.current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    if let Some(t) = at {
        let date = format!("@{t} +0100");
        c.env("GIT_AUTHOR_DATE", &date).env("GIT_COMMITTER_DATE", &date);
    }
    let out = c.output().expect("git runs");
    assert!(out.status.success(), "git {args:?} in {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A group's repository with a working tree, served to cohort as `file://`.
struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn init(dir: PathBuf) -> Repo {
        fs::create_dir_all(&dir).unwrap();
        run_git(&dir, &["init", "-q", "-b", "main"], None);
        Repo { dir }
    }

    fn git(&self, args: &[&str], at: Option<i64>) -> String {
        run_git(&self.dir, args, at)
    }

    fn put(&self, path: &str, bytes: &[u8]) {
        let p = self.dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    /// Replaces `folder` with a report (as `name`) and the figures it references.
    fn put_report(&self, folder: &str, name: &str, r: &SyntheticReport) {
        let _ = fs::remove_dir_all(self.dir.join(folder));
        self.put(&format!("{folder}/{name}"), r.markdown.as_bytes());
        for f in &r.figures {
            self.put(&format!("{folder}/{f}"), TINY_PNG);
        }
    }

    fn commit(&self, message: &str, at: i64) -> String {
        self.git(&["add", "-A"], None);
        self.git(&["commit", "-q", "--allow-empty", "-m", message], Some(at));
        self.git(&["rev-parse", "HEAD"], None)
    }
}

/// Temporary folders, the local "GitHub" and the git config that routes to it.
struct World {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    /// `https://github.com/<x>` is served from `github/<x>`.
    github: PathBuf,
    gitconfig: PathBuf,
    reports: Vec<SyntheticReport>,
}

impl World {
    fn new(extra_config: &str) -> World {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let github = root.join("github");
        fs::create_dir_all(&github).unwrap();
        let gitconfig = root.join("gitconfig");
        fs::write(
            &gitconfig,
            format!(
                "[url \"file://{}/\"]\n\tinsteadOf = https://github.com/\n[protocol]\n\tallow = never\n[protocol \"file\"]\n\tallow = always\n{extra_config}",
                github.display()
            ),
        )
        .unwrap();
        let spec = CohortSpec { seed: 9, reports: 6, cohort: Some(Cohort::Y2026), quirks: false };
        let reports = generate(&spec);
        assert!(reports.iter().all(|r| !r.figures.is_empty()), "the fixtures need reports with figures");
        World { _tmp: tmp, root, github, gitconfig, reports }
    }

    fn repo(&self, name: &str) -> Repo {
        Repo::init(self.github.join(name))
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.root.join(name);
        fs::write(&p, text).unwrap();
        p
    }

    fn cohort(&self, args: &[&str]) -> Output {
        Command::cargo_bin("cohort")
            .unwrap()
            .args(args)
            .env("GIT_CONFIG_GLOBAL", &self.gitconfig)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_SSH_COMMAND")
            .output()
            .unwrap()
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn group(report: &Value, n: u64) -> &Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == n)
        .unwrap_or_else(|| panic!("no group {n} in {report:#}"))
}

/// Every file under `dir`, relative, `/`-separated.
fn files_under(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

fn expected_files(report_name: &str, r: &SyntheticReport) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = r.figures.iter().cloned().collect();
    s.insert(report_name.to_string());
    s.insert("source.json".to_string());
    s
}

#[test]
fn scrapes_the_state_at_the_deadline_updates_on_rerun_and_ingests() {
    let w = World::new("");
    let r = &w.reports;

    // Group 1: a report rewritten before the deadline and again after it, plus a feature branch committed before
    // the deadline but merged after it: the export must be the default branch as it stood at the deadline.
    let g1 = w.repo("team/g1");
    g1.put_report("reports", "README.md", &r[0]);
    g1.commit("first draft", D - 48 * HOUR);
    g1.put_report("reports", "README.md", &r[1]);
    let at_deadline = g1.commit("final report", D - HOUR);
    g1.git(&["checkout", "-q", "-b", "feature"], None);
    g1.put("reports/figures/from_feature.png", TINY_PNG);
    g1.commit("figure on a branch", D - HOUR / 2);
    g1.git(&["checkout", "-q", "main"], None);
    g1.put_report("reports", "README.md", &r[2]);
    g1.put("reports/figures/late.png", TINY_PNG);
    g1.commit("too late", D + HOUR);
    g1.git(&["merge", "-q", "--no-ff", "-m", "merge after the deadline", "feature"], Some(D + 2 * HOUR));

    // Group 2: the report moved away from reports/README.md; the project's own README is not a report.
    let g2 = w.repo("team/g2");
    g2.put("README.md", b"# Flower classifier\n\nTrains a small network on flower photos.\n");
    g2.put_report("docs/exam", "report.md", &r[3]);
    g2.commit("report in docs", D - 5 * HOUR);

    // Group 4: every commit after the deadline; given as a file:// URL (a staff mirror).
    let g4 = w.repo("mirror/g4");
    g4.put_report("reports", "README.md", &r[4]);
    g4.commit("started late", D + 10 * HOUR);

    let csv = w.write(
        "group_info.csv",
        &format!(
            "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n\
             1,s260001,s260002,,,,https://github.com/team/g1/tree/main\n\
             2,s260003,s260004,,,,github.com/team/g2.git\n\
             3,s260005,,,,,https://github.com/team/vanished\n\
             4,s260006,,,,,file://{}\n\
             5,s260007,,,,,https://github.com/only-owner\n\
             6,s260008,,,,,\n",
            g4.dir.display()
        ),
    );
    let out_dir = w.root.join("scraped");
    let out = out_dir.to_str().unwrap();
    // --allow-local: group 4's file:// URL is a staff mirror.
    let first = w.cohort(&[
        "scrape",
        csv.to_str().unwrap(),
        "--deadline",
        DEADLINE,
        "--out",
        out,
        "--jobs",
        "3",
        "--allow-local",
    ]);
    assert!(first.status.success(), "{}", text(&first));
    let report = json(&out_dir.join("scrape-report.json"));
    assert_eq!((report["ok"].as_u64(), report["failed"].as_u64()), (Some(2), Some(4)), "{report:#}");
    assert_eq!(report["deadline_unix"], D);

    let g = group(&report, 1);
    assert_eq!(g["status"], "ok");
    assert_eq!(g["commit"], at_deadline.as_str(), "group 1 must get the last commit before the deadline");
    assert_eq!(g["commit_time"], "2026-01-23T22:59:59+01:00");
    assert_eq!(g["repo"], "https://github.com/team/g1");
    assert_eq!(g["clone"], "cloned");
    assert!(g["notes"].to_string().contains("dropped /tree/main"), "{g}");
    let g1_out = out_dir.join("group_1");
    assert_eq!(
        fs::read(g1_out.join("README.md")).unwrap(),
        r[1].markdown.as_bytes(),
        "group 1: the state before the deadline"
    );
    assert_eq!(files_under(&g1_out), expected_files("README.md", &r[1]), "no late.png, no from_feature.png");
    let source = json(&g1_out.join("source.json"));
    assert_eq!(source["commit"], at_deadline.as_str());
    assert_eq!(source["report_path"], "reports/README.md");
    assert_eq!(source["deadline"], DEADLINE);
    assert_eq!(source["branch"], "main");

    let g = group(&report, 2);
    assert_eq!(g["status"], "ok", "{g}");
    assert_eq!(g["report_path"], "docs/exam/report.md");
    assert_eq!(g["repo"], "https://github.com/team/g2");
    assert_eq!(fs::read(out_dir.join("group_2/report.md")).unwrap(), r[3].markdown.as_bytes());
    assert_eq!(files_under(&out_dir.join("group_2")), expected_files("report.md", &r[3]));

    for (n, reason, says) in [
        (3, "not-found", "repository not found"),
        (4, "no-commit-before-deadline", "first commit is dated 2026-01-24T09:59:59+01:00"),
        (5, "malformed-url", "no repository (truncated?)"),
        (6, "missing-url", "no repository"),
    ] {
        let g = group(&report, n);
        assert_eq!((g["status"].as_str(), g["reason"].as_str()), (Some("failed"), Some(reason)), "{g}");
        assert!(g["message"].as_str().unwrap().contains(says), "{g}");
        assert!(!out_dir.join(format!("group_{n}")).exists(), "group {n} failed: no folder");
        // The summary names every failure with its reason.
        assert!(text(&first).contains(reason), "{}", text(&first));
    }
    assert!(!out_dir.join(".clones/group_3.git").exists(), "a failed first clone leaves nothing behind");
    assert_eq!(group(&report, 4)["clone"], "cloned", "a fetched clone is kept even when the group fails later");
    assert!(out_dir.join(".clones/group_4.git").is_dir());

    // Re-run after group 2 pushed a commit dated before the deadline (made on time, pushed late): the kept clone is
    // fetched again, not cloned again, and the new commit is found.
    let clone = out_dir.join(".clones/group_2.git");
    let marker = clone.join("cohort-test-marker");
    fs::write(&marker, "kept").unwrap();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&clone).unwrap());
    g2.put_report("docs/exam", "report.md", &r[5]);
    let pushed_late = g2.commit("last fix", D - 10 * 60);

    let index = w.root.join("index");
    let second = w.cohort(&[
        "scrape",
        csv.to_str().unwrap(),
        "--deadline",
        DEADLINE,
        "--out",
        out,
        "--allow-local",
        "--ingest",
        "--index",
        index.to_str().unwrap(),
        "--cohort",
        "2026",
    ]);
    assert!(second.status.success(), "{}", text(&second));
    let report = json(&out_dir.join("scrape-report.json"));
    let g = group(&report, 2);
    assert_eq!(g["clone"], "updated", "{g}");
    assert_eq!(g["commit"], pushed_late.as_str());
    assert_eq!(fs::read_to_string(&marker).unwrap(), "kept", "the clone was re-made instead of fetched");
    #[cfg(unix)]
    assert_eq!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(&clone).unwrap()), inode);
    assert_eq!(fs::read(out_dir.join("group_2/report.md")).unwrap(), r[5].markdown.as_bytes());
    assert_eq!(files_under(&out_dir.join("group_2")), expected_files("report.md", &r[5]), "the old figures are gone");
    assert_eq!(group(&report, 1)["clone"], "updated");
    assert_eq!(group(&report, 1)["commit"], at_deadline.as_str());
    assert!(text(&second).contains("2 added"), "{}", text(&second));

    // The ingest took the group numbers and members from the list.
    let listed = w.cohort(&["reports", "--json", "--index", index.to_str().unwrap()]);
    assert!(listed.status.success(), "{}", text(&listed));
    let rows: Vec<Value> =
        String::from_utf8_lossy(&listed.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut seen: Vec<(String, u64, String)> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["group"].as_u64().unwrap(),
                r["cohort"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(seen, [("group_1".into(), 1, "2026".into()), ("group_2".into(), 2, "2026".into())]);
}

#[test]
fn credentials_in_urls_never_reach_any_output() {
    let w = World::new("");
    let g7 = w.repo("team/g7");
    g7.put_report("reports", "README.md", &w.reports[0]);
    g7.commit("report", D - HOUR);
    let tokens = ["ghp_Q7a9Zk2Lm4Np6Rt8Vx0By3Cd5Ef7Gh9Jk1M", "s3cr3t-passw0rd", "tok-only-owner-42"];
    let csv = w.write(
        "group_info.csv",
        &format!(
            "group_nb,student 1,github_repo\n\
             7,s1,https://carol:{}@github.com/team/g7.git\n\
             8,s2,https://dave:{}@github.com/team/private-or-gone\n\
             9,s3,https://erin:{}@github.com/only-owner\n",
            tokens[0], tokens[1], tokens[2]
        ),
    );
    let out_dir = w.root.join("scraped");
    let index = w.root.join("index");
    let run = w.cohort(&[
        "scrape",
        csv.to_str().unwrap(),
        "--deadline",
        DEADLINE,
        "--out",
        out_dir.to_str().unwrap(),
        "--ingest",
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run));
    let report = json(&out_dir.join("scrape-report.json"));
    assert_eq!(group(&report, 7)["status"], "ok", "{report:#}");
    assert_eq!(group(&report, 7)["repo"], "https://***@github.com/team/g7");
    assert_eq!(json(&out_dir.join("group_7/source.json"))["repo"], "https://***@github.com/team/g7");
    assert_eq!(group(&report, 8)["reason"], "not-found");
    assert_eq!(group(&report, 9)["reason"], "malformed-url");
    assert_eq!(group(&report, 9)["repo"], "https://***@github.com/only-owner");
    assert!(text(&run).contains("https://***@github.com/team/private-or-gone"), "{}", text(&run));

    // Not in standard output or error, and not in any byte of any file written: exports, report, the kept
    // clones (their config, logs and objects) and the index.
    let all = text(&run);
    let mut checked = 0;
    for dir in [&out_dir, &index] {
        for rel in files_under(dir) {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            let content = String::from_utf8_lossy(&bytes);
            for t in tokens.iter().chain(["carol:", "dave:", "erin:"].iter()) {
                assert!(!content.contains(t), "{t} in {}/{rel}", dir.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} files looked at");
    assert!(files_under(&out_dir).iter().any(|f| f.starts_with(".clones/group_7.git/")), "the clone is kept");
    for t in tokens {
        assert!(!all.contains(t), "{t} printed:\n{all}");
    }
}

#[test]
fn a_repository_that_hangs_is_stopped_at_its_timeout() {
    // An "ssh" that never answers stands in for a stalled server; it sleeps far longer than the timeout.
    let w = World::new("[protocol \"ssh\"]\n\tallow = always\n");
    let fake_ssh = w.root.join("stalled-ssh");
    fs::write(&fake_ssh, "#!/bin/sh\nsleep 120\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&fake_ssh, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let csv = w.write("group_info.csv", "group_nb,student 1,github_repo\n10,s1,ssh://git@stalled.invalid/x/y.git\n");
    let out_dir = w.root.join("scraped");
    let run = Command::cargo_bin("cohort")
        .unwrap()
        .args([
            "scrape",
            csv.to_str().unwrap(),
            "--deadline",
            DEADLINE,
            "--out",
            out_dir.to_str().unwrap(),
            "--timeout",
            "2",
        ])
        .env("GIT_CONFIG_GLOBAL", &w.gitconfig)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_SSH_COMMAND", &fake_ssh)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "no group scraped: exit 1\n{}", text(&run));
    let report = json(&out_dir.join("scrape-report.json"));
    let g = group(&report, 10);
    assert_eq!(g["reason"], "timeout", "{g}");
    assert!(g["message"].as_str().unwrap().contains("--timeout"), "{g}");
}

#[test]
fn a_deadline_without_an_offset_is_refused() {
    let w = World::new("");
    let csv = w.write("group_info.csv", "group_nb,github_repo\n1,https://github.com/a/b\n");
    let run = w.cohort(&[
        "scrape",
        csv.to_str().unwrap(),
        "--deadline",
        "2026-01-23T23:59:59",
        "--out",
        w.root.join("o").to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).contains("no offset"), "{}", text(&run));
    assert!(!w.root.join("o").exists(), "nothing is written before the arguments are valid");
}

/// The outcome of the group list's line `line` in a scrape report.
fn row(report: &Value, line: u64) -> &Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["line"] == line)
        .unwrap_or_else(|| panic!("no row for line {line} in {report:#}"))
}

/// A repository `team/<name>` whose one commit, before the deadline, holds `reports/README.md`.
fn repo_with_report(w: &World, name: &str, report: &SyntheticReport) -> Repo {
    let repo = w.repo(&format!("team/{name}"));
    repo.put_report("reports", "README.md", report);
    repo.commit("report", D - HOUR);
    repo
}

#[test]
fn a_negative_group_number_is_reported_for_its_row_not_read_as_another_group() {
    let w = World::new("");
    repo_with_report(&w, "negative", &w.reports[0]);
    repo_with_report(&w, "two", &w.reports[1]);
    let csv = w.write(
        "group_info.csv",
        "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n\
         -1,s260001,,,,,https://github.com/team/negative\n\
         2,s260002,,,,,https://github.com/team/two\n",
    );
    let out_dir = w.root.join("scraped");
    let run = w.cohort(&["scrape", csv.to_str().unwrap(), "--deadline", DEADLINE, "--out", out_dir.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run));
    assert!(!out_dir.join("group_1").exists(), "group -1 was written as group_1");
    assert!(!out_dir.join(".clones/group_1.git").exists(), "group -1 was cloned as group 1");
    let report = json(&out_dir.join("scrape-report.json"));
    let bad = row(&report, 2);
    assert_eq!((bad["status"].as_str(), bad["reason"].as_str()), (Some("failed"), Some("invalid-group")), "{bad}");
    assert!(bad["group"].is_null(), "no group number was read: {bad}");
    assert!(bad["message"].as_str().unwrap().contains("\"-1\""), "the message quotes the cell: {bad}");
    assert_eq!(group(&report, 2)["status"], "ok", "{report:#}");
    assert_eq!((report["ok"].as_u64(), report["failed"].as_u64()), (Some(1), Some(1)));
    assert!(text(&run).contains("invalid-group"), "{}", text(&run));
}

#[test]
fn rows_without_a_readable_group_number_are_reported_and_the_others_scraped() {
    let w = World::new("");
    repo_with_report(&w, "a", &w.reports[0]);
    repo_with_report(&w, "b", &w.reports[1]);
    repo_with_report(&w, "two", &w.reports[2]);
    repo_with_report(&w, "three", &w.reports[3]);
    let csv = w.write(
        "group_info.csv",
        "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n\
         seven,s260001,,,,,https://github.com/team/a\n\
         4294967296,s260002,,,,,https://github.com/team/b\n\
         2,s260003,,,,,https://github.com/team/two\n\
         ,s260004,,,,,https://github.com/team/b\n\
         Group 3,s260005,,,,,https://github.com/team/three\n\
         1.5,s260006,,,,,https://github.com/team/a\n",
    );
    let out_dir = w.root.join("scraped");
    let index = w.root.join("index");
    let run = w.cohort(&[
        "scrape",
        csv.to_str().unwrap(),
        "--deadline",
        DEADLINE,
        "--out",
        out_dir.to_str().unwrap(),
        "--ingest",
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "one bad row must not stop the others: {}", text(&run));
    let report = json(&out_dir.join("scrape-report.json"));
    for (line, cell) in [(2, "seven"), (3, "4294967296"), (5, ""), (7, "1.5")] {
        let bad = row(&report, line);
        assert_eq!((bad["status"].as_str(), bad["reason"].as_str()), (Some("failed"), Some("invalid-group")), "{bad}");
        assert!(bad["group"].is_null(), "{bad}");
        assert!(bad["message"].as_str().unwrap().contains(&format!("{cell:?}")), "line {line}: {bad}");
    }
    assert_eq!(group(&report, 2)["status"], "ok", "{report:#}");
    assert_eq!(group(&report, 3)["status"], "ok", "a word before the number is not an error: {report:#}");
    assert_eq!((report["groups_total"].as_u64(), report["ok"].as_u64()), (Some(6), Some(2)));
    let mut folders: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("group_"))
        .collect();
    folders.sort();
    assert_eq!(folders, ["group_2", "group_3"]);
    // The summary table names each rejected line, and the ingest afterwards takes the readable rows.
    let said = text(&run);
    assert!(said.contains("2 added"), "{said}");
    for line in ["2", "3", "5", "7"] {
        assert!(
            said.lines().any(|l| l.contains("invalid-group") && l.split_whitespace().any(|w| w == line)),
            "line {line} not reported: {said}"
        );
    }
}

#[test]
fn local_repository_urls_are_refused_unless_allow_local() {
    let w = World::new("");
    // Two bare repositories on this machine, as a staff mirror would be, and one "GitHub" repository.
    let work = w.repo("team/local-source");
    work.put_report("reports", "README.md", &w.reports[0]);
    work.commit("report", D - HOUR);
    let bare = w.root.join("mirror");
    fs::create_dir_all(&bare).unwrap();
    let (g1, g2) = (bare.join("g1.git"), bare.join("g2.git"));
    for b in [&g1, &g2] {
        run_git(&bare, &["clone", "-q", "--bare", work.dir.to_str().unwrap(), b.to_str().unwrap()], None);
    }
    repo_with_report(&w, "three", &w.reports[1]);
    let csv = w.write(
        "group_info.csv",
        &format!(
            "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n\
             1,s260001,,,,,file://{}\n\
             2,s260002,,,,,{}\n\
             3,s260003,,,,,https://github.com/team/three\n",
            g1.display(),
            g2.display()
        ),
    );
    let out_dir = w.root.join("scraped");
    let scrape = |extra: &[&str]| {
        let mut args =
            vec!["scrape", csv.to_str().unwrap(), "--deadline", DEADLINE, "--out", out_dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        w.cohort(&args)
    };

    let refused = scrape(&[]);
    assert!(refused.status.success(), "{}", text(&refused));
    let report = json(&out_dir.join("scrape-report.json"));
    for n in [1, 2] {
        let g = group(&report, n);
        assert_eq!((g["status"].as_str(), g["reason"].as_str()), (Some("failed"), Some("local-url")), "{g}");
        assert!(g["message"].as_str().unwrap().contains("--allow-local"), "the message says how to allow it: {g}");
        assert!(!out_dir.join(format!("group_{n}")).exists(), "group {n} was exported");
        assert!(!out_dir.join(format!(".clones/group_{n}.git")).exists(), "group {n} was fetched");
        assert!(text(&refused).contains("local-url"), "{}", text(&refused));
    }
    assert_eq!(group(&report, 3)["status"], "ok", "{report:#}");

    let allowed = scrape(&["--allow-local"]);
    assert!(allowed.status.success(), "{}", text(&allowed));
    let report = json(&out_dir.join("scrape-report.json"));
    for n in [1, 2] {
        assert_eq!(group(&report, n)["status"], "ok", "{report:#}");
        assert_eq!(fs::read(out_dir.join(format!("group_{n}/README.md"))).unwrap(), w.reports[0].markdown.as_bytes());
    }

    let help = w.cohort(&["scrape", "--help"]);
    assert!(help.status.success());
    assert!(text(&help).contains("--allow-local"), "{}", text(&help));
}
