//! Evidence as groups really write it, and repositories as they really come (issue 24): one fixture repository
//! per case, built here with `git`, with the verdict each must give.
//!
//! | case | verdict |
//! |---|---|
//! | a compose file, no Dockerfile | dockerfiles `no-evidence`, the note names the compose file |
//! | a JSON configuration the training code loads | config-files `supported` |
//! | settings in a Python module only | config-files `partial`, noted |
//! | the same test file in two folders, and a manual `test_*.py` script taking a URL | counted once, the script not at all |
//! | a linter named only in a comment of a workflow's `run:` | ci-linting `no-evidence`; the cited line is the one running the linter |
//! | a vendored SDK (its own `.github/`) and a `third_party/` tree | never evidence |
//! | a branch holding an older state of main | not `only-on-branch` |
//! | a data test whose name mentions training | no model evidence |
//! | a partial clone (`--filter=blob:limit=...`) and a repository with a deleted blob | read; only the missing files are noted |

use crate::common::{commit_files, git};
use cohort::domain::template::ChecklistId;
use cohort::verify::{verify, Claims, GroupResult, Verdict, VerdictKind, VerifyOptions};
use std::fs;
use std::path::Path;
use std::process::Command;

const DEADLINE: &str = "2026-01-10T23:59:59Z";

fn claims(id: &str, ticked: &[&str], tests: Option<u32>) -> Claims {
    let ticks = ticked.iter().map(|t| (ChecklistId::from_name(t).expect("a checklist id"), true)).collect();
    Claims { id: id.into(), alt_ids: vec![], group: Some(3), students: 1, tests, ticks }
}

fn run(repos: &Path, cache: &Path, all: &[Claims]) -> Vec<GroupResult> {
    let opts = VerifyOptions {
        repos: repos.into(),
        deadline: Some(DEADLINE.parse().expect("deadline")),
        items: vec![],
        cache: cache.into(),
        repo_time: cohort::repo::REPO_TIME,
    };
    let results = verify(all, &opts);
    for r in &results {
        assert_eq!(r.facts.status, "ok", "{:?}", r.facts);
    }
    results
}

fn verdict<'a>(r: &'a GroupResult, item: &str) -> &'a Verdict {
    r.verdicts.iter().find(|v| v.item == item).unwrap_or_else(|| panic!("no verdict for {item}: {:?}", r.verdicts))
}

/// A repository: a README on the first day, then `files` on the 5th and a note on the 6th and 7th (so the first
/// day is not most of the history).
fn repository(dir: &Path, files: &[(&str, Option<&str>)]) {
    fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q"], "2026-01-02T09:00:00Z");
    commit_files(dir, &[("README.md", Some("# a project\n"))], "2026-01-02T09:00:00Z", "start");
    commit_files(dir, files, "2026-01-05T12:00:00Z", "our work");
    commit_files(dir, &[("NOTES.md", Some("one\n"))], "2026-01-06T12:00:00Z", "notes");
    commit_files(dir, &[("NOTES.md", Some("two\n"))], "2026-01-07T12:00:00Z", "notes");
}

const TRAIN: &str =
    "import json\n\n\ndef main():\n    with open(\"configs/train.json\") as f:\n        return json.load(f)\n";

