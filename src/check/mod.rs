//! `cohort check`'s rules: pure functions from a parsed report (and what the course checker makes of its file) to
//! findings. The rules read template knowledge from [`crate::domain::template`]; nothing but [`run`] (which reads
//! the reports and applies the rules to each) reads an index or walks folders, and nothing here prints (image
//! files are looked up through [`images::ImageFiles`]).
//!
//! - **words** / **images**: each answer's word and image count against the range its own template generation
//!   states, judged exactly as the course checker judges it ([`course_checker`]) whenever that checker would run;
//!   when it would stop (an edited structure), per question as cohort reads the answers, and **checker-stops** says
//!   why the checker gives up.
//! - **broken-image**: an image file missing from the report's folder, a path leaving it (never followed), a web
//!   address where the template expects a file.
//! - **unanswered**, **missing-question**, **duplicate-question**, **extra-question**.
//! - **contradiction**: a tick the answers deny, or a plainly stated accomplishment against an unticked box
//!   ([`contradiction`]); **empty-checklist**: a checklist with no box ticked at all.
//! - **numbers**: implausible facts and differences from the group list.
//! - **copied-figure**: a figure that is also in another group's report (across the reports checked; see
//!   [`crate::dupes::figures`]).

pub mod contradiction;
pub mod course_checker;
pub mod images;
pub mod run;
pub mod summary;

use crate::domain::groups::GroupRow;
use crate::domain::template::{
    constraint, constraint_set_of, questions_of, stated_length, template_number, AnswerKey, ChecklistId, ConstraintSet,
};
use crate::domain::Report;
use crate::nouns::count;
use course_checker::CheckerView;
use images::{classify, FileState, ImageFiles, ImageTarget};
use serde::Serialize;

crate::string_enum! {
    /// What a finding is about. The names are the JSON contract (INTERFACE.md, "Check").
    pub Rule {
        Words = "words",
        Images = "images",
        BrokenImage = "broken-image",
        Unanswered = "unanswered",
        MissingQuestion = "missing-question",
        DuplicateQuestion = "duplicate-question",
        ExtraQuestion = "extra-question",
        Contradiction = "contradiction",
        EmptyChecklist = "empty-checklist",
        Numbers = "numbers",
        CheckerStops = "checker-stops",
        /// A ticked item its repository does not support (from `cohort ingest --repos`'s verdicts).
        UnsupportedClaim = "unsupported-claim",
        /// A stated number of tests far from the tests the repository holds (same source).
        TestsMismatch = "tests-mismatch",
        /// A figure that is also in another group's report (the same picture, see `cohort dupes --figures`).
        CopiedFigure = "copied-figure",
    }
}

/// One finding. The first four fields are the JSON contract; the others are extra.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The report's id.
    pub id: String,
    /// The question it is about (canonical key), if any.
    pub question: Option<AnswerKey>,
    pub rule: Rule,
    pub message: String,
    /// 1-based line in the report file, when the finding is about one place.
    pub line: Option<usize>,
    /// The checklist item, for contradictions.
    pub item: Option<ChecklistId>,
    /// The report's group number (from the group list when given, else as the report states it).
    pub group: Option<u32>,
}

/// What the rules need besides the report.
pub struct CheckContext<'a> {
    /// The report's id, copied into every finding.
    pub id: &'a str,
    /// The constraint set of the report's template ([`constraint_set`]).
    pub set: ConstraintSet,
    /// What the course checker of that set makes of the report's file ([`course_checker::view`]).
    pub checker: &'a CheckerView,
    /// The files of the report's folder.
    pub images: &'a dyn ImageFiles,
    /// The report's row of the group list, when one was given and has the report.
    pub group_row: Option<&'a GroupRow>,
}

/// The constraint set a report was written against, from the answer lengths its prompts state, its question set
/// and its checklist generation (see [`constraint_set_of`]).
pub fn constraint_set(report: &Report) -> ConstraintSet {
    let stated: Vec<(AnswerKey, _)> =
        report.answers.iter().filter_map(|a| Some((a.key?, stated_length(&a.prompt)?))).collect();
    constraint_set_of(report.questions, report.generation, &stated)
}

/// Every finding of every rule for one report, in the order of the file.
pub fn check(report: &Report, ctx: &CheckContext<'_>) -> Vec<Finding> {
    let mut out = Findings { id: ctx.id, group: ctx.group_row.map(|r| r.group).or(report.facts.group), list: vec![] };
    lengths(report, ctx, &mut out);
    broken_images(report, ctx, &mut out);
    structure(report, &mut out);
    contradictions(report, &mut out);
    numbers(report, ctx, &mut out);
    let mut list = out.list;
    list.sort_by_key(|f| (f.line.unwrap_or(0), f.rule));
    list
}

struct Findings<'a> {
    id: &'a str,
    group: Option<u32>,
    list: Vec<Finding>,
}

impl Findings<'_> {
    fn push(&mut self, rule: Rule, question: Option<AnswerKey>, line: Option<usize>, message: String) {
        self.list.push(Finding {
            id: self.id.to_string(),
            question,
            rule,
            message,
            line,
            item: None,
            group: self.group,
        });
    }
}

