//! Conformance with the real reports in `../shared/corpus` (skipped, with a message, when the corpus is absent).
//!
//! - (a) The checklist: an independent reading written here (a plain line scan over the raw file with its own small
//!   keyword table, sharing no code or phrase table with the parser) must give the same set of (item id, done) for
//!   every report.
//! - (b) The question set and checklist generation: the question set follows the date the report last changed
//!   (`meta.json`), the generation follows the number of items the independent reading finds; the few reports where
//!   neither rule settles it are listed by hand with the reason.
//! - (c) Every answered question is keyed; the only unkeyed answers are questions a group added, and they are warned
//!   about. Keys agree with the heading numbers (no corpus report renumbers), which catches a wrong key.
//! - (d) Discovery finds exactly one report per corpus folder.
//!
//! Every check prints all its mismatches before failing.

use cohort::discover::{discover, Found, Limits};
use cohort::domain::template::template_number;
use cohort::domain::{ChecklistGeneration, QuestionSet, WarningKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent (the shared corpus is not part of the repo)", dir.display());
        None
    }
}

/// The corpus read once for every test in this file.
struct Corpus {
    dir: PathBuf,
    /// Folder names (one group each), sorted.
    folders: Vec<String>,
    found: Vec<Found>,
    problems: Vec<String>,
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let dir = corpus_dir()?;
            let mut folders: Vec<String> = std::fs::read_dir(&dir)
                .expect("corpus folder is readable")
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            folders.sort();
            let (found, problems) = discover(std::slice::from_ref(&dir), Limits::default());
            let problems = problems.iter().map(ToString::to_string).collect();
            Some(Corpus { dir, folders, found, problems })
        })
        .as_ref()
}

impl Corpus {
    fn report(&self, folder: &str) -> Option<&Found> {
        self.found.iter().find(|f| f.id == folder)
    }

    fn raw(&self, folder: &str) -> String {
        let bytes = std::fs::read(self.dir.join(folder).join("README.md")).expect("README.md is readable");
        // Our own minimal decoding: the corpus is UTF-8; a BOM and CR are not content.
        let text = String::from_utf8_lossy(&bytes);
        text.trim_start_matches('\u{FEFF}').replace("\r\n", "\n").replace('\r', "\n")
    }

    fn meta(&self, folder: &str) -> Value {
        let text = std::fs::read_to_string(self.dir.join(folder).join("meta.json")).expect("meta.json is readable");
        serde_json::from_str(&text).expect("meta.json is JSON")
    }
}

/// Fails with every mismatch listed.
fn report_mismatches(what: &str, checked: usize, mismatches: &[String]) {
    println!("{what}: {checked} reports checked, {} mismatches", mismatches.len());
    for m in mismatches {
        println!("  {m}");
    }
    assert!(mismatches.is_empty(), "{what}: {} of {checked} reports disagree (listed above)", mismatches.len());
}

// ---------------------------------------------------------------------------------------------------------------
// (a) An independent reading of the checklist
// ---------------------------------------------------------------------------------------------------------------

