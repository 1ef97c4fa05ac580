//! Round trip: synthetic cohorts through the parser must give back the generator's ground truth.
//!
//! Structure (question set, checklist generation, ticks, answered keys, quirk warnings), facts and tool mentions
//! are separate tests, so one failing area does not hide another. Each test collects every mismatch over all
//! cohorts and fails once with a summary per check, which says more than the first panic would.

use cohort::discover::{discover, Limits};
use cohort::synth::{generate, write_cohort, Cohort, CohortSpec, Quirk, SyntheticReport, TOOL_MENTIONS};
use cohort::domain::{parse_bytes, AnswerKey, ChecklistGeneration, ChecklistId, ImageKind, Report, WarningKind};
use cohort::domain::number_words;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

const SEEDS: &[u64] = &[1, 2, 7, 42, 2024, 0xC0FFEE];
const REPORTS: usize = 60;

fn spec(seed: u64, quirks: bool) -> CohortSpec {
    CohortSpec { seed, reports: REPORTS, cohort: None, quirks }
}

/// The test cohorts, each report with a label saying where it came from: every seed with and without quirks,
/// plus one quirky cohort per course year.
fn cohorts() -> Vec<(String, SyntheticReport)> {
    let mut out = Vec::new();
    for &seed in SEEDS {
        for quirks in [false, true] {
            let label = format!("seed {seed}{}", if quirks { " +quirks" } else { "" });
            out.extend(generate(&spec(seed, quirks)).into_iter().map(|r| (label.clone(), r)));
        }
    }
    for &cohort in Cohort::ALL {
        let spec = CohortSpec { seed: 99, reports: 30, cohort: Some(cohort), quirks: true };
        out.extend(generate(&spec).into_iter().map(|r| (format!("seed 99 cohort {cohort} +quirks"), r)));
    }
    out
}

