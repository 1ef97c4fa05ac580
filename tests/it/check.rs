//! `cohort check`: the rules over our own fixtures (handwritten reports built from the template data, and the
//! synthetic cohort), and the command line.
//!
//! The words and images verdicts are compared with CONSTRAINTS.md's tables, written out here as literals (not read
//! from `template.rs`), at the range boundaries and through the course checker's cutting quirks.

use assert_cmd::Command;
use cohort::check::course_checker::{self, CheckerStop};
use cohort::check::images::ReportFolder;
use cohort::check::{check, constraint_set, contradiction::contradictions, CheckContext, Finding, Rule};
use cohort::domain::groups::parse_group_list;
use cohort::domain::template::{
    checklist_item, constraint, question, questions_of, template_number, AnswerKey, ChecklistId, ConstraintSet,
    QuestionSet,
};
use cohort::domain::{parse_bytes, Report};
use cohort::synth::{generate, write_cohort, CohortSpec};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use AnswerKey as K;
use ChecklistId as C;

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

/// A report in the template's shape, written from the template data: one `### Question N` per question with a
/// quoted prompt naming the question, the stated answer length of a constraint set, and `> Answer:`.
struct Fixture {
    set: ConstraintSet,
    /// Answers by key; a key not here gets an answer that satisfies its constraint.
    answers: BTreeMap<AnswerKey, String>,
    /// Checklist boxes (none: no checklist).
    ticks: Vec<(ChecklistId, bool)>,
    /// Prompts state no length (a group that deleted the lines), so the set is told by the checklist alone.
    no_stated_lengths: bool,
}

impl Fixture {
    fn new(set: ConstraintSet) -> Self {
        Fixture { set, answers: BTreeMap::new(), ticks: vec![], no_stated_lengths: false }
    }

    fn answer(mut self, key: AnswerKey, text: impl Into<String>) -> Self {
        self.answers.insert(key, text.into());
        self
    }

    fn ticks(mut self, ticks: &[(ChecklistId, bool)]) -> Self {
        self.ticks = ticks.to_vec();
        self
    }

    /// An answer the constraint accepts: the fewest words allowed (at least one) and the fewest images.
    fn passing(&self, key: AnswerKey) -> String {
        let c = constraint(self.set, key);
        let images = c.images.map_or(0, |r| r.min);
        let mut parts: Vec<String> = (0..images).map(|i| format!("![shot {i}](figures/shot{i}.png)")).collect();
        let wanted = c.words.map_or(3, |r| r.min.max(1));
        parts.push(words(wanted.saturating_sub(images)));
        parts.join(" ")
    }

    fn markdown(&self) -> String {
        let questions = self.set.questions();
        let mut md = String::new();
        if questions == QuestionSet::Q27 {
            // The pre-2024-10 front matter: exactly the 43 characters the old checker drops.
            md.push_str("---\nlayout: default\nnav_exclude: true\n---\n\n");
        }
        md.push_str("# Exam report of a made-up group\n\nSome words of our own before the checklist.\n\n");
        if !self.ticks.is_empty() {
            md.push_str("## Overall project checklist\n\n### Week 1\n\n");
            for (id, done) in &self.ticks {
                let phrase = checklist_item(*id).phrases[0];
                md.push_str(&format!("* [{}] Please {phrase} now\n", if *done { "x" } else { " " }));
            }
            md.push('\n');
        }
        md.push_str("## Group information\n\n");
        for key in questions_of(questions) {
            let n = template_number(questions, key).unwrap_or(0);
            md.push_str(&format!("### Question {n}\n\n> **Tell us about: {}**\n>\n", question(key).phrases[0]));
            if let Some(r) = constraint(self.set, key).words.filter(|_| !self.no_stated_lengths) {
                md.push_str(&format!("> Recommended answer length: {}-{} words.\n>\n", r.min, r.max));
            }
            let answer = self.answers.get(&key).cloned().unwrap_or_else(|| self.passing(key));
            md.push_str(&format!("> Answer:\n\n{answer}\n\n"));
            if key == K::Reproducibility {
                md.push_str("## Running code\n\n> A section's own introduction.\n\n");
            }
        }
        md
    }
}

