//! `cohort verify` against repositories these tests build with `git`, with planted truth: evidence removed before
//! the deadline, added after it, only on an unmerged branch, template files unchanged since the first day, a
//! rendered report mentioning a tool, a credential on a matching line, and repositories that cannot be read.

use crate::common::{commit_files, commit_named, git, json_lines, run_ok};
use cohort::domain::template::{checklist_item, ChecklistId};
use cohort::verify::{verify, Claims, GroupResult, Verdict, VerdictKind, VerifyOptions};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SECRET: &str = "sk-abcdefghijklmnopqrstuvwxyz0123456789";
const DEADLINE: &str = "2026-01-10T23:59:59Z";

/// Writes (Some) or deletes (None) files, then commits everything at `date`.
fn commit(dir: &Path, files: &[(&str, Option<&str>)], date: &str) {
    commit_files(dir, files, date, &format!("work of {date}"));
}

/// Day one of the planted repository and of its twin: the same template, instantiated by two groups.
fn template_files(readme: &str) -> Vec<(&str, Option<&str>)> {
    vec![
        ("README.md", Some(readme)),
        ("tests/test_data.py", Some("def test_data_stub():\n    assert True\n")),
        (
            ".pre-commit-config.yaml",
            Some("repos:\n  - repo: https://example.invalid/hooks\n    hooks:\n      - id: trailing-whitespace\n"),
        ),
        ("dockerfiles/train.dockerfile", Some("FROM python:3.12-slim\n")),
    ]
}

/// Another group's repository that started from the same template (verified with the planted one, it shows
/// which first-day files are the template's).
fn twin(dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q"], "2026-01-03T10:00:00Z");
    commit(dir, &template_files("# the other group\n"), "2026-01-03T10:00:00Z");
    commit(dir, &[("src/other/main.py", Some("print(1)\n"))], "2026-01-06T10:00:00Z");
}

/// The planted repository (a clone with a work tree, `main` checked out).
fn planted(dir: &Path) {
    fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q"], "2026-01-02T10:00:00Z");
    // Day one: the course template as instantiated.
    commit(dir, &template_files("# project\n"), "2026-01-02T10:00:00Z");
    commit(
        dir,
        &[
            ("src/proj/train.py", Some("import os\nimport wandb\n\n\ndef main():\n    wandb.init(project=\"p\")\n")),
            ("src/proj/store.py", Some(&format!("import os\nURL = \"gs://our-bucket/data\"  # api_key = \"{SECRET}\"\n"))),
            ("reports/report.html", Some("<p>we exported to onnx with onnxruntime</p>\n")),
            ("reports/checker.py", Some("import onnx\n")),
            ("data.dvc", Some("outs:\n- path: data\n")),
            (
                "tests/test_model.py",
                Some("import pytest\n\n\ndef test_model_shape():\n    assert True\n\n\n@pytest.mark.parametrize(\"n\", [1, 2, 3])\ndef test_model_batch(n):\n    assert n\n"),
            ),
        ],
        "2026-01-05T12:00:00Z",
    );
    // A feature branch with the API, never merged before the deadline.
    git(dir, &["checkout", "-q", "-b", "feature-api"], "2026-01-05T13:00:00Z");
    commit(
        dir,
        &[("src/proj/api.py", Some("from fastapi import FastAPI\n\napp = FastAPI()\n"))],
        "2026-01-09T12:00:00Z",
    );
    git(dir, &["checkout", "-q", "main"], "2026-01-09T12:00:00Z");
    commit(dir, &[("src/proj/model.py", Some("import lightning\n\n\nclass Net:\n    pass\n"))], "2026-01-06T12:00:00Z");
    // Evidence removed before the deadline.
    commit(dir, &[("src/proj/model.py", Some("class Net:\n    pass\n"))], "2026-01-08T12:00:00Z");
    // After the deadline: a load test appears and the branch is merged.
    commit(dir, &[("locustfile.py", Some("from locust import HttpUser\n"))], "2026-01-12T12:00:00Z");
    git(dir, &["merge", "-q", "--no-ff", "-m", "merge api", "feature-api"], "2026-01-12T13:00:00Z");
}

fn claims(id: &str, ticked: &[&str], unticked: &[&str], tests: Option<u32>) -> Claims {
    let mut ticks: Vec<(ChecklistId, bool)> =
        ticked.iter().map(|t| (ChecklistId::from_name(t).expect("id"), true)).collect();
    ticks.extend(unticked.iter().map(|t| (ChecklistId::from_name(t).expect("id"), false)));
    Claims { id: id.into(), alt_ids: vec![], group: Some(1), students: 2, tests, ticks }
}

const TICKED: &[&str] = &[
    "wandb",
    "lightning",
    "fastapi",
    "load-test",
    "tests-data",
    "tests-model",
    "pre-commit",
    "onnx-bentoml",
    "gcp-bucket",
    "dockerfiles",
    "cloud-deploy",
];

fn options(repos: &Path, cache: &Path) -> VerifyOptions {
    VerifyOptions {
        repos: repos.into(),
        deadline: Some(DEADLINE.parse().expect("deadline")),
        items: vec![],
        cache: cache.into(),
        repo_time: cohort::repo::REPO_TIME,
    }
}

fn verdict<'a>(r: &'a GroupResult, item: &str) -> &'a Verdict {
    r.verdicts.iter().find(|v| v.item == item).unwrap_or_else(|| panic!("no verdict for {item}: {:?}", r.verdicts))
}

