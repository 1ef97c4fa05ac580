//! Planted truth for every decidable item at once: one synthetic piece of evidence per item (our own minimal
//! forms, below), placed on the timeline of a repository in five ways, and the verdict each placement must give.
//! This is the check on repositories nobody has seen: the rules and the history logic must hold for every item,
//! not only for the few the other fixtures name.
//!
//! | placement | expected for every item |
//! |---|---|
//! | added after the first day, before the deadline | `supported` |
//! | added, then removed in a commit before the deadline | `no-evidence`, `removed_by` the removing commit |
//! | added, then every file emptied (a comment left) before the deadline | as removed, except items the file itself decides |
//! | added, then removed on a branch merged before the deadline | `no-evidence`, `removed_by` the branch's commit |
//! | added after the deadline | `no-evidence`, nothing removed |
//! | on a branch committed before the deadline, never merged | `only-on-branch`, naming it |
//! | only in the first day's template (another group's first day holds the same files), never changed | `no-evidence` (data-versioning: `supported`, as the DVC files decide it whoever wrote them) |
//! | the `present` project re-uploaded as a single commit | as `present`: a repository whose first commit holds the project has evidence |

use crate::common::{commit_files, commit_named, git};
use cohort::domain::template::ChecklistId;
use cohort::verify::{decidable_items, verify, Claims, GroupResult, VerdictKind, VerifyOptions};
use std::fs;
use std::path::Path;

const DEADLINE: &str = "2026-01-10T23:59:59Z";

/// One file of evidence per decidable item (path, content), in our own words.
const EVIDENCE: &[(&str, &str, &str)] = &[
    ("tests-data", "tests/test_dataset.py", "def test_dataset_length():\n    assert len([1, 2]) == 2\n"),
    ("tests-model", "tests/test_network.py", "def test_model_forward_shape():\n    assert (2, 3) == (2, 3)\n"),
    (
        "ci",
        ".github/workflows/unit.yaml",
        "on: [push]\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m pytest tests\n",
    ),
    (
        "ci-linting",
        ".github/workflows/style.yaml",
        "on: [push]\njobs:\n  style:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install ruff && ruff check .\n",
    ),
    (
        "ci-matrix-caching",
        ".github/workflows/matrix.yaml",
        "on: [push]\njobs:\n  build:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n          cache: pip\n      - run: pip install -e .\n",
    ),
    (
        "pre-commit",
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://example.invalid/our-hooks\n    rev: v1\n    hooks:\n      - id: end-of-file-fixer\n",
    ),
    ("data-versioning", "data/raw.dvc", "outs:\n- md5: 0123456789abcdef\n  path: raw\n"),
    ("gcp-bucket", "src/pkg/storage_io.py", "from google.cloud import storage\n\n\ndef bucket():\n    return storage.Client()\n"),
    ("dockerfiles", "dockerfiles/serve.dockerfile", "FROM python:3.12-slim\nCOPY . /app\n"),
    ("config-files", "configs/experiment.yaml", "lr: 0.01\nepochs: 3\n"),
    (
        "hydra",
        "src/pkg/run_hydra.py",
        "import hydra\n\n\n@hydra.main(config_path=\"../../configs\", config_name=\"experiment\", version_base=None)\ndef main(cfg):\n    print(cfg)\n",
    ),
    ("wandb", "src/pkg/tracking.py", "import wandb\n\n\ndef start():\n    wandb.init(project=\"planted\")\n"),
    ("lightning", "src/pkg/module.py", "import lightning as L\n\n\nclass Net(L.LightningModule):\n    pass\n"),
    ("fastapi", "src/pkg/app.py", "from fastapi import FastAPI\n\napp = FastAPI()\n"),
    (
        "api-tests",
        "tests/test_endpoints.py",
        "from fastapi.testclient import TestClient\n\nfrom pkg.app import app\n\n\ndef test_root_answers():\n    assert TestClient(app).get(\"/\").status_code in (200, 404)\n",
    ),
    ("load-test", "tests/load/locustfile.py", "from locust import HttpUser, task\n\n\nclass Visitor(HttpUser):\n    pass\n"),
    ("onnx-bentoml", "src/pkg/export_onnx.py", "import onnxruntime\n\n\ndef session(path):\n    return onnxruntime.InferenceSession(path)\n"),
    ("frontend", "src/pkg/ui.py", "import streamlit as st\n\nst.title(\"Planted\")\n"),
    ("drift-robustness", "src/pkg/drift_check.py", "import evidently\n\n\ndef report():\n    return evidently\n"),
    (
        "drift-api",
        "src/pkg/monitor_api.py",
        "from fastapi import FastAPI\n\nmonitor = FastAPI()\n\n\n@monitor.get(\"/drift\")\ndef drift():\n    return {}\n",
    ),
    (
        "cml-data-trigger",
        ".github/workflows/data.yaml",
        "on:\n  push:\n    paths:\n      - 'data/**'\njobs:\n  report:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo data changed\n",
    ),
];