/// `n` distinct made-up words.
fn words(n: usize) -> String {
    (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
}

fn parse(md: &str) -> Report {
    parse_bytes(Path::new("g/README.md"), md.as_bytes()).expect("fixture parses")
}

/// The findings of a report held in memory, with the given files present in its folder.
fn findings_with(md: &str, files: &[&str]) -> Vec<Finding> {
    let report = parse(md);
    let set = constraint_set(&report);
    let checker = course_checker::view(md.as_bytes(), set.checker());
    let listing: BTreeSet<PathBuf> = files.iter().map(PathBuf::from).collect();
    let ctx = CheckContext { id: "g", set, checker: &checker, images: &listing, group_row: None };
    check(&report, &ctx)
}

fn findings(md: &str) -> Vec<Finding> {
    findings_with(md, &["figures/shot0.png", "figures/shot1.png", "figures/shot2.png", "figures/shot3.png"])
}

/// (question, rule, the count in the message) of the words and images findings. The count follows "counts" when
/// the course checker's verdict is reported, else the question's label ("question 7 (tests): 10 words").
fn verdicts(found: &[Finding]) -> BTreeSet<(AnswerKey, Rule, usize)> {
    found
        .iter()
        .filter(|f| matches!(f.rule, Rule::Words | Rule::Images))
        .map(|f| {
            let words: Vec<&str> = f.message.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "counts").or_else(|| words.iter().position(|w| w.ends_with(':')));
            let count = at
                .and_then(|i| words.get(i + 1))
                .and_then(|w| w.parse().ok())
                .unwrap_or_else(|| panic!("no count in {:?}", f.message));
            (f.question.expect("a words/images finding names its question"), f.rule, count)
        })
        .collect()
}