#[test]
fn evidence_as_groups_write_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repos = tmp.path().join("repos");
    repository(
        &repos.join("compose"),
        &[("docker-compose.yaml", Some("services:\n  api:\n    image: example.invalid/api:1\n"))],
    );
    repository(
        &repos.join("json-config"),
        &[("configs/train.json", Some("{\"lr\": 0.01}\n")), ("src/pkg/train.py", Some(TRAIN))],
    );
    repository(&repos.join("settings"), &[("src/pkg/config.py", Some("LR = 0.01\nEPOCHS = 3\n"))]);
    let test_file = "def test_dataset_length():\n    assert len([1, 2]) == 2\n\n\ndef test_dataset_items():\n    assert [1][0] == 1\n";
    let manual = "import requests\n\nURL = \"https://example.invalid/predict\"\n\n\ndef test_prediction(url, image_path):\n    return requests.post(url, files={\"f\": open(image_path, \"rb\")})\n\n\nif __name__ == \"__main__\":\n    print(test_prediction(URL, \"cat.png\"))\n";
    repository(
        &repos.join("copies"),
        &[
            ("tests/test_data.py", Some(test_file)),
            ("tests/unit/test_data.py", Some(test_file)),
            ("scripts/test_deployed.py", Some(manual)),
        ],
    );
    let workflow = "on: [push]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          pip install -e .\n          # ruff check . (later)\n          python -m pytest\n";
    repository(&repos.join("comment"), &[(".github/workflows/ci.yaml", Some(workflow))]);
    let linting = "on: [push]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          pip install ruff\n          ruff check src\n";
    repository(&repos.join("linting"), &[(".github/workflows/ci.yaml", Some(linting))]);
    let vendored_workflow =
        "on: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n";
    repository(
        &repos.join("vendored"),
        &[
            ("src/pkg/__init__.py", Some("")),
            ("tools/cloud-kit/.github/workflows/lint.yaml", Some(vendored_workflow)),
            ("tools/cloud-kit/kit/track.py", Some("import wandb\n")),
            ("third_party/netlib/tests/test_model.py", Some("def test_model_forward():\n    assert True\n")),
        ],
    );
    let data_tests = "def test_train_split_sizes():\n    assert 8 + 2 == 10\n";
    repository(&repos.join("split"), &[("tests/test_data.py", Some(data_tests))]);

    let ids = ["compose", "json-config", "settings", "copies", "comment", "linting", "vendored", "split"];
    let ticked = ["dockerfiles", "config-files", "ci-linting", "wandb", "tests-model", "tests-data"];
    let all: Vec<Claims> = ids.iter().map(|id| claims(id, &ticked, Some(2))).collect();
    let results = run(&repos, &tmp.path().join("cache"), &all);
    let of = |id: &str| results.iter().find(|r| r.facts.id == id).expect("a result");

    let d = verdict(of("compose"), "dockerfiles");
    assert_eq!(d.verdict, VerdictKind::NoEvidence, "{d:?}");
    assert!(
        d.note.as_deref().is_some_and(|n| n.contains("docker-compose.yaml") && n.contains("no Dockerfile")),
        "{d:?}"
    );

    let c = verdict(of("json-config"), "config-files");
    assert_eq!((c.verdict, c.path.as_deref()), (VerdictKind::Supported, Some("configs/train.json")), "{c:?}");
    assert!(c.evidence.as_deref().is_some_and(|e| e.contains("src/pkg/train.py:5")), "{c:?}");
    let p = verdict(of("settings"), "config-files");
    assert_eq!((p.verdict, p.path.as_deref(), p.flagged), (VerdictKind::Partial, Some("src/pkg/config.py"), true));

    // Two identical test functions per file, in two folders: 2 tests; the manual script's function wants a URL
    // and a file no fixture provides, and it sits where pytest collects by name only: not a test.
    let t = verdict(of("copies"), "tests");
    assert_eq!((t.verdict, t.counted), (VerdictKind::Supported, Some(2)), "{t:?}");
    let manual_in_tests = {
        let dir = repos.join("manual");
        repository(&dir, &[("tests/test_deployed.py", Some(manual)), ("tests/test_data.py", Some(test_file))]);
        run(&repos, &tmp.path().join("cache"), &[claims("manual", &["tests-data"], Some(2))]).remove(0)
    };
    let t = verdict(&manual_in_tests, "tests");
    assert_eq!((t.verdict, t.counted), (VerdictKind::Supported, Some(2)), "{t:?}");
    assert!(
        t.note
            .as_deref()
            .is_some_and(|n| n.contains("tests/test_deployed.py:6 test_prediction (asks for url, image_path)")),
        "{t:?}"
    );

    let l = verdict(of("comment"), "ci-linting");
    assert_eq!(l.verdict, VerdictKind::NoEvidence, "a linter named in a comment runs nothing: {l:?}");
    let l = verdict(of("linting"), "ci-linting");
    assert_eq!((l.verdict, l.line, l.snippet.as_deref()), (VerdictKind::Supported, Some(9), Some("ruff check src")));

    let v = of("vendored");
    for item in ["ci-linting", "wandb", "tests-model"] {
        assert_eq!(verdict(v, item).verdict, VerdictKind::NoEvidence, "{item}: {:?}", verdict(v, item));
    }

    let s = of("split");
    assert_eq!(verdict(s, "tests-data").verdict, VerdictKind::Supported);
    assert_eq!(verdict(s, "tests-model").verdict, VerdictKind::NoEvidence, "{:?}", verdict(s, "tests-model"));
}