/// "question 7 (tests)".
fn label(number: Option<u32>, key: AnswerKey) -> String {
    match number {
        Some(n) => format!("question {n} ({key})"),
        None => format!("question {key}"),
    }
}

fn range_text(min: usize, max: usize) -> String {
    if min == max {
        format!("exactly {min}")
    } else {
        format!("{min}–{max}")
    }
}

/// words, images and checker-stops.
fn lengths(report: &Report, ctx: &CheckContext<'_>, out: &mut Findings<'_>) {
    let set = ctx.set;
    let questions = set.questions();
    match ctx.checker {
        Ok(answers) => {
            // The checker applies the i-th constraint to the i-th answer, whatever the headings say.
            for (seen, key) in answers.iter().zip(questions_of(questions)) {
                let c = constraint(set, key);
                let ours = report.answer(key);
                let line = ours.map(|a| a.line);
                let name = label(template_number(questions, key), key);
                if let Some(r) = c.words.filter(|r| !(r.min..=r.max).contains(&seen.words)) {
                    let mut message = format!(
                        "{name}: the course checker counts {}, outside {}",
                        count(seen.words, "word", "words"),
                        range_text(r.min, r.max)
                    );
                    if let Some(a) = ours.filter(|a| a.words != seen.words) {
                        message.push_str(&format!(
                            " (the answer under its heading has {}: the checker cuts answers at any `###` or `##` \
                             and gives the text after the last question to the last answer)",
                            count(a.words, "word", "words")
                        ));
                    }
                    out.push(Rule::Words, Some(key), line, message);
                }
                if let Some(r) = c.images.filter(|r| !(r.min..=r.max).contains(&seen.images)) {
                    let mut message = format!(
                        "{name}: the course checker counts {}, outside {}",
                        count(seen.images, "image", "images"),
                        range_text(r.min, r.max)
                    );
                    let html = ours.map_or(0, |a| a.images.len() - a.checker_images());
                    if html > 0 {
                        message.push_str(&format!(" ({html} HTML <img> tags are not counted by the checker)"));
                    }
                    out.push(Rule::Images, Some(key), line, message);
                }
            }
        }
        Err(stop) => {
            out.push(
                Rule::CheckerStops,
                None,
                None,
                format!(
                    "the course checker ({set:?}) stops on this report: {stop}; its error counts as a perfect score on \
                     the staff leaderboard. Words and images are checked per question as cohort reads the answers"
                ),
            );
            for key in questions_of(questions) {
                let Some(a) = report.answer(key) else { continue };
                let c = constraint(set, key);
                let name = label(a.number, key);
                if let Some(r) = c.words.filter(|r| !(r.min..=r.max).contains(&a.words)) {
                    let message =
                        format!("{name}: {}, outside {}", count(a.words, "word", "words"), range_text(r.min, r.max));
                    out.push(Rule::Words, Some(key), Some(a.line), message);
                }
                let counted = a.checker_images();
                if let Some(r) = c.images.filter(|r| !(r.min..=r.max).contains(&counted)) {
                    let mut message =
                        format!("{name}: {}, outside {}", count(counted, "image", "images"), range_text(r.min, r.max));
                    let html = a.images.len() - counted;
                    if html > 0 {
                        message.push_str(&format!(" ({html} HTML <img> tags do not count, as for the course checker)"));
                    }
                    out.push(Rule::Images, Some(key), Some(a.line), message);
                }
            }
        }
    }
}

fn broken_images(report: &Report, ctx: &CheckContext<'_>, out: &mut Findings<'_>) {
    for a in &report.answers {
        let expects_file = a.key.is_some_and(|k| constraint(ctx.set, k).images.is_some());
        let name = match a.key {
            Some(k) => label(a.number, k),
            None => format!("question {}", a.number.map_or("?".to_string(), |n| n.to_string())),
        };
        for image in &a.images {
            let target = &image.target;
            let problem = match classify(target) {
                ImageTarget::Inside(path) => match ctx.images.state(&path) {
                    FileState::Present => None,
                    FileState::Missing => Some(format!("{target} does not exist in the report's folder")),
                    FileState::LinksOutside => {
                        Some(format!("{target} is a symbolic link out of the report's folder; not followed"))
                    }
                },
                ImageTarget::Escapes => Some(format!("{target} leaves the report's folder; not followed")),
                ImageTarget::Absolute => {
                    Some(format!("{target} is an absolute path; only files in the report's folder are read"))
                }
                ImageTarget::Empty => Some("an image with no path".to_string()),
                ImageTarget::Remote if expects_file => {
                    Some(format!("{target} is a web address where the template expects a file in the report's folder"))
                }
                ImageTarget::Remote | ImageTarget::Embedded => None,
            };
            if let Some(problem) = problem {
                out.push(Rule::BrokenImage, a.key, Some(image.line), format!("{name}: {problem}"));
            }
        }
    }
}