fn rules(found: &[Finding]) -> Vec<Rule> {
    found.iter().map(|f| f.rule).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// words and images: the course checker's verdicts
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn a_report_that_meets_every_range_has_no_findings() {
    for set in [ConstraintSet::C1, ConstraintSet::C2, ConstraintSet::C3, ConstraintSet::C4] {
        let md = Fixture::new(set).markdown();
        assert_eq!(constraint_set(&parse(&md)), set);
        assert_eq!(findings(&md), vec![], "{set:?}");
    }
}

#[test]
fn word_counts_at_the_range_boundaries_are_the_checkers_verdicts() {
    // CONSTRAINTS.md §1a (LATEST): Q7 tests 50–100, Q3 packages 0–200, Q31 contributions 50–300, Q11 CI 200–300.
    let cases: &[(AnswerKey, usize, bool)] = &[
        (K::Tests, 49, true),
        (K::Tests, 50, false),
        (K::Tests, 100, false),
        (K::Tests, 101, true),
        (K::Packages, 0, false),
        (K::Packages, 200, false),
        (K::Packages, 201, true),
        (K::Contributions, 300, false),
        (K::Contributions, 301, true),
        (K::Ci, 199, true),
        (K::Ci, 200, false),
    ];
    for &(key, n, fails) in cases {
        let md = Fixture::new(ConstraintSet::C4).answer(key, words(n)).markdown();
        let expected: BTreeSet<_> = if fails { [(key, Rule::Words, n)].into() } else { BTreeSet::new() };
        assert_eq!(verdicts(&findings(&md)), expected, "{key} with {n} words");
    }
}

#[test]
fn image_counts_at_the_range_boundaries_are_the_checkers_verdicts() {
    let shots = |n: usize| (0..n).map(|i| format!("![shot](figures/shot{i}.png)")).collect::<Vec<_>>().join("\n");
    // Q19 bucket 1–2, Q21 build history 1–2 (LATEST), Q29 architecture exactly 1 (and 200–400 words, the image
    // link counting as a word), Q14 tracking 1–3 (and 200–300 words).
    let cases: &[(AnswerKey, usize, usize, bool)] = &[
        (K::Bucket, 0, 0, true),
        (K::Bucket, 1, 0, false),
        (K::Bucket, 2, 0, false),
        (K::Bucket, 3, 0, true),
        (K::BuildHistory, 2, 0, false),
        (K::Architecture, 0, 250, true),
        (K::Architecture, 1, 250, false),
        (K::Architecture, 2, 250, true),
        (K::Tracking, 3, 250, false),
        (K::Tracking, 4, 250, true),
    ];
    for &(key, n, prose, fails) in cases {
        let md = Fixture::new(ConstraintSet::C4).answer(key, format!("{}\n\n{}", shots(n), words(prose))).markdown();
        let expected: BTreeSet<_> = if fails { [(key, Rule::Images, n)].into() } else { BTreeSet::new() };
        assert_eq!(verdicts(&findings(&md)), expected, "{key} with {n} images");
    }
}

#[test]
fn only_markdown_images_on_one_line_count() {
    let answer = "<img src=\"figures/shot0.png\" width=\"50%\">\n![split\nalt](figures/shot1.png)";
    let found = findings(&Fixture::new(ConstraintSet::C4).answer(K::Bucket, answer).markdown());
    assert_eq!(verdicts(&found), [(K::Bucket, Rule::Images, 0)].into());
    let message = &found.iter().find(|f| f.rule == Rule::Images).unwrap().message;
    assert!(message.contains("1 HTML <img>"), "{message}");
}

#[test]
fn a_heading_inside_an_answer_cuts_it_as_the_checker_does() {
    // 60 words, the group's own heading, 80 more: the checker reads 60 of the coverage answer's (100–200).
    let answer = format!("{}\n\n### Details\n\n{}", words(60), words(80));
    let found = findings(&Fixture::new(ConstraintSet::C4).answer(K::Coverage, answer).markdown());
    assert_eq!(verdicts(&found), [(K::Coverage, Rule::Words, 60)].into());
    let message = &found.iter().find(|f| f.rule == Rule::Words).unwrap().message;
    assert!(message.contains("has 142 words"), "the whole answer is counted too: {message}");

    // `##` after the `###` cut: "C##" ends the branches answer (100–200) after 30 words.
    let answer = format!("{} C## {}", words(30), words(100));
    let found = findings(&Fixture::new(ConstraintSet::C4).answer(K::Branches, answer).markdown());
    assert_eq!(verdicts(&found), [(K::Branches, Rule::Words, 31)].into());
}

#[test]
fn answer_inside_an_answer_leaves_only_the_text_after_it() {
    // The text before the second `Answer:` holds no `###`, so the checker drops it and the structure answer
    // (100–200) is the 60 words after it.
    let answer = format!("{} Answer: {}", words(150), words(60));
    let found = findings(&Fixture::new(ConstraintSet::C4).answer(K::Structure, answer).markdown());
    assert_eq!(verdicts(&found), [(K::Structure, Rule::Words, 60)].into());
}

#[test]
fn text_after_the_last_question_belongs_to_the_last_answer() {
    let md = Fixture::new(ConstraintSet::C4).answer(K::Contributions, words(280)).markdown()
        + &format!("\n\nAppendix of our own, {}\n", words(30));
    assert_eq!(verdicts(&findings(&md)), [(K::Contributions, Rule::Words, 280 + 34)].into());
}

#[test]
fn when_the_checker_stops_the_answers_are_checked_per_question() {
    // A heading in the last answer: the last part is kept twice, 32 answers, a ValueError.
    let md = Fixture::new(ConstraintSet::C4)
        .answer(K::Contributions, format!("{}\n\n### Use of AI\n\n{}", words(40), words(20)))
        .answer(K::Tests, words(10))
        .markdown();
    let view = course_checker::view(md.as_bytes(), ConstraintSet::C4.checker());
    assert_eq!(view, Err(CheckerStop::Count { found: 32, expected: 31 }));
    let found = findings(&md);
    assert_eq!(rules(&found).iter().filter(|r| **r == Rule::CheckerStops).count(), 1);
    // cohort reads the questions by their headings: the tests answer is short, the last answer is whole (62).
    assert_eq!(verdicts(&found), [(K::Tests, Rule::Words, 10)].into());

    // A deleted question heading merges two answers: 30 answers.
    let md = Fixture::new(ConstraintSet::C4).markdown().replacen("### Question 12\n", "", 1);
    assert_eq!(
        course_checker::view(md.as_bytes(), ConstraintSet::C4.checker()),
        Err(CheckerStop::Count { found: 30, expected: 31 })
    );
}

#[test]
fn old_reports_are_checked_with_the_old_checker_and_ranges() {
    // CONSTRAINTS.md §1b: Q24 credits 25–100, Q20 registry exactly one image; the front matter is dropped.
    for (n, fails) in [(24, true), (25, false), (100, false), (101, true)] {
        let md = Fixture::new(ConstraintSet::C1).answer(K::Credits, words(n)).markdown();
        assert_eq!(constraint_set(&parse(&md)), ConstraintSet::C1);
        let expected: BTreeSet<_> = if fails { [(K::Credits, Rule::Words, n)].into() } else { BTreeSet::new() };
        assert_eq!(verdicts(&findings(&md)), expected, "credits with {n} words");
    }
    let two = "![a](figures/shot0.png) ![b](figures/shot1.png)";
    let md = Fixture::new(ConstraintSet::C1).answer(K::Registry, two).markdown();
    assert_eq!(verdicts(&findings(&md)), [(K::Registry, Rule::Images, 2)].into());
    // The same two images pass the 2025 template's 1–2.
    let md = Fixture::new(ConstraintSet::C3).answer(K::Registry, two).markdown();
    assert_eq!(verdicts(&findings(&md)), BTreeSet::new());
}

#[test]
fn the_stated_lengths_tell_the_constraint_sets_apart() {
    // C0 (December 2022) had no tests range and Compute Engine at 50–100.
    let md = Fixture::new(ConstraintSet::C0).answer(K::Tests, words(5)).markdown();
    assert_eq!(constraint_set(&parse(&md)), ConstraintSet::C0);
    assert_eq!(verdicts(&findings(&md)), BTreeSet::new());
    // C2 asked 50–200 words of the contributions, C3 and C4 50–300.
    let md = Fixture::new(ConstraintSet::C2).answer(K::Contributions, words(250)).markdown();
    assert_eq!(constraint_set(&parse(&md)), ConstraintSet::C2);
    assert_eq!(verdicts(&findings(&md)), [(K::Contributions, Rule::Words, 250)].into());
    let md = Fixture::new(ConstraintSet::C3).answer(K::Contributions, words(250)).markdown();
    assert_eq!(constraint_set(&parse(&md)), ConstraintSet::C3);
    assert_eq!(verdicts(&findings(&md)), BTreeSet::new());
    // With the length lines deleted, the checklist decides: a CL-2026 item makes it C4.
    let mut fixture = Fixture::new(ConstraintSet::C4).ticks(&[
        (C::GitRepo, true),
        (C::WriteAccess, true),
        (C::Environment, true),
        (C::Cookiecutter, true),
        (C::LoadTest, true),
        (C::IoCollection, true),
    ]);
    fixture.no_stated_lengths = true;
    assert_eq!(constraint_set(&parse(&fixture.markdown())), ConstraintSet::C4);
}

// ---------------------------------------------------------------------------------------------------------------
// broken-image, structure, numbers
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn broken_images_are_found_without_leaving_the_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("group").join("reports");
    std::fs::create_dir_all(folder.join("figures")).unwrap();
    std::fs::write(folder.join("figures").join("here.png"), b"png").unwrap();
    std::fs::write(dir.path().join("group").join("secret.png"), b"outside").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("group").join("secret.png"), folder.join("figures").join("link.png"))
        .unwrap();
    let bucket = "![ok](figures/here.png)\n![gone](figures/missing.png)\n![up](../secret.png)\n![abs](/etc/hosts)\n\
                  ![web](https://example.org/bucket.png)\n![inline](data:image/png;base64,AAAA)";
    let ci = format!("{} ![badge](https://example.org/badge.svg)", words(250));
    let md = Fixture::new(ConstraintSet::C4)
        .answer(K::Bucket, bucket)
        .answer(K::Ci, ci)
        .answer(K::Registry, "![linked](figures/link.png)")
        .markdown();
    let report = parse(&md);
    let set = constraint_set(&report);
    let checker = course_checker::view(md.as_bytes(), set.checker());
    let images = ReportFolder::new(&folder);
    let ctx = CheckContext { id: "group", set, checker: &checker, images: &images, group_row: None };
    // The other questions' made-up screenshots are not in this folder; only these three answers are looked at.
    let broken: Vec<String> = check(&report, &ctx)
        .into_iter()
        .filter(|f| f.rule == Rule::BrokenImage && matches!(f.question, Some(K::Bucket | K::Ci | K::Registry)))
        .map(|f| f.message)
        .collect();
    let expect = [
        "figures/missing.png does not exist",
        "../secret.png leaves the report's folder",
        "/etc/hosts is an absolute path",
        "https://example.org/bucket.png is a web address",
    ];
    for e in expect {
        assert!(broken.iter().any(|m| m.contains(e)), "{e} in {broken:#?}");
    }
    #[cfg(unix)]
    assert!(broken.iter().any(|m| m.contains("figures/link.png is a symbolic link out")), "{broken:#?}");
    // The file that is there, the embedded image and the CI badge (no file expected there) are fine.
    assert_eq!(broken.len(), expect.len() + usize::from(cfg!(unix)), "{broken:#?}");
}