struct Setup {
    _tmp: tempfile::TempDir,
    repos: PathBuf,
    cache: PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    planted(&repos.join("g1"));
    twin(&repos.join("g0"));
    Setup { repos, cache: tmp.path().join("cache"), _tmp: tmp }
}

#[test]
fn planted_truth_at_the_deadline() {
    let s = setup();
    let cohort = [claims("g1", TICKED, &["data-versioning"], Some(4)), claims("g0", &["wandb"], &[], None)];
    let results = verify(&cohort, &options(&s.repos, &s.cache));
    let r = &results[0];
    assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    let kind = |item: &str| verdict(r, item).verdict;

    let w = verdict(r, "wandb");
    assert_eq!((w.verdict, w.path.as_deref(), w.line), (VerdictKind::Supported, Some("src/proj/train.py"), Some(2)));
    assert_eq!(w.snippet.as_deref(), Some("import wandb"));
    // Removed in a commit before the deadline.
    assert_eq!(kind("lightning"), VerdictKind::NoEvidence);
    assert!(verdict(r, "lightning").flagged);
    // Only on a branch that was merged after the deadline.
    let f = verdict(r, "fastapi");
    assert_eq!((f.verdict, f.branch.as_deref()), (VerdictKind::OnlyOnBranch, Some("feature-api")));
    assert_eq!(f.path.as_deref(), Some("src/proj/api.py"));
    // The note says what the branch held and which commit removed it.
    let l = verdict(r, "lightning");
    assert_eq!(
        l.removed_by.as_deref(),
        Some(commit_named(&s.repos.join("g1"), "work of 2026-01-08T12:00:00Z").as_str())
    );
    let note = l.note.as_deref().unwrap_or_default();
    assert!(note.contains("import lightning (src/proj/model.py:1)") && note.contains("of 2026-01-08"), "{note}");
    // Added after the deadline.
    assert_eq!(kind("load-test"), VerdictKind::NoEvidence);
    assert_eq!(verdict(r, "load-test").removed_by, None, "nothing before the deadline held it");
    // Template files unchanged since the first day.
    // The template's stub data test does not count: only the model tests are there, which are not about data.
    let d = verdict(r, "tests-data");
    assert_eq!((d.verdict, d.flagged, d.path.as_deref()), (VerdictKind::NoEvidence, true, None), "{d:?}");
    let note = d.note.as_deref().unwrap_or_default();
    assert!(note.contains("about other parts (e.g. tests/test_model.py:4, test test_model_shape)"), "{note}");
    assert_eq!(kind("pre-commit"), VerdictKind::NoEvidence);
    assert!(verdict(r, "pre-commit").note.as_deref().is_some_and(|n| n.contains("first day")));
    assert_eq!(kind("dockerfiles"), VerdictKind::NoEvidence);
    assert_eq!(kind("tests-model"), VerdictKind::Supported);
    // The rendered report and the checker under reports/ are not evidence.
    assert_eq!(kind("onnx-bentoml"), VerdictKind::NoEvidence);
    // A matching line holding a credential is withheld.
    let g = verdict(r, "gcp-bucket");
    assert_eq!((g.verdict, g.path.as_deref(), g.line), (VerdictKind::Supported, Some("src/proj/store.py"), Some(2)));
    assert!(g.snippet.as_deref().is_some_and(|s| s.contains("withheld")), "{:?}", g.snippet);
    assert_eq!(kind("cloud-deploy"), VerdictKind::NotDecidable);
    assert!(!verdict(r, "cloud-deploy").flagged);
    // Evidence without a tick.
    assert_eq!(kind("data-versioning"), VerdictKind::Unclaimed);
    // 1 stub + 1 + 3 parametrised cases = 5 cases from 3 functions: 4 stated is within the tolerance.
    let t = verdict(r, "tests");
    assert_eq!((t.verdict, t.stated, t.counted), (VerdictKind::Supported, Some(4), Some(5)));

    assert_eq!(r.facts.commits, Some(4));
    assert_eq!(r.facts.commits_after_deadline, Some(3), "the load test, the branch commit and the merge");
    assert_eq!(r.facts.unmerged_branches, ["feature-api"]);
    assert_eq!(r.facts.authors, Some(1));
    assert_eq!((r.facts.author_names.len(), r.facts.author_commits.as_slice()), (1, [4].as_slice()));
}

#[test]
fn a_far_off_test_count_is_a_mismatch() {
    let s = setup();
    let r = &verify(&[claims("g1", &["wandb"], &[], Some(40))], &options(&s.repos, &s.cache))[0];
    let t = verdict(r, "tests");
    assert_eq!((t.verdict, t.flagged), (VerdictKind::TestsMismatch, true));
}

#[test]
fn bundles_and_an_index_naming_the_commit() {
    let s = setup();
    let g1 = s.repos.join("g1");
    git(&g1, &["bundle", "create", "-q", "../g2.bundle", "--all"], "2026-01-20T00:00:00Z");
    let out = Command::new("git")
        .args(["log", "--format=%H", "-1", "--before=2026-01-07T00:00:00Z", "main"])
        .current_dir(&g1)
        .output()
        .expect("git");
    let day6 = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::write(s.repos.join("INDEX.tsv"), format!("id\trepo\treport_commit\ng2\tx/y\t{day6}\n")).expect("index");
    let mut opts = options(&s.repos, &s.cache);
    opts.deadline = None;
    let r = &verify(&[claims("g2", &["lightning", "wandb"], &[], None)], &opts)[0];
    assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    assert_eq!(r.facts.commit.as_deref(), Some(day6.as_str()));
    assert_eq!(r.facts.commit_source, Some("INDEX.tsv"));
    // At the commit the index names, lightning was still imported.
    assert_eq!(verdict(r, "lightning").verdict, VerdictKind::Supported);
    // The cache is reused on a second run.
    let again = &verify(&[claims("g2", &["lightning"], &[], None)], &opts)[0];
    assert_eq!(verdict(again, "lightning").verdict, VerdictKind::Supported);
}

