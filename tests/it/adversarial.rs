//! Hostile folders: broken, huge, binary and odd files beside good reports. `cohort ingest` and `cohort parse` must
//! name every file they could not read (path and reason, on standard error), take in everything else, and exit 0;
//! resource caps say which option raises them. Every file is made by the test, in a temp folder.
//!
//! Also: searches answer throughout an ingest that runs to completion (the kill test in `cli.rs` covers ingests
//! stopped half-way).

use cohort::synth::{generate, write_cohort, CohortSpec, SyntheticReport};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::{json_lines, run_guarded as run, run_ok_guarded as run_ok};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A word no generated report contains, to find one report's text by search.
fn marker(name: &str) -> String {
    format!("zqmark{name}")
}

/// A report's text with a closing sentence carrying its marker (it joins the last answer).
fn with_marker(r: &SyntheticReport, name: &str) -> String {
    format!("{}\n\nWe close with {}.\n", r.markdown.trim_end(), marker(name))
}

/// The ids `cohort search WORD --json` finds.
fn found_by(word: &str, index: &str) -> BTreeSet<String> {
    let out = run(&["search", word, "--json", "--limit", "1000", "--index", index]);
    // Status 1 is "nothing matches": an empty result, not a failure.
    assert!(matches!(out.status.code(), Some(0 | 1)), "search {word} failed: {}", String::from_utf8_lossy(&out.stderr));
    json_lines(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

/// The reports `cohort reports --json` lists, by id.
fn listed(index: &str) -> Vec<Value> {
    json_lines(&run_ok(&["reports", "--json", "--index", index]))
}

fn ids(reports: &[Value]) -> BTreeSet<String> {
    reports.iter().map(|r| r["id"].as_str().expect("id").to_string()).collect()
}

fn warnings_of<'a>(reports: &'a [Value], id: &str) -> Vec<&'a str> {
    let r = reports.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} is listed"));
    r["warnings"].as_array().expect("warnings").iter().filter_map(Value::as_str).collect()
}

/// The `cohort: skipped PATH: REASON` lines of an ingest or parse, as (path relative to `root`, reason).
fn skipped(stderr: &str, root: &Path) -> Vec<(String, String)> {
    let prefix = format!("cohort: skipped {}/", root.display());
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| {
            let (path, reason) = l.split_once(": ").unwrap_or((l, ""));
            (path.to_string(), reason.to_string())
        })
        .collect()
}

/// What a bad file must be reported as: its path under the root and words of the reason.
struct Bad {
    path: &'static str,
    reason: &'static [&'static str],
}