#[test]
fn unanswered_missing_duplicate_and_extra_questions() {
    let md = Fixture::new(ConstraintSet::C4).answer(K::Debugging, "--- question 16 fill here ---").markdown();
    let md = md.replacen(
        "### Question 12\n\n> **Tell us about: configure experiments**",
        "### Question 12\n\n> **Tell us about: our pets**",
        1,
    );
    let md = md + "### Question 32\n\n> **Tell us about: our pets**\n>\n> Answer:\n\nCats.\n\n### Question 9\n\n> **Tell us about: pull request**\n>\n> Answer:\n\nAgain.\n";
    let found = findings(&md);
    let about = |rule: Rule| found.iter().filter(|f| f.rule == rule).map(|f| f.question).collect::<Vec<_>>();
    assert_eq!(about(Rule::Unanswered), vec![Some(K::Debugging)]);
    assert_eq!(about(Rule::MissingQuestion), vec![Some(K::Configs)]);
    assert_eq!(about(Rule::DuplicateQuestion), vec![Some(K::Branches)]);
    assert_eq!(about(Rule::ExtraQuestion), vec![None, None]);
}

#[test]
fn numbers_are_compared_with_the_group_list() {
    let md = Fixture::new(ConstraintSet::C4)
        .answer(K::Group, "7")
        .answer(K::Students, "s200001, s200002, s200003")
        .answer(K::Coverage, format!("Our total coverage is 120% {}", words(100)))
        .markdown();
    let report = parse(&md);
    let rows =
        parse_group_list("group_nb,s1,s2,s3,s4,s5,github_repo\n8,s200001,s200002,s200003,s200004,,me/group\n").unwrap();
    let set = constraint_set(&report);
    let checker = course_checker::view(md.as_bytes(), set.checker());
    let listing = BTreeSet::new();
    let ctx = CheckContext { id: "me__group", set, checker: &checker, images: &listing, group_row: Some(&rows[0]) };
    let numbers: Vec<Finding> = check(&report, &ctx).into_iter().filter(|f| f.rule == Rule::Numbers).collect();
    let about: Vec<_> = numbers.iter().map(|f| f.question).collect();
    assert_eq!(about, vec![Some(K::Group), Some(K::Students), Some(K::Coverage)], "{numbers:#?}");
    assert!(numbers[0].message.contains("group 7, the group list says 8"));
    assert!(numbers[1].message.contains("3 students, the group list 4"));
    assert!(numbers.iter().all(|f| f.group == Some(8)), "findings carry the list's group number");
}