#[test]
fn unreadable_repositories_are_reported_and_the_rest_go_on() {
    let s = setup();
    fs::create_dir_all(s.repos.join("notgit")).expect("mkdir");
    fs::write(s.repos.join("notgit/file.txt"), "just a folder").expect("write");
    fs::create_dir_all(s.repos.join("empty.git")).expect("mkdir");
    git(&s.repos.join("empty.git"), &["init", "-q", "--bare"], "2026-01-01T00:00:00Z");
    fs::write(s.repos.join("junk.bundle"), b"\x00\x01 not a bundle at all").expect("write");
    // A repository whose objects were lost.
    let broken = s.repos.join("broken.git");
    git(&s.repos, &["clone", "-q", "--bare", "g1", "broken.git"], "2026-01-20T00:00:00Z");
    for entry in walk(&broken.join("objects")) {
        if entry.is_file() && !entry.to_string_lossy().contains("info") {
            fs::remove_file(entry).expect("remove object");
        }
    }
    let all: Vec<Claims> = ["missing", "notgit", "empty", "junk", "broken", "g1"]
        .iter()
        .map(|id| claims(id, &["wandb"], &[], None))
        .collect();
    let results = verify(&all, &options(&s.repos, &s.cache));
    let status: Vec<(&str, &str)> = results.iter().map(|r| (r.facts.id.as_str(), r.facts.status.as_str())).collect();
    assert_eq!(status[0], ("missing", "missing"));
    assert_eq!(status[1], ("notgit", "not-git"));
    assert_eq!(status[2], ("empty", "empty"));
    assert!(matches!(status[3].1, "not-git" | "corrupt"), "{status:?}");
    assert!(status[4].1 != "ok", "{status:?}");
    assert_eq!(status[5], ("g1", "ok"));
    for r in &results[..5] {
        assert!(r.facts.error.as_deref().is_some_and(|e| !e.is_empty()), "{:?}", r.facts);
    }
    assert_eq!(verdict(&results[5], "wandb").verdict, VerdictKind::Supported);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A report whose checklist ticks `ticked` (phrases from the template knowledge, in our own words around them).
fn report(ticked: &[&str]) -> String {
    let mut md = String::from("# Exam report of a made-up group\n\n## Overall project checklist\n\n### Week 1\n\n");
    for id in ticked {
        let phrase = checklist_item(ChecklistId::from_name(id).expect("id")).phrases[0];
        md.push_str(&format!("* [x] Please {phrase} now\n"));
    }
    md.push_str("\n## Group information\n\n### Question 1\n\n> **Enter the group number you signed up on**\n>\n> Answer:\n\n1\n");
    md
}

#[test]
fn the_command_prints_tables_and_json_without_the_credential() {
    let s = setup();
    let reports = s.repos.parent().expect("parent").join("reports");
    fs::create_dir_all(reports.join("g1")).expect("mkdir");
    fs::write(reports.join("g1/README.md"), report(&["wandb", "gcp-bucket", "lightning"])).expect("write");
    let cache = s.cache.to_string_lossy().into_owned();
    let file = reports.join("g1/README.md");
    // A report file given by itself is matched to the repository by its folder's name.
    let base = [
        "verify",
        file.to_str().expect("utf-8"),
        "--repos",
        s.repos.to_str().expect("utf-8"),
        "--deadline",
        DEADLINE,
        "--cache",
        &cache,
    ];
    let json = run_ok(&[&base[..], &["--json"]].concat());
    assert!(!json.contains(SECRET));
    let lines = json_lines(&json);
    assert_eq!(lines[0]["record"], "repository");
    assert_eq!(lines[0]["status"], "ok");
    let by_item = |item: &str| lines.iter().find(|l| l["item"] == item).unwrap_or_else(|| panic!("{item}: {json}"));
    assert_eq!(by_item("wandb")["verdict"], "supported");
    assert_eq!(by_item("lightning")["verdict"], "no-evidence");
    assert_eq!(by_item("gcp-bucket")["line"], 2);
    let table = run_ok(&base);
    assert!(!table.contains(SECRET));
    assert!(table.contains("== per item =="), "{table}");
    assert!(table.contains("src/proj/train.py:2"), "{table}");
    assert!(table.contains("commits by author: Ada Tester 4"), "{table}");
}

#[test]
fn scrapes_output_folder_names_repository_and_commit() {
    let s = setup();
    let out = s.repos.parent().expect("parent").join("scraped");
    fs::create_dir_all(out.join(".clones")).expect("mkdir");
    git(
        &s.repos,
        &["clone", "-q", "--bare", "g1", out.join(".clones/group_1.git").to_str().expect("utf-8")],
        "2026-01-20T00:00:00Z",
    );
    let first = Command::new("git")
        .args(["rev-list", "--max-parents=0", "main"])
        .current_dir(s.repos.join("g1"))
        .output()
        .expect("git");
    let first = String::from_utf8_lossy(&first.stdout).trim().to_string();
    fs::create_dir_all(out.join("group_1")).expect("mkdir");
    fs::write(out.join("group_1/source.json"), format!("{{\"group\": 1, \"commit\": \"{first}\"}}")).expect("write");
    fs::write(out.join("scrape-report.json"), "{}").expect("write");
    let mut c = claims("group_1", &["wandb", "pre-commit"], &[], None);
    c.group = Some(1);
    // The other group, started from the same template.
    git(
        &s.repos,
        &["clone", "-q", "--bare", "g0", out.join(".clones/group_0.git").to_str().expect("utf-8")],
        "2026-01-20T00:00:00Z",
    );
    let mut twin = claims("group_0", &["wandb"], &[], None);
    twin.group = Some(0);
    // Without a deadline, branches are judged at the named commit's time (before any branch existed).
    let mut opts = options(&out, &s.cache);
    opts.deadline = None;
    let r = &verify(&[c, twin], &opts)[0];
    assert_eq!((r.facts.status.as_str(), r.facts.commit_source), ("ok", Some("source.json")), "{:?}", r.facts);
    assert_eq!(r.facts.commit.as_deref(), Some(first.as_str()));
    // At the first commit there is no W&B yet, and the pre-commit configuration is the template's.
    assert_eq!(verdict(r, "wandb").verdict, VerdictKind::NoEvidence);
    assert_eq!(verdict(r, "pre-commit").verdict, VerdictKind::NoEvidence);
}

#[test]
fn ingest_stores_verdicts_that_check_and_show_use() {
    let s = setup();
    let reports = s.repos.parent().expect("parent").join("reports");
    fs::create_dir_all(reports.join("g1")).expect("mkdir");
    // Ten unticked items besides the ticked ones, so the file reads as a report when its folder is ingested.
    let mut text = report(&["wandb", "lightning"]);
    for id in [
        "git-repo",
        "write-access",
        "environment",
        "cookiecutter",
        "data-script",
        "model-train",
        "requirements",
        "pep8",
        "typing-docs",
        "profiling",
    ] {
        let phrase = checklist_item(ChecklistId::from_name(id).expect("id")).phrases[0];
        text =
            text.replacen("\n## Group information", &format!("* [ ] Please {phrase} now\n\n## Group information"), 1);
    }
    fs::write(reports.join("g1/README.md"), text.clone()).expect("write");
    // Lightning brought back on a branch named by a student number, never merged: the verdict names the branch.
    let repo = s.repos.join("g1");
    git(&repo, &["checkout", "-q", "-b", "s223344-lightning", "main~2"], "2026-01-09T15:00:00Z");
    commit(&repo, &[("src/proj/model.py", Some("import lightning\n"))], "2026-01-09T15:00:00Z");
    git(&repo, &["checkout", "-q", "main"], "2026-01-09T15:00:00Z");
    let index = s.repos.parent().expect("parent").join("index");
    let (r, i) = (reports.to_str().expect("utf-8"), index.to_str().expect("utf-8"));
    let repos = s.repos.to_str().expect("utf-8");
    let out = crate::common::cohort()
        .args(["ingest", r, "--index", i, "--repos", repos, "--deadline", DEADLINE])
        .env("XDG_CACHE_HOME", s.cache.to_str().expect("utf-8"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        index.join("gen-000001/verdicts.parquet").is_file()
            || fs::read_dir(&index).expect("index").flatten().any(|e| e.path().join("verdicts.parquet").is_file())
    );
    let findings = json_lines(&run_ok(&["check", "--index", i, "--rule", "unsupported-claim", "--json"]));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        (findings[0]["rule"].as_str(), findings[0]["item"].as_str()),
        (Some("unsupported-claim"), Some("lightning"))
    );
    let shown = run_ok(&["show", "g1", "--index", i]);
    assert!(shown.contains("Claims the repository does not support (1)") && shown.contains("lightning"), "{shown}");
    // The group page of `cohort serve` lists the same claim, from the same call.
    let addr = crate::serve::start(&index, None);
    let id = json_lines(&run_ok(&["reports", "--json", "--index", i]))[0]["id"].as_str().expect("id").to_string();
    let page = crate::serve::request(addr, "GET", &format!("/group/{id}"), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    let section = page.body.split("Claims the repository does not support (1)").nth(1).expect("the claims section");
    let claims = section.split("<h2>").next().unwrap_or_default();
    // The fixture keeps lightning on an unmerged branch (named with a student number, for the export test).
    assert!(shown.contains("only-on-branch"), "{shown}");
    assert!(claims.contains("lightning") && claims.contains("only-on-branch"), "{claims}");
    let twin = crate::serve::request(addr, "GET", &format!("/group/{id}.json"), &[]);
    let twin: serde_json::Value = serde_json::from_str(&twin.body).expect("JSON");
    assert_eq!(twin["unsupported"][0]["item"], "lightning", "{twin}");
    let svg = index.parent().expect("parent").join("verify.svg");
    run_ok(&["plot", "verify", "--index", i, "--out", svg.to_str().expect("utf-8")]);
    let drawn = fs::read_to_string(&svg).expect("figure written");
    assert!(drawn.contains("Ticked items against the repositories") && drawn.contains("lightning"), "{drawn}");

    // Exported like the other frames; --pseudonymise replaces the student number in the branch's name.
    let plain = index.parent().expect("parent").join("export-plain");
    let pseudo = index.parent().expect("parent").join("export-pseudo");
    run_ok(&["export", "--index", i, "--out", plain.to_str().expect("utf-8")]);
    run_ok(&["export", "--index", i, "--out", pseudo.to_str().expect("utf-8"), "--pseudonymise"]);
    let plain_csv = fs::read_to_string(plain.join("verdicts.csv")).expect("verdicts exported");
    let pseudo_csv = fs::read_to_string(pseudo.join("verdicts.csv")).expect("verdicts exported");
    assert!(plain.join("verdicts.parquet").is_file() && pseudo.join("verdicts.parquet").is_file());
    assert!(plain_csv.contains("s223344-lightning") && plain_csv.contains("only-on-branch"), "{plain_csv}");
    assert!(!pseudo_csv.contains("s223344") && pseudo_csv.contains("only-on-branch"), "{pseudo_csv}");
    assert_eq!(plain_csv.lines().count(), pseudo_csv.lines().count());

    // A later ingest without --repos keeps the verdicts of the reports still in the index...
    fs::create_dir_all(reports.join("g2")).expect("mkdir");
    fs::write(reports.join("g2/README.md"), text.replace("\n1\n", "\n2\n")).expect("write");
    let out = crate::common::cohort().args(["ingest", r, "--index", i]).output().expect("run");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("1 added") && said.contains("verdicts of 1 report kept from the previous ingest"), "{said}");
    let verdict_ids = |dir: &Path| -> Vec<String> {
        run_ok(&["export", "--index", i, "--out", dir.to_str().expect("utf-8")]);
        let csv = fs::read_to_string(dir.join("verdicts.csv")).expect("verdicts exported");
        let mut ids: Vec<String> =
            csv.lines().skip(1).filter_map(|l| l.split(',').next()).map(str::to_string).collect();
        ids.dedup();
        ids
    };
    let after_add = index.parent().expect("parent").join("export-after-add");
    assert_eq!(verdict_ids(&after_add), ["g1"]);
    let shown = run_ok(&["show", "g1", "--index", i]);
    assert!(shown.contains("Claims the repository does not support (1)"), "{shown}");
    // ...and drops those of a report removed from it.
    fs::remove_file(reports.join("g1/README.md")).expect("remove");
    let out = crate::common::cohort().args(["ingest", r, "--index", i]).output().expect("run");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.contains("1 removed"), "{said}");
    let after_remove = index.parent().expect("parent").join("export-after-remove");
    assert!(verdict_ids(&after_remove).is_empty(), "g1's verdicts went with its report");
}