fn parse(r: &SyntheticReport) -> Report {
    let path = PathBuf::from(&r.id).join("reports").join("README.md");
    parse_bytes(&path, r.markdown.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", r.id))
}

/// Mismatches grouped by the check that found them, with the first few examples of each.
#[derive(Default)]
struct Mismatches {
    by_check: BTreeMap<&'static str, (usize, Vec<String>)>,
    reports: usize,
}

impl Mismatches {
    fn check(&mut self, check: &'static str, ok: bool, detail: impl FnOnce() -> String) {
        if !ok {
            let entry = self.by_check.entry(check).or_default();
            entry.0 += 1;
            if entry.1.len() < 4 {
                entry.1.push(detail());
            }
        }
    }

    fn same<T: PartialEq + Debug>(&mut self, check: &'static str, at: &str, expected: T, got: T) {
        let ok = expected == got;
        self.check(check, ok, || format!("{at}: expected {expected:?}, got {got:?}"));
    }

    fn assert_none(&self, what: &str) {
        if self.by_check.is_empty() {
            return;
        }
        let mut msg = format!("{what}: mismatches over {} reports\n", self.reports);
        for (check, (n, examples)) in &self.by_check {
            msg.push_str(&format!("\n{check}: {n} reports\n"));
            for e in examples {
                msg.push_str(&format!("    {e}\n"));
            }
        }
        panic!("{msg}");
    }
}

/// The keys of the first answer to each question, split by whether it is answered.
fn answered_keys(p: &Report) -> (BTreeSet<AnswerKey>, BTreeSet<AnswerKey>) {
    let mut seen = BTreeSet::new();
    let (mut yes, mut no) = (BTreeSet::new(), BTreeSet::new());
    for a in &p.answers {
        if let Some(k) = a.key {
            if seen.insert(k) {
                if a.answered {
                    yes.insert(k);
                } else {
                    no.insert(k);
                }
            }
        }
    }
    (yes, no)
}

fn has_quirk(r: &SyntheticReport, f: impl Fn(&Quirk) -> bool) -> bool {
    r.truth.quirks.iter().any(f)
}

fn warnings(p: &Report, kind: WarningKind) -> Vec<String> {
    p.warnings.iter().filter(|w| w.kind == kind).map(|w| w.message.clone()).collect()
}

fn check_structure(m: &mut Mismatches, label: &str, r: &SyntheticReport, p: &Report) {
    let t = &r.truth;
    let at = format!("{label} {}", r.id);
    m.reports += 1;
    m.same("question set", &at, t.questions, p.questions);
    m.same("checklist generation", &at, t.generation, p.generation);

    let ticks: Vec<(Option<ChecklistId>, bool)> = p.checklist.iter().map(|i| (i.id, i.done)).collect();
    let expected: Vec<(Option<ChecklistId>, bool)> = t.ticks.iter().map(|&(id, done)| (Some(id), done)).collect();
    m.check("ticks", ticks == expected, || {
        let i = ticks.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(ticks.len().min(expected.len()));
        format!(
            "{at}: {} items parsed, {} expected; first difference at #{i}: expected {:?}, got {:?} ({:?})",
            ticks.len(),
            expected.len(),
            expected.get(i),
            ticks.get(i),
            p.checklist.get(i).map(|c| (&c.mark, &c.text))
        )
    });

    let (yes, no) = answered_keys(p);
    let t_yes: BTreeSet<AnswerKey> = t.answered.iter().copied().collect();
    let t_no: BTreeSet<AnswerKey> = t.unanswered.iter().copied().collect();
    m.check("answered keys", yes == t_yes, || {
        let lost: Vec<_> = t_yes.difference(&yes).collect();
        let extra: Vec<_> = yes.difference(&t_yes).collect();
        format!("{at}: answered in truth but not parsed {lost:?}; parsed but not in truth {extra:?}")
    });
    m.check("unanswered keys", no == t_no, || {
        let lost: Vec<_> = t_no.difference(&no).collect();
        let extra: Vec<_> = no.difference(&t_no).collect();
        format!("{at}: unanswered in truth but not parsed {lost:?}; parsed but not in truth {extra:?}")
    });

    // Each structural quirk shows as exactly its warning, and nothing else warns about structure.
    let missing = warnings(p, WarningKind::MissingQuestion);
    match t.quirks.iter().find_map(|q| if let Quirk::DeletedQuestion(k) = q { Some(*k) } else { None }) {
        Some(k) => m.check(
            "deleted question warns missing",
            missing.len() == 1 && missing[0].contains(&format!("({k})")),
            || format!("{at}: deleted {k}, missing-question warnings {missing:?}"),
        ),
        None => m.check("no missing-question warning", missing.is_empty(), || format!("{at}: {missing:?}")),
    }
    let dupes = warnings(p, WarningKind::DuplicateQuestion);
    match t.quirks.iter().find_map(|q| if let Quirk::DuplicatedQuestion(k) = q { Some(*k) } else { None }) {
        Some(k) => m.check("duplicated question warns", dupes.len() == 1 && dupes[0].contains(k.as_str()), || {
            format!("{at}: duplicated {k}, duplicate warnings {dupes:?}")
        }),
        None => m.check("no duplicate warning", dupes.is_empty(), || format!("{at}: {dupes:?}")),
    }
    let extra = warnings(p, WarningKind::ExtraQuestion);
    let want_extra = usize::from(has_quirk(r, |q| *q == Quirk::ExtraQuestion));
    m.check("extra question warns once", extra.len() == want_extra, || format!("{at}: {extra:?}"));
    for (check, kind) in [
        ("no unknown-question warning", WarningKind::UnknownQuestion),
        ("no checklist warning", WarningKind::Checklist),
        ("no structure warning", WarningKind::Structure),
    ] {
        let w = warnings(p, kind);
        m.check(check, w.is_empty(), || format!("{at}: {w:?}"));
    }

    let encoding = warnings(p, WarningKind::Encoding);
    match t.quirks.iter().find_map(|q| if let Quirk::Mojibake(k) = q { Some(*k) } else { None }) {
        Some(k) => {
            m.check("mojibake noted", encoding.iter().any(|w| w.contains("mojibake")), || {
                format!("{at}: {encoding:?}")
            });
            let md = p.answer(k).map(|a| a.markdown.clone()).unwrap_or_default();
            m.check("mojibake repaired", md.contains('\u{2014}') && !md.contains("\u{E2}\u{20AC}"), || {
                format!(
                    "{at}: answer {k}: {}",
                    md.chars().rev().take(120).collect::<String>().chars().rev().collect::<String>()
                )
            });
        }
        None => m.check("no encoding warning", encoding.is_empty(), || format!("{at}: {encoding:?}")),
    }

    if has_quirk(r, |q| *q == Quirk::Html) {
        if let Some(a) = p.answer(AnswerKey::Architecture).filter(|a| a.answered) {
            m.check("html <img> read as image", a.images.iter().any(|i| i.kind == ImageKind::Html), || {
                format!("{at}: architecture images {:?}", a.images)
            });
        }
        if let Some(a) = p.answer(AnswerKey::GcpServices).filter(|a| a.answered) {
            m.check("html table kept", a.markdown.contains("<table>"), || format!("{at}: {:?}", a.markdown));
        }
    }
    if has_quirk(r, |q| matches!(q, Quirk::DashWrapped | Quirk::BareDashLines)) {
        let wrapped: Vec<_> = p
            .answers
            .iter()
            .filter(|a| a.answered && (a.markdown.starts_with("---") || a.markdown.ends_with("---")))
            .map(|a| a.key)
            .collect();
        m.check("dash wrapper stripped", wrapped.is_empty(), || format!("{at}: still wrapped {wrapped:?}"));
    }
    if has_quirk(r, |q| *q == Quirk::RenumberedQuestions) {
        let renumbered = p
            .answers
            .iter()
            .any(|a| a.key.is_some_and(|k| a.number != cohort::domain::template::template_number(p.questions, k)));
        m.check("renumbered questions keyed by prompt", renumbered, || format!("{at}: numbers all as in the template"));
    }

    // A 2026 report without its checklist is told by its package question; without that too, it looks like 2025.
    let untellable = t.cohort == Cohort::Y2026
        && t.generation == ChecklistGeneration::None
        && !t.answered.contains(&AnswerKey::Packages)
        && !t.unanswered.contains(&AnswerKey::Packages);
    if !untellable {
        m.same("inferred cohort", &at, t.cohort.as_str(), p.inferred_cohort());
    }
}

#[test]
fn structure_round_trips() {
    let mut m = Mismatches::default();
    for (label, r) in cohorts() {
        check_structure(&mut m, &label, &r, &parse(&r));
    }
    m.assert_none("structure");
}

#[test]
fn facts_round_trip() {
    let mut m = Mismatches::default();
    for (label, r) in cohorts() {
        let p = parse(&r);
        let (t, f) = (&r.truth.facts, &p.facts);
        let at = format!("{label} {}", r.id);
        m.reports += 1;
        m.same("group", &at, t.group, f.group);
        let want: BTreeSet<&String> = t.students.iter().collect();
        let got: BTreeSet<&String> = f.students.iter().collect();
        m.same("students (distinct)", &at, want, got);
        m.same("tests", &at, t.tests, f.tests);
        let close = |a: Option<f64>, b: Option<f64>, tol: f64| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < tol,
            (None, None) => true,
            _ => false,
        };
        m.check("coverage", close(t.coverage, f.coverage, 0.05), || {
            format!("{at}: expected {:?}, got {:?}", t.coverage, f.coverage)
        });
        let credits_ok = match (t.credits, f.credits) {
            (Some(a), Some(b)) => a.unit == b.unit && (a.amount - b.amount).abs() < 0.005,
            (None, None) => true,
            _ => false,
        };
        m.check("credits", credits_ok, || {
            let sentence = p.answer(AnswerKey::Credits).map(|a| a.markdown.chars().take(160).collect::<String>());
            format!("{at}: expected {:?}, got {:?} in {sentence:?}", t.credits, f.credits)
        });
    }
    m.assert_none("facts");
}