// ---------------------------------------------------------------------------------------------------------------
// contradictions
// ---------------------------------------------------------------------------------------------------------------

fn contradicted(md: &str) -> Vec<(ChecklistId, bool, String)> {
    contradictions(&parse(md)).into_iter().map(|c| (c.item, c.ticked, c.sentence)).collect()
}

#[test]
fn a_plain_denial_contradicts_a_tick() {
    let some_ticks = [(C::GitRepo, true), (C::Cookiecutter, true), (C::Frontend, true), (C::LoadTest, true)];
    let denial = "We did not have time to implement a frontend, so the API is used with curl.";
    let md = Fixture::new(ConstraintSet::C4).ticks(&some_ticks).answer(K::Extras, denial).markdown();
    assert_eq!(contradicted(&md), vec![(C::Frontend, true, denial.to_string())]);

    let fine = [
        "We did not only load test the API but also profiled it, and locust showed 40 requests per second.",
        "We did not do unit testing on the API, but we did do some simple load testing with locust.",
        "The load test did not result in any failures at 50 users.",
        "If we did not load test we would not know our limits; we load tested with locust.",
    ];
    for text in fine {
        let md = Fixture::new(ConstraintSet::C4).ticks(&some_ticks).answer(K::ApiTesting, text).markdown();
        assert_eq!(contradicted(&md), vec![], "{text}");
    }
    // An answer that says both is ambiguous.
    let both = "We did not load test the API. Later we used locust to load test the deployed service.";
    let md = Fixture::new(ConstraintSet::C4).ticks(&some_ticks).answer(K::ApiTesting, both).markdown();
    assert_eq!(contradicted(&md), vec![]);
}