/// A repository whose evidence takes the forms a literal rule misses: a first commit holding only a README, the
/// template instantiated next, the group's own work later the same day, a cache set up in a local composite
/// action, a matrix given by `include`, linting through a Makefile target, the template's pre-commit hooks run by
/// a workflow, an API test client made in a `conftest.py`, and a web page served by the API at `/`.
fn broadened(dir: &Path) {
    // Another group started from the same template: it shows which first-day files are the template's.
    let twin = dir.with_file_name("twin");
    if !twin.exists() {
        fs::create_dir_all(&twin).expect("mkdir");
        git(&twin, &["init", "-q"], "2026-01-03T09:00:00Z");
        commit(&twin, BROADENED_TEMPLATE, "2026-01-03T09:00:00Z");
    }
    fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q"], "2026-01-02T09:00:00Z");
    commit(dir, &[("README.md", Some("# fresh repository\n"))], "2026-01-02T09:00:00Z");
    // The template's instantiation: the commit of the first day that adds the most files.
    commit(dir, BROADENED_TEMPLATE, "2026-01-02T10:00:00Z");
    // The group's own work, still on the first day.
    commit(
        dir,
        &[(".dvc/config", Some("[core]\n    remote = store\n['remote \"store\"']\n    url = gs://a-made-up-bucket\n"))],
        "2026-01-02T15:00:00Z",
    );
    commit(
        dir,
        &[
            (
                ".github/actions/prepare/action.yml",
                Some(
                    "name: prepare\nruns:\n  using: composite\n  steps:\n    - uses: astral-sh/setup-uv@v5\n      with:\n        enable-cache: true\n    - run: uv sync\n      shell: bash\n",
                ),
            ),
            (
                ".github/workflows/checks.yaml",
                Some(
                    "on: [push]\njobs:\n  check:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        include:\n          - os: ubuntu-latest\n          - os: macos-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/prepare\n      - run: make style\n      - run: uv run pytest tests\n",
                ),
            ),
            (
                ".github/workflows/hooks.yaml",
                Some("on: [pull_request]\njobs:\n  hooks:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: pre-commit/action@v3.0.1\n"),
            ),
            ("Makefile", Some(".PHONY: style\nstyle: format\n\tuv run ruff check .\n\nformat:\n\t# nothing else\n")),
        ],
        "2026-01-04T12:00:00Z",
    );
    // Most of the history comes after the first day (else the first day would be the group's upload).
    commit(
        dir,
        &[
            (
                "src/proj/service.py",
                Some("from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\n\napp = FastAPI()\n\n\n@app.get(\"/\", response_class=HTMLResponse)\ndef home():\n    return PAGE\n\n\nPAGE = \"<h1>Predict</h1>\"\n"),
            ),
            (
                "tests/integration/conftest.py",
                Some("import pytest\nfrom fastapi.testclient import TestClient\n\nfrom proj.service import app\n\n\n@pytest.fixture\ndef client():\n    return TestClient(app)\n"),
            ),
            (
                "tests/integration/test_service.py",
                Some("def test_home_answers(client):\n    assert client.get(\"/\").status_code == 200\n"),
            ),
        ],
        "2026-01-05T12:00:00Z",
    );
    commit(dir, &[("README.md", Some("# fresh repository\n\nHow to run it.\n"))], "2026-01-06T12:00:00Z");
}

