//! `cohort dupes` end to end on handwritten reports whose answers are random prose (so no two share a passage
//! unless a test puts it there): each kind of copy is found and nothing else, common and template text are not
//! evidence, short answers are skipped, `--against` compares with earlier cohorts only, a group's two versions are
//! flagged, the HTML page escapes report text, `--show` marks the shared passages, and an index gives what the
//! folders give.

use cohort::synth::Rng;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::{cohort, json_lines, run_ok};

/// Words for random prose, in our own choosing.
const VOCABULARY: &[&str] = &[
    "pipeline",
    "container",
    "model",
    "dataset",
    "bucket",
    "trigger",
    "service",
    "endpoint",
    "latency",
    "request",
    "image",
    "layer",
    "weights",
    "checkpoint",
    "sweep",
    "config",
    "seed",
    "metric",
    "loss",
    "accuracy",
    "batch",
    "epoch",
    "gradient",
    "optimizer",
    "scheduler",
    "registry",
    "workflow",
    "runner",
    "cache",
    "branch",
    "merge",
    "review",
    "linting",
    "formatter",
    "typing",
    "docstring",
    "profiler",
    "bottleneck",
    "dataloader",
    "worker",
    "shard",
    "replica",
    "cluster",
    "node",
    "region",
    "quota",
    "budget",
    "credit",
    "invoice",
    "alert",
    "dashboard",
    "panel",
    "trace",
    "log",
    "sink",
    "exporter",
    "probe",
    "health",
    "readiness",
    "deploy",
    "rollback",
    "canary",
    "traffic",
    "payload",
    "schema",
    "validation",
    "drift",
    "monitor",
    "baseline",
    "threshold",
    "quantile",
    "histogram",
    "embedding",
    "tokenizer",
    "vocabulary",
    "transformer",
    "encoder",
    "decoder",
    "attention",
    "head",
    "dropout",
    "augmentation",
    "crop",
    "rotation",
    "label",
    "annotation",
    "split",
    "fold",
    "holdout",
    "benchmark",
    "throughput",
    "memory",
    "disk",
    "volume",
    "mount",
    "secret",
    "token",
    "permission",
    "role",
    "account",
    "project",
    "team",
    "meeting",
    "sprint",
    "ticket",
    "issue",
    "commit",
    "release",
    "tag",
    "version",
    "artifact",
    "report",
    "figure",
    "diagram",
    "arrow",
    "box",
    "frontend",
    "backend",
    "browser",
    "upload",
    "download",
    "archive",
    "compress",
    "quickly",
    "slowly",
    "carefully",
    "rarely",
    "often",
    "again",
    "together",
    "separately",
    "finally",
    "green",
    "orange",
    "purple",
    "silver",
    "wooden",
    "glass",
    "paper",
    "river",
    "mountain",
    "harbour",
    "lantern",
];