#[test]
fn a_plain_statement_contradicts_an_unticked_box_unless_nothing_is_ticked() {
    let statement = "We load tested the API with locust, ramping up to 200 users.";
    let ticks = [(C::GitRepo, true), (C::LoadTest, false)];
    let md = Fixture::new(ConstraintSet::C4).ticks(&ticks).answer(K::ApiTesting, statement).markdown();
    assert_eq!(contradicted(&md), vec![(C::LoadTest, false, statement.to_string())]);

    // Nothing ticked at all: the checklist was not filled in, one finding of its own.
    let ticks = [(C::GitRepo, false), (C::LoadTest, false)];
    let md = Fixture::new(ConstraintSet::C4).ticks(&ticks).answer(K::ApiTesting, statement).markdown();
    assert_eq!(contradicted(&md), vec![]);
    assert_eq!(rules(&findings(&md)).iter().filter(|r| **r == Rule::EmptyChecklist).count(), 1);

    // The coverage box asks for the figure.
    let ticks = [(C::GitRepo, true), (C::Coverage, false)];
    let coverage = format!("The total code coverage of our code is 83%. We run it in CI. {}", words(100));
    let md = Fixture::new(ConstraintSet::C4).ticks(&ticks).answer(K::Coverage, coverage).markdown();
    assert_eq!(
        contradicted(&md),
        vec![(C::Coverage, false, "The total code coverage of our code is 83%.".to_string())]
    );
}

#[test]
fn the_synthetic_cohort_whose_answers_agree_with_its_ticks_has_no_contradictions() {
    let cohort = generate(&CohortSpec { seed: 11, reports: 150, cohort: None, quirks: true });
    for r in &cohort {
        let found = contradictions(&parse(&r.markdown));
        assert!(found.is_empty(), "{}: {found:#?}", r.id);
    }
}