/// The template as the groups of `broadened` got it.
const BROADENED_TEMPLATE: &[(&str, Option<&str>)] = &[
    (
        ".pre-commit-config.yaml",
        Some("repos:\n  - repo: https://example.invalid/ruff-hooks\n    hooks:\n      - id: ruff\n"),
    ),
    ("tests/test_data.py", Some("def test_data_stub():\n    assert True\n")),
    ("tests/__init__.py", Some("")),
    ("src/proj/__init__.py", Some("")),
    ("pyproject.toml", Some("[project]\nname = \"proj\"\n")),
];

#[test]
fn broadened_evidence_forms_are_supported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    broadened(&repos.join("g2"));
    let items = ["ci-linting", "ci-matrix-caching", "pre-commit", "gcp-bucket", "api-tests", "frontend"];
    let cohort = [claims("g2", &items, &[], None), claims("twin", &[], &[], None)];
    let r = &verify(&cohort, &options(&repos, &tmp.path().join("cache")))[0];
    assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    let found = |item: &str| {
        let v = verdict(r, item);
        assert_eq!(v.verdict, VerdictKind::Supported, "{item}: {v:?}");
        (v.path.clone().unwrap_or_default(), v.evidence.clone().unwrap_or_default())
    };
    let (path, what) = found("ci-linting");
    assert_eq!(path, ".github/workflows/checks.yaml");
    assert!(what.contains("make style") && what.contains("ruff"), "{what}");
    let (path, what) = found("ci-matrix-caching");
    assert_eq!((path.as_str(), what.as_str()), (".github/workflows/checks.yaml", "matrix of 2 and a cache"));
    let (path, what) = found("pre-commit");
    assert_eq!(path, ".github/workflows/hooks.yaml", "the configuration is the template's; the workflow is not");
    assert!(what.contains("pre-commit"), "{what}");
    assert_eq!(found("gcp-bucket").0, ".dvc/config", "added on the first day, after the template");
    let (path, what) = found("api-tests");
    assert_eq!(path, "tests/integration/test_service.py");
    assert!(what.contains("tests/integration/conftest.py"), "{what}");
    assert_eq!(found("frontend").0, "src/proj/service.py");
}