/// Keyword → canonical id, tried in order; the first keyword found in the item's lower-cased text wins. Items that
/// mention another item's words come before it (the drift API before drift robustness, API tests before CI, ...).
const KEYWORDS: &[(&str, &[&str])] = &[
    ("io-collection", &["input-output", "input output"]),
    ("drift-api", &["drift detection"]),
    ("drift-robustness", &["drifting", "data drift"]),
    ("write-access", &["write access"]),
    ("git-repo", &["git repo"]),
    ("requirements", &["requirements", "uv.lock"]),
    ("environment", &["environment"]),
    ("cookiecutter", &["cookiecutter", "cookie cutter"]),
    ("data-script", &["make_dataset", "data.py", "downloads"]),
    ("tests-data", &["data part"]),
    ("tests-model", &["model construction"]),
    ("model-train", &["model.py", "train.py", "training procedure", "model file", "training script"]),
    ("pep8", &["pep8", "coding practices"]),
    ("typing-docs", &["typing"]),
    ("data-versioning", &["version control for your data", "version control of your data"]),
    ("cli", &["command line"]),
    ("docker-build", &["build the docker"]),
    ("dockerfiles", &["docker file", "dockerfile"]),
    ("hydra", &["hydra"]),
    ("config-files", &["configuration"]),
    ("profiling", &["profil"]),
    // CL-2023's W&B item also suggests a sweep: it is the W&B item (CHECKLIST.md).
    ("wandb", &["weights & biases", "weights and biases", "wandb"]),
    ("logging", &["logging"]),
    ("sweep", &["sweep"]),
    ("lightning", &["lightning"]),
    ("coverage", &["coverage"]),
    ("ci-matrix-caching", &["caching"]),
    ("ci-linting", &["linting"]),
    ("api-tests", &["api test"]),
    ("ci", &["continuous integration"]),
    ("pre-commit", &["pre-commit"]),
    ("cml-data-trigger", &["data changes"]),
    ("cml-registry-trigger", &["model registry"]),
    ("gcp-bucket", &["bucket"]),
    ("build-trigger", &["trigger workflow", "building your docker"]),
    ("cloud-training", &["vertex"]),
    ("fastapi", &["fastapi"]),
    ("torchserve", &["torchserve"]),
    ("cloud-deploy", &["deploy your model"]),
    ("load-test", &["load test"]),
    ("onnx-bentoml", &["onnx", "bentoml"]),
    ("frontend", &["frontend"]),
    ("system-metrics", &["system metrics", "telemetry"]),
    ("cloud-monitoring", &["cloud monitoring", "performance of your deployed"]),
    ("alerts", &["alert"]),
    ("distributed-data", &["distributed data"]),
    ("distributed-training", &["distributed training", "distributed model training"]),
    ("quantization", &["quantization"]),
    ("docs-publish", &["publish"]),
    ("docs-write", &["documentation"]),
    ("revisit", &["revisit"]),
    ("architecture-diagram", &["architectur"]),
    ("understanding", &["understanding"]),
    ("upload-code", &["uploaded all", "upload all"]),
];

fn keyword_id(text: &str) -> String {
    let t = text.to_lowercase().replace(['`', '*'], "");
    KEYWORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| t.contains(w)))
        .map_or_else(|| "?".to_string(), |(id, _)| (*id).to_string())
}

/// One checklist line as this reading sees it: the mark and the text after it.
fn tick_line(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    // An optional list bullet or number.
    let t = t
        .strip_prefix(['*', '-', '+'])
        .or_else(|| {
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (digits > 0).then(|| t[digits..].strip_prefix(['.', ')'])).flatten()
        })
        .unwrap_or(t)
        .trim_start();
    // A bare ✅ / ❌ after a bullet, no brackets.
    for emoji in ['✅', '❌'] {
        if let Some(rest) = t.strip_prefix(emoji) {
            if line.trim_start().starts_with(['*', '-', '+']) {
                return Some((emoji.to_string(), rest.trim().to_string()));
            }
        }
    }
    // `[mark]`, possibly inside parentheses: `([X])`.
    let (t, paren) = match t.strip_prefix('(') {
        Some(r) => (r, true),
        None => (t, false),
    };
    let inner = t.strip_prefix('[')?;
    let close = inner.find(']')?;
    let mark = &inner[..close];
    if mark.chars().count() > 12 {
        return None;
    }
    let mut rest = &inner[close + 1..];
    if paren {
        rest = rest.strip_prefix(')')?;
    }
    // `[text](url)` is a link.
    if rest.starts_with('(') {
        return None;
    }
    Some((mark.to_string(), rest.trim().to_string()))
}

/// Only a plain done mark is done (issue 16): a blank or a cross is not, and neither is a partial (`[~]`, `[50%]`)
/// or unclear (`[?]`, `[-]`, `[%]`) mark.
fn is_done(mark: &str) -> bool {
    let m = mark.trim().trim_matches(['(', ')']).trim().to_lowercase();
    matches!(m.as_str(), "x" | "y" | "yes" | "ok" | "check" | "done")
        || m.chars().any(|c| matches!(c, '✅' | '✔' | '☑' | '✓'))
}