#[test]
fn a_flipped_tick_in_a_synthetic_report_is_found_with_its_sentence() {
    let cohort = generate(&CohortSpec { seed: 5, reports: 200, cohort: None, quirks: false });
    let (mut flipped_on, mut flipped_off) = (0, 0);
    for r in &cohort {
        let report = parse(&r.markdown);
        let Some(item) = report.checklist.iter().find(|i| i.id == Some(C::LoadTest)) else { continue };
        let answer = report.answer(K::ApiTesting).map(|a| a.markdown.clone()).unwrap_or_default();
        let lines: Vec<&str> = r.markdown.lines().collect();
        let line = lines[item.line - 1];
        let (from, to, sentence, ticked) = if !item.done && answer.contains("We did not load test the API;") {
            ("[ ]", "[x]", "We did not load test the API;", true)
        } else if item.done && answer.contains("We load tested the API with locust") {
            ("[x]", "[ ]", "We load tested the API with locust", false)
        } else {
            continue;
        };
        let mut md = lines.clone();
        let edited = line.replacen(from, to, 1);
        md[item.line - 1] = &edited;
        let found = contradictions(&parse(&md.join("\n")));
        assert_eq!(found.len(), 1, "{}: {found:#?}", r.id);
        assert_eq!((found[0].item, found[0].ticked, found[0].question), (C::LoadTest, ticked, K::ApiTesting));
        assert!(found[0].sentence.starts_with(sentence), "{}", found[0].sentence);
        if ticked {
            flipped_on += 1;
        } else {
            flipped_off += 1;
        }
    }
    assert!(flipped_on >= 3 && flipped_off >= 3, "the cohort has both cases: {flipped_on} {flipped_off}");
}

// ---------------------------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------------------------

fn cohort_cmd() -> Command {
    Command::cargo_bin("cohort").expect("the cohort binary")
}

fn synthetic_folder(reports: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_cohort(dir.path(), &CohortSpec { seed: 3, reports, cohort: None, quirks: true }).unwrap();
    dir
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn json_lines_follow_the_interface() {
    let dir = synthetic_folder(25);
    let out = cohort_cmd().arg("check").arg(dir.path()).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out.stdout);
    assert!(!lines.is_empty());
    for l in &lines {
        for field in ["id", "question", "rule", "message"] {
            assert!(l.get(field).is_some(), "{field} in {l}");
        }
        assert!(Rule::from_name(l["rule"].as_str().unwrap()).is_some(), "{l}");
    }
    let ids: BTreeSet<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
    assert!(ids.iter().all(|id| id.starts_with("group_")), "{ids:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("25 reports checked"));
}

#[test]
fn rule_group_and_strict_options() {
    let dir = synthetic_folder(25);
    let all = json_lines(&cohort_cmd().arg("check").arg(dir.path()).arg("--json").output().unwrap().stdout);
    let out = cohort_cmd()
        .args(["check", "--json", "--rule", "unanswered,missing-question"])
        .arg(dir.path())
        .output()
        .unwrap();
    let some = json_lines(&out.stdout);
    let expected = all.iter().filter(|l| matches!(l["rule"].as_str(), Some("unanswered" | "missing-question"))).count();
    assert_eq!(some.len(), expected);

    let group = all.iter().find_map(|l| l["group"].as_u64()).expect("a finding with a group");
    let out = cohort_cmd().args(["check", "--json", "--group", &group.to_string()]).arg(dir.path()).output().unwrap();
    let mine = json_lines(&out.stdout);
    assert!(!mine.is_empty() && mine.iter().all(|l| l["group"].as_u64() == Some(group)));
    assert_eq!(mine.len(), all.iter().filter(|l| l["group"].as_u64() == Some(group)).count());

    cohort_cmd().arg("check").arg(dir.path()).assert().success();
    cohort_cmd().arg("check").arg(dir.path()).arg("--strict").assert().code(1);
    cohort_cmd().args(["check", "--rule", "no-such-rule"]).arg(dir.path()).assert().code(2);
}

#[test]
fn reports_named_alike_are_told_apart() {
    // Two report files named on the command line are both `README` to discovery; the tables need them apart.
    let dir = synthetic_folder(2);
    let files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.path().join("reports").join("README.md"))
        .collect();
    assert_eq!(files.len(), 2);
    let out = cohort_cmd().arg("check").args(&files).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let ids: BTreeSet<&str> =
        text.lines().filter(|l| l.contains("README")).filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(ids.len(), 2, "{text}");
}