/// unanswered, missing-question, duplicate-question, extra-question: read from the keyed answers, as the parser's
/// warnings are.
fn structure(report: &Report, out: &mut Findings<'_>) {
    let mut seen: Vec<AnswerKey> = Vec::new();
    for a in &report.answers {
        match a.key {
            Some(key) if seen.contains(&key) => {
                let first = report.answer(key).map_or(0, |f| f.line);
                out.push(
                    Rule::DuplicateQuestion,
                    Some(key),
                    Some(a.line),
                    format!("{} appears again (first at line {first})", label(a.number, key)),
                );
            }
            Some(key) => {
                seen.push(key);
                if !a.answered {
                    out.push(
                        Rule::Unanswered,
                        Some(key),
                        Some(a.line),
                        format!("{} is not answered (empty, or the template's placeholder left)", label(a.number, key)),
                    );
                }
            }
            None => {
                let prompt: String = a.prompt.chars().take(80).collect();
                let number = a.number.map_or("?".to_string(), |n| n.to_string());
                out.push(
                    Rule::ExtraQuestion,
                    None,
                    Some(a.line),
                    format!("question {number} is not a template question: {prompt:?}"),
                );
            }
        }
    }
    for key in questions_of(report.questions) {
        if !seen.contains(&key) {
            let n = template_number(report.questions, key).unwrap_or(0);
            out.push(Rule::MissingQuestion, Some(key), None, format!("question {n} ({key}) is missing"));
        }
    }
}

fn contradictions(report: &Report, out: &mut Findings<'_>) {
    for c in contradiction::contradictions(report) {
        let number = report.answer(c.question).and_then(|a| a.number);
        let message = if c.ticked {
            format!(
                "`{}` is ticked, but {} says it was not done: \"{}\"",
                c.item,
                label(number, c.question),
                c.sentence
            )
        } else {
            format!(
                "`{}` is not ticked, but {} says it was done: \"{}\"",
                c.item,
                label(number, c.question),
                c.sentence
            )
        };
        out.push(Rule::Contradiction, Some(c.question), Some(c.line), message);
        if let Some(last) = out.list.last_mut() {
            last.item = Some(c.item);
        }
    }
    let answered = report.answers.iter().filter(|a| a.key.is_some() && a.answered).count();
    if !report.checklist.is_empty() && !report.checklist.iter().any(|i| i.done) && answered > 0 {
        out.push(
            Rule::EmptyChecklist,
            None,
            report.checklist.first().map(|i| i.line),
            format!(
                "none of the {} checklist boxes is ticked, although {answered} questions are answered",
                report.checklist.len()
            ),
        );
    }
}

fn numbers(report: &Report, ctx: &CheckContext<'_>, out: &mut Findings<'_>) {
    let facts = &report.facts;
    if let Some(c) = facts.coverage.filter(|c| !(0.0..=100.0).contains(c)) {
        out.push(
            Rule::Numbers,
            Some(AnswerKey::Coverage),
            None,
            format!("coverage of {c}% is not a percentage of the code"),
        );
    } else if let Some(a) = report.answer(AnswerKey::Coverage) {
        // The fact reader skips figures above 100%, so they are looked for here.
        let over = over_hundred_percent(&a.markdown);
        if let Some(figure) = over {
            out.push(
                Rule::Numbers,
                Some(AnswerKey::Coverage),
                Some(a.line),
                format!("{}: states {figure}, more than all of the code", label(a.number, AnswerKey::Coverage)),
            );
        }
    }
    if let Some(credits) = facts.credits.filter(|c| c.amount < 0.0) {
        out.push(
            Rule::Numbers,
            Some(AnswerKey::Credits),
            report.answer(AnswerKey::Credits).map(|a| a.line),
            format!("credits spent are negative: {} {}", credits.amount, credits.unit),
        );
    }
    let Some(row) = ctx.group_row else { return };
    if let Some(g) = facts.group.filter(|&g| g != row.group) {
        out.push(
            Rule::Numbers,
            Some(AnswerKey::Group),
            report.answer(AnswerKey::Group).map(|a| a.line),
            format!("the report states group {g}, the group list says {} (line {})", row.group, row.line),
        );
    }
    if !row.students.is_empty() && !facts.students.is_empty() && facts.students.len() != row.students.len() {
        out.push(
            Rule::Numbers,
            Some(AnswerKey::Students),
            report.answer(AnswerKey::Students).map(|a| a.line),
            format!(
                "the report lists {} students, the group list {} (line {})",
                facts.students.len(),
                row.students.len(),
                row.line
            ),
        );
    }
}

/// The first percentage above 100 in a text ("120%", "150 percent").
fn over_hundred_percent(markdown: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)(?:^|[^\d.])(\d{3,}(?:\.\d+)?)\s*(?:%|percent\b)").expect("valid constant regex")
    });
    re.captures_iter(markdown)
        .filter_map(|c| c.get(1))
        .find(|m| m.as_str().parse::<f64>().is_ok_and(|v| v > 100.0))
        .map(|m| format!("{}%", m.as_str()))
}