/// The generator's own promise, independent of fact extraction: every fact in the truth is written in its answer,
/// and an answer whose fact is `None` states no number at all.
#[test]
fn truth_facts_are_stated_in_the_answers() {
    let mut m = Mismatches::default();
    for (label, r) in cohorts() {
        let p = parse(&r);
        let t = &r.truth.facts;
        let at = format!("{label} {}", r.id);
        // Lower case, whitespace collapsed (hard-wrapped answers break lines anywhere).
        let text = |k: AnswerKey| {
            let a = p.answer(k).filter(|a| a.answered)?;
            Some(a.markdown.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" "))
        };
        m.reports += 1;
        if let (Some(g), Some(md)) = (t.group, text(AnswerKey::Group)) {
            m.check("group stated", md.contains(&g.to_string()), || format!("{at}: {g} not in {md:?}"));
        }
        if let Some(md) = text(AnswerKey::Tests) {
            let ok = match t.tests {
                Some(n) => {
                    md.contains(&format!("{n} "))
                        || number_words::word(n).is_some_and(|w| n <= 20 && md.contains(&format!("{w} ")))
                }
                None => !md.chars().any(|c| c.is_ascii_digit()),
            };
            m.check("tests stated", ok, || format!("{at}: {:?} vs {md:?}", t.tests));
        }
        if let Some(md) = text(AnswerKey::Coverage) {
            let ok = match t.coverage {
                Some(c) => [format!("{c}%"), format!("{c} %"), format!("{c} percent")].iter().any(|s| md.contains(s)),
                None => !md.chars().any(|c| c.is_ascii_digit()),
            };
            m.check("coverage stated", ok, || format!("{at}: {:?} vs {md:?}", t.coverage));
        }
        if let Some(md) = text(AnswerKey::Credits) {
            let ok = match t.credits {
                // Per-member amounts are summed, so only a single stated amount can be looked for verbatim.
                Some(c) => md.matches(['$', '\u{20AC}']).count() > 1 || md.contains(&format!("{}", c.amount)),
                None => !md.chars().any(|c| c.is_ascii_digit()),
            };
            m.check("credits stated", ok, || format!("{at}: {:?} vs {md:?}", t.credits));
        }
    }
    m.assert_none("facts in the text");
}