/// `sentences` random sentences of 8 to 15 words.
fn prose(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| {
            let n = rng.range(8, 16);
            let words: Vec<&str> = (0..n).map(|_| rng.pick(VOCABULARY)).collect();
            let mut s = words.join(" ");
            s[..1].make_ascii_uppercase();
            s.push('.');
            s
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive(". ").map(|s| s.trim().to_string()).collect()
}

/// About one word in ten replaced.
fn light_edit(rng: &mut Rng, text: &str) -> String {
    text.split(' ')
        .map(|w| if rng.chance(0.1) { rng.pick(VOCABULARY).to_string() } else { w.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentences shuffled and about one word in twenty replaced.
fn reorder(rng: &mut Rng, text: &str) -> String {
    let mut s = sentences(text);
    rng.shuffle(&mut s);
    s.join(" ")
        .split(' ')
        .map(|w| if rng.chance(0.05) { rng.pick(VOCABULARY).to_string() } else { w.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Half of `source`'s sentences inserted in the middle of `own`.
fn partial(source: &str, own: &str) -> String {
    let src = sentences(source);
    let mine = sentences(own);
    let (head, tail) = mine.split_at(mine.len() / 2);
    [head, &src[..src.len() / 2], tail].concat().join(" ")
}

/// The questions the handwritten reports have: number (31-question set), key, prompt in our own words.
const QUESTIONS: &[(u32, &str, &str)] = &[
    (7, "tests", "How many tests did you implement, and what do they check?"),
    (13, "reproducibility", "How did you make sure of the reproducibility of your experiments?"),
    (16, "debugging", "How did you go about debugging when running into bugs?"),
    (29, "architecture", "Describe the overall architecture of your system."),
    (30, "struggles", "What were the biggest struggles of the project, and how did you overcome these?"),
    (31, "contributions", "Describe the individual contributions of each member."),
];

/// One handwritten report.
#[derive(Debug, Clone)]
struct Group {
    id: String,
    number: u32,
    students: Vec<String>,
    answers: BTreeMap<&'static str, String>,
}

impl Group {
    fn new(rng: &mut Rng, id: &str, number: u32) -> Group {
        let students = (0..3).map(|_| format!("s{}", 100_000 + rng.below(899_999))).collect();
        let answers = QUESTIONS.iter().map(|(_, key, _)| (*key, prose(rng, 6))).collect();
        Group { id: id.into(), number, students, answers }
    }

    fn markdown(&self) -> String {
        let mut md = String::from("# Exam report\n\n## Group information\n\n");
        md += &format!("### Question 1\n\n> **What is your group number?**\n>\n> Answer:\n\n{}\n\n", self.number);
        md += &format!(
            "### Question 2\n\n> **List the student number of every member of the group.**\n>\n> Answer:\n\n{}\n\n",
            self.students.join(", ")
        );
        for (number, key, prompt) in QUESTIONS {
            md += &format!("### Question {number}\n\n> **{prompt}**\n>\n> Answer:\n\n{}\n\n", self.answers[key]);
        }
        md
    }
}

/// Reports in a temporary folder, one folder each.
struct Cohort {
    dir: tempfile::TempDir,
    groups: Vec<Group>,
}

impl Cohort {
    fn new(seed: u64, n: usize, prefix: &str) -> Cohort {
        let mut rng = Rng::new(seed);
        let groups = (0..n).map(|i| Group::new(&mut rng, &format!("{prefix}{i:02}"), i as u32 + 1)).collect();
        Cohort { dir: tempfile::tempdir().expect("temp dir"), groups }
    }

    fn group(&mut self, id: &str) -> &mut Group {
        self.groups.iter_mut().find(|g| g.id == id).expect("a group of the fixture")
    }

    fn answer(&self, id: &str, key: &str) -> String {
        self.groups.iter().find(|g| g.id == id).expect("a group of the fixture").answers[key].clone()
    }

    fn set(&mut self, id: &str, key: &'static str, text: String) {
        self.group(id).answers.insert(key, text);
    }

    /// Writes every report and returns the folder.
    fn write(&self) -> PathBuf {
        let root = self.dir.path().join("reports");
        for g in &self.groups {
            let folder = root.join(&g.id);
            std::fs::create_dir_all(&folder).expect("create report folder");
            std::fs::write(folder.join("README.md"), g.markdown()).expect("write report");
        }
        root
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Reported pairs as (a, b, key) with a < b.
fn pair_set(rows: &[Value]) -> BTreeSet<(String, String, String)> {
    rows.iter()
        .map(|r| {
            let (a, b) = (r["a"].as_str().expect("a").to_string(), r["b"].as_str().expect("b").to_string());
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            (a, b, r["key"].as_str().expect("key").to_string())
        })
        .collect()
}

fn triple(a: &str, b: &str, key: &str) -> (String, String, String) {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    (a.to_string(), b.to_string(), key.to_string())
}

fn dupes_json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["dupes", "--json"];
    all.extend_from_slice(args);
    json_lines(&run_ok(&all))
}

#[test]
fn every_kind_of_copy_is_found_and_nothing_else() {
    let mut c = Cohort::new(1, 14, "g");
    let mut rng = Rng::new(99);
    let src = c.answer("g00", "tests");
    c.set("g01", "tests", src);
    let src = c.answer("g02", "debugging");
    c.set("g03", "debugging", light_edit(&mut rng, &src));
    let src = c.answer("g04", "architecture");
    c.set("g05", "architecture", reorder(&mut rng, &src));
    // A copied half inside an answer twice as long as the source: Jaccard stays low, containment does not.
    let src = c.answer("g06", "struggles");
    let own = prose(&mut rng, 12);
    c.set("g07", "struggles", partial(&src, &own));
    let root = c.write();

    let rows = dupes_json(&[path(&root)]);
    let want: BTreeSet<_> = [
        triple("g00", "g01", "tests"),
        triple("g02", "g03", "debugging"),
        triple("g04", "g05", "architecture"),
        triple("g06", "g07", "struggles"),
    ]
    .into();
    assert_eq!(pair_set(&rows), want, "{rows:#?}");
    let by_key = |k: &str| rows.iter().find(|r| r["key"] == k).expect("pair of that question");
    for r in &rows {
        for field in ["a", "b", "question", "similarity", "shared_words", "containment", "jaccard", "kind"] {
            assert!(!r[field].is_null(), "{field} missing in {r}");
        }
        assert_eq!(r["same_group"], false);
    }
    let exact = by_key("tests");
    assert_eq!(exact["kind"], "exact");
    assert_eq!(exact["similarity"], 1.0);
    assert_eq!(exact["question"], "tests", "the question's key, as in every command's JSON");
    assert_eq!(exact["question_number"], 7, "the question's number as the reports write it");
    let part = by_key("struggles");
    assert_eq!(part["kind"], "partial");
    let (cont, jac) = (part["containment"].as_f64().expect("number"), part["jaccard"].as_f64().expect("number"));
    assert!(cont > 2.0 * jac, "containment {cont} should stand well above Jaccard {jac} for a copied half");
    // Most similar first.
    let sims: Vec<f64> = rows.iter().map(|r| r["similarity"].as_f64().expect("number")).collect();
    assert!(sims.windows(2).all(|w| w[0] >= w[1]), "{sims:?}");
}

/// A boilerplate paragraph of our own, 30 words.
fn boilerplate() -> String {
    "Our group agreed early that every change goes through a pull request with one reviewer and that the main branch \
     must always build and pass the full suite of checks before merging."
        .to_string()
}

#[test]
fn passages_in_many_reports_are_common_text_not_evidence() {
    let mut c = Cohort::new(2, 12, "g");
    // The same paragraph put in front of eight groups' own answers: more than the default cutoff of reports.
    for i in 0..8 {
        let id = format!("g{i:02}");
        let own = c.answer(&id, "contributions");
        c.set(&id, "contributions", format!("{} {own}", boilerplate()));
    }
    // A real copy among them is still found: its own text is evidence, the paragraph is not.
    let src = c.answer("g00", "contributions");
    c.set("g10", "contributions", src);
    let root = c.write();

    let rows = dupes_json(&[path(&root)]);
    assert_eq!(pair_set(&rows), [triple("g00", "g10", "contributions")].into(), "{rows:#?}");
    // With the cutoff above eight reports, the paragraph is evidence again and links the eight groups.
    let rows = dupes_json(&[path(&root), "--common", "10", "--min-similarity", "0.2"]);
    let pairs = pair_set(&rows);
    assert!(pairs.contains(&triple("g01", "g02", "contributions")), "{pairs:?}");
    assert!(pairs.len() >= 28, "all pairs of the eight groups: {pairs:?}");
}

#[test]
fn base_files_mask_template_text() {
    let mut c = Cohort::new(3, 8, "g");
    // Example text of a template pasted into three answers: few enough reports to count as a copy ...
    for id in ["g01", "g02", "g03"] {
        let own = c.answer(id, "reproducibility");
        c.set(id, "reproducibility", format!("{} {own}", boilerplate()));
    }
    let root = c.write();
    let rows = dupes_json(&[path(&root)]);
    assert_eq!(pair_set(&rows).len(), 3, "{rows:#?}");
    // ... unless a --base file holds it.
    let base = c.dir.path().join("template.md");
    std::fs::write(&base, format!("# Template\n\n> Example: *{}*\n", boilerplate())).expect("write base");
    let rows = dupes_json(&[path(&root), "--base", path(&base)]);
    assert!(rows.is_empty(), "{rows:#?}");
}

#[test]
fn short_answers_are_not_compared() {
    let mut c = Cohort::new(4, 6, "g");
    let short =
        "We profiled the dataloader with cProfile and found the image decoding was the slowest part of every batch.";
    assert!(short.split_whitespace().count() < 25);
    c.set("g01", "debugging", short.to_string());
    c.set("g02", "debugging", short.to_string());
    let root = c.write();
    assert!(dupes_json(&[path(&root)]).is_empty());
    let rows = dupes_json(&[path(&root), "--min-words", "10", "--min-shared-words", "10"]);
    assert_eq!(pair_set(&rows), [triple("g01", "g02", "debugging")].into());
}

#[test]
fn against_compares_with_earlier_cohorts_but_not_among_them() {
    let mut now = Cohort::new(5, 5, "new");
    let mut old = Cohort::new(6, 5, "old");
    // This year copies last year; two of last year's groups copied each other; two of this year's did too.
    let src = old.answer("old00", "architecture");
    now.set("new00", "architecture", src);
    let src = old.answer("old01", "struggles");
    old.set("old02", "struggles", src);
    let src = now.answer("new01", "tests");
    now.set("new02", "tests", src);
    let (now_root, old_root) = (now.write(), old.write());

    let rows = dupes_json(&[path(&now_root), "--against", path(&old_root)]);
    assert_eq!(
        pair_set(&rows),
        [triple("new00", "old00", "architecture"), triple("new01", "new02", "tests")].into(),
        "{rows:#?}"
    );
    let earlier = rows.iter().find(|r| r["key"] == "architecture").expect("the copy from last year");
    assert_eq!(
        (earlier["a"].as_str(), earlier["b"].as_str()),
        (Some("new00"), Some("old00")),
        "this year's report first"
    );

    // An index of the earlier cohort serves as well as its folder.
    let index = old.dir.path().join("index");
    run_ok(&["ingest", path(&old_root), "--index", path(&index)]);
    let from_index = dupes_json(&[path(&now_root), "--against", path(&index)]);
    assert_eq!(pair_set(&from_index), pair_set(&rows));
}

#[test]
fn two_versions_of_a_group_are_flagged_not_called_copying() {
    let mut c = Cohort::new(7, 6, "g");
    let mut second = c.groups[1].clone();
    second.id = "g01-resubmitted".into();
    second.answers.insert("struggles", prose(&mut Rng::new(70), 6));
    c.groups.push(second);
    let src = c.answer("g03", "tests");
    c.set("g04", "tests", src);
    let root = c.write();

    let rows = dupes_json(&[path(&root)]);
    let (same, other): (Vec<&Value>, Vec<&Value>) = rows.iter().partition(|r| r["same_group"] == true);
    let same_pairs: BTreeSet<_> =
        same.iter().map(|r| (r["a"].as_str().map(str::to_string), r["b"].as_str().map(str::to_string))).collect();
    assert_eq!(same.len(), QUESTIONS.len() - 1, "every unchanged answer of the resubmission: {rows:#?}");
    assert_eq!(same_pairs.len(), 1);
    assert!(same_pairs.iter().all(|(a, b)| a.as_deref().is_some_and(|a| a.starts_with("g01"))
        && b.as_deref().is_some_and(|b| b.starts_with("g01"))));
    assert_eq!(pair_set(&other.into_iter().cloned().collect::<Vec<_>>()), [triple("g03", "g04", "tests")].into());
    let table = run_ok(&["dupes", path(&root)]);
    assert!(table.contains("same group"), "{table}");
}

#[test]
fn html_page_escapes_report_text_and_marks_shared_passages() {
    let mut c = Cohort::new(8, 5, "g");
    let hostile = format!(
        "{} <script>alert(1)</script> and then \"><img src=x onerror=alert(1)> {}",
        prose(&mut Rng::new(80), 3),
        prose(&mut Rng::new(81), 3)
    );
    c.set("g01", "struggles", hostile.clone());
    c.set("g02", "struggles", hostile);
    let root = c.write();
    let page_path = c.dir.path().join("pairs.html");
    let rows = dupes_json(&[path(&root), "--html", path(&page_path)]);
    assert_eq!(rows.len(), 1);
    let page = std::fs::read_to_string(&page_path).expect("the page");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"), "a script tag from a report reached the page");
    assert!(!page.contains("<img"), "an img tag from a report reached the page");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("<mark>"), "shared passages are highlighted");
    assert!(!page.contains("http"), "self-contained: nothing is fetched");
    assert!(page.contains("g01") && page.contains("g02"));
}

#[test]
fn show_prints_both_answers_with_the_shared_passages_marked() {
    let mut c = Cohort::new(9, 4, "g");
    let mut rng = Rng::new(90);
    let src = c.answer("g00", "architecture");
    let own = prose(&mut rng, 8);
    c.set("g02", "architecture", partial(&src, &own));
    let root = c.write();
    let out = run_ok(&["dupes", path(&root), "--show", "g02", "g00", "--question", "architecture", "--width", "100"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("== architecture: containment"), "{out}");
    assert!(lines[1].starts_with("g02") && lines[1].contains("│ g00"), "A on the left as asked: {out}");
    assert!(out.contains("[[") && out.contains("]]"), "{out}");
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{out}");
    // The first words of the copied half stand marked on both sides.
    let first_copied = sentences(&src)[0].split(' ').next().expect("a word").to_string();
    assert!(out.contains(&format!("[[{first_copied}")), "{out}");
    // Without --question: the questions where the pair is reported, and only those.
    let out = run_ok(&["dupes", path(&root), "--show", "g00", "g02"]);
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headers.len(), 1, "{out}");
    assert!(headers[0].starts_with("== architecture"), "{out}");
    // A pair that shares nothing is shown unmarked.
    let out = run_ok(&["dupes", path(&root), "--show", "g00", "g01", "--question", "tests"]);
    assert!(out.contains("no shared passages") && !out.contains("[["), "{out}");
}

#[test]
fn an_index_gives_what_the_folders_give() {
    let mut c = Cohort::new(10, 8, "g");
    let mut rng = Rng::new(100);
    let src = c.answer("g00", "debugging");
    c.set("g05", "debugging", light_edit(&mut rng, &src));
    let src = c.answer("g02", "contributions");
    c.set("g06", "contributions", src);
    let root = c.write();
    let index = c.dir.path().join("index");
    run_ok(&["ingest", path(&root), "--index", path(&index)]);
    let from_folders = dupes_json(&[path(&root)]);
    let from_index = dupes_json(&["--index", path(&index)]);
    assert_eq!(from_folders.len(), 2);
    assert_eq!(from_index, from_folders);
}

#[test]
fn bad_options_are_refused_with_a_reason() {
    let c = Cohort::new(11, 2, "g");
    let root = c.write();
    for (args, says) in [
        (vec!["--min-similarity", "1.5"], "between 0 and 1"),
        (vec!["--common", "1"], "at least 2"),
        (vec!["--question", "nonsense"], "unknown question key"),
        (vec!["--show", "g00", "nobody"], "no report with id"),
    ] {
        let mut all = vec!["dupes", path(&root)];
        all.extend(args);
        let out = cohort().args(&all).output().expect("run");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{all:?}: {err}");
    }
}

#[test]
fn containment_and_jaccard_are_exact_counts_of_shared_shingles() {
    use cohort::domain::AnswerKey;
    use cohort::dupes::{find, Corpus, ReportMeta, Settings, ShingleSet};
    let words = |range: std::ops::Range<usize>| range.map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
    let meta = |id: &str, group: u32| ReportMeta {
        id: id.into(),
        cohort: "2026".into(),
        group: Some(group),
        students: vec![],
        earlier: false,
    };
    let mut corpus = Corpus::default();
    // A: 40 words. B: 30 words of its own around A's first 20. C: unrelated.
    corpus.add(meta("a", 1), [(AnswerKey::Struggles, Some(30), words(0..40).as_str())]);
    let b = format!("{} {} {}", words(100..115), words(0..20), words(115..130));
    corpus.add(meta("b", 2), [(AnswerKey::Struggles, Some(30), b.as_str())]);
    corpus.add(meta("c", 3), [(AnswerKey::Struggles, Some(30), words(200..240).as_str())]);
    let settings = Settings { min_words: 10, ..Settings::DEFAULT };
    let out = find(&corpus, &ShingleSet::default(), &settings, None, 2);
    assert_eq!(out.pairs.len(), 1);
    let p = &out.pairs[0];
    // 5-word shingles: A has 36, B has 46, they share the 16 inside A's first 20 words.
    assert_eq!(p.shared_shingles, 16);
    assert!((p.containment - 16.0 / 36.0).abs() < 1e-12, "{}", p.containment);
    assert!((p.jaccard - 16.0 / (36.0 + 46.0 - 16.0)).abs() < 1e-12, "{}", p.jaccard);
    assert_eq!(p.shared_words, 20);
    assert_eq!(p.longest, 20);
    let spans = |v: &[std::ops::Range<usize>]| v.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>();
    assert_eq!((spans(&p.passages_a), spans(&p.passages_b)), (vec![(0, 20)], vec![(15, 35)]));
    // The same pair when a third and fourth report hold the shared words too: still under the cutoff of 5 ...
    for (id, g) in [("d", 4), ("e", 5), ("f", 6)] {
        corpus.add(
            meta(id, g),
            [(
                AnswerKey::Struggles,
                Some(30),
                format!("{} {}", words(0..20), words(300 + 50 * g as usize..320 + 50 * g as usize)).as_str(),
            )],
        );
    }
    assert!(find(&corpus, &ShingleSet::default(), &settings, None, 1).pairs.iter().any(|p| p.shared_shingles == 16));
    // ... and common text once a sixth report holds them: nothing is shared any more.
    corpus.add(meta("g", 7), [(AnswerKey::Struggles, Some(30), words(0..20).as_str())]);
    let out = find(&corpus, &ShingleSet::default(), &settings, None, 1);
    assert!(out.pairs.is_empty(), "{:?}", out.pairs.iter().map(|p| (p.a, p.b)).collect::<Vec<_>>());
    assert_eq!(out.common_shingles, 16);
}