#[test]
fn an_html_report_is_no_frontend_but_a_static_site_at_the_root_is() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    let dir = repos.join("g4");
    broadened(&dir);
    // The root answers JSON; HTML only at /monitoring (a drift report).
    let report_only = "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\n\napp = FastAPI()\n\n\n@app.get(\"/\")\ndef root():\n    return {\"status\": \"up\"}\n\n\n@app.get(\"/monitoring\", response_class=HTMLResponse)\ndef monitoring():\n    return HTMLResponse(content=\"<p>drift</p>\")\n";
    commit(&dir, &[("src/proj/service.py", Some(report_only))], "2026-01-07T12:00:00Z");
    let opts = options(&repos, &tmp.path().join("cache"));
    let r = &verify(&[claims("g4", &["frontend"], &[], None)], &opts)[0];
    assert_eq!(verdict(r, "frontend").verdict, VerdictKind::NoEvidence, "{:?}", verdict(r, "frontend"));
    let site = "from fastapi import FastAPI\nfrom fastapi.staticfiles import StaticFiles\n\napp = FastAPI()\napp.mount(\"/\", StaticFiles(directory=\"site\", html=True), name=\"site\")\n";
    commit(&dir, &[("src/proj/site.py", Some(site))], "2026-01-08T12:00:00Z");
    let _ = fs::remove_dir_all(tmp.path().join("cache"));
    let r = &verify(&[claims("g4", &["frontend"], &[], None)], &opts)[0];
    let v = verdict(r, "frontend");
    assert_eq!(
        (v.verdict, v.path.as_deref(), v.line),
        (VerdictKind::Supported, Some("src/proj/site.py"), Some(5)),
        "{v:?}"
    );
}

#[test]
fn pre_commit_ci_commits_show_the_hooks_run_in_ci() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    let dir = repos.join("g3");
    broadened(&dir);
    // Without the hooks' workflow, the template's configuration proves nothing.
    commit(&dir, &[(".github/workflows/hooks.yaml", None), ("Makefile", None)], "2026-01-06T14:00:00Z");
    let opts = options(&repos, &tmp.path().join("cache"));
    let cohort = |items: &[&str]| [claims("g3", items, &[], None), claims("twin", &[], &[], None)];
    let before = &verify(&cohort(&["pre-commit", "ci-linting"]), &opts)[0];
    assert_eq!(verdict(before, "pre-commit").verdict, VerdictKind::NoEvidence);
    assert_eq!(verdict(before, "ci-linting").verdict, VerdictKind::NoEvidence);
    // The hosted service commits its fixes under its bot's name.
    fs::write(dir.join("src/proj/service.py"), "from fastapi import FastAPI\n\napp = FastAPI()\n").expect("write");
    git(&dir, &["add", "-A"], "2026-01-07T12:00:00Z");
    let out = Command::new("git")
        .args(["-c", "user.name=pre-commit-ci[bot]", "-c", "user.email=bot@example.invalid"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "auto fixes"])
        .current_dir(&dir)
        .env("GIT_AUTHOR_DATE", "2026-01-07T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-07T12:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = fs::remove_dir_all(tmp.path().join("cache"));
    let after = &verify(&cohort(&["pre-commit", "ci-linting"]), &opts)[0];
    for item in ["pre-commit", "ci-linting"] {
        let v = verdict(after, item);
        assert_eq!(v.verdict, VerdictKind::Supported, "{item}: {v:?}");
        assert!(v.evidence.as_deref().is_some_and(|e| e.contains("pre-commit.ci")), "{v:?}");
    }
    assert_eq!(after.facts.authors, Some(1), "the bot is not a member");
}