#[test]
fn the_group_list_is_compared_with_each_report() {
    let dir = synthetic_folder(8);
    let all = json_lines(&cohort_cmd().arg("check").arg(dir.path()).arg("--json").output().unwrap().stdout);
    let group = all.iter().find_map(|l| l["group"].as_u64()).expect("a finding with a group");
    // The list names one member where the report names three to five.
    let csv = dir.path().join("group_info.csv");
    std::fs::write(&csv, format!("group_nb,student 1,github_repo\n{group},s999999,\n")).unwrap();
    let out = cohort_cmd()
        .args(["check", "--json", "--rule", "numbers", "--groups"])
        .arg(&csv)
        .arg(dir.path())
        .output()
        .unwrap();
    let numbers = json_lines(&out.stdout);
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    assert_eq!((numbers[0]["group"].as_u64(), numbers[0]["question"].as_str()), (Some(group), Some("students")));
    assert!(numbers[0]["message"].as_str().unwrap().contains("the group list 1"), "{}", numbers[0]);
    // An unreadable list is an error that names the file.
    let missing = dir.path().join("nowhere.csv");
    let out = cohort_cmd().args(["check", "--groups"]).arg(&missing).arg(dir.path()).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("nowhere.csv"));
}

#[test]
fn the_default_output_is_a_table_per_group_and_a_summary_per_rule() {
    let dir = synthetic_folder(10);
    let out = cohort_cmd().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let header = text.lines().next().unwrap_or_default();
    assert!(header.starts_with("group") && header.contains("total"), "{text}");
    // One row per report, clean ones included.
    assert!(text.lines().filter(|l| l.contains("group_")).count() == 10, "{text}");
    assert!(text.lines().any(|l| l.starts_with("rule") && l.contains("findings")), "{text}");
    for rule in Rule::ALL {
        assert!(text.lines().any(|l| l.starts_with(rule.as_str())), "{rule} in {text}");
    }
}

#[test]
fn an_index_is_checked_from_the_files_it_lists() {
    let dir = synthetic_folder(12);
    let index = tempfile::tempdir().unwrap();
    cohort_cmd().arg("ingest").arg(dir.path()).arg("--index").arg(index.path()).assert().success();
    let from_paths = cohort_cmd().arg("check").arg(dir.path()).arg("--json").output().unwrap();
    let from_index = cohort_cmd().args(["check", "--json", "--index"]).arg(index.path()).output().unwrap();
    assert!(from_index.status.success(), "{}", String::from_utf8_lossy(&from_index.stderr));
    let key = |l: &serde_json::Value| (l["id"].to_string(), l["rule"].to_string(), l["message"].to_string());
    let a: BTreeSet<_> = json_lines(&from_paths.stdout).iter().map(key).collect();
    let b: BTreeSet<_> = json_lines(&from_index.stdout).iter().map(key).collect();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// The real corpus (skipped when ../shared is absent)
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn every_corpus_report_is_checked() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let folders = std::fs::read_dir(&corpus).unwrap().filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir())).count();
    let out = cohort_cmd().arg("check").arg(&corpus).arg("--json").output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("skipped"), "{stderr}");
    assert!(stderr.contains(&format!("{folders} reports checked")), "{folders} folders: {stderr}");
}