fn assert_skipped_exactly(stderr: &str, root: &Path, bad: &[Bad]) {
    let got = skipped(stderr, root);
    for b in bad {
        let hit = got.iter().find(|(p, _)| p == b.path).unwrap_or_else(|| panic!("{} is reported:\n{stderr}", b.path));
        for word in b.reason {
            assert!(hit.1.contains(word), "the reason for {} says {word:?}: {:?}", b.path, hit.1);
        }
    }
    let expected: BTreeSet<&str> = bad.iter().map(|b| b.path).collect();
    let extra: Vec<&(String, String)> = got.iter().filter(|(p, _)| !expected.contains(p.as_str())).collect();
    assert!(extra.is_empty(), "only the bad files are reported, not {extra:?}");
    assert_eq!(got.len(), bad.len(), "each bad file once:\n{stderr}");
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

/// A training log of about `bytes` bytes, pasted into an answer in a code fence, with a marker on its first line
/// and another on its last.
fn pasted_log(bytes: usize) -> String {
    let mut log = format!("```\n{} training log\n", marker("hugestart"));
    let mut step = 0u64;
    while log.len() < bytes {
        log.push_str(&format!(
            "epoch {} step {step} loss 0.{:04} lr 0.0003 grad_norm 1.{:03}\n",
            step / 5000,
            step % 9973,
            step % 997
        ));
        step += 1;
    }
    log.push_str(&format!("{} done\n```\n", marker("hugeend")));
    log
}

/// 100,000 list items, each nested in the one before: `- - - - ... deep`.
fn nested_list(items: usize) -> String {
    format!("\n{}{}\n", "- ".repeat(items), marker("deepest"))
}

/// Bytes that look like an image (PNG signature, NUL bytes and noise).
fn binary_bytes(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x1234_5678;
    let mut bytes = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n', 0, 0, 0, 13];
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    bytes
}

fn mkfifo(path: &Path) -> bool {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    index: PathBuf,
    /// Report id → its marker, for every report that must be ingested.
    good: Vec<(String, String)>,
    /// The group number two reports claim, and the report that claimed it first.
    claimed_group: u64,
    claimed_by: String,
    fifo: bool,
}

impl Corpus {
    fn index(&self) -> &str {
        self.index.to_str().expect("UTF-8 path")
    }

    fn root(&self) -> &str {
        self.root.to_str().expect("UTF-8 path")
    }
}

fn hostile_corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("cohort");
    let index = dir.path().join("index");
    let spec = CohortSpec { seed: 404, reports: 5, cohort: None, quirks: false };
    let generated = write_cohort(&root, &spec).expect("generate");
    let mut good = Vec::new();
    for (k, r) in generated.iter().enumerate() {
        let name = format!("good{k}");
        write(&root.join(&r.id).join("reports/README.md"), with_marker(r, &name).as_bytes());
        good.push((r.id.clone(), marker(&name)));
    }
    let more = generate(&CohortSpec { seed: 405, reports: 6, cohort: None, quirks: true });

    // Readable with a warning: a one-byte encoding with stray bytes, and UTF-16 with a byte-order mark.
    let mut latin1 = with_marker(&more[0], "latinone").into_bytes();
    latin1.extend_from_slice(b"\nCaf\xE9 na\xEFve \xFF\xFE\n");
    write(&root.join("latin1/README.md"), &latin1);
    good.push(("latin1".into(), marker("latinone")));
    write(&root.join("utf16/README.md"), &utf16le_with_bom(&with_marker(&more[1], "utfsixteen")));
    good.push(("utf16".into(), marker("utfsixteen")));

    // 100,000 nested list items in an answer.
    let nested = format!("{}{}", with_marker(&more[2], "nested"), nested_list(100_000));
    write(&root.join("nested/README.md"), nested.as_bytes());
    good.push(("nested".into(), marker("nested")));

    // Two reports in one folder.
    write(&root.join("two/README.md"), with_marker(&more[3], "twoa").as_bytes());
    write(&root.join("two/notes.md"), with_marker(&more[4], "twob").as_bytes());
    good.push(("two/README".into(), marker("twoa")));
    good.push(("two/notes".into(), marker("twob")));

    // Two reports claiming the same group: the first good report, submitted again from another repository.
    let claimed = generated.iter().find(|r| r.truth.facts.group.is_some()).expect("a report states its group");
    write(&root.join("resubmitted/reports/README.md"), with_marker(claimed, "resubmitted").as_bytes());
    good.push(("resubmitted".into(), marker("resubmitted")));
    let claimed_group = u64::from(claimed.truth.facts.group.expect("group"));

    // Bad files.
    write(&root.join("empty/README.md"), b"");
    let huge = format!("{}{}", with_marker(&more[5], "huge"), pasted_log(50 * 1024 * 1024));
    write(&root.join("huge/README.md"), huge.as_bytes());
    write(&root.join("binary/README.md"), &binary_bytes(64 * 1024));
    std::fs::create_dir_all(root.join("loop")).expect("mkdir");
    std::os::unix::fs::symlink("..", root.join("loop/back")).expect("symlink");
    std::fs::create_dir_all(root.join("selfloop")).expect("mkdir");
    std::os::unix::fs::symlink("README.md", root.join("selfloop/README.md")).expect("symlink");
    std::fs::create_dir_all(root.join("dangling")).expect("mkdir");
    std::os::unix::fs::symlink("../../gone/README.md", root.join("dangling/README.md")).expect("symlink");
    let fifo = mkfifo(&root.join("fifo/README.md"));
    if !fifo {
        println!("skipped the FIFO: mkfifo is not available here");
    }
    Corpus { _dir: dir, root, index, good, claimed_group, claimed_by: claimed.id.clone(), fifo }
}