#[test]
fn objects_list_the_files_ls_tree_lists() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("r");
    fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "-q"], "2026-01-02T10:00:00Z");
    commit(
        &dir,
        &[("a/b/c.py", Some("import os\n")), ("empty.py", Some("")), ("README.md", Some("x\n"))],
        "2026-01-02T10:00:00Z",
    );
    // An executable, a symbolic link, a submodule entry, a folder nested past the reader's depth limit and a
    // name that is not UTF-8.
    fs::write(dir.join("run.sh"), "#!/bin/sh\n").expect("write");
    Command::new("chmod").args(["+x", "run.sh"]).current_dir(&dir).status().expect("chmod");
    std::os::unix::fs::symlink("README.md", dir.join("link.md")).expect("symlink");
    let deep: PathBuf = (0..70).map(|i| format!("d{i}")).collect();
    fs::create_dir_all(dir.join(&deep)).expect("mkdir deep");
    fs::write(dir.join(&deep).join("deep.py"), "x = 1\n").expect("write deep");
    fs::write(dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.py")), "y = 2\n").expect("write latin-1 name");
    commit(&dir, &[("a/b/d.yaml", Some("k: v\n"))], "2026-01-03T10:00:00Z");
    let head = String::from_utf8_lossy(
        &Command::new("git").args(["rev-parse", "HEAD"]).current_dir(&dir).output().expect("git").stdout,
    )
    .trim()
    .to_string();
    git(&dir, &["update-index", "--add", "--cacheinfo", &format!("160000,{head},vendored")], "2026-01-04T10:00:00Z");
    git(&dir, &["commit", "-q", "-m", "submodule"], "2026-01-04T10:00:00Z");

    let repo = cohort::repo::Repo::open(&dir).expect("open");
    let mut objects = repo.objects().expect("objects");
    for rev in ["HEAD", "HEAD~1", "HEAD~2"] {
        let commit = repo.resolve(rev).expect("resolve");
        let by_ls_tree = repo.files(&commit).expect("ls-tree");
        let in_process = objects.files(&commit).expect("objects");
        let key = |f: &cohort::repo::File| (f.path.clone(), f.oid.clone(), f.size);
        assert_eq!(in_process.iter().map(key).collect::<Vec<_>>(), by_ls_tree.iter().map(key).collect::<Vec<_>>());
    }
    let head_files: Vec<String> =
        objects.files(&repo.resolve("HEAD").expect("head")).expect("files").into_iter().map(|f| f.path).collect();
    assert!(head_files.contains(&"run.sh".to_string()) && head_files.contains(&"a/b/d.yaml".to_string()));
    assert!(head_files.iter().any(|p| p.ends_with("/deep.py")), "the deep folder is listed (through git ls-tree)");
    assert!(!head_files.iter().any(|p| p == "link.md" || p == "vendored"), "links and submodules are no content");
    // A commit the repository lacks fails as `git ls-tree` fails.
    let missing = "0000000000000000000000000000000000000000";
    let kind = |r: Result<Vec<cohort::repo::File>, cohort::repo::RepoError>| r.map_err(|e| e.kind()).err();
    assert!(kind(objects.files(missing)).is_some());
    assert_eq!(kind(objects.files(missing)), kind(repo.files(missing)));
}

#[test]
fn claims_without_evidence_say_why() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repos/g3");
    fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "-q"], "2026-01-02T10:00:00Z");
    // The template leaves an empty API test file.
    commit(&dir, &[("README.md", Some("# p\n")), ("tests/test_api.py", Some(""))], "2026-01-02T10:00:00Z");
    commit(
        &dir,
        &[
            ("src/p/api.py", Some("from fastapi import FastAPI\n\napp = FastAPI()\n")),
            // Model tests written, then commented out.
            ("tests/test_model.py", Some("# def test_model_output():\n#     assert False\n")),
            // Real API tests in a file pytest does not collect by its name.
            (
                "tests/api_checks.py",
                Some("from fastapi.testclient import TestClient\nfrom p.api import app\n\n\ndef test_root():\n    assert TestClient(app).get(\"/\").status_code == 404\n"),
            ),
        ],
        "2026-01-04T10:00:00Z",
    );
    // Training tests written on a branch and deleted there before it was merged, all before the deadline.
    git(&dir, &["checkout", "-q", "-b", "tidy"], "2026-01-05T10:00:00Z");
    commit(&dir, &[("tests/test_train.py", Some("def test_training_step():\n    assert 1\n"))], "2026-01-05T10:00:00Z");
    commit(&dir, &[("README.md", Some("# p\n\nmore\n"))], "2026-01-06T10:00:00Z");
    fs::remove_file(dir.join("tests/test_train.py")).expect("rm");
    git(&dir, &["add", "-A"], "2026-01-07T10:00:00Z");
    git(&dir, &["commit", "-q", "-m", "drop the training test"], "2026-01-07T10:00:00Z");
    git(&dir, &["checkout", "-q", "main"], "2026-01-08T10:00:00Z");
    commit(&dir, &[("src/p/util.py", Some("X = 1\n"))], "2026-01-08T10:00:00Z");
    git(&dir, &["merge", "-q", "--no-ff", "-m", "merge tidy", "tidy"], "2026-01-09T10:00:00Z");

    let repos = tmp.path().join("repos");
    let r =
        &verify(&[claims("g3", &["api-tests", "tests-model"], &[], None)], &options(&repos, &tmp.path().join("c")))[0];
    assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    let api = verdict(r, "api-tests");
    assert_eq!((api.verdict, api.flagged), (VerdictKind::NoEvidence, true), "{api:?}");
    let note = api.note.as_deref().unwrap_or_default();
    assert!(
        note.contains("tests/api_checks.py:5 would count") && note.contains("pytest does not collect it"),
        "{note}"
    );
    assert!(note.contains("tests/test_api.py is empty (as the template left it)"), "{note}");
    assert_eq!(api.removed_by, None, "the uncollected file was never collected: nothing was removed");
    let model = verdict(r, "tests-model");
    assert_eq!((model.verdict, model.flagged), (VerdictKind::NoEvidence, true), "{model:?}");
    let note = model.note.as_deref().unwrap_or_default();
    assert!(note.contains("tests/test_model.py holds no active test: 1 test is commented out"), "{note}");
    assert!(
        note.contains("(tests/test_train.py:1) was there until") && note.contains("drop the training test"),
        "{note}"
    );
    assert_eq!(model.removed_by.as_deref(), Some(commit_named(&dir, "drop the training test").as_str()));
}