/// Items whose evidence is the file itself (EVIDENCE.md: decided from the file list, contents may be absent):
/// emptying the file leaves them supported.
const FILE_DECIDES: &[&str] = &["data-versioning", "dockerfiles", "config-files", "load-test", "drift-robustness"];

fn all_evidence() -> Vec<(&'static str, Option<&'static str>)> {
    EVIDENCE.iter().map(|(_, path, text)| (*path, Some(*text))).collect()
}

fn no_evidence() -> Vec<(&'static str, Option<&'static str>)> {
    EVIDENCE.iter().map(|(_, path, _)| (*path, None)).collect()
}

/// A repository: a first day holding only a README (or, with `template`, the evidence too), then `work` on the
/// following days, with plain commits between so the first day is not most of the history.
fn repository(dir: &Path, template: bool, work: impl FnOnce(&Path)) {
    let readme = format!("# planted: {}\n", dir.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q"], "2026-01-02T09:00:00Z");
    let mut first = vec![("README.md", Some(readme.as_str())), ("pyproject.toml", Some("[project]\nname = \"pkg\"\n"))];
    if template {
        first.extend(all_evidence());
    }
    commit_files(dir, &first, "2026-01-02T09:00:00Z", "template");
    for day in 3..=4 {
        commit_files(
            dir,
            &[("NOTES.md", Some(&format!("day {day}\n")))],
            &format!("2026-01-0{day}T09:00:00Z"),
            "notes",
        );
    }
    work(dir);
}

fn ticks() -> Vec<(ChecklistId, bool)> {
    EVIDENCE.iter().map(|(item, _, _)| (ChecklistId::from_name(item).expect("a checklist id"), true)).collect()
}

fn run(repos: &Path, cache: &Path, id: &str) -> GroupResult {
    run_with(repos, cache, id, &[])
}

/// Verifies `id` together with other groups' repositories (a cohort: what their first days share is the template).
fn run_with(repos: &Path, cache: &Path, id: &str, cohort: &[&str]) -> GroupResult {
    let claims =
        |id: &str| Claims { id: id.into(), alt_ids: vec![], group: Some(7), students: 1, tests: None, ticks: ticks() };
    let opts = VerifyOptions {
        repos: repos.into(),
        deadline: Some(DEADLINE.parse().expect("deadline")),
        items: vec![],
        cache: cache.into(),
        repo_time: cohort::repo::REPO_TIME,
    };
    let all: Vec<Claims> = std::iter::once(id).chain(cohort.iter().copied()).map(claims).collect();
    let mut results = verify(&all, &opts);
    let r = results.remove(0);
    assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    r
}

#[test]
fn the_evidence_table_covers_every_decidable_item() {
    let mut planted: Vec<&str> = EVIDENCE.iter().map(|(i, _, _)| *i).collect();
    planted.sort_unstable();
    let mut decidable = decidable_items();
    decidable.retain(|i| *i != "tests");
    decidable.sort_unstable();
    assert_eq!(planted, decidable);
}

#[test]
fn every_decidable_item_follows_its_planted_timeline() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    let cache = tmp.path().join("cache");
    repository(&repos.join("present"), false, |d| commit_files(d, &all_evidence(), "2026-01-06T12:00:00Z", "our work"));
    repository(&repos.join("removed"), false, |d| {
        commit_files(d, &all_evidence(), "2026-01-06T12:00:00Z", "our work");
        commit_files(d, &no_evidence(), "2026-01-08T12:00:00Z", "tidy up before the deadline");
    });
    repository(&repos.join("emptied"), false, |d| {
        commit_files(d, &all_evidence(), "2026-01-06T12:00:00Z", "our work");
        let emptied: Vec<(&str, Option<&str>)> = EVIDENCE.iter().map(|(_, p, _)| (*p, Some("# gone\n"))).collect();
        commit_files(d, &emptied, "2026-01-08T12:00:00Z", "empty every file before the deadline");
    });
    repository(&repos.join("merged-removal"), false, |d| {
        commit_files(d, &all_evidence(), "2026-01-06T12:00:00Z", "our work");
        git(d, &["checkout", "-q", "-b", "cleanup"], "2026-01-07T12:00:00Z");
        commit_files(d, &no_evidence(), "2026-01-07T12:00:00Z", "remove it on a branch");
        git(d, &["checkout", "-q", "main"], "2026-01-08T12:00:00Z");
        commit_files(d, &[("NOTES.md", Some("meanwhile\n"))], "2026-01-08T12:00:00Z", "meanwhile on main");
        git(d, &["merge", "-q", "--no-ff", "-m", "merge the clean-up", "cleanup"], "2026-01-09T12:00:00Z");
    });
    repository(&repos.join("late"), false, |d| commit_files(d, &all_evidence(), "2026-01-12T12:00:00Z", "late work"));
    repository(&repos.join("branch"), false, |d| {
        git(d, &["checkout", "-q", "-b", "experiments"], "2026-01-06T12:00:00Z");
        commit_files(d, &all_evidence(), "2026-01-06T12:00:00Z", "branch work");
        git(d, &["checkout", "-q", "main"], "2026-01-06T12:00:00Z");
        commit_files(d, &[("NOTES.md", Some("main moved on\n"))], "2026-01-07T12:00:00Z", "main work");
    });
    // Two groups that instantiated the same template: what their first days share is the template's.
    repository(&repos.join("template"), true, |_| {});
    repository(&repos.join("template-twin"), true, |_| {});
    // The `present` project as one commit (a re-upload, a squashed history).
    let reupload = repos.join("reupload");
    fs::create_dir_all(&reupload).expect("mkdir");
    git(&reupload, &["init", "-q"], "2026-01-07T09:00:00Z");
    let mut everything =
        vec![("README.md", Some("# planted: present\n")), ("pyproject.toml", Some("[project]\nname = \"pkg\"\n"))];
    everything.push(("NOTES.md", Some("day 4\n")));
    everything.extend(all_evidence());
    commit_files(&reupload, &everything, "2026-01-07T09:00:00Z", "the project, uploaded again");

    let mut wrong = Vec::new();
    let mut expect =
        |r: &GroupResult, item: &str, verdict: VerdictKind, removed_by: Option<&str>, branch: Option<&str>| {
            let Some(v) = r.verdicts.iter().find(|v| v.item == item) else {
                wrong.push(format!("{}: no verdict for {item}", r.facts.id));
                return;
            };
            let got = (v.verdict, v.removed_by.as_deref(), v.branch.as_deref());
            if got != (verdict, removed_by, branch) {
                wrong.push(format!(
                    "{} {item}: got {got:?}, expected {:?} ({:?})",
                    r.facts.id,
                    (verdict, removed_by, branch),
                    v.note
                ));
            }
        };
    let present = run(&repos, &cache, "present");
    let removed = run(&repos, &cache, "removed");
    let tidy = commit_named(&repos.join("removed"), "tidy up before the deadline");
    let emptied = run(&repos, &cache, "emptied");
    let emptying = commit_named(&repos.join("emptied"), "empty every file before the deadline");
    let merged = run(&repos, &cache, "merged-removal");
    let on_branch = commit_named(&repos.join("merged-removal"), "remove it on a branch");
    let late = run(&repos, &cache, "late");
    let branch = run(&repos, &cache, "branch");
    let template = run_with(&repos, &cache, "template", &["template-twin"]);
    let reuploaded = run(&repos, &cache, "reupload");
    for (item, _, _) in EVIDENCE {
        expect(&present, item, VerdictKind::Supported, None, None);
        expect(&removed, item, VerdictKind::NoEvidence, Some(tidy.as_str()), None);
        if FILE_DECIDES.contains(item) {
            expect(&emptied, item, VerdictKind::Supported, None, None);
        } else if *item == "drift-api" || *item == "pre-commit" {
            // The route is gone, a file named for drift (drift-robustness's) is still there; the pre-commit
            // configuration is there without a hook: partial.
            expect(&emptied, item, VerdictKind::Partial, Some(emptying.as_str()), None);
        } else {
            expect(&emptied, item, VerdictKind::NoEvidence, Some(emptying.as_str()), None);
        }
        // Removed on a branch merged before the deadline: the branch's commit, not the merge, removed it.
        expect(&merged, item, VerdictKind::NoEvidence, Some(on_branch.as_str()), None);
        expect(&late, item, VerdictKind::NoEvidence, None, None);
        expect(&branch, item, VerdictKind::OnlyOnBranch, None, Some("experiments"));
        let from_template = if *item == "data-versioning" { VerdictKind::Supported } else { VerdictKind::NoEvidence };
        expect(&template, item, from_template, None, None);
        // The one-commit re-upload gives the verdicts of the project with its history.
        let with_history = present.verdicts.iter().find(|v| v.item == *item).map(|v| v.verdict);
        expect(&reuploaded, item, with_history.unwrap_or(VerdictKind::Supported), None, None);
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