/// The checklist items as (id, done), read line by line from the raw file. Items in order, duplicates kept.
fn independent_checklist(text: &str) -> Vec<(String, bool)> {
    let mut items = Vec::new();
    let mut inside = false;
    let mut open: Option<(String, String)> = None;
    let flush = |open: &mut Option<(String, String)>, items: &mut Vec<(String, bool)>| {
        if let Some((mark, text)) = open.take() {
            // A legend ("- [x] = done") explains the marks.
            if !text.starts_with(['=', ':']) {
                items.push((keyword_id(&text), is_done(&mark)));
            }
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            // Any heading ends the item before it; a level-1/2 heading that is not a week, or a question, ends the
            // checklist.
            flush(&mut open, &mut items);
            let level = t.chars().take_while(|&c| c == '#').count();
            let title = t.trim_start_matches('#').trim().to_lowercase();
            let week = ["week", "extra", "additional"].iter().any(|w| title.starts_with(w));
            if title.contains("checklist") {
                inside = true;
            } else if title.contains("question") || (level <= 2 && !week) {
                inside = false;
            }
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(item) = tick_line(line) {
            flush(&mut open, &mut items);
            open = Some(item);
        } else if t.is_empty() || t.starts_with(['*', '-', '+']) {
            flush(&mut open, &mut items);
        } else if let Some((_, text)) = open.as_mut() {
            // A wrapped item goes on over the next line.
            text.push(' ');
            text.push_str(t);
        }
    }
    flush(&mut open, &mut items);
    items
}

#[test]
fn checklist_matches_an_independent_reading() {
    let Some(c) = corpus() else { return };
    let mut mismatches = Vec::new();
    let mut checked = 0;
    let mut items_seen = 0;
    for folder in &c.folders {
        let Some(found) = c.report(folder) else { continue };
        checked += 1;
        let mine: BTreeSet<(String, bool)> = independent_checklist(&c.raw(folder)).into_iter().collect();
        let theirs: BTreeSet<(String, bool)> = found
            .report
            .checklist
            .iter()
            .map(|i| (i.id.map_or_else(|| "?".to_string(), |id| id.as_str().to_string()), i.done))
            .collect();
        items_seen += mine.len();
        if mine != theirs {
            let only_mine: Vec<_> = mine.difference(&theirs).collect();
            let only_theirs: Vec<_> = theirs.difference(&mine).collect();
            mismatches.push(format!("{folder}: independent reading only {only_mine:?}; parser only {only_theirs:?}"));
        }
    }
    println!("checklist: {items_seen} distinct (item, done) pairs compared");
    report_mismatches("checklist (id, done)", checked, &mismatches);
    assert_eq!(checked, c.folders.len(), "every folder has a report (see the discovery test)");
}

// ---------------------------------------------------------------------------------------------------------------
// (b) Question set and checklist generation
// ---------------------------------------------------------------------------------------------------------------

/// Reports the date rule or the item-count rule cannot settle, checked by hand.
/// (folder, question set, generation, why)
const BY_HAND: &[(&str, QuestionSet, ChecklistGeneration, &str)] = &[
    // No commit date in meta.json (the repositories are gone); the files carry the Jekyll front matter of the
    // pre-2024-10 templates, 27 `### Question` headings with deployment at 22, and the 36-item list.
    (
        "AndroCrunch__MLOps_PortfolioOptimization",
        QuestionSet::Q27,
        ChecklistGeneration::Cl2023,
        "no date; old template",
    ),
    ("madiistvan__ml_ops", QuestionSet::Q27, ChecklistGeneration::Cl2023, "no date; old template"),
    // A repository created in May 2025 from a 2023/24 project: front matter, 27 questions, 36 items.
    (
        "fabiennegr__dtu_mlops_seabed_object_classification",
        QuestionSet::Q27,
        ChecklistGeneration::Cl2023,
        "2025-05 re-upload of an old project",
    ),
    // The group deleted four Week 1 items of the 52 (requirements, pep8, typing, CLI: 48 left); the module tags and
    // the 2025-only items that remain (logging, sweep, pre-commit, ...) make it CL-2025.
    ("Sunray0466__Project-MLOps", QuestionSet::Q31, ChecklistGeneration::Cl2025, "items deleted from CL-2025"),
    // The data version control item deleted (51 left), tags kept.
    (
        "Meinert67__mlops_project_fiftysix",
        QuestionSet::Q31,
        ChecklistGeneration::Cl2025,
        "an item deleted from CL-2025",
    ),
];

fn set_by_date(last_changed: &str) -> Option<QuestionSet> {
    match last_changed.get(..7)? {
        "2025-01" | "2026-01" => Some(QuestionSet::Q31),
        ym if ym.starts_with("2023-") || ym.starts_with("2024-") => Some(QuestionSet::Q27),
        _ => None,
    }
}

fn generation_by_count(items: &[(String, bool)]) -> Option<ChecklistGeneration> {
    let distinct: BTreeSet<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
    match distinct.len() {
        0 => Some(ChecklistGeneration::None),
        36 if !distinct.contains("cli") => Some(ChecklistGeneration::Cl2023),
        52 if !distinct.contains("io-collection") && !distinct.contains("torchserve") => {
            Some(ChecklistGeneration::Cl2025)
        }
        53 if distinct.contains("io-collection") => Some(ChecklistGeneration::Cl2026),
        _ => None,
    }
}

#[test]
fn question_set_and_generation_are_right() {
    let Some(c) = corpus() else { return };
    let mut mismatches = Vec::new();
    let mut checked = 0;
    let mut tally: BTreeMap<(String, String), usize> = BTreeMap::new();
    for folder in &c.folders {
        let Some(found) = c.report(folder) else { continue };
        checked += 1;
        let r = &found.report;
        let items = independent_checklist(&c.raw(folder));
        let hand = BY_HAND.iter().find(|h| h.0 == folder);
        let meta = c.meta(folder);
        let date = meta["report_last_changed"].as_str().unwrap_or("");
        let (set, generation) = match hand {
            Some(&(_, set, generation, _)) => (Some(set), Some(generation)),
            None => (set_by_date(date), generation_by_count(&items)),
        };
        *tally.entry((r.questions.to_string(), r.generation.to_string())).or_default() += 1;
        match set {
            Some(s) if s == r.questions => {}
            Some(s) => mismatches.push(format!("{folder}: question set {} but {date:?} says {s}", r.questions)),
            None => mismatches.push(format!("{folder}: date {date:?} settles no question set; add it to BY_HAND")),
        }
        match generation {
            Some(g) if g == r.generation => {}
            Some(g) => {
                mismatches.push(format!("{folder}: generation {} but {} items say {g}", r.generation, items.len()))
            }
            None => mismatches.push(format!(
                "{folder}: {} items settle no generation (parser says {}); add it to BY_HAND",
                items.len(),
                r.generation
            )),
        }
        // A generation only exists with a template that shipped it: CL-2025/26 lists came with 31 questions.
        if matches!(r.generation, ChecklistGeneration::Cl2025 | ChecklistGeneration::Cl2026)
            && r.questions != QuestionSet::Q31
        {
            mismatches.push(format!("{folder}: {} checklist with the {} question set", r.generation, r.questions));
        }
    }
    println!("question set × generation: {tally:?}");
    report_mismatches("question set and generation", checked, &mismatches);
    // Every hand entry names a real folder (a renamed folder must not silently drop its check).
    for h in BY_HAND {
        assert!(c.folders.iter().any(|f| f == h.0), "BY_HAND names {} which is not in the corpus", h.0);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// (c) Every answered question is keyed, and keyed right
// ---------------------------------------------------------------------------------------------------------------

/// Questions a group added to the template: (folder, heading number, what it is).
const ADDED_QUESTIONS: &[(&str, u32, &str)] =
    &[("Drodriguez-9__project_mlops", 28, "a meme of the project, as an image")];

#[test]
fn every_answered_question_gets_its_key() {
    let Some(c) = corpus() else { return };
    let mut mismatches = Vec::new();
    let mut checked = 0;
    let mut answers = 0;
    for folder in &c.folders {
        let Some(found) = c.report(folder) else { continue };
        checked += 1;
        let r = &found.report;
        for a in &r.answers {
            answers += 1;
            let n = a.number.unwrap_or(0);
            match a.key {
                None if a.answered => {
                    let added = ADDED_QUESTIONS.iter().any(|&(f, num, _)| f == folder && num == n);
                    let warned = r.warnings.iter().any(|w| {
                        w.kind == WarningKind::ExtraQuestion
                            && w.line == Some(a.line)
                            && w.message.contains("not a template question")
                    });
                    if !added {
                        mismatches.push(format!("{folder}: answered question {n} (line {}) has no key", a.line));
                    } else if !warned {
                        mismatches.push(format!(
                            "{folder}: added question {n} carries no \"not a template question\" warning"
                        ));
                    }
                }
                None => mismatches.push(format!("{folder}: unanswered question {n} (line {}) has no key", a.line)),
                Some(key) => {
                    // No corpus report renumbers its questions, so a key under another number is a wrong key.
                    let expected = template_number(r.questions, key);
                    if a.number != expected {
                        mismatches.push(format!(
                            "{folder}: question {n} (line {}) keyed {key}, which is question {} of the {} template",
                            a.line,
                            expected.map_or("-".into(), |e| e.to_string()),
                            r.questions
                        ));
                    }
                }
            }
        }
        for &(f, num, what) in ADDED_QUESTIONS.iter().filter(|h| h.0 == folder) {
            if !r.answers.iter().any(|a| a.number == Some(num) && a.key.is_none()) {
                mismatches.push(format!("{f}: the added question {num} ({what}) is not read as an extra question"));
            }
        }
    }
    println!("answers: {answers} read");
    report_mismatches("answer keys", checked, &mismatches);
}

/// The hand labels' fields and the questions they are read from.
const LABELLED: &[(&str, &str)] = &[
    ("group", "group"),
    ("n_students", "students"),
    ("tests", "tests"),
    ("coverage", "coverage"),
    ("credits", "credits"),
];

#[test]
fn answered_agrees_with_the_hand_labels() {
    // A number the labeller read from an answer means the answer is there; a field the labeller marked as still
    // the placeholder means it is not.
    let Some(c) = corpus() else { return };
    let labels = std::fs::read_to_string(c.dir.join("labels.jsonl")).expect("labels.jsonl");
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for line in labels.lines().filter(|l| !l.trim().is_empty()) {
        let label: Value = serde_json::from_str(line).expect("a JSON line");
        let id = label["id"].as_str().expect("id");
        let Some(found) = c.report(id) else {
            mismatches.push(format!("{id}: labelled but not found"));
            continue;
        };
        checked += 1;
        let placeholder: Vec<&str> =
            label["placeholder"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        // Labels made before the quote-line convention (tests/data/label-conventions.toml) are not compared.
        let outdated: Vec<String> =
            crate::corpus_facts::outdated_labels().into_iter().filter(|(i, _)| i == id).flat_map(|(_, f)| f).collect();
        for &(field, key) in LABELLED {
            if outdated.iter().any(|f| f == key || f == field) {
                continue;
            }
            let answered = found.report.answers.iter().any(|a| a.key.is_some_and(|k| k.as_str() == key) && a.answered);
            // `n_students: 0` is the labeller's "none listed".
            let stated = !(label[field].is_null() || label[field] == 0);
            let still_placeholder = placeholder.contains(&key);
            if stated && !answered {
                mismatches
                    .push(format!("{id}: {field} is labelled {} but the {key} answer is not answered", label[field]));
            }
            if still_placeholder && answered {
                mismatches
                    .push(format!("{id}: the labels say {key} is still the placeholder, the parser reads an answer"));
            }
        }
    }
    report_mismatches("answered vs hand labels", checked, &mismatches);
}

// ---------------------------------------------------------------------------------------------------------------
// (d) One report per folder
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn discovery_finds_one_report_per_folder() {
    let Some(c) = corpus() else { return };
    let mut mismatches: Vec<String> = c.problems.iter().map(|p| format!("problem: {p}")).collect();
    let mut per_folder: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &c.found {
        let folder = f.relative.iter().next().and_then(|s| s.to_str()).unwrap_or("");
        per_folder.entry(folder).or_default().push(f.id.as_str());
    }
    for folder in &c.folders {
        match per_folder.get(folder.as_str()).map(Vec::as_slice) {
            Some([id]) if id == folder => {}
            Some(ids) => mismatches.push(format!("{folder}: reports {ids:?}, expected one with id {folder:?}")),
            None => mismatches.push(format!("{folder}: no report found")),
        }
    }
    for (folder, ids) in &per_folder {
        if !c.folders.iter().any(|f| f == folder) {
            mismatches.push(format!("{folder}: reports {ids:?} outside any group folder"));
        }
    }
    report_mismatches("one report per folder", c.folders.len(), &mismatches);
    assert_eq!(c.found.len(), c.folders.len());
}