/// Staff search answers for tools: a group that did an item names its tool in the matching answer, and a group
/// that did not never does (it says it did not, in other words).
#[test]
fn tool_mentions_follow_ticks() {
    let mut m = Mismatches::default();
    for (label, r) in cohorts() {
        let p = parse(&r);
        m.reports += 1;
        for &(key, id, word) in TOOL_MENTIONS {
            let Some(a) = p.answer(key).filter(|a| a.answered) else { continue };
            let did = r.truth.did.contains(&id);
            let says = a.markdown.to_lowercase().contains(word);
            m.check("tool named iff done", did == says, || {
                format!("{label} {}: {key} did {id}={did} but mentions {word:?}={says}", r.id)
            });
        }
        // And the ticks agree with what the answers were written from.
        for &(id, done) in &r.truth.ticks {
            m.check("ticks follow the profile", done == r.truth.did.contains(&id), || {
                format!("{label} {}: {id}", r.id)
            });
        }
    }
    m.assert_none("tool mentions");
}

#[test]
fn write_then_discover_finds_every_report() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let spec = spec(7, true);
    let written = write_cohort(dir.path(), &spec).unwrap_or_else(|e| panic!("write_cohort: {e}"));
    let (found, problems) = discover(&[dir.path().to_path_buf()], Limits::default());
    assert!(problems.is_empty(), "{problems:?}");
    let want: BTreeSet<&str> = written.iter().map(|r| r.id.as_str()).collect();
    let got: BTreeSet<&str> = found.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(want, got);
    for f in &found {
        let Some(r) = written.iter().find(|r| r.id == f.id) else { continue };
        assert_eq!(f.report.questions, r.truth.questions, "{}", f.id);
        assert_eq!(f.report.generation, r.truth.generation, "{}", f.id);
    }
}