#[test]
fn a_branch_holding_an_older_state_of_main_is_not_only_on_branch() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repos/stale");
    repository(&dir, &[("src/pkg/track.py", Some("import wandb\n"))]);
    // An automated branch made from that state, with a commit of its own, never merged.
    git(&dir, &["checkout", "-q", "-b", "auto-update"], "2026-01-07T13:00:00Z");
    commit_files(&dir, &[("requirements.txt", Some("wandb==0.1\n"))], "2026-01-07T13:00:00Z", "update pins");
    git(&dir, &["checkout", "-q", "main"], "2026-01-07T14:00:00Z");
    commit_files(&dir, &[("src/pkg/track.py", None)], "2026-01-08T12:00:00Z", "drop tracking");
    // A real feature branch that adds the evidence.
    git(&dir, &["checkout", "-q", "-b", "feature-api"], "2026-01-08T13:00:00Z");
    commit_files(
        &dir,
        &[("src/pkg/app.py", Some("from fastapi import FastAPI\n\napp = FastAPI()\n"))],
        "2026-01-08T13:00:00Z",
        "api",
    );
    git(&dir, &["checkout", "-q", "main"], "2026-01-08T14:00:00Z");
    commit_files(&dir, &[("NOTES.md", Some("three\n"))], "2026-01-09T12:00:00Z", "notes");
    let r = run(&tmp.path().join("repos"), &tmp.path().join("cache"), &[claims("stale", &["wandb", "fastapi"], None)])
        .remove(0);
    let w = verdict(&r, "wandb");
    assert_eq!((w.verdict, w.branch.as_deref()), (VerdictKind::NoEvidence, None), "{w:?}");
    assert!(w.removed_by.is_some(), "the removal on main is named: {w:?}");
    let f = verdict(&r, "fastapi");
    assert_eq!((f.verdict, f.branch.as_deref()), (VerdictKind::OnlyOnBranch, Some("feature-api")), "{f:?}");
}

/// A project with a large data file, an old blob and the evidence of a few items.
fn project(dir: &Path) {
    repository(
        dir,
        &[
            ("src/pkg/track.py", Some("import wandb\n")),
            ("tests/test_data.py", Some("def test_data_rows():\n    assert 1\n")),
            ("data/big.csv", Some(&"1,2,3,4,5,6,7,8\n".repeat(4096))),
            ("src/pkg/old.py", Some("import lightning\n")),
        ],
    );
    // An old file, gone by the commit read.
    commit_files(dir, &[("src/pkg/old.py", None)], "2026-01-08T12:00:00Z", "remove the old module");
}

fn verdicts_of(r: &GroupResult) -> Vec<(String, VerdictKind, Option<String>)> {
    r.verdicts.iter().map(|v| (v.item.clone(), v.verdict, v.path.clone())).collect()
}

fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn partial_clones_and_missing_blobs_cost_only_their_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = tmp.path().join("source");
    project(&source);
    git(&source, &["config", "uploadpack.allowFilter", "true"], "2026-01-20T00:00:00Z");
    let repos = tmp.path().join("repos");
    fs::create_dir_all(&repos).expect("mkdir");
    git(
        &repos,
        &["clone", "-q", "--bare", "--no-local", source.to_str().expect("path"), "full.git"],
        "2026-01-20T00:00:00Z",
    );
    let url = format!("file://{}", source.display());
    git(&repos, &["clone", "-q", "--bare", "--filter=blob:limit=10k", &url, "partial.git"], "2026-01-20T00:00:00Z");
    assert!(
        git_in(&repos.join("partial.git"), &["rev-list", "--objects", "--missing=print", "--all"]).contains('?'),
        "the partial clone lacks the large file"
    );
    // A copy that lost an old blob (the removed module): unpacked, the loose object deleted.
    git(
        &repos,
        &["clone", "-q", "--bare", "--no-local", source.to_str().expect("path"), "damaged.git"],
        "2026-01-20T00:00:00Z",
    );
    let damaged = repos.join("damaged.git");
    let old = git_in(&source, &["rev-parse", "HEAD~1:src/pkg/old.py"]);
    let mut packs = Vec::new();
    for pack in fs::read_dir(damaged.join("objects/pack")).expect("packs").flatten() {
        if pack.path().extension().is_some_and(|e| e == "pack") {
            packs.push(fs::read(pack.path()).expect("pack"));
        }
        fs::remove_file(pack.path()).expect("remove pack");
    }
    for bytes in packs {
        let status = Command::new("git")
            .args(["unpack-objects", "-q"])
            .current_dir(&damaged)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("stdin").write_all(&bytes)?;
                c.wait()
            })
            .expect("unpack");
        assert!(status.success());
    }
    fs::remove_file(damaged.join("objects").join(&old[..2]).join(&old[2..])).expect("delete the old blob");
    // Nothing can be fetched from where the partial clone came from.
    fs::remove_dir_all(&source).expect("remove the source");

    let items = ["wandb", "lightning", "tests-data", "data-versioning"];
    let all: Vec<Claims> = ["full", "partial", "damaged"].iter().map(|id| claims(id, &items, Some(1))).collect();
    let results = run(&repos, &tmp.path().join("cache"), &all);
    let full = verdicts_of(&results[0]);
    assert_eq!(verdicts_of(&results[1]), full, "the partial clone");
    assert_eq!(verdicts_of(&results[2]), full, "the repository without an old blob");
    assert_eq!(verdict(&results[0], "lightning").verdict, VerdictKind::NoEvidence);
    // The large file is no file the rules read: no note about it.
    assert!(results[1].facts.notes.iter().all(|n| !n.contains("lacks")), "{:?}", results[1].facts.notes);

    // A missing file the rules would read is named on the verdicts that needed it.
    let source2 = tmp.path().join("source2");
    repository(&source2, &[("src/pkg/track.py", Some(&format!("import wandb\n{}", "# padding\n".repeat(2000))))]);
    git(&source2, &["config", "uploadpack.allowFilter", "true"], "2026-01-20T00:00:00Z");
    let url = format!("file://{}", source2.display());
    git(&repos, &["clone", "-q", "--bare", "--filter=blob:limit=10k", &url, "lacking.git"], "2026-01-20T00:00:00Z");
    fs::remove_dir_all(&source2).expect("remove the source");
    let r = run(&repos, &tmp.path().join("cache"), &[claims("lacking", &["wandb"], None)]).remove(0);
    let w = verdict(&r, "wandb");
    assert_eq!(w.verdict, VerdictKind::NoEvidence);
    assert!(w.note.as_deref().is_some_and(|n| n.contains("lacks the content of 1 file the rules read") && n.contains("src/pkg/track.py")), "{w:?}");
}

/// Prints the fingerprints of the files the course's cookiecutter template writes, over its whole history, for
/// `src/verify/course_template.txt`: `COHORT_TEMPLATE_REPO=<a clone of the template> cargo test --release --test
/// it verify_evidence::print_course_fingerprints -- --ignored --nocapture`. A file is rendered with its project
/// name and Python version filled in; files with other variables or with logic (`{%`) are left out.
#[test]
#[ignore = "needs a clone of the course template (COHORT_TEMPLATE_REPO)"]
fn print_course_fingerprints() {
    let Some(repo) = std::env::var_os("COHORT_TEMPLATE_REPO") else {
        println!("skipped: COHORT_TEMPLATE_REPO is not set");
        return;
    };
    let repo = Path::new(&repo);
    let name = "tmplpkgname";
    let mut found = std::collections::BTreeSet::new();
    for commit in git_in(repo, &["rev-list", "--all"]).lines() {
        for path in git_in(repo, &["ls-tree", "-r", "--name-only", commit]).lines() {
            if !path.starts_with("{{") {
                continue;
            }
            let Ok(out) = Command::new("git").args(["show", &format!("{commit}:{path}")]).current_dir(repo).output()
            else {
                continue;
            };
            let Ok(text) = String::from_utf8(out.stdout) else { continue };
            let mut rendered = text.clone();
            for (var, value) in [("project_name", name), ("python_version", "3.11")] {
                for form in [format!("{{{{ cookiecutter.{var} }}}}"), format!("{{{{cookiecutter.{var}}}}}")] {
                    rendered = rendered.replace(&form, value);
                }
            }
            if rendered.contains("{%") || rendered.contains("cookiecutter.") {
                continue;
            }
            found.insert(cohort::verify::template::fingerprint(&rendered, &[name.to_string()]));
        }
    }
    for f in found {
        println!("{f}");
    }
}