/// Writes `bytes` as a raw object of `kind` (no checks, as a hostile repository could hold) and returns its name.
fn raw_object(dir: &Path, kind: &str, bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(["hash-object", "-t", kind, "--literally", "-w", "--stdin"])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git hash-object");
    child.stdin.take().expect("stdin").write_all(bytes).expect("write object");
    let out = child.wait_with_output().expect("hash-object ends");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A tree entry: mode, name and the raw bytes of the object name.
fn entry(mode: &str, name: &str, oid: &str) -> Vec<u8> {
    let mut e = format!("{mode} {name}\0").into_bytes();
    e.extend((0..oid.len() / 2).map(|i| u8::from_str_radix(&oid[2 * i..2 * i + 2], 16).expect("hex")));
    e
}

#[test]
fn hostile_tree_objects_are_refused_as_git_refuses_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    let blob_shaped_like_a_tree = |dir: &Path| {
        let inner = raw_object(dir, "blob", b"import wandb\n");
        raw_object(dir, "blob", &entry("100644", "x.py", &inner))
    };
    type TreeBytes = Box<dyn Fn(&Path) -> Vec<u8>>;
    let cases: Vec<(&str, TreeBytes)> = vec![
        ("short", Box::new(|_: &Path| b"100644 a.py\0short".to_vec())),
        ("blob-as-folder", Box::new(move |d: &Path| entry("40000", "src", &blob_shaped_like_a_tree(d)))),
        (
            "tree-as-file",
            Box::new(|d: &Path| {
                let inner = raw_object(d, "blob", b"import wandb\n");
                let tree = raw_object(d, "tree", &entry("100644", "x.py", &inner));
                entry("100644", "train.py", &tree)
            }),
        ),
    ];
    let mut ids = Vec::new();
    for (id, tree_bytes) in &cases {
        let dir = repos.join(id);
        fs::create_dir_all(&dir).expect("mkdir");
        git(&dir, &["init", "-q"], "2026-01-02T10:00:00Z");
        let tree = raw_object(&dir, "tree", &tree_bytes(&dir));
        let out = Command::new("git")
            .args(["-c", "user.name=A", "-c", "user.email=a@example.invalid", "commit-tree", &tree, "-m", "odd"])
            .env("GIT_COMMITTER_DATE", "2026-01-05T10:00:00Z")
            .env("GIT_AUTHOR_DATE", "2026-01-05T10:00:00Z")
            .current_dir(&dir)
            .output()
            .expect("commit-tree");
        let commit = String::from_utf8_lossy(&out.stdout).trim().to_string();
        git(&dir, &["update-ref", "refs/heads/main", &commit], "2026-01-05T10:00:00Z");
        git(&dir, &["symbolic-ref", "HEAD", "refs/heads/main"], "2026-01-05T10:00:00Z");
        // The in-process reader gives what `git ls-tree` gives: the same error, or the same (empty) listing.
        let repo = cohort::repo::Repo::open(&dir).expect("open");
        let kind = |r: Result<Vec<cohort::repo::File>, cohort::repo::RepoError>| {
            r.map(|fs| fs.into_iter().map(|f| f.path).collect::<Vec<_>>()).map_err(|e| e.kind())
        };
        let mut objects = repo.objects().expect("objects");
        assert_eq!(kind(objects.files(&commit)), kind(repo.files(&commit)), "{id}");
        assert!(!kind(objects.files(&commit)).is_ok_and(|paths| paths.iter().any(|p| p.ends_with("x.py"))), "{id}");
        ids.push(*id);
    }
    planted(&repos.join("g1"));
    ids.push("g1");
    let all: Vec<Claims> = ids.iter().map(|id| claims(id, &["wandb"], &[], None)).collect();
    let results = verify(&all, &options(&repos, &tmp.path().join("cache")));
    for r in &results[..cases.len()] {
        assert!(r.facts.status != "internal", "{:?}", r.facts);
        assert!(r.verdicts.iter().all(|v| v.verdict != VerdictKind::Supported), "{:?}", r.verdicts);
    }
    assert_eq!(verdict(&results[cases.len()], "wandb").verdict, VerdictKind::Supported, "the others go on");
}