/// Every image an answer references is a file on disk (so a broken-image check finds nothing), and every
/// figure written is referenced.
#[test]
fn written_figures_exist() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let written = write_cohort(dir.path(), &spec(42, true)).unwrap_or_else(|e| panic!("write_cohort: {e}"));
    let mut referenced = 0;
    for r in &written {
        let reports = dir.path().join(&r.id).join("reports");
        let p = parse(r);
        for image in p.answers.iter().flat_map(|a| &a.images) {
            assert!(reports.join(&image.target).is_file(), "{}: {} missing", r.id, image.target);
            assert!(r.figures.contains(&image.target), "{}: {} not in figures", r.id, image.target);
            referenced += 1;
        }
        for figure in &r.figures {
            let bytes = std::fs::read(reports.join(figure)).unwrap_or_default();
            assert!(bytes.starts_with(b"\x89PNG"), "{}: {figure}", r.id);
        }
    }
    assert!(referenced > written.len(), "only {referenced} images in {} reports", written.len());
}

#[test]
fn same_seed_same_bytes() {
    let spec = spec(2024, true);
    let a = generate(&spec);
    assert_eq!(a, generate(&spec));
    let d1 = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let d2 = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write_cohort(d1.path(), &spec).unwrap_or_else(|e| panic!("write_cohort: {e}"));
    write_cohort(d2.path(), &spec).unwrap_or_else(|e| panic!("write_cohort: {e}"));
    let files = |root: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).map(Path::to_path_buf).unwrap_or_default();
                (rel, std::fs::read(e.path()).unwrap_or_default())
            })
            .collect()
    };
    let (f1, f2) = (files(d1.path()), files(d2.path()));
    assert!(f1.len() > REPORTS, "{} files", f1.len());
    assert!(f1 == f2, "the same seed wrote different files");
    assert_ne!(generate(&CohortSpec { seed: 2025, ..spec })[0].markdown, a[0].markdown);
}

/// The test cohorts exercise every quirk and tick style, every year, and both stated and unstated facts.
#[test]
fn cohorts_cover_every_case() {
    let all = cohorts();
    let names: BTreeSet<&str> = all.iter().flat_map(|(_, r)| r.truth.quirks.iter().map(Quirk::name)).collect();
    let expected: BTreeSet<&str> = Quirk::NAMES.iter().copied().collect();
    assert_eq!(names, expected);
    let styles: BTreeSet<String> = all
        .iter()
        .flat_map(|(_, r)| r.truth.quirks.iter())
        .filter_map(|q| if let Quirk::TickStyle(s) = q { Some(format!("{s:?}")) } else { None })
        .collect();
    assert_eq!(styles.len(), 6, "{styles:?}");
    let generations: BTreeSet<&str> = all.iter().map(|(_, r)| r.truth.generation.as_str()).collect();
    assert_eq!(generations.len(), 4, "{generations:?}");
    let facts = |f: fn(&SyntheticReport) -> bool| all.iter().filter(|(_, r)| f(r)).count();
    assert!(facts(|r| r.truth.facts.tests.is_some()) > 100);
    assert!(facts(|r| r.truth.facts.tests.is_none()) > 20);
    assert!(facts(|r| r.truth.facts.coverage.is_none()) > 20);
    assert!(facts(|r| r.truth.facts.credits.is_none()) > 20);
    assert!(facts(|r| !r.truth.unanswered.is_empty()) > 50);
}