fn bad_files(c: &Corpus, max_file_mb: u64) -> Vec<Bad> {
    let mut bad = vec![
        Bad { path: "empty/README.md", reason: &["empty"] },
        Bad { path: "binary/README.md", reason: &["binary"] },
        Bad { path: "loop/back", reason: &["symbolic link loop", "not followed"] },
        Bad { path: "selfloop/README.md", reason: &["symbolic link", "cannot be followed"] },
        Bad { path: "dangling/README.md", reason: &["symbolic link", "does not exist"] },
    ];
    if max_file_mb < 52 {
        bad.push(Bad { path: "huge/README.md", reason: &["52 MB", "over the 20 MB limit", "--max-file-mb"] });
    }
    if c.fifo {
        bad.push(Bad { path: "fifo/README.md", reason: &["not a regular file"] });
    }
    bad
}

#[test]
fn ingest_reports_every_bad_file_and_takes_in_the_rest() {
    let c = hostile_corpus();
    let good_ids: BTreeSet<String> = c.good.iter().map(|(id, _)| id.clone()).collect();

    // Default caps: the 50 MB report is over the file cap.
    let out = run(&["ingest", c.root(), "--index", c.index()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit 0 with bad files present:\n{stderr}");
    assert_skipped_exactly(&stderr, &c.root, &bad_files(&c, 20));
    assert!(stderr.contains(&format!("{} files could not be ingested", bad_files(&c, 20).len())), "{stderr}");
    assert!(!stderr.contains("cohort: cut "), "no answer of these is over the answer cap:\n{stderr}");
    // (Other generated reports may happen to state the same number: the line lists every claimant.)
    let claim = format!("cohort: group {} (", c.claimed_group);
    assert!(
        stderr.lines().any(|l| l.starts_with(&claim)
            && l.contains(" reports: ")
            && l.contains("resubmitted")
            && l.contains(&c.claimed_by)
            && l.contains("check the group numbers")),
        "two reports claiming one group are pointed out:\n{stderr}"
    );

    let reports = listed(c.index());
    assert_eq!(ids(&reports), good_ids, "every readable report is in the index, and nothing else");
    for (id, word) in &c.good {
        assert_eq!(found_by(word, c.index()), BTreeSet::from([id.clone()]), "{id}'s own text is searchable");
    }
    assert!(
        warnings_of(&reports, "latin1").iter().any(|w| w.contains("UTF-8")),
        "{:?}",
        warnings_of(&reports, "latin1")
    );
    assert!(warnings_of(&reports, "utf16").iter().any(|w| w.contains("UTF-16")));
    assert_eq!(found_by(&marker("deepest"), c.index()), BTreeSet::from(["nested".to_string()]), "the deepest item");
    let groups: Vec<&Value> = reports.iter().filter(|r| r["group"].as_u64() == Some(c.claimed_group)).collect();
    assert!(groups.len() >= 2, "both reports claiming group {} are kept", c.claimed_group);

    // A raised file cap takes in the 50 MB report; only the first 256 KB of its log is indexed.
    let out = run(&["ingest", c.root(), "--index", c.index(), "--max-file-mb", "60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_skipped_exactly(&stderr, &c.root, &bad_files(&c, 60));
    assert!(stderr.contains(&format!("1 added, 0 changed, 0 removed, {} unchanged", good_ids.len())), "{stderr}");
    let cut = format!("cohort: cut {}/huge/README.md: line ", c.root.display());
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&cut) && l.contains("KB, over the 256 KB limit") && l.contains("--max-answer-kb")),
        "{stderr}"
    );
    let reports = listed(c.index());
    assert!(warnings_of(&reports, "huge").iter().any(|w| w.contains("only its first 256 KB is indexed")));
    assert_eq!(found_by(&marker("hugestart"), c.index()), BTreeSet::from(["huge".to_string()]));
    assert!(found_by(&marker("hugeend"), c.index()).is_empty(), "the end of the log is past the answer cap");

    // A raised answer cap re-reads what was cut and keeps it whole.
    let out = run(&["ingest", c.root(), "--index", c.index(), "--max-file-mb", "60", "--max-answer-kb", "100000"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("cohort: cut "), "nothing is over a 100 MB answer cap:\n{stderr}");
    assert_eq!(found_by(&marker("hugeend"), c.index()), BTreeSet::from(["huge".to_string()]));
    assert!(!warnings_of(&listed(c.index()), "huge").iter().any(|w| w.contains("--max-answer-kb")));
}

#[test]
fn parse_reports_every_bad_file_and_prints_the_rest() {
    let c = hostile_corpus();
    let out = run(&["parse", c.root(), "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_skipped_exactly(&stderr, &c.root, &bad_files(&c, 20));
    let printed = json_lines(&String::from_utf8_lossy(&out.stdout));
    let expected: BTreeSet<String> = c.good.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids(&printed), expected);

    // Named explicitly, a FIFO is reported rather than opened (which would wait for a writer forever).
    if c.fifo {
        let fifo = c.root.join("fifo/README.md");
        let out = run(&["parse", fifo.to_str().expect("path"), "--json"]);
        assert!(!out.status.success(), "no report in a FIFO");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("{}: not a regular file", fifo.display())), "{stderr}");
    }
}

/// Searches and listings started while an ingest runs see the old index or the new one, whole, and never fail;
/// including around the moment the new generation goes live.
#[test]
fn searches_answer_throughout_an_ingest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    let index = dir.path().join("index");
    let index_s = index.to_str().expect("path");
    write_cohort(&first, &CohortSpec { seed: 61, reports: 30, ..Default::default() }).expect("generate");
    write_cohort(&second, &CohortSpec { seed: 62, reports: 300, ..Default::default() }).expect("generate");
    run_ok(&["ingest", first.to_str().expect("path"), "--index", index_s]);
    let hits = |out: &str| -> BTreeSet<(String, String)> {
        json_lines(out)
            .iter()
            .map(|h| (h["id"].as_str().expect("id").into(), h["question"].as_str().expect("q").into()))
            .collect()
    };
    let search = ["search", "docker", "--json", "--limit", "100000", "--index", index_s];
    let before_hits = hits(&run_ok(&search));
    let before_count = listed(index_s).len();
    assert!(!before_hits.is_empty());

    let exe = assert_cmd::cargo::cargo_bin("cohort");
    let mut child = std::process::Command::new(exe)
        .args(["ingest", second.to_str().expect("path"), "--index", index_s])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut seen_hits = Vec::new();
    let mut seen_counts = Vec::new();
    let status = loop {
        seen_hits.push(hits(&run_ok(&search)));
        seen_counts.push(listed(index_s).len());
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
    };
    assert!(status.success(), "the ingest completes");
    let after_hits = hits(&run_ok(&search));
    let after_count = listed(index_s).len();
    assert_eq!(after_count, 330);
    assert!(after_hits.len() > before_hits.len());
    for (k, h) in seen_hits.iter().enumerate() {
        assert!(*h == before_hits || *h == after_hits, "search {k} saw a half-built index ({} hits)", h.len());
    }
    for n in &seen_counts {
        assert!(*n == before_count || *n == after_count, "a listing saw {n} reports");
    }
    println!("{} searches while the ingest ran", seen_hits.len());
}
